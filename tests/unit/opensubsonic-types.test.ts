// The server's answer types are what the pinned OpenAPI description's schemas make (tests/opensubsonic-
// types.ts): a description moved to a newer commit, or a hand edit of the generated file, fails here.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { opensubsonicTypes, TYPES_FILE } from '../opensubsonic-types.ts';

it("types the Subsonic answers from the specification's own schemas, as generated", async () => {
  expect(readFileSync(TYPES_FILE, 'utf8')).toBe(await opensubsonicTypes());
});

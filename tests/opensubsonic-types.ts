// app/server/subsonic/opensubsonic-types.ts, made from the OpenSubsonic API's own OpenAPI description (its
// schemas, vendored at a pinned commit in tests/fixtures/opensubsonic-openapi/), so the server's answers
// are typed by the specification, not by hand: a unit test fails when the file is not what the schemas
// make, and `node tests/opensubsonic-types.ts --write` writes it again (after the description moves).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile } from 'json-schema-to-typescript';

const ROOT = resolve(import.meta.dirname, '..');
const SCHEMAS = join(ROOT, 'tests/fixtures/opensubsonic-openapi/openapi/schemas/');
export const TYPES_FILE = join(ROOT, 'app/server/subsonic/opensubsonic-types.ts');

const HEADER = `// The OpenSubsonic API's response objects as TypeScript types, generated from the schemas of its OpenAPI
// description (tests/fixtures/opensubsonic-openapi/, a pinned commit) by tests/opensubsonic-types.ts.
// Do not edit: run \`node tests/opensubsonic-types.ts --write\` (Biome leaves it as generated).
`;

/** The file's text: every schema's type, each once (one root refers to them all). */
export async function opensubsonicTypes(): Promise<string> {
  const names = readdirSync(SCHEMAS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const root = {
    title: 'OpenSubsonicSchemas',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(names.map((n) => [n, { $ref: `./${n}.json` }])),
  };
  const body = await compile(root as Parameters<typeof compile>[0], 'OpenSubsonicSchemas', {
    cwd: SCHEMAS,
    bannerComment: '',
    additionalProperties: false,
    format: false,
  });
  return HEADER + body;
}

if (import.meta.main) {
  const made = await opensubsonicTypes();
  if (process.argv.includes('--write')) writeFileSync(TYPES_FILE, made);
  else if (readFileSync(TYPES_FILE, 'utf8') !== made) {
    console.error(
      'app/server/subsonic/opensubsonic-types.ts is stale: node tests/opensubsonic-types.ts --write',
    );
    process.exit(1);
  }
}

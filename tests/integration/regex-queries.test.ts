// Regular expressions in queries run in linear time (RE2's engine): a pattern that backtracks for ever in
// JavaScript's engine answers at once, and what RE2 cannot run is a syntax error with its position.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixtures, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

describe('regular expressions in queries', () => {
  let home: string;

  beforeAll(() => {
    home = join(tempDir(), 'home');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', copyFixtures()])
        .status,
    ).toBe(0);
  });

  it('answer a catastrophic-backtracking pattern at once', () => {
    // No path holds a "#": JavaScript's engine would try about 2^n ways per path before failing.
    const r = sleeveHere(home, ['ls', '--json', 'path:/^([^#]+[^#]+)+#/']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  }, 20_000);

  it('still match with flags, and refuse lookaround with the position', () => {
    const found = sleeveHereJson<Array<{ tags: { title: string[] } }>>(home, [
      'ls',
      '--json',
      'title:/^FIRST$/i',
    ]);
    expect(found.map((i) => i.tags.title[0])).toEqual(['First']);
    const r = sleeveHere(home, ['ls', 'title:/(?<=a)b/']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/invalid regular expression: .* \(at column 7\)/);
  });
});

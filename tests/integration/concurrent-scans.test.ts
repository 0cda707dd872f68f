// Two scans of one library at once (two terminals, or the app and the CLI) take turns: the second waits
// and says for whom, and the library ends up as one scan would leave it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, sleeveAsync, sleeveJson, tempDir } from '../helpers.ts';

const scan = (home: string, folder: string) =>
  sleeveAsync(home, ['scan', '--no-embeddings', '--no-loudness', folder]);

describe('two scans of one library at once', () => {
  it('take turns instead of failing, and leave the library as one scan would', async () => {
    const music = copyFixtures();
    const home = join(tempDir(), 'home');
    const [a, b] = await Promise.all([scan(home, music), scan(home, music)]);
    expect([a.status, b.status, a.stderr + b.stderr]).toEqual([
      0,
      0,
      expect.stringContaining('waiting for another scan of this library: in use by sleeve '),
    ]);
    expect(`${a.stdout}${b.stdout}`).toMatch(/14 added/);
    expect(`${a.stdout}${b.stdout}`).toMatch(/0 added, 0 updated, 21 unchanged/);
    expect(sleeveJson<unknown[]>(home, ['ls', '--json'])).toHaveLength(14);
  });

  it('open a new library together: one creates it, the others wait for it (no half-migrated schema)', async () => {
    const run = (home: string) => sleeveAsync(home, ['stats']).then((r) => r.status);
    for (let i = 0; i < 5; i++) {
      const home = join(tempDir(), 'home');
      expect(await Promise.all([run(home), run(home), run(home), run(home)])).toEqual([0, 0, 0, 0]);
    }
  }, 60_000);
});

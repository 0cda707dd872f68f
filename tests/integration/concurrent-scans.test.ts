// Two scans of one library at once (two terminals, or the app and the CLI) take turns: the second waits
// and says for whom, and the library ends up as one scan would leave it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, sleeveJson, tempDir } from '../helpers.ts';

const CLI = join(import.meta.dirname, '../../app/cli/sleeve.js');

function scan(home: string, folder: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [CLI, '--home', home, 'scan', '--no-embeddings', folder]);
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  return once(child, 'exit').then(([code]) => ({ code: code as number, stderr, stdout }));
}

describe('two scans of one library at once', () => {
  it('take turns instead of failing, and leave the library as one scan would', async () => {
    const music = copyFixtures();
    const home = join(tempDir(), 'home');
    const [a, b] = await Promise.all([scan(home, music), scan(home, music)]);
    expect([a.code, b.code, a.stderr + b.stderr]).toEqual([
      0,
      0,
      expect.stringContaining('waiting for another scan of this library: in use by sleeve '),
    ]);
    expect(`${a.stdout}${b.stdout}`).toMatch(/14 added/);
    expect(`${a.stdout}${b.stdout}`).toMatch(/0 added, 0 updated, 21 unchanged/);
    expect(sleeveJson<unknown[]>(home, ['ls', '--json'])).toHaveLength(14);
  });

  it('open a new library together: one creates it, the others wait for it (no half-migrated schema)', async () => {
    const run = (home: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [CLI, '--home', home, 'stats'], { stdio: 'ignore' });
        child.once('exit', (code) => resolve(code ?? -1));
      });
    for (let i = 0; i < 5; i++) {
      const home = join(tempDir(), 'home');
      expect(await Promise.all([run(home), run(home), run(home), run(home)])).toEqual([0, 0, 0, 0]);
    }
  }, 60_000);
});

// Long-running processes take their stop signals from the moment they can be found. A mount daemon:
// whoever finds it in the registry (`sleeve umount`, a test asking for its report) may signal it at once,
// before it has said it is ready; its handlers came after its start's clean-up, and a signal in between
// ended it unannounced by the default action, its mount left dead. `sleeve serve`: whoever reads its
// address may stop it at once, while it still opens the browser (--open).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMounts } from '../../app/core/mounts/mount-registry.ts';
import { makeWav } from '../fixtures/library.ts';
import { CLI, hashTree, sleeveAsync, sleeveHere, tempDir } from '../helpers.ts';
import { TestMount, waitFor } from '../mount-helpers.ts';

/** Mounts the library and resolves with its daemon's entry the moment the registry lists it, without
 *  waiting for `sleeve mount` to return (`mounted` resolves with its result). */
async function mountFound(home: string, mnt: string) {
  const mounted = sleeveAsync(home, ['mount', mnt]);
  for (;;) {
    const entry = listMounts(home).mounts[0];
    if (entry) return { entry, mounted };
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('a mount daemon found in the registry', () => {
  it('takes SIGUSR2 and SIGTERM at once: it reports and serves on, then unmounts cleanly', async () => {
    const t = new TestMount();
    for (const [i, name] of ['one', 'two', 'three'].entries())
      makeWav(join(t.music, `${name}.wav`), 300 + 50 * i);
    const originals = hashTree(t.music);
    expect(
      sleeveHere(t.home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', t.music]).status,
    ).toBe(0);

    const first = await mountFound(t.home, t.mnt);
    process.kill(first.entry.pid, 'SIGUSR2');
    expect((await first.mounted).status).toBe(0);
    expect(() => process.kill(first.entry.pid, 0)).not.toThrow(); // still there, serving
    expect(hashTree(t.mnt).size).toBe(3);
    expect(sleeveHere(t.home, ['umount', t.mnt]).status).toBe(0);

    const second = await mountFound(t.home, t.mnt);
    process.kill(second.entry.pid, 'SIGTERM');
    await second.mounted;
    await waitFor('the mount gone', () => (listMounts(t.home).mounts.length === 0 ? true : undefined));
    expect(t.log().trimEnd().split('\n').at(-1)).toMatch(/ unmounting .* \(SIGTERM\)$/);
    expect(hashTree(t.music)).toEqual(originals);
  });
});

describe('sleeve serve told to stop as soon as it says where it runs', () => {
  it('stops cleanly while it still opens the browser (--open)', async () => {
    const home = join(tempDir(), 'home');
    const child = spawn(
      process.execPath,
      [CLI, '--home', home, 'serve', '--no-ui', '--json', '--open', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.kill('SIGTERM'));
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('stopping…');
  });
});

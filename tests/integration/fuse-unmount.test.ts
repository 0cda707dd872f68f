// The unmount a user types works on a live mount after an edit: the echo thread (which tells watchers of
// a change by doing it through the mount) kept the mount's root open between its batches, and
// `fusermount3 -u`, `umount` and `sleeve umount` itself failed with "Device or resource busy".
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, run } from '../fixtures/library.ts';
import { hashTree, sleeveHere } from '../helpers.ts';
import { TestMount, waitFor } from '../mount-helpers.ts';

describe('unmounting a mount the library changed', () => {
  const t = new TestMount();
  let unmounted = false;

  beforeAll(() => {
    const wav = join(t.dir, 'one.wav');
    makeWav(wav, 440);
    run('ffmpeg', [
      '-v',
      'error',
      '-i',
      wav,
      '-metadata',
      'title=One',
      '-metadata',
      'artist=A',
      join(t.music, 'one.flac'),
    ]);
    t.start(['one.flac'], []);
  });

  afterAll(() => {
    if (!unmounted) t.stop();
  });

  it('unmounts with fusermount3 -u once an edit has moved a file, and the daemon ends', async () => {
    expect(sleeveHere(t.home, ['set', 'title:One', 'title=Two', '-y']).status).toBe(0);
    await waitFor('the edit in the mount', () => (t.served('Two.flac') === '' ? undefined : true));
    const r = spawnSync('fusermount3', ['-u', t.mnt], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    unmounted = true;
    await waitFor('the mount gone from the list', () =>
      sleeveHere(t.home, ['mounts']).stdout.includes('no active mounts') ? true : undefined,
    );
    expect(hashTree(t.music)).toEqual(t.originals);
    // The daemon said why it ended; its log, which the test run keeps as a daemon that died otherwise,
    // goes with this test's files.
    expect(t.log()).toMatch(/unmounting .* \(the mount ended\)\n?$/);
    rmSync(join(t.home, 'mounts'), { recursive: true });
  });
});

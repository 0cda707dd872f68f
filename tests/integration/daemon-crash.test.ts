// A mount daemon that dies of a fatal signal leaves a report in its log: the signal, who sent it or where
// it faulted, and the native stack. (A daemon that vanished used to leave a log that simply stopped, and a
// mount answering ECONNABORTED.)
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mountTable } from '../../kit/mount-table.ts';
import { CLI, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

describe('a mount daemon killed by a fatal signal', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');

  const mounted = () => mountTable().some((m) => m.path === mnt);
  const unmounted = () => (mounted() ? undefined : true);

  afterAll(() => {
    if (mounted()) tool('fusermount3', ['-uz', mnt]);
  });

  it.each(['SIGSEGV', 'SIGBUS'] as const)(
    'says so in its log (%s), with its native stack',
    async (signal) => {
      tool('mkdir', ['-p', music]);
      tool('sox', ['-n', '-r', '44100', '-c', '2', join(music, 'a.flac'), 'synth', '1', 'sine', '440']);
      expect(
        sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
      ).toBe(0);
      expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
      const [daemon] = sleeveHereJson<Array<{ pid: number; log: string }>>(home, ['mounts', '--json']);
      // Killed on purpose: no core file (CI allows them, to read the stacks of a real crash).
      tool('prlimit', ['--pid', String(daemon!.pid), '--core=0']);
      process.kill(daemon!.pid, signal);
      await waitFor('the mount to go', unmounted);
      const log = readFileSync(daemon!.log, 'utf8');
      expect(log).toContain(
        `sleeve-fuse: fatal signal ${signal} sent by process ${process.pid}; native stack:`,
      );
      expect(log).toMatch(/sleeve_fuse\.node\(\+0x[0-9a-f]+\)/);
      // Killed on purpose: not a log for the run's end to keep as a daemon that died unasked.
      rmSync(daemon!.log);
    },
  );

  /** The pids of the watchers that unmount `mountpoint` if its daemon dies. */
  const watchers = (mountpoint: string) =>
    readdirSync('/proc').filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.includes('sleeve-mount-watcher') && args.includes(mountpoint);
      } catch {
        return false; // gone, or not a process
      }
    });

  it('is unmounted by its watcher even when killed outright, and a clean stop leaves no watcher', async () => {
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    const [daemon] = sleeveHereJson<Array<{ pid: number; log: string }>>(home, ['mounts', '--json']);
    expect(watchers(mnt)).toHaveLength(1);
    process.kill(daemon!.pid, 'SIGKILL'); // nothing in the daemon runs: its watcher alone unmounts
    await waitFor('the mount to go', unmounted);
    rmSync(daemon!.log);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    expect(sleeveHere(home, ['umount', mnt]).stdout).toMatch(/^unmounted /);
    await waitFor('the watcher to leave', () => (watchers(mnt).length === 0 ? true : undefined));
  });

  // Users are what desktops run as, and for a user fusermount3's own auto_unmount left the dead mount
  // (libfuse issue 586). Users may not open this machine's /dev/fuse: the script runs in a mount namespace
  // of its own, with a usable one there.
  it.runIf(process.getuid?.() === 0)(
    'as a user too: a dead mount is taken away, and a clean stop unmounts through fusermount3',
    () => {
      const base = tempDir();
      chmodSync(base, 0o777);
      tool('mkdir', ['-m', '755', join(base, 'music')]);
      tool('sox', ['-n', '-r', '44100', '-c', '2', join(base, 'music/a.flac'), 'synth', '1', 'sine', '440']);
      const script = new URL('../fixtures/user-mount.sh', import.meta.url).pathname;
      const r = spawnSync(
        'unshare',
        ['--mount', '--propagation', 'private', 'bash', script, process.execPath, CLI, base],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(
        `listed: Unknown Artist\ndead mount taken away\nunmounted ${join(base, 'mnt')}\nnot mounted\n`,
      );
      expect(r.status).toBe(0);
    },
  );
});

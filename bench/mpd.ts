// mpd (Music Player Daemon) as a player scanning a library: its database rescan opens every file and
// reads its tags and length with mpd's own C++ readers (libFLAC, libid3tag and libmad here), the way a
// music server builds its library, with no Python `open()` (whose isatty asks the mount a question of its
// own) in the way. One mpd per folder, on a socket of its own, no audio output, quiet log.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MpdPlayer {
  /** Reads every file again (`mpc rescan --wait`): the seconds it took and the songs mpd then knows. */
  rescan(): { seconds: number; files: number };
  /** `mpc` once, so a cold pass does not time reading mpc's own code back from disk. */
  prime(): void;
  /** Ends mpd and waits for it to go (before the folder it serves is unmounted). */
  stop(): Promise<void>;
  /** `mpc` with these arguments: its output. */
  mpc(...args: string[]): string;
}

/** Whether mpd and mpc are installed (the benchmark says so and goes on without them when not). */
export function mpdInstalled(): boolean {
  return spawnSync('mpd', ['--version']).status === 0 && spawnSync('mpc', ['help']).status === 0;
}

/** "Music Player Daemon 0.23.12 (0.23.12)" → "mpd 0.23.12". */
export function mpdVersion(): string {
  const line = execFileSync('mpd', ['--version']).toString();
  return `mpd ${/Daemon\s+([\d.]+)/.exec(line)?.[1] ?? '(unknown version)'}`;
}

/** An mpd serving `folder`, its state under `work`, its database built once before it is returned; ended
 *  again if it cannot get that far. `autoUpdate`: mpd follows the folder through inotify. */
export async function startMpd(
  folder: string,
  work: string,
  { autoUpdate = false } = {},
): Promise<MpdPlayer> {
  mkdirSync(work, { recursive: true });
  const socket = join(work, 'socket');
  const conf = join(work, 'mpd.conf');
  writeFileSync(
    conf,
    [
      `music_directory "${folder}"`,
      `db_file "${join(work, 'database')}"`,
      `log_file "${join(work, 'log')}"`,
      'log_level "warning"',
      `bind_to_address "${socket}"`,
      `auto_update "${autoUpdate ? 'yes' : 'no'}"`,
      'zeroconf_enabled "no"',
      'audio_output {\n  type "null"\n  name "none"\n}',
    ].join('\n'),
  );
  const daemon = spawn('mpd', ['--no-daemon', conf], { stdio: 'ignore' });
  const exited = once(daemon, 'exit');
  const stop = async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGTERM');
    await exited;
  };
  const mpc = (...args: string[]) => execFileSync('mpc', ['-h', socket, ...args]).toString();
  try {
    const deadline = performance.now() + 10_000;
    while (!existsSync(socket)) {
      if (daemon.exitCode !== null || daemon.signalCode !== null || performance.now() > deadline)
        throw new Error(`mpd did not start (its log: ${join(work, 'log')})`);
      await sleep(50);
    }
    mpc('-q', 'update', '--wait');
  } catch (err) {
    await stop();
    throw err;
  }
  const songs = () => Number(/Songs:\s+(\d+)/.exec(mpc('stats'))?.[1] ?? 0);
  return {
    rescan() {
      const t0 = performance.now();
      mpc('-q', 'rescan', '--wait');
      return { seconds: (performance.now() - t0) / 1000, files: songs() };
    },
    prime: () => void mpc('version'),
    stop,
    mpc,
  };
}

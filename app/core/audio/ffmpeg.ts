// The `ffmpeg` command on one file, found on the PATH: the player's transcoded streams
// (app/server/transcode.ts). Its stderr is read, never inherited: the reason
// when it fails, the decode's messages when it gets through.
import { type ChildProcess, spawn } from 'node:child_process';
import { CodecMessages } from './codec-messages.ts';

/** What ffmpeg calls its input (and starts its messages about it with). */
const INPUT = '/dev/fd/3';
/** The stderr kept: enough for the reason, bounded for a file damaged throughout. */
const MAX_STDERR = 2000;

export interface Ffmpeg {
  readonly child: ChildProcess;
  /** What ffmpeg has printed so far, without its input's name. */
  said(): string;
  /** Settles once ffmpeg has exited and its output is closed: the exit code, or 'not installed' when
   *  there is no `ffmpeg` to run. Never rejects. */
  readonly exited: Promise<number | null | 'not installed'>;
  /** Ends it wherever it is, with SIGKILL: a read stuck on a stalled network share ends only for a fatal
   *  signal. Its output is dropped (unread output would keep `exited` from settling). */
  stop(): void;
}

/**
 * Runs ffmpeg on the open file `input` with `before` ahead of it (a seek) and `after` it (what to write;
 * its output is `child.stdout`). ffmpeg gets the file already open, as its fd 3: a path's bytes that are
 * not valid UTF-8 cannot be an argument (arguments are strings), and the file stays the one looked at even
 * if renamed meanwhile. The caller opens it (never on a thread that serves others: the open of a file on a
 * stalled share blocks) and closes its own descriptor when it likes: the child has a copy.
 */
export function runFfmpeg(input: number, before: readonly string[], after: readonly string[]): Ffmpeg {
  const child = spawn('ffmpeg', ['-nostdin', '-v', 'error', ...before, '-i', INPUT, ...after], {
    stdio: ['ignore', 'pipe', 'pipe', input],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < MAX_STDERR) stderr += d.toString();
  });
  let missing = false;
  child.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') missing = true;
  });
  // 'close' follows a spawn 'error' too.
  const exited = new Promise<number | null | 'not installed'>((resolve) =>
    child.on('close', (code) => resolve(missing ? 'not installed' : code)),
  );
  return {
    child,
    said: () => stderr.replaceAll(`${INPUT}: `, ''),
    exited,
    stop() {
      child.stdout!.destroy();
      child.kill('SIGKILL');
    },
  };
}

/** ffmpeg's reason in a line: its distinct messages, the exit code when it said nothing. */
export function ffmpegReason(ffmpeg: Ffmpeg, code: number | null): string {
  const messages = new CodecMessages();
  messages.add(ffmpeg.said());
  return messages.summary() ?? `exit ${code}`;
}

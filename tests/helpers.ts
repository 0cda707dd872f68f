// Shared test helpers: temporary copies of the fixture library, hashing, running the real CLI, and
// deterministic pseudo-random data.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { inject } from 'vitest';
import { SCAN_FLAGS } from '../kit/scan-flags.ts';
import { runTool } from './fixtures/made.ts';
import { tempFolder } from './fixtures/temp-dir.ts';

/** A new folder under the run's temporary root (tests/global-setup.ts removes it when the run ends). */
export function tempDir(prefix = 'sleeve-test-'): string {
  return tempFolder(inject('tempRoot'), prefix);
}

/** A private copy of the fixture library (symlinks kept as links). */
export function copyFixtures(): string {
  const dest = join(tempDir(), 'music');
  cpSync(inject('fixtureRoot'), dest, { recursive: true, verbatimSymlinks: true });
  return dest;
}

/** sha256 of every regular file under `root`, by relative path. */
export function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = lstatSync(path);
      if (s.isDirectory()) walk(path, r);
      else if (s.isFile()) out.set(r, createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root, '');
  return out;
}

export const CLI = new URL('../app/cli/sleeve.js', import.meta.url).pathname;
/** Node's arguments for a `sleeve` command as the installed one runs (the script's #! line gives Node
 *  these flags; without them a scan, a backend or a watcher starts Node again to get them). */
const SLEEVE = [...SCAN_FLAGS, CLI];

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `sleeve` CLI in a child process with the current (pinned) Node. */
export function sleeve(
  home: string,
  args: readonly string[],
  options: { input?: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const r = spawnSync(process.execPath, [...SLEEVE, '--home', home, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    uid: options.uid,
    gid: options.gid,
    env: options.env ?? process.env,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `sleeve`, without blocking this process: for a CLI that talks to a server this test runs. `onStderr`
 *  hears all it has written to stderr so far, each time it writes more (a test waits on what it says). */
export function sleeveAsync(
  home: string,
  args: readonly string[],
  options: { onStderr?: (stderr: string) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...SLEEVE, '--home', home, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      options.onStderr?.(stderr);
    });
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** How long sleeveHere waits for a command's answer. */
const CLI_THREAD_TIMEOUT_MS = 120_000;
/** The thread sleeveHere runs commands in, started on first use. */
let cliThread: Worker | undefined;
/** The thread sleeveHereAsync runs commands in, and the last command asked of it (they run in turn). */
let cliAsyncThread: Worker | undefined;
let cliAsyncQueue: Promise<unknown> = Promise.resolve();

/** A thread running the CLI (tests/cli-worker.ts), which keeps no process alive. */
function cliWorker(): Worker {
  const thread = new Worker(new URL('./cli-worker.ts', import.meta.url));
  thread.unref();
  return thread;
}

/** Asks `thread` to run `sleeve --home HOME ARGS`: its answer comes on the port returned, and `done` is
 *  set and notified once it has. */
function askCli(thread: Worker, home: string, args: readonly string[], input = '') {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  thread.postMessage({ argv: ['--home', home, ...args], input, done, reply: port2 }, [port2]);
  return { port: port1, done };
}

/**
 * `sleeve` run by the CLI's own main() in a thread of this process, which waits for it as for the process
 * `sleeve()` starts: the same output and status, without starting Node (≈0.2–0.3 s of CPU a command, most
 * of a short one's). For tests whose subject is not the command line itself: its process (launcher, exit,
 * signals) is cli.test's. Not for a command that talks to a server in this process (sleeveHereAsync).
 */
export function sleeveHere(
  home: string,
  args: readonly string[],
  options: { input?: string } = {},
): CliResult {
  cliThread ??= cliWorker();
  const { port, done } = askCli(cliThread, home, args, options.input);
  const waited = Atomics.wait(done, 0, 0, CLI_THREAD_TIMEOUT_MS);
  const answer = receiveMessageOnPort(port);
  port.close();
  if (!answer) throw new Error(`sleeve ${args.join(' ')}: no answer from the CLI thread (${waited})`);
  return answer.message as CliResult;
}

/**
 * `sleeveHere` without blocking this thread: for a command that talks to a server this test runs (identify
 * against the fixture MusicBrainz and AcoustID), whose answers need this thread free. Commands run one
 * at a time, in a thread apart from sleeveHere's.
 */
export function sleeveHereAsync(home: string, args: readonly string[]): Promise<CliResult> {
  cliAsyncThread ??= cliWorker();
  const thread = cliAsyncThread;
  const run = cliAsyncQueue.then(
    () =>
      new Promise<CliResult>((resolve) => {
        const { port } = askCli(thread, home, args);
        port.once('message', (answer: CliResult) => {
          port.close();
          resolve(answer);
        });
      }),
  );
  cliAsyncQueue = run;
  return run;
}

/** What a command printed as JSON; a command that failed throws with its error. */
function printedJson<T>(args: readonly string[], r: CliResult): T {
  if (r.status !== 0) throw new Error(`sleeve ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function sleeveJson<T>(home: string, args: readonly string[]): T {
  return printedJson(args, sleeve(home, args));
}

/** sleeveJson, the command run by sleeveHere. */
export function sleeveHereJson<T>(home: string, args: readonly string[]): T {
  return printedJson(args, sleeveHere(home, args));
}

/** The environment without the sanitizer runtime `npm run test:sanitize` preloads for Node's sake. */
const TOOL_ENV = (() => {
  const { LD_PRELOAD: _preload, ...env } = process.env;
  return env;
})();

/** Runs an external tool (never under the sanitize run's preloaded ASan: kid3-cli deadlocks in it); a
 *  file a generator makes is kept for the next run (fixtures/made.ts), with no output then. `env`: set
 *  for this run (a configuration of the tool's own). */
export function tool(cmd: string, args: readonly string[], env: Record<string, string> = {}): Buffer {
  return runTool(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...TOOL_ENV, ...env } });
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): a model test draws the same steps from a seed
 *  on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic pseudo-random u32s (a linear congruential generator), so a test draws the same data on
 *  every run. `dropBits` drops the low bits, the least random ones of an LCG. */
export function lcg(seed: number, dropBits = 0): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> dropBits;
  };
}

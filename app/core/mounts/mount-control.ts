// Starting and stopping mount daemons, shared by `sleeve mount` and the app's mount view. The daemon
// (fuse/daemon.ts, started by its path: the core never imports fuse/) is always a process of its own: a
// process that reads its own mount while its JS thread is needed to answer would deadlock, and a daemon
// crash must not take the app down. It runs on the running runtime: Node, or inside Electron the app's own
// binary in Node mode (ELECTRON_RUN_AS_NODE), which loads the N-API binding (fuse/native) like Node does.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { systemReason } from '../../../kit/capped-file.ts';
import { keepLogTail } from '../../../kit/log-tail.ts';
import { makeFolders } from '../../../kit/make-folders.ts';
import { PREFER_BUNDLES_MODULE } from '../../../kit/package-bundles.ts';
import { SCAN_FLAGS } from '../../../kit/scan-flags.ts';
import { UserError } from '../../../kit/user-error.ts';
import { bindingBuilt, DAEMON_SCRIPT } from './fuse-files.ts';
import { kernelMounts, listMounts, type MountEntry, mountLogFile } from './mount-registry.ts';

// A daemon sizes every file before it mounts: about 15 s for 100k files on a 2-core VM.
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

export class MountError extends UserError {
  override name = 'MountError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** Whether this machine can mount, and if not, why (the first missing piece). */
export type FuseAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const LIBFUSE_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib'];

function hasLibfuse3(): boolean {
  const ldconfig = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  if (ldconfig.status === 0) return /\blibfuse3\.so\.3\b/.test(ldconfig.stdout);
  const arch = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;
  return LIBFUSE_DIRS.some(
    (dir) => existsSync(`${dir}/libfuse3.so.3`) || existsSync(`${dir}/${arch}/libfuse3.so.3`),
  );
}

export function fuseAvailability(): FuseAvailability {
  // The binding speaks libfuse 3's low-level API with Linux's kernel cache invalidation.
  if (process.platform !== 'linux')
    return { ok: false, reason: `FUSE mounts are not supported on ${process.platform} yet (Linux only)` };
  if (!existsSync('/dev/fuse'))
    return {
      ok: false,
      reason:
        'FUSE is not available: /dev/fuse is missing (load the fuse module, or give the container the device)',
    };
  if (!hasLibfuse3())
    return { ok: false, reason: 'libfuse 3 is missing: install it (Debian: apt-get install fuse3)' };
  if (spawnSync('fusermount3', ['-V']).status !== 0)
    return { ok: false, reason: 'fusermount3 is missing: install FUSE (Debian: apt-get install fuse3)' };
  if (!bindingBuilt())
    return {
      ok: false,
      reason:
        'the FUSE binding is not built: run `npm run native`, which says what is missing (`sleeve doctor` too)',
    };
  return { ok: true };
}

/**
 * Refuses a mount point that is mounted already, a file, a directory with something in it, or one inside a
 * folder the library was scanned from (`roots`: scans skip Sleeve mounts, but other tools walking the
 * folder would see every file twice).
 */
export function checkMountpoint(mountpoint: string, roots: readonly string[]): void {
  // A file is no mount point wherever it is (a track's path in a library folder too).
  if (existsSync(mountpoint) && !statSync(mountpoint).isDirectory())
    throw new MountError(`${mountpoint} is not a directory`);
  const root = roots.find((r) => mountpoint === r || mountpoint.startsWith(r.endsWith('/') ? r : `${r}/`));
  if (root) throw new MountError(`${mountpoint} is inside the library folder ${root}: mount it elsewhere`);
  if (kernelMounts().has(mountpoint)) throw new MountError(`${mountpoint} is already a mount point`);
  if (!existsSync(mountpoint)) return; // created before the daemon starts (makeMountpoint)
  if (readdirSync(mountpoint).length > 0) throw new MountError(`${mountpoint} is not empty`);
}

/** Creates a missing mount point (and the folders above it that are missing too): the topmost folder it
 *  made, or undefined when the mount point was there. */
function makeMountpoint(mountpoint: string): string | undefined {
  try {
    return makeFolders(mountpoint);
  } catch (err) {
    throw new MountError(`cannot create the mount point ${mountpoint}: ${systemReason(err)}`);
  }
}

/** After a start that failed, removes the folders makeMountpoint made (those still empty). */
function unmakeMountpoint(mountpoint: string, created: string | undefined): void {
  if (created === undefined) return;
  for (let dir = mountpoint; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === created || dirname(dir) === dir) return;
  }
}

/** Reads the daemon's one status line from its fd 3. */
function statusLine(pipe: Readable): Promise<string> {
  return new Promise((done) => {
    let text = '';
    const timer = setTimeout(() => done('error the daemon did not report within 120 s'), READY_TIMEOUT_MS);
    pipe.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        done(text.slice(0, text.indexOf('\n')));
      }
    });
    pipe.on('end', () => {
      clearTimeout(timer);
      done(text || 'error the daemon exited before mounting');
    });
  });
}

/**
 * The scan's flags (kit/scan-flags.ts), which the daemon wants for its own reasons. V8 lets its young
 * generation grow to 64 MiB per semi-space, all of it resident after the start's burst
 * of short-lived rows; at 4 MiB most of a large library's records were copied through it at the start
 * (1M files: 2–3 s more to come up, and 135 MB more resident after). 16 MiB: the same at 100k; at 1M a
 * quicker start and less memory held after it, the peak about the same (BENCHMARKS.md, million). --expose-gc: the daemon
 * collects the start's garbage once it serves. --import: its packages from their bundles
 * (kit/package-bundles.ts).
 */
const DAEMON_FLAGS = [...SCAN_FLAGS, '--import', PREFER_BUNDLES_MODULE];

export interface MountRequest {
  readonly home: string;
  /** Absolute. */
  readonly mountpoint: string;
  readonly template: string;
  /** The library's folders: a mount point inside one is refused. */
  readonly roots: readonly string[];
  /** Every copy of a recording, not only the one it keeps. */
  readonly allCopies?: boolean;
}

/**
 * Checks the request, starts the daemon with the runtime this process runs on (Node, or Electron in Node
 * mode) and waits for its status line: the number of files it serves, or why it could not mount.
 * `log` null: the daemon logs to this process's stderr.
 */
async function spawnDaemon(
  request: MountRequest,
  log: string | null,
): Promise<{ child: ChildProcess; files: number; created: string | undefined }> {
  const availability = fuseAvailability();
  if (!availability.ok) throw new MountError(availability.reason);
  checkMountpoint(request.mountpoint, request.roots);
  // Made here, not left to the daemon, so the caller can say so (and a failed start takes it back).
  const created = makeMountpoint(request.mountpoint);
  try {
    return { ...(await startDaemon(request, log)), created };
  } catch (err) {
    unmakeMountpoint(request.mountpoint, created);
    throw err;
  }
}

/** A mount's log is appended to by each of its daemons (a line or two a run; a stack when one cannot
 *  start): past 1 MiB, its last 256 KiB are kept as the next one starts. */
const LOG_MAX_BYTES = 1 << 20;
const LOG_KEPT_BYTES = 256 << 10;

async function startDaemon(
  request: MountRequest,
  log: string | null,
): Promise<{ child: ChildProcess; files: number }> {
  const env = { ...process.env };
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  const args = [...DAEMON_FLAGS, DAEMON_SCRIPT, '--home', request.home, '--template', request.template];
  if (log) args.push('--log', log);
  if (request.allCopies) args.push('--all-copies');
  args.push(request.mountpoint);
  if (log) keepLogTail(log, LOG_MAX_BYTES, LOG_KEPT_BYTES);
  const out = log ? openSync(log, 'a') : 'inherit';
  const child = spawn(process.execPath, args, {
    detached: log !== null,
    // It outlives the command: left in the folder it was started from, it would keep that disk busy
    // (`umount: target is busy`). Every path it is given is absolute.
    cwd: log !== null ? '/' : undefined,
    env,
    stdio: ['ignore', out, out, 'pipe'],
  });
  if (typeof out === 'number') closeSync(out); // the daemon has its own copy
  const pipe = child.stdio[3] as Readable;
  const status = await statusLine(pipe);
  pipe.destroy();
  // A daemon that failed or did not answer in time must not mount later behind the user's back.
  const ready = /^ready (\d+)$/.exec(status);
  if (!ready) child.kill('SIGTERM');
  if (!ready)
    throw new MountError(
      `cannot mount ${request.mountpoint}: ${status.replace(/^error /, '')}${log ? ` (log: ${log})` : ''}`,
    );
  return { child, files: Number(ready[1]) };
}

/** Starts a detached daemon serving the library at the mount point and waits until it serves (or says
 *  why it cannot). */
export async function startMount(
  request: MountRequest,
): Promise<{ pid: number; log: string; files: number; created: string | undefined }> {
  const log = mountLogFile(request.home, request.mountpoint);
  const { child, files, created } = await spawnDaemon(request, log);
  child.unref();
  return { pid: child.pid!, log, files, created };
}

/**
 * A daemon tied to this process (`sleeve mount --foreground`): it logs to this process's stderr, Ctrl-C
 * (SIGINT to the terminal's process group) and SIGTERM stop it, and `exited` gives its exit code once it
 * has unmounted.
 */
export async function runMountInForeground(
  request: MountRequest,
): Promise<{ files: number; exited: Promise<number>; created: string | undefined }> {
  const { child, files, created } = await spawnDaemon(request, null);
  const exited = new Promise<number>((done) => child.once('exit', (code) => done(code ?? 1)));
  // This process outlives the daemon's unmounting: it passes the signal on (the daemon stops once, however
  // many it gets: a terminal's Ctrl-C reaches both) and waits for the exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return { files, exited, created };
}

/** Stops the daemon serving `mountpoint` and waits for the kernel to drop the mount; a mount whose
 *  daemon is gone (or another home's) is taken down with fusermount. */
export async function stopMount(home: string, mountpoint: string): Promise<void> {
  const entry: MountEntry | undefined = listMounts(home).mounts.find((m) => m.mountpoint === mountpoint);
  if (entry) {
    process.kill(entry.pid, 'SIGTERM');
    for (let waited = 0; kernelMounts().has(mountpoint); waited += 50) {
      if (waited > STOP_TIMEOUT_MS)
        throw new MountError(`the daemon (pid ${entry.pid}) did not unmount within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } else if (kernelMounts().has(mountpoint)) {
    const res = spawnSync('fusermount3', ['-u', mountpoint], { encoding: 'utf8' });
    if (res.status !== 0) throw new MountError(`cannot unmount ${mountpoint}: ${res.stderr.trim()}`);
  } else throw new MountError(`${mountpoint} is not mounted`);
}

// What the real-mount tests share: hashes, decoded-audio checksums, finding a served file, waiting for
// the daemon to show a change, reads anywhere against a whole read, unmounting with the originals checked.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  type Dirent,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { listMounts, readMountReport } from '../app/core/mounts/mount-registry.ts';
import { hashTree, lcg, sleeveHere, sleeveHereJson, tempDir, tool } from './helpers.ts';

/** Debian's Python, which has mutagen (Picard's and beets' tag library). */
export const PY = '/usr/bin/python3';

/** What `sleeve info ID --json` says of a file, as far as the mount tests look. */
export interface FileInfo {
  id: number;
  size: number;
  audioStart: number;
  audioEnd: number;
  path: string;
  fields: Array<{ key: string; effective: string[]; edited: string[] | null }>;
  art: Array<{ hash: string; bytes: number; type: number }>;
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** MD5 of the PCM FFmpeg decodes from the file's audio stream. */
export const pcmMd5 = (path: string): string =>
  tool('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-f', 'md5', '-']).toString().trim();

/** A folder's entries as the mount lists them now; none when it is gone, or not there yet, by the time it
 *  is read. While the mount publishes a change, a listing names the new tree's folders a moment before a
 *  lookup finds them: the echo must make them first, so that watchers hear of them (mount-echo.ts). Callers
 *  poll. */
export function listedNow(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The first file under `dir` whose name ends with `suffix` ('' when none does). */
export function findServed(dir: string, suffix: string): string {
  for (const e of listedNow(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findServed(path, suffix);
      if (found) return found;
    } else if (e.name.endsWith(suffix)) return path;
  }
  return '';
}

/** The names of the files a mount serves, anywhere below it, ending in `suffix`, sorted. */
export function servedNames(mnt: string, suffix = ''): string[] {
  return readdirSync(mnt, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => e.name)
    .sort();
}

/** The first look after 10 ms, each later one half as long again after the last, at most 200 ms: a change that
 *  comes at once is seen at once, and a wait of seconds (a watcher's settling, a daemon's publishing) costs
 *  a few dozen probes, not hundreds (a probe may be a CLI command or a read through a mount). */
const FIRST_LOOK_MS = 10;
const LAST_LOOK_MS = 200;

/** Whether `path` exists, asked through the thread pool: for tests whose own thread answers the mount's
 *  requests (the binding mounted in-process), where a synchronous look would wait on itself. */
export const existsAsync = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Polls `probe` until it gives a value, or fails naming `what` after `ms` (a loaded machine may take seconds). */
export async function waitFor<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (let pause = FIRST_LOOK_MS; ; pause = Math.min(LAST_LOOK_MS, pause * 1.5)) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** The container-level tags FFmpeg reads from a file, keys lower-cased (FFmpeg keeps Vorbis names as written). */
export function ffprobeTags(path: string): Record<string, string> {
  const out = JSON.parse(
    tool('ffprobe', ['-v', 'error', '-show_format', '-of', 'json', path]).toString(),
  ) as {
    format: { tags?: Record<string, string> };
  };
  return Object.fromEntries(Object.entries(out.format.tags ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** ffprobeTags of a file a listing of the mount found, or undefined when it is gone by the time ffprobe
 *  opens it (a tree published meanwhile moved it): a waitFor then looks again. */
export function listedTags(path: string): Record<string, string> | undefined {
  try {
    return ffprobeTags(path);
  } catch (err) {
    if (!existsSync(path)) return undefined;
    throw err;
  }
}

/**
 * Reads the served file at 50 random places, the first 10 just before `boundary` when given (where the
 * served file switches from one source to another): each read gives the bytes a whole read gives there.
 */
export function expectReadsMatchWhole(path: string, seed: number, boundary?: number): void {
  const whole = readFileSync(path);
  const fd = openSync(path, 'r');
  try {
    const next = lcg(seed);
    for (let i = 0; i < 50; i++) {
      const pos =
        boundary !== undefined && i < 10 ? Math.max(0, boundary - 1 - i * 37) : next() % whole.length;
      const buf = Buffer.alloc(1 + (next() % 9000));
      const n = readSync(fd, buf, 0, buf.length, pos);
      expect(buf.subarray(0, n)).toEqual(whole.subarray(pos, pos + n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Where a served FLAC's PADDING block body, or a served ID3v2.4 tag's padding, lies; null when none. */
export function paddingOf(served: Buffer): { at: number; length: number } | null {
  if (served.subarray(0, 4).toString('latin1') === 'fLaC') {
    for (let p = 4; p + 4 <= served.length; ) {
      const length = served.readUIntBE(p + 1, 3);
      if ((served[p]! & 0x7f) === 1) return { at: p + 4, length };
      if (served[p]! & 0x80) return null; // the last block
      p += 4 + length;
    }
    return null;
  }
  if (served.subarray(0, 4).toString('latin1') !== 'ID3\u0004') return null;
  const syncsafe = (at: number) => served.subarray(at, at + 4).reduce((n, b) => n * 128 + b, 0);
  const end = 10 + syncsafe(6);
  let p = 10;
  while (p < end && served[p] !== 0) p += 10 + syncsafe(p + 4);
  return p < end ? { at: p, length: end - p } : null;
}

/** Unmounts (lazily, if a failed test left the mount busy) and checks that no original changed. */
export function unmountChecked(
  home: string,
  mnt: string,
  music: string,
  originals: Map<string, string>,
): void {
  const r = sleeveHere(home, ['umount', mnt]);
  if (r.status !== 0) execFileSync('fusermount3', ['-uz', mnt]);
  expect(hashTree(music)).toEqual(originals);
}

/** config.json of a library whose mount builds layouts ahead however few files it serves (the daemon
 *  starts no thread for that below mount.buildAheadMinFiles). */
export const BUILD_AHEAD = { mount: { buildAheadMinFiles: 0 } };

/**
 * A real-mount test's library in a new temporary directory: its music folder (the originals), a Sleeve
 * home and a mount point; `start` scans, edits and mounts, `stop` unmounts and checks no original changed.
 */
export class TestMount {
  readonly dir = tempDir();
  readonly music = join(this.dir, 'music');
  readonly home = join(this.dir, 'home');
  readonly mnt = join(this.dir, 'mnt');
  /** File ids by the names given to `start`. */
  ids: Record<string, number> = {};
  originals = new Map<string, string>();

  constructor() {
    mkdirSync(this.music);
  }

  /**
   * Scans the music folder (tags only), applies each edit (a file name and its fields: `sleeve set
   * path:NAME …`) and mounts the library, with `config` as its config.json if given.
   */
  start(
    names: readonly string[],
    edits: ReadonlyArray<readonly [name: string, ...fields: string[]]>,
    config?: object,
  ): void {
    this.originals = hashTree(this.music);
    expect(
      sleeveHere(this.home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', this.music])
        .status,
    ).toBe(0);
    for (const name of names) {
      this.ids[name] = Number(sleeveHere(this.home, ['ls', `path:${name}`, '-f', '$id']).stdout.trim());
    }
    for (const [name, ...fields] of edits) {
      expect(sleeveHere(this.home, ['set', `path:${name}`, ...fields, '-y']).status).toBe(0);
    }
    if (config) writeFileSync(join(this.home, 'config.json'), JSON.stringify(config));
    expect(sleeveHere(this.home, ['mount', this.mnt]).stderr).toBe('');
  }

  stop(): void {
    unmountChecked(this.home, this.mnt, this.music, this.originals);
  }

  /** The first served file whose name ends with `suffix` ('' when none does). */
  served(suffix: string): string {
    return findServed(this.mnt, suffix);
  }

  info(name: string): FileInfo {
    return sleeveHereJson<FileInfo>(this.home, ['info', String(this.ids[name]), '--json']);
  }

  /** The effective values of one field of a file named to `start`. */
  field(name: string, key: string): string[] | undefined {
    return this.info(name).fields.find((f) => f.key === key)?.effective;
  }

  /** The daemon's request counts now (requestCounts): it writes its report on SIGUSR2. */
  async counts(): Promise<Record<string, number>> {
    const asked = Date.now();
    const { pid } = listMounts(this.home).mounts[0]!;
    process.kill(pid, 'SIGUSR2');
    return waitFor('the report with the counts', () => {
      const report = readMountReport(this.home, this.mnt);
      return report && report.updatedAt >= asked ? report.requests : undefined;
    });
  }

  /** The mount daemon's log so far. */
  log(): string {
    const dir = join(this.home, 'mounts');
    return readFileSync(join(dir, readdirSync(dir).find((n) => n.endsWith('.log'))!), 'utf8');
  }
}

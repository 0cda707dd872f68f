// The mount's side of the edit benchmark: real FLAC files added to the synthetic library (scanned by the
// measured checkout's own CLI), the library mounted by that checkout's daemon, a tagger saving through the
// mount meanwhile (mount-saver.py), and what the mount shows read as a player reads it: a served file's
// first bytes, where its tags are.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeWav } from '../tests/fixtures/library.ts';
import { startBeside } from './beside.ts';

/** Files the tagger saves (album "Saved"), and as many others read to see when the mount shows an edit. */
const EACH = 20;
export const REAL_TRACKS = 2 * EACH;
export const SAVED_TRACKS = EACH;
export const SAVED_ALBUM = 'Saved';
const HEAD_BYTES = 64 * 1024;

export interface Save {
  readonly path: string;
  readonly comment: string;
  /** When it began, ms since the epoch. */
  readonly at: number;
  readonly ms: number;
  readonly error: string | null;
}

const title = (kind: 'Saved' | 'Watched', i: number) => `${kind} ${String(i).padStart(2, '0')}`;

function sleeve(sleeveJs: string, home: string, args: string[]): void {
  execFileSync(process.execPath, [sleeveJs, '--home', home, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** REAL_TRACKS one-second FLACs, tagged, scanned into `home` (tags only) by the checkout's CLI. */
export function addRealTracks(sleeveJs: string, home: string, dir: string): void {
  const wav = join(dir, 'tone.wav');
  makeWav(wav, 440);
  const real = join(dir, 'real');
  mkdirSync(real, { recursive: true });
  for (const kind of ['Saved', 'Watched'] as const) {
    for (let i = 1; i <= EACH; i++) {
      const tags = ['ARTIST=Bench Mount', `ALBUM=${kind}`, `TITLE=${title(kind, i)}`, `TRACKNUMBER=${i}`];
      const out = join(real, `${title(kind, i)}.flac`);
      execFileSync('flac', ['-s', '-f', ...tags.map((t) => `--tag=${t}`), wav, '-o', out]);
    }
  }
  sleeve(sleeveJs, home, ['scan', real, '--no-fingerprint', '--no-embeddings', '--no-loudness']);
}

function served(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** The library mounted at `mnt` by the checkout's daemon; its real tracks' served paths. */
export function mountLibrary(sleeveJs: string, home: string, mnt: string) {
  mkdirSync(mnt, { recursive: true });
  sleeve(sleeveJs, home, ['mount', mnt]);
  const files = served(join(mnt, 'Bench Mount'));
  const pick = (kind: string) => files.filter((f) => f.includes(`${kind} `)).sort();
  const mounted = {
    saved: pick('Saved'),
    watched: pick('Watched'),
    unmount: () => sleeve(sleeveJs, home, ['umount', mnt]),
  };
  if (mounted.saved.length !== EACH || mounted.watched.length !== EACH) {
    mounted.unmount();
    throw new Error(`the mount shows ${files.length} of the ${REAL_TRACKS} real tracks`);
  }
  return mounted;
}

/** Whether the served file's tags (its first bytes) hold `text`, read as a player would: open, read. */
export function shows(path: string, text: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    return head.subarray(0, n).includes(text);
  } finally {
    closeSync(fd);
  }
}

/** Polls every 2 ms until every path shows its text; false after `timeoutMs`. */
export async function untilShown(
  wanted: ReadonlyArray<{ path: string; text: string }>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let left = [...wanted];
  while (left.length > 0) {
    left = left.filter((w) => !shows(w.path, w.text));
    if (left.length === 0) break;
    if (performance.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

/** mount-saver.py over `files`, in a process of its own; stop() returns its saves. */
export function startSaver(files: readonly string[]): Promise<() => Promise<Save[]>> {
  // Debian's python3, which has Debian's mutagen (another python3 may come first on the PATH).
  const saver = new URL('./mount-saver.py', import.meta.url).pathname;
  return startBeside<Save[]>('/usr/bin/python3', [saver, ...files]);
}

/** Each file's last acknowledged save, which the mount must show once it has caught up. */
export function lastSaves(saves: readonly Save[]): Array<{ path: string; text: string }> {
  const last = new Map<string, string>();
  for (const s of saves) if (s.error === null) last.set(s.path, `=${s.comment}`);
  return [...last].map(([path, text]) => ({ path, text }));
}

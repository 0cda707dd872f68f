// Walks library folders: skips hidden folders by default, survives symlink loops, reports unreadable
// folders and keeps going. File system calls are synchronous on purpose: one directory at a time through
// the libuv pool costs ~0.2 ms of latency each, 10× the call itself. Callers run scans off any UI thread. Yields only files worth reading: audio extensions, or no extension at all
// (those are recognized by content).
import { isUtf8 } from 'node:buffer';
import type { Dirent, Stats } from 'node:fs';
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FileStat } from '../library/ingest.ts';
import { FileWindow } from '../media/file-window.ts';
import { sniff } from '../media/sniff.ts';
import { fileKey, insideOffLimits, type OffLimits } from './off-limits.ts';

const AUDIO_EXTENSIONS = new Set([
  '.flac',
  '.fla',
  '.mp3',
  '.mp2',
  '.ogg',
  '.oga',
  '.opus',
  '.m4a',
  '.m4b',
  '.mp4',
  '.wav',
  '.wave',
  '.aif',
  '.aiff',
  '.aifc',
  '.wv',
  '.ape',
]);

/** `sniffOnly`: no audio extension; kept only if its content turns out to be audio. */
export type WalkEntry = { readonly stat: FileStat; readonly sniffOnly: boolean; readonly error?: string };

export interface WalkOptions {
  readonly includeHidden: boolean;
  /** File or folder names never entered. */
  readonly ignore: ReadonlySet<string>;
  readonly signal?: AbortSignal;
  /** Never entered or read: the kernel's pseudo-filesystems and the library's own folder and database. */
  readonly offLimits: OffLimits;
  readonly onFolderError: (path: string, reason: string) => void;
}

function hasAudioExtension(name: string): boolean {
  return AUDIO_EXTENSIONS.has(extname(name).toLowerCase());
}

function isCandidate(name: string): boolean {
  return hasAudioExtension(name) || (extname(name) === '' && !name.startsWith('.'));
}

function toFileStat(path: string, s: Stats): FileStat {
  return { path, size: s.size, mtimeMs: s.mtimeMs, inode: s.ino };
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'vanished during the scan';
  if (code === 'ENAMETOOLONG') return 'its path is longer than the system allows';
  return code ?? String(err);
}

/**
 * A file name as text, each byte that is not part of valid UTF-8 shown as `\xFF`. Library paths are text,
 * so a file whose name is not UTF-8 cannot be opened again from its path: it is recorded under this name
 * as an error, never dropped in silence.
 */
export function escapedName(name: Buffer): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const b = name[i]!;
    const n =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const seq = name.subarray(i, i + n);
    if (n > 0 && seq.length === n && isUtf8(seq)) {
      out += seq.toString('utf8');
      i += n;
    } else {
      out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

type Listed = Pick<Dirent, 'name' | 'isDirectory' | 'isFile' | 'isSymbolicLink'>;

/**
 * A folder's entries, and those whose names are not valid UTF-8 (as bytes). Node decodes names lossily,
 * into U+FFFD, so only a folder with that character in a name is listed again as bytes.
 */
function listFolder(dir: string): { entries: Listed[]; notUtf8: Dirent<Buffer>[] } {
  const entries = readdirSync(dir, { withFileTypes: true });
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return { entries, notUtf8: [] };
  const raw = readdirSync(dir, { encoding: 'buffer', withFileTypes: true });
  return {
    entries: raw
      .filter((e) => isUtf8(e.name))
      .map((e) => ({
        name: e.name.toString('utf8'),
        isDirectory: () => e.isDirectory(),
        isFile: () => e.isFile(),
        isSymbolicLink: () => e.isSymbolicLink(),
      })),
    notUtf8: raw.filter((e) => !isUtf8(e.name)),
  };
}

/** Whether a file without an audio extension holds audio (read through its byte-exact path). */
function sniffsAsAudio(path: Buffer): boolean {
  const window = FileWindow.open(path);
  try {
    return sniff(window, false).kind !== 'other';
  } finally {
    window.close();
  }
}

/** Yields the candidate files of one folder at a time, depth first. */
export function* walk(root: string, options: WalkOptions): Generator<WalkEntry[]> {
  const visited = new Set<string>();
  const rootStat = statSync(root);
  visited.add(fileKey(rootStat));
  const stack = [root];
  while (stack.length > 0) {
    if (options.signal?.aborted) return;
    const dir = stack.pop()!;
    let entries: Listed[];
    let notUtf8: Dirent<Buffer>[];
    try {
      ({ entries, notUtf8 } = listFolder(dir));
    } catch (err) {
      options.onFolderError(dir, reason(err));
      continue;
    }
    const files: string[] = [];
    const links: string[] = [];
    const subdirs: string[] = [];
    for (const e of entries) {
      if (options.ignore.has(e.name)) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (options.includeHidden || !e.name.startsWith('.')) subdirs.push(path);
      } else if (e.isSymbolicLink()) {
        if (options.includeHidden || !e.name.startsWith('.')) links.push(path);
      } else if (e.isFile() && isCandidate(e.name)) {
        files.push(path);
      }
    }
    const out: WalkEntry[] = [];
    const statOne = (path: string, isLink: boolean): void => {
      let s: Stats;
      try {
        s = statSync(path);
      } catch (err) {
        if (!hasAudioExtension(path)) return;
        // A track that cannot even be looked at (a broken link, a name too long for the system, no
        // permission) is recorded with the reason, never dropped in silence.
        const why = !isLink
          ? reason(err)
          : (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'broken symbolic link'
            : `symbolic link: ${reason(err)}`;
        let l: Stats | undefined;
        try {
          l = lstatSync(path, { throwIfNoEntry: false });
        } catch {}
        const stat = l ? toFileStat(path, l) : { path, size: 0, mtimeMs: 0, inode: 0 };
        out.push({ stat, sniffOnly: false, error: `unreadable: ${why}` });
        return;
      }
      const key = fileKey(s);
      if (options.offLimits.files.has(key) || options.offLimits.folders.has(key)) return;
      if (isLink && insideOffLimits(realpathSync(path), options.offLimits) !== undefined) return;
      if (s.isDirectory()) {
        if (!visited.has(key)) {
          visited.add(key);
          stack.push(path);
        }
      } else if (s.isFile() && (!isLink || isCandidate(path))) {
        out.push({ stat: toFileStat(path, s), sniffOnly: !hasAudioExtension(path) });
      }
    };
    for (const p of files) statOne(p, false);
    for (const p of links) statOne(p, true);
    for (const e of notUtf8) {
      const entry = notUtf8Entry(dir, e, entries, options);
      if (entry) out.push(entry);
    }
    for (const d of subdirs.reverse()) {
      if (options.offLimits.paths.includes(d)) continue; // not even a stat: a dead mount's would fail
      let s: Stats | undefined;
      try {
        s = statSync(d, { throwIfNoEntry: false });
      } catch (err) {
        options.onFolderError(d, reason(err)); // this folder only: the scan goes on
        continue;
      }
      if (!s) continue;
      const key = fileKey(s);
      if (visited.has(key) || options.offLimits.folders.has(key)) continue;
      visited.add(key);
      stack.push(d);
    }
    if (out.length > 0) yield out;
  }
}

/**
 * An entry whose name is not valid UTF-8: a folder (or a link to one) is reported and skipped; an audio
 * file is recorded as an error under its escaped name; anything else is left out as any non-audio is.
 */
function notUtf8Entry(
  dir: string,
  e: Dirent<Buffer>,
  siblings: readonly Listed[],
  options: WalkOptions,
): WalkEntry | undefined {
  const hidden = e.name[0] === 0x2e;
  if (hidden && !options.includeHidden && (e.isDirectory() || e.isSymbolicLink())) return undefined;
  const name = escapedName(e.name);
  // A real name can read like this escape: the two must not share a path in the library.
  const taken = siblings.some((s) => s.name === name);
  const path = join(dir, taken ? `${name} (name not valid UTF-8)` : name);
  const bytes = Buffer.concat([Buffer.from(`${dir}/`), e.name]);
  const notUtf8 = 'its name is not valid UTF-8 (shown with \\xNN escapes)';
  if (e.isDirectory()) {
    options.onFolderError(path, notUtf8);
    return undefined;
  }
  if (!e.isFile() && !e.isSymbolicLink()) return undefined;
  let s: Stats | undefined;
  try {
    s = statSync(bytes);
  } catch {}
  if (s) {
    const key = fileKey(s);
    if (options.offLimits.files.has(key) || options.offLimits.folders.has(key)) return undefined;
    if (s.isDirectory()) {
      options.onFolderError(path, notUtf8);
      return undefined;
    }
    if (!s.isFile() || !isCandidate(name)) return undefined;
    if (!hasAudioExtension(name)) {
      try {
        if (!sniffsAsAudio(bytes)) return undefined;
      } catch {} // not even readable: recorded like the rest
    }
  } else if (!hasAudioExtension(name)) return undefined;
  let l: Stats | undefined;
  try {
    l = s ?? lstatSync(bytes, { throwIfNoEntry: false });
  } catch {}
  const stat = l ? toFileStat(path, l) : { path, size: 0, mtimeMs: 0, inode: 0 };
  return { stat, sniffOnly: false, error: `unreadable: ${notUtf8}` };
}

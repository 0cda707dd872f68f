// Walks a library folder, or some places in it: skips hidden folders by default, follows links by the one
// rule in links.ts (never round a circle, each real folder once), reports unreadable folders and keeps
// going. File system calls are synchronous on purpose: one directory at a time through the libuv pool
// costs ~0.2 ms of latency each, 10× the call itself. Callers run scans off any UI thread. Yields only
// files worth reading: audio extensions, or no extension at all (those are recognized by content).
import { isUtf8 } from 'node:buffer';
import type { Stats } from 'node:fs';
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileStat } from '../library/ingest.ts';
import { hasAudioExtension, isCandidate } from './candidates.ts';
import { type FollowedLinks, LinkRule } from './links.ts';
import { fileKey, insideOffLimits, type OffLimits } from './off-limits.ts';

/** `sniffOnly`: no audio extension; kept only if its content turns out to be audio. */
export type WalkEntry = { readonly stat: FileStat; readonly sniffOnly: boolean; readonly error?: string };

/** A place to look at again: a folder and everything below it (`deep`), else the folder's own files
 *  and whichever of its subfolders are gone. */
export interface ScanTarget {
  readonly path: string;
  readonly deep: boolean;
}

export interface WalkOptions {
  readonly includeHidden: boolean;
  /** File or folder names never entered. */
  readonly ignore: ReadonlySet<string>;
  readonly signal?: AbortSignal;
  /** Never entered or read: the kernel's pseudo-filesystems and the library's own folder and database. */
  readonly offLimits: OffLimits;
  readonly onFolderError: (path: string, reason: string) => void;
  /** A link not followed (or a place of `only` that the library has elsewhere), and why. */
  readonly onSkipped: (path: string, reason: string) => void;
  /** Only these places in the folder (a watcher's changes), each walked by the rule a whole walk follows. */
  readonly only?: readonly ScanTarget[];
  /** Every library folder: links into one are not followed. */
  readonly libraryFolders?: readonly string[];
  /** Where the folder's links led in earlier passes (a watcher's); a walk of the whole folder starts it
   *  afresh. */
  readonly followed?: FollowedLinks;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'vanished during the scan';
  if (code === 'ENAMETOOLONG') return 'its path is longer than the system allows';
  return code ?? String(err);
}

/**
 * A file name as text, each byte that is not part of valid UTF-8 shown as `\xFF`: how the library lists
 * and shows it; the file is opened by its bytes (FileStat.bytes, the files.path_bytes column).
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

/**
 * A file or folder: `path` is how the library shows it (text; a name that is not valid UTF-8 has each such
 * byte as \xNN), `disk` how the file system knows it (the same text, or the exact bytes when they differ).
 */
interface Place {
  readonly path: string;
  readonly disk: string | Buffer;
}

interface Listed {
  readonly place: Place;
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
  readonly isSymbolicLink: boolean;
}

/**
 * A folder's entries. Node decodes names lossily (into U+FFFD), so a folder with that character in a name,
 * or one whose own path is bytes, is listed as bytes; a name that is not valid UTF-8 keeps its bytes.
 */
function listFolder(dir: Place): Listed[] {
  if (typeof dir.disk === 'string') {
    const entries = readdirSync(dir.disk, { withFileTypes: true });
    if (!entries.some((e) => e.name.includes('\uFFFD')))
      return entries.map((e) => ({
        place: { path: join(dir.path, e.name), disk: join(dir.disk as string, e.name) },
        name: e.name,
        isDirectory: e.isDirectory(),
        isFile: e.isFile(),
        isSymbolicLink: e.isSymbolicLink(),
      }));
  }
  const raw = readdirSync(dir.disk, { encoding: 'buffer', withFileTypes: true });
  const texts = new Set(raw.filter((e) => isUtf8(e.name)).map((e) => e.name.toString('utf8')));
  return raw.map((e) => {
    const valid = isUtf8(e.name);
    let name = valid ? e.name.toString('utf8') : escapedName(e.name);
    // A real name can read like this escape: the two must not share a path in the library.
    if (!valid && texts.has(name)) name = `${name} (name not valid UTF-8)`;
    const disk =
      valid && typeof dir.disk === 'string'
        ? join(dir.disk, name)
        : Buffer.concat([Buffer.from(dir.disk), Buffer.from('/'), e.name]);
    return {
      place: { path: join(dir.path, name), disk },
      name,
      isDirectory: e.isDirectory(),
      isFile: e.isFile(),
      isSymbolicLink: e.isSymbolicLink(),
    };
  });
}

function toFileStat(place: Place, s: Stats): FileStat {
  const stat = { path: place.path, size: s.size, mtimeMs: s.mtimeMs, inode: s.ino };
  return typeof place.disk === 'string' ? stat : { ...stat, bytes: place.disk };
}

/** Files that links lead to, placed and yielded this many at a time. */
const LINKED_BATCH = 100;

/**
 * Yields the candidate files of one folder at a time, depth first, from each place (the whole library
 * folder `root` by default); then the files only links lead to, once every folder is walked, so that one
 * a folder walked later also holds is read there.
 */
export function* walk(root: string, options: WalkOptions): Generator<WalkEntry[]> {
  if (options.only === undefined) options.followed?.clear();
  const rule = new LinkRule({
    root,
    libraryFolders: options.libraryFolders ?? [],
    includeHidden: options.includeHidden,
    ignore: options.ignore,
    offLimits: options.offLimits,
    followed: options.followed,
  });
  const linkedFiles: Array<{ place: Place; stat: Stats }> = [];
  for (const start of options.only ?? [{ path: root, deep: true }]) {
    let s: Stats | undefined;
    try {
      s = statSync(start.path, { throwIfNoEntry: false });
    } catch (err) {
      options.onFolderError(start.path, reason(err)); // its files are kept
      continue;
    }
    // One gone has nothing to find: its files are gone. One that leads off limits, the rule names.
    if (!s?.isDirectory() || insideOffLimits(start.path, options.offLimits) !== undefined) continue;
    const why = rule.folder(start.path, start.path, s);
    if (why !== undefined) options.onSkipped(start.path, why);
    else yield* walkFrom({ path: start.path, disk: start.path }, !start.deep, rule, linkedFiles, options);
    if (options.signal?.aborted) return;
  }
  // A batch at a time, as folders are: a library of links is not placed in one synchronous run.
  for (let i = 0; i < linkedFiles.length && !options.signal?.aborted; i += LINKED_BATCH) {
    const out: WalkEntry[] = [];
    for (const { place, stat } of linkedFiles.slice(i, i + LINKED_BATCH)) {
      const why = rule.file(place.path, place.disk, stat);
      if (why !== undefined) options.onSkipped(place.path, why);
      else out.push({ stat: toFileStat(place, stat), sniffOnly: !hasAudioExtension(place.path) });
    }
    if (out.length > 0) yield out;
  }
}

/** The walk from one place; files links lead to are left in `linkedFiles` for the end of the pass. */
function* walkFrom(
  start: Place,
  shallow: boolean,
  rule: LinkRule,
  linkedFiles: Array<{ place: Place; stat: Stats }>,
  options: WalkOptions,
): Generator<WalkEntry[]> {
  const stack: Place[] = [start];
  while (stack.length > 0) {
    if (options.signal?.aborted) return;
    const dir = stack.pop()!;
    let entries: Listed[];
    try {
      entries = listFolder(dir);
    } catch (err) {
      options.onFolderError(dir.path, reason(err));
      continue;
    }
    const files: Place[] = [];
    const links: Place[] = [];
    const subdirs: Place[] = [];
    for (const e of entries) {
      if (options.ignore.has(e.name)) continue;
      if (e.isDirectory) {
        if (options.includeHidden || !e.name.startsWith('.')) subdirs.push(e.place);
      } else if (e.isSymbolicLink) {
        if (options.includeHidden || !e.name.startsWith('.')) links.push(e.place);
      } else if (e.isFile && isCandidate(e.name)) {
        files.push(e.place);
      }
    }
    const out: WalkEntry[] = [];
    const statOne = (place: Place, isLink: boolean): void => {
      let s: Stats;
      try {
        s = statSync(place.disk);
      } catch (err) {
        if (!hasAudioExtension(place.path)) return;
        // A track that cannot even be looked at (a broken link, a name too long for the system, no
        // permission) is recorded with the reason, never dropped in silence.
        const why = !isLink
          ? reason(err)
          : (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'broken symbolic link'
            : `symbolic link: ${reason(err)}`;
        let l: Stats | undefined;
        try {
          l = lstatSync(place.disk, { throwIfNoEntry: false });
        } catch {}
        const stat = l ? toFileStat(place, l) : { path: place.path, size: 0, mtimeMs: 0, inode: 0 };
        out.push({ stat, sniffOnly: false, error: `unreadable: ${why}` });
        return;
      }
      if (isLink) {
        if (s.isDirectory() && !shallow) {
          const why = rule.folder(place.path, place.disk, s);
          if (why !== undefined) options.onSkipped(place.path, why);
          else stack.push(place);
        } else if (s.isFile() && isCandidate(place.path)) linkedFiles.push({ place, stat: s });
        return;
      }
      const key = fileKey(s);
      if (options.offLimits.files.has(key)) return; // the database, hard linked into the folder
      if (s.isFile()) out.push({ stat: toFileStat(place, s), sniffOnly: !hasAudioExtension(place.path) });
    };
    for (const p of files) statOne(p, false);
    for (const p of links) statOne(p, true);
    for (const d of shallow ? [] : subdirs.reverse()) {
      if (options.offLimits.paths.includes(d.path)) continue; // not even a stat: a dead mount's would fail
      let s: Stats | undefined;
      try {
        s = statSync(d.disk, { throwIfNoEntry: false });
      } catch (err) {
        options.onFolderError(d.path, reason(err)); // this folder only: the scan goes on
        continue;
      }
      if (!s || options.offLimits.folders.has(fileKey(s)) || !rule.enter(fileKey(s))) continue;
      stack.push(d);
    }
    if (out.length > 0) yield out;
  }
}

// Walks a library folder, or some places in it: skips hidden folders by default, follows links by the one
// rule in links.ts (never round a circle, each real folder once), reports unreadable folders and keeps
// going. No file system call is made on the calling thread: a folder on a share that stopped answering
// would hold it (the app's backend, every RPC). Each folder is listed and its files stated in one call to
// its mount's file lane (kit/file-lanes.ts: a thread per mount, with a deadline); a folder that does not
// answer in time is reported like an unreadable one, so nothing under it counts as gone. The next folders
// are asked ahead (listings-ahead.ts), so the lane's thread does not wait for this one. Yields only files
// worth reading: audio extensions, or no extension at all (those are recognized by content).
import { isUtf8 } from 'node:buffer';
import { isAbsolute, join } from 'node:path';
import {
  type FileInfo,
  type FileLanes,
  type Listed as LaneListed,
  StalledError,
} from '../../../kit/file-lanes.ts';
import type { FileStat } from '../library/ingest.ts';
import { CANDIDATE_NAME, hasAudioExtension, isCandidate } from './candidates.ts';
import { type FollowedLinks, LinkRule } from './links.ts';
import { ListingsAhead } from './listings-ahead.ts';
import { fileKey, insideOffLimits, keyOffLimits, type OffLimits } from './off-limits.ts';

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
  /** The lanes every file system call goes through. */
  readonly files: FileLanes;
}

const NO_ANSWER = '(a network share or disk that stopped answering?)';

/** Why a folder or file could not be looked at, in words. */
export function reason(err: unknown): string {
  if (err instanceof StalledError) return `${err.message} ${NO_ANSWER}`;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'vanished during the scan';
  if (code === 'ENAMETOOLONG') return 'its path is longer than the system allows';
  return code ?? String(err);
}

/** Whether `why` (a reason()) says the folder did not answer in time: its files are not known to be gone. */
export const isNoAnswer = (why: string): boolean => why.endsWith(NO_ANSWER);

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

interface Entry {
  readonly place: Place;
  readonly name: string;
  readonly listed: LaneListed;
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** A folder's entries placed: a name that is not valid UTF-8 shown escaped, and opened by its bytes. */
function placed(dir: Place, listed: readonly LaneListed[]): Entry[] {
  if (typeof dir.disk === 'string' && listed.every((e) => typeof e.name === 'string'))
    return listed.map((e) => {
      const name = e.name as string;
      return { place: { path: join(dir.path, name), disk: join(dir.disk as string, name) }, name, listed: e };
    });
  const raw = listed.map((e) => (typeof e.name === 'string' ? Buffer.from(e.name) : asBuffer(e.name)));
  const texts = new Set(raw.filter((b) => isUtf8(b)).map((b) => b.toString('utf8')));
  return listed.map((e, i) => {
    const bytes = raw[i]!;
    const valid = isUtf8(bytes);
    let name = valid ? bytes.toString('utf8') : escapedName(bytes);
    // A real name can read like this escape: the two must not share a path in the library.
    if (!valid && texts.has(name)) name = `${name} (name not valid UTF-8)`;
    const disk =
      valid && typeof dir.disk === 'string'
        ? join(dir.disk, name)
        : Buffer.concat([Buffer.from(dir.disk), Buffer.from('/'), bytes]);
    return { place: { path: join(dir.path, name), disk }, name, listed: e };
  });
}

function toFileStat(place: Place, s: FileInfo): FileStat {
  const stat = { path: place.path, size: s.size, mtimeMs: s.mtimeMs, inode: s.ino };
  return typeof place.disk === 'string' ? stat : { ...stat, bytes: place.disk };
}

/** Where a link leads, as it says (for the lane to ask in; a link on the way there may lead elsewhere). */
function leadsTo(dir: Place, e: LaneListed): string | undefined {
  if (e.target === undefined) return undefined;
  const target = typeof e.target === 'string' ? e.target : asBuffer(e.target).toString();
  return isAbsolute(target) ? target : join(dir.disk.toString(), target);
}

/** An error as a stat's code says it. */
const coded = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

/** Files that links lead to, placed and yielded this many at a time. */
const LINKED_BATCH = 100;
/**
 * Yields the candidate files of one folder at a time, depth first, from each place (the whole library
 * folder `root` by default); then the files only links lead to, once every folder is walked, so that one
 * a folder walked later also holds is read there.
 */
export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry[]> {
  if (options.only === undefined) options.followed?.clear();
  const { files } = options;
  const rule = await LinkRule.make({
    root,
    libraryFolders: options.libraryFolders ?? [],
    includeHidden: options.includeHidden,
    ignore: options.ignore,
    offLimits: options.offLimits,
    followed: options.followed,
    files,
  });
  const linkedFiles: Array<{ place: Place; stat: FileInfo; via?: string }> = [];
  for (const start of options.only ?? [{ path: root, deep: true }]) {
    let s: FileInfo | undefined;
    try {
      s = await files.stat(start.path);
    } catch (err) {
      options.onFolderError(start.path, reason(err)); // its files are kept
      continue;
    }
    // One gone has nothing to find: its files are gone. One that leads off limits, the rule names.
    if (s?.kind !== 'folder' || insideOffLimits(start.path, options.offLimits) !== undefined) continue;
    const why = await rule.folder(start.path, start.path, s);
    if (why !== undefined) options.onSkipped(start.path, why);
    else yield* walkFrom({ path: start.path, disk: start.path }, !start.deep, rule, linkedFiles, options);
    if (options.signal?.aborted) return;
  }
  // A batch at a time, as folders are.
  for (let i = 0; i < linkedFiles.length && !options.signal?.aborted; i += LINKED_BATCH) {
    const out: WalkEntry[] = [];
    for (const { place, stat, via } of linkedFiles.slice(i, i + LINKED_BATCH)) {
      const why = await rule.file(place.path, place.disk, stat, via);
      if (why !== undefined) options.onSkipped(place.path, why);
      else out.push({ stat: toFileStat(place, stat), sniffOnly: !hasAudioExtension(place.path) });
    }
    if (out.length > 0) yield out;
  }
}

/** The walk from one place; files links lead to are left in `linkedFiles` for the end of the pass. */
async function* walkFrom(
  start: Place,
  shallow: boolean,
  rule: LinkRule,
  linkedFiles: Array<{ place: Place; stat: FileInfo; via?: string }>,
  options: WalkOptions,
): AsyncGenerator<WalkEntry[]> {
  const { files } = options;
  const pick = { ignore: [...options.ignore], hidden: options.includeHidden, files: CANDIDATE_NAME };
  const listings = new ListingsAhead<Place>(files, pick);
  const stack: Place[] = [start];
  while (stack.length > 0) {
    if (options.signal?.aborted) return;
    listings.ahead(stack);
    const dir = stack.pop()!;
    let entries: Entry[];
    try {
      entries = placed(dir, await listings.listing(dir));
    } catch (err) {
      options.onFolderError(dir.path, reason(err));
      continue;
    }
    const fileEntries: Entry[] = [];
    const links: Entry[] = [];
    const subdirs: Entry[] = [];
    for (const e of entries) {
      if (options.ignore.has(e.name)) continue;
      const { kind } = e.listed;
      if (kind === 'folder') {
        if (options.includeHidden || !e.name.startsWith('.')) subdirs.push(e);
      } else if (kind === 'link') {
        if (options.includeHidden || !e.name.startsWith('.')) links.push(e);
      } else if (kind === 'file' && isCandidate(e.name)) {
        fileEntries.push(e);
      }
    }
    const out: WalkEntry[] = [];
    /** A track that cannot even be looked at (a broken link, a name too long for the system, no
     *  permission) is recorded with the reason, never dropped in silence. */
    const unreadable = (place: Place, why: string, l: FileInfo | undefined) => {
      if (!hasAudioExtension(place.path)) return;
      const stat = l ? toFileStat(place, l) : { path: place.path, size: 0, mtimeMs: 0, inode: 0 };
      out.push({ stat, sniffOnly: false, error: `unreadable: ${why}` });
    };
    for (const { place, listed } of fileEntries) {
      const s = listed.stat;
      if (s === undefined || 'code' in s) {
        unreadable(place, reason(coded(s?.code ?? 'EIO')), undefined);
        continue;
      }
      if (options.offLimits.files.has(fileKey(s))) continue; // the database, hard linked into the folder
      if (s.kind === 'file')
        out.push({ stat: toFileStat(place, s), sniffOnly: !hasAudioExtension(place.path) });
    }
    for (const { place, listed } of links) {
      const via = leadsTo(dir, listed);
      let s: FileInfo | undefined;
      try {
        s = await files.stat(place.disk, { via });
        if (!s) throw coded('ENOENT');
      } catch (err) {
        const why =
          (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'broken symbolic link'
            : `symbolic link: ${reason(err)}`;
        if (hasAudioExtension(place.path))
          unreadable(place, why, await files.stat(place.disk, { lstat: true }).catch(() => undefined));
        continue;
      }
      if (s.kind === 'folder' && !shallow) {
        const why = await rule.folder(place.path, place.disk, s, via);
        if (why !== undefined) options.onSkipped(place.path, why);
        else stack.push(place);
      } else if (s.kind === 'file' && isCandidate(place.path)) linkedFiles.push({ place, stat: s, via });
    }
    for (const { place: d, listed } of shallow ? [] : subdirs.reverse()) {
      if (options.offLimits.paths.includes(d.path)) continue; // not even a stat: a dead mount's would fail
      let s: FileInfo | undefined;
      try {
        // A mount point is looked at in its own lane: it may be the share that stopped answering.
        const known = listed.stat;
        if (known === undefined) s = await files.stat(d.disk);
        else if ('code' in known) {
          if (known.code !== 'ENOENT') throw coded(known.code);
        } else s = known;
      } catch (err) {
        options.onFolderError(d.path, reason(err)); // this folder only: the scan goes on
        continue;
      }
      const key = s && fileKey(s);
      if (!key || keyOffLimits(key, options.offLimits) || !rule.enter(key)) continue;
      stack.push(d);
    }
    if (out.length > 0) yield out;
  }
}

// Scratch files: a file a tagger creates beside a served one to rewrite it whole and rename over it
// (libFLAC's "X.flac.metadata_edit"), or under the name of the served file it moved aside first (kid3's
// Ogg Vorbis save: "X.ogg" → "X.ogg_KID3", a new "X.ogg", then the unlink of "X.ogg_KID3"). Each lives in
// memory (past 16 MiB in a deleted temporary file), listed in the tree while it exists, never on disk.
// Renamed over the file it rewrites, or written in place of a file moved aside that is then unlinked, it
// is taken in as that file's save (scratch-rename.ts); unlinked, it is dropped. The mount's requests on
// them are translated in fuse/scratch-requests.ts.

import { savableThrough } from '../served/served-plan.ts';
import type { FsReport } from './fs-report.ts';
import type { LibraryView } from './library-view.ts';
import { PLAYLISTS_INO } from './playlist-files.ts';
import { isDir } from './virtual-tree.ts';
import { WriteOverlay } from './write-overlay.ts';

/** Why a request on the mount's files is refused, as the translator turns it into an error number. */
export type Refusal = 'not-found' | 'exists' | 'read-only' | 'busy' | 'full' | 'invalid' | 'rejected';

export interface Scratch {
  readonly ino: number;
  /** Its directory's inode number. */
  readonly parent: number;
  /** Its name: another once it is renamed to the name of a file moved aside (takeName). */
  name: string;
  readonly written: WriteOverlay;
  readonly mtimeMs: number;
  /** Handles open on it: its bytes are freed when it is gone and the last one closes. */
  handles: number;
  /** Written since the last flush: a rename now would miss what is still to come. */
  unflushed: boolean;
  /** Being renamed over a served file: a second rename waits its turn (EBUSY). */
  moving: boolean;
  /** Unlinked or renamed: no longer in the tree. */
  gone: boolean;
}

/** A served file a tagger moved aside, listed under `aside` until the rewrite under its name is taken in
 *  (or it is moved back). */
export interface Aside {
  readonly fileId: number;
  /** Its directory's inode number. */
  readonly parent: number;
  /** The name it is served under: the rewrite's while it is aside. */
  readonly name: string;
  readonly aside: string;
}

/** Who ended an aside: the kernel (the aside unlinked or moved back: it knows the file is at its name)
 *  or the daemon (a save refused, a file the library moved, an aside left idle: the kernel still has the
 *  aside name, which watchers are told is gone). */
export type AsideEnd = 'kernel' | 'daemon';

/** What the tree lists of the scratch files and of the files moved aside: `shape` changes whenever one
 *  comes or goes. */
export interface ScratchListing {
  readonly shape: number;
  readonly files: readonly { ino: number; parent: number; name: string; mtimeMs: number }[];
  readonly asides: readonly Aside[];
}

/** Scratch files at once (each may hold 16 MiB in memory): a tagger rewrites one file at a time. */
const MAX_SCRATCH = 8;

export class ScratchFiles {
  readonly #view: LibraryView;
  readonly #report: FsReport;
  /** Scratch files by inode number, and the handles open on them by handle number. */
  readonly #files = new Map<number, Scratch>();
  readonly #handles = new Map<number, Scratch>();
  /** Files moved aside, by file id. */
  readonly #asides = new Map<number, Aside>();
  /** Files whose aside the daemon ended since the tree last took them (takeRestored). */
  #restored: number[] = [];
  /** Odd inode numbers from the top of the 32-bit range down, never reused: directories count up. */
  #nextIno = 0xffff_ffff;
  /** Raised whenever a scratch file comes or goes: the packed tree's shape changes. */
  #shape = 0;

  constructor(view: LibraryView, report: FsReport) {
    this.#view = view;
    this.#report = report;
  }

  /** What the tree lists of them; an aside whose file the library moved or removed since, or whose name a
   *  served file took, ends first. */
  get listing(): ScratchListing {
    for (const a of [...this.#asides.values()]) {
      const dir = this.#view.tree.directory(a.parent);
      if (dir?.children.get(a.name) === a.fileId && !dir.children.has(a.aside)) continue;
      this.#report.problem(
        `ended ${a.aside}'s move aside: the library moved its file since (a rewrite is dropped)`,
      );
      this.endAside(a, 'daemon');
    }
    const files = [...this.#files.values()].map(({ ino, parent, name, mtimeMs }) => ({
      ino,
      parent,
      name,
      mtimeMs,
    }));
    return { shape: this.#shape, files, asides: [...this.#asides.values()] };
  }

  byIno(ino: number): Scratch | undefined {
    return this.#files.get(ino);
  }

  byHandle(fh: number): Scratch | undefined {
    return this.#handles.get(fh);
  }

  at(parent: number, name: string): Scratch | undefined {
    for (const s of this.#files.values()) if (s.parent === parent && s.name === name) return s;
    return undefined;
  }

  /** The file moved aside under `aside` in `parent`. */
  asideAt(parent: number, aside: string): Aside | undefined {
    for (const a of this.#asides.values()) if (a.parent === parent && a.aside === aside) return a;
    return undefined;
  }

  /** The file moved aside from `name` in `parent`. */
  asideFrom(parent: number, name: string): Aside | undefined {
    for (const a of this.#asides.values()) if (a.parent === parent && a.name === name) return a;
    return undefined;
  }

  /** Whether `name` in `parent` is listed: a served file not moved aside, a file moved aside there, or a
   *  scratch file. */
  #listed(parent: number, name: string): boolean {
    const served = this.#view.tree.directory(parent)?.children.has(name) === true;
    return (
      (served && !this.asideFrom(parent, name)) ||
      this.asideAt(parent, name) !== undefined ||
      !!this.at(parent, name)
    );
  }

  /**
   * Moves served file `name` aside to `aside` beside it, a name extending its own (kid3's "X.ogg_KID3"),
   * for a tagger to write its rewrite under the name: only a file whose tags can be written, and never
   * over another entry.
   */
  moveAside(parent: number, name: string, aside: string): Aside | Refusal {
    const dir = this.#view.tree.directory(parent);
    const node = dir?.children.get(name);
    if (node === undefined || isDir(node) || this.asideFrom(parent, name))
      return parent === PLAYLISTS_INO ? 'read-only' : 'not-found';
    const record = this.#view.record(node);
    if (!record || !savableThrough(record) || aside.length <= name.length || !aside.startsWith(name))
      return 'read-only';
    if (this.#listed(parent, aside)) return 'exists';
    if (this.#asides.size >= MAX_SCRATCH) return 'full';
    const moved: Aside = { fileId: node, parent, name, aside };
    this.#asides.set(node, moved);
    this.#shape++;
    return moved;
  }

  /** The file moved aside is served under its name again, and the rewrite there dropped when the daemon
   *  ends it (a refusal, or a rewrite no one will take in). */
  endAside(a: Aside, by: AsideEnd): void {
    if (this.#asides.get(a.fileId) !== a) return;
    this.#asides.delete(a.fileId);
    this.#shape++;
    if (by === 'kernel') return;
    this.#restored.push(a.fileId);
    const rewrite = this.at(a.parent, a.name);
    if (rewrite) this.drop(rewrite);
  }

  /** Scratch file `s` renamed to the name of the file moved aside from `name` beside it (a tagger that
   *  keeps the file as a backup while it writes a copy): the rewrite there, replacing any before it. */
  takeName(s: Scratch, name: string): void {
    const before = this.at(s.parent, name);
    if (before && before !== s) this.drop(before);
    s.name = name;
    this.#shape++;
  }

  /** The files whose aside the daemon ended since the last call: a tree packed without them tells
   *  watchers that their aside names went. */
  takeRestored(): number[] {
    return this.#restored.splice(0);
  }

  /**
   * A new file, with handle `fh` open on it: only a scratch file for a served file beside it, named after
   * it ("X.flac" → "X.flac.metadata_edit", "X.flac.tmp123"), or under the name of a file moved aside.
   * Anything else stays a read-only file system's refusal.
   */
  create(parent: number, name: string, fh: number): Scratch | Refusal {
    const dir = this.#view.tree.directory(parent);
    if (!dir) return parent === PLAYLISTS_INO ? 'read-only' : 'not-found';
    if (this.#listed(parent, name)) return 'exists';
    const base =
      this.asideFrom(parent, name) ??
      [...dir.children].find(([served, node]) => {
        if (isDir(node) || name.length <= served.length || !name.startsWith(served)) return false;
        const record = this.#view.record(node);
        return record !== undefined && savableThrough(record);
      });
    if (!base) {
      this.#report.log(
        `refused to create ${name}: a new file is taken only as a tagger's rewrite of a file served here (its name the served one's with more after it)`,
      );
      return 'read-only';
    }
    if (this.#files.size >= MAX_SCRATCH) {
      this.#report.problem(`refused to create ${name}: ${MAX_SCRATCH} scratch files are open already`);
      return 'full';
    }
    const scratch: Scratch = {
      ino: this.#nextIno,
      parent,
      name,
      written: new WriteOverlay(() => 0, 0),
      mtimeMs: Date.now(),
      handles: 1,
      unflushed: false,
      moving: false,
      gone: false,
    };
    this.#nextIno -= 2;
    this.#files.set(scratch.ino, scratch);
    this.#shape++;
    this.#handles.set(fh, scratch);
    return scratch;
  }

  /** Handle `fh` opened on `s`; `truncate`: opened for writing with O_TRUNC. */
  open(s: Scratch, fh: number, truncate: boolean): void {
    if (truncate) this.setSize(s, 0);
    this.#handles.set(fh, s);
    s.handles++;
  }

  read(s: Scratch, offset: number, size: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(size, s.written.size - offset)));
    s.written.readInto(buf, 0, buf.length, offset);
    return buf;
  }

  /** False when it was renamed already: the bytes would go nowhere, and must not pass for saved. */
  write(s: Scratch, data: Buffer, offset: number): boolean {
    if (s.gone) return false;
    s.written.write(data, offset);
    s.unflushed = true;
    return true;
  }

  setSize(s: Scratch, size: number): void {
    s.written.truncate(size);
    s.unflushed = true;
  }

  flushed(s: Scratch): void {
    s.unflushed = false;
  }

  closeHandle(fh: number): void {
    const s = this.#handles.get(fh);
    if (!s) return;
    this.#handles.delete(fh);
    s.handles--;
    s.unflushed = false;
    if (s.gone && s.handles === 0) s.written.close();
  }

  /** Takes a scratch file out of the tree; its bytes go when its last handle closes. */
  drop(s: Scratch): void {
    s.gone = true;
    this.#files.delete(s.ino);
    this.#shape++;
    if (s.handles === 0) s.written.close();
  }

  /** Unlinks `name` in `parent`: only a scratch file can be. */
  unlink(parent: number, name: string): Refusal | undefined {
    const s = this.at(parent, name);
    if (!s) return parent === PLAYLISTS_INO ? 'read-only' : 'not-found';
    this.drop(s);
    return undefined;
  }
}

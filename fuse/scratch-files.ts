// Scratch files: a file a tagger creates beside a served one to rewrite it whole and rename over it
// (libFLAC's "X.flac.metadata_edit"). Each lives in memory (past 16 MiB in a deleted temporary file),
// listed in the tree while it exists, never on disk; its requests are answered here. Renamed over the file
// it rewrites, it is taken in as that file's save (library-fs.ts); unlinked, it is dropped.
import { constants as fsConstants } from 'node:fs';
import { constants } from 'node:os';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import type { LibraryView } from '../app/core/mounted/library-view.ts';
import { PLAYLISTS_INO } from '../app/core/mounted/playlist-files.ts';
import { isDir } from '../app/core/mounted/virtual-tree.ts';
import { WriteOverlay } from '../app/core/mounted/write-overlay.ts';
import { savableThrough } from '../app/core/served/served-plan.ts';
import { type FuseBinding, Op } from './native-binding.ts';
import type { ScratchListing } from './tree-publisher.ts';

const E = constants.errno;

/**
 * A file a tagger created beside a served file to rewrite it whole: libFLAC (metaflac) writes
 * "X.flac.metadata_edit" and renames it over "X.flac". It lives here (in memory, past 16 MiB in a
 * deleted temporary file), never on disk; renamed over a served file it is taken in as that file's
 * written bytes, exactly as a writer's save; unlinked, it is dropped.
 */
export interface Scratch {
  readonly ino: number;
  /** Its directory's inode number. */
  readonly parent: number;
  readonly name: string;
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

/** Scratch files at once (each may hold 16 MiB in memory): a tagger rewrites one file at a time. */
const MAX_SCRATCH = 8;

/** Opens a handle whose reads (and writes) come to JS: it has no original for the binding to read. */
export function replyServedByJs(
  fuse: FuseBinding,
  req: bigint,
  ino: number,
  fh: number,
  size: number,
  path: string,
  version: number,
): boolean {
  return fuse.replyOpen(req, {
    ino,
    fh,
    fd: 0, // unused
    header: Buffer.alloc(0),
    audioStart: 0,
    size,
    origSize: 0,
    origMtimeMs: 0,
    origDev: 0,
    origPath: '',
    path,
    version,
  });
}

export class ScratchFiles {
  readonly #view: LibraryView;
  readonly #fuse: FuseBinding;
  readonly #report: FsReport;
  /** Publishes the tree (a failure said, never thrown): a scratch file is listed before its create is
   *  answered, and gone at unlink. `answer`: as TreePublisher.publish's. */
  readonly #publish: (answer?: () => void) => Promise<void>;
  /** Handle numbers, shared with the mount's other handles. */
  readonly #nextHandle: () => number;
  /** Scratch files by inode number, and the handles open on them by handle number. */
  readonly #files = new Map<number, Scratch>();
  readonly #handles = new Map<number, Scratch>();
  /** Odd inode numbers from the top of the 32-bit range down, never reused: directories count up. */
  #nextIno = 0xffff_ffff;
  /** Raised whenever a scratch file comes or goes: the packed tree's shape changes. */
  #shape = 0;

  constructor(
    view: LibraryView,
    fuse: FuseBinding,
    report: FsReport,
    publish: (answer?: () => void) => Promise<void>,
    nextHandle: () => number,
  ) {
    this.#view = view;
    this.#fuse = fuse;
    this.#report = report;
    this.#publish = publish;
    this.#nextHandle = nextHandle;
  }

  /** What the tree lists of them. */
  get listing(): ScratchListing {
    return {
      shape: this.#shape,
      files: [...this.#files.values()].map(({ ino, parent, name, mtimeMs }) => ({
        ino,
        parent,
        name,
        mtimeMs,
      })),
    };
  }

  byIno(ino: number): Scratch | undefined {
    return this.#files.get(ino);
  }

  byHandle(fh: number): Scratch | undefined {
    return this.#handles.get(fh);
  }

  /** ftruncate on a scratch handle, or truncate(2) of a scratch file by path. */
  setSize(req: bigint, s: Scratch, size: number): void {
    s.written.truncate(size);
    s.unflushed = true;
    this.#fuse.replyAttr(req, s.ino, s.written.size, s.mtimeMs, false, true);
  }

  /**
   * A new file: only a scratch file for a served file beside it, named after it ("X.flac" →
   * "X.flac.metadata_edit", "X.flac.tmp123"). Anything else stays a read-only file system's EROFS.
   */
  create(req: bigint, parent: number, name: string) {
    const dir = this.#view.tree.directory(parent);
    if (!dir) return this.#fuse.replyErr(req, parent === PLAYLISTS_INO ? E.EROFS : E.ENOENT);
    const taken = (n: string) =>
      dir.children.has(n) || [...this.#files.values()].some((s) => s.parent === parent && s.name === n);
    if (taken(name)) return this.#fuse.replyErr(req, E.EEXIST);
    const base = [...dir.children].find(([served, node]) => {
      if (isDir(node) || name.length <= served.length || !name.startsWith(served)) return false;
      const record = this.#view.record(node);
      return record !== undefined && savableThrough(record);
    });
    if (!base) {
      this.#report.log(`refused to create ${name}: only a file a tagger rewrites, named after it, can be`);
      return this.#fuse.replyErr(req, E.EROFS);
    }
    if (this.#files.size >= MAX_SCRATCH) {
      this.#report.problem(`refused to create ${name}: ${MAX_SCRATCH} scratch files are open already`);
      return this.#fuse.replyErr(req, E.ENOSPC);
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
    const fh = this.#nextHandle();
    this.#handles.set(fh, scratch);
    // Listed before the create is answered: once its handle closes, lookups are answered from the tree.
    this.#publish().then(() => {
      const delivered = this.#fuse.replyCreate(req, {
        ino: scratch.ino,
        fh,
        size: 0,
        mtimeMs: scratch.mtimeMs,
      });
      if (!delivered) this.#closeHandle(fh, scratch);
    });
  }

  open(req: bigint, scratch: Scratch, flags: number) {
    const fh = this.#nextHandle();
    const writing = (flags & 3) !== fsConstants.O_RDONLY;
    if (writing && (flags & fsConstants.O_TRUNC) !== 0) {
      scratch.written.truncate(0);
      scratch.unflushed = true;
    }
    this.#handles.set(fh, scratch);
    scratch.handles++;
    const delivered = replyServedByJs(
      this.#fuse,
      req,
      scratch.ino,
      fh,
      scratch.written.size,
      scratch.name,
      0,
    );
    if (!delivered) this.#closeHandle(fh, scratch);
  }

  /** A handle's ops on a scratch file: its bytes change, nothing is saved until it is renamed. */
  op(
    op: number,
    req: bigint,
    fh: number,
    s: Scratch,
    offset: number,
    size: number,
    data: Buffer | undefined,
  ) {
    switch (op) {
      case Op.read: {
        const buf = Buffer.allocUnsafe(Math.max(0, Math.min(size, s.written.size - offset)));
        s.written.readInto(buf, 0, buf.length, offset);
        return this.#fuse.replyData(req, buf);
      }
      case Op.write:
        if (!data) return this.#fuse.replyErr(req, E.EBADF);
        // Renamed already: these bytes would go nowhere, and must not pass for saved.
        if (s.gone) return this.#fuse.replyErr(req, E.EIO);
        s.written.write(data, offset);
        s.unflushed = true;
        return this.#fuse.replyWrite(req, data.length);
      case Op.flush:
        s.unflushed = false;
        return this.#fuse.replyErr(req, 0);
      default:
        this.#closeHandle(fh, s);
        return this.#fuse.replyErr(req, 0);
    }
  }

  #closeHandle(fh: number, s: Scratch): void {
    if (!this.#handles.delete(fh)) return;
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

  at(parent: number, name: string): Scratch | undefined {
    for (const s of this.#files.values()) if (s.parent === parent && s.name === name) return s;
    return undefined;
  }

  unlink(req: bigint, parent: number, name: string) {
    const s = this.at(parent, name);
    if (!s) return this.#fuse.replyErr(req, parent === PLAYLISTS_INO ? E.EROFS : E.ENOENT);
    this.drop(s);
    // Answered before the echo tells a move in its folder, which the unlink holds.
    void this.#publish(() => this.#fuse.replyErr(req, 0));
  }
}

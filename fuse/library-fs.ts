// What the mounted library needs from the library itself, answered on the daemon's JS thread. The native
// binding serves the tree and reads of files opened read-only on its own threads; it asks here to open a
// file (the layout, the header built from the DB, the original opened read-only) and for every op on a
// handle opened for writing (the tagger's writes, laid over the served bytes, saved as an edit on flush).
// Nothing here reads the mount itself.
import { close, closeSync, constants as fsConstants, openSync } from 'node:fs';
import { constants } from 'node:os';
import { basename } from 'node:path';
import type { Db } from '../app/core/db/database.ts';
import type { TrackRecord } from '../app/core/media/read-track.ts';
import type { LibraryView, ServedRecord } from './library-view.ts';
import {
  type FuseBinding,
  type NativeTree,
  NODE_WRITABLE,
  Op,
  type OpenReply,
  type RequestHandler,
} from './native-binding.ts';
import { type FileFacts, packTree } from './native-tree.ts';
import { checkOriginal, type Layout, type Layouts } from './served-layout.ts';
import { fileIno } from './virtual-tree.ts';
import { commitWrite, servedBytes, WriteRejected } from './write-back.ts';
import { WriteOverlay } from './write-overlay.ts';

const E = constants.errno;

/** Another handle is writing the file. */
class Busy extends Error {}

/** A handle opened for writing: its ops come here. */
interface Writer {
  readonly ino: number;
  readonly layout: Layout;
  readonly header: Buffer;
  /** The original, opened read-only. */
  readonly fd: number;
  readonly path: string;
  readonly written: WriteOverlay;
  /** The handle's commits, one after another; release waits for them before closing `fd`. */
  committing?: Promise<number>;
  /** What the last commit saved: the next commit compares with it, not with what was served. */
  committed?: TrackRecord;
}

/** Where the file system says what happened: `problem` for what the user should see (EIO, rejected writes). */
export interface FsReport {
  log(line: string): void;
  problem(line: string): void;
}

export class LibraryFs {
  readonly #db: Db;
  readonly #view: LibraryView;
  readonly #layouts: Layouts;
  readonly #report: FsReport;
  readonly #fuse: FuseBinding;
  readonly #writers = new Map<number, Writer>();
  /** The open writer of each file (one with unsaved writes at a time). */
  readonly #writerOf = new Map<number, number>();
  #nextWriter = 1;
  /** Served size of each file, for the version it was computed for. */
  readonly #facts = new Map<number, FileFacts>();
  #publishing: Promise<void> = Promise.resolve();
  /** The tree last handed to the binding, its shape, and each inode's node index in it. */
  #packed?: { readonly shape: number; readonly tree: NativeTree; readonly index: Map<number, number> };
  /** Called when the binding says the mount ended. */
  onExit: () => void = () => {};

  constructor(db: Db, view: LibraryView, layouts: Layouts, report: FsReport, fuse: FuseBinding) {
    this.#db = db;
    this.#view = view;
    this.#layouts = layouts;
    this.#report = report;
    this.#fuse = fuse;
  }

  /**
   * Hands the view's current tree to the binding, with the served size of every file (computed only for
   * files whose version is new). One publish at a time, in order.
   */
  publish(changed?: readonly number[]): Promise<void> {
    // After a failed publish the next one still runs (it publishes everything that is new).
    this.#publishing = this.#publishing.catch(() => {}).then(() => this.#publish(changed));
    return this.#publishing;
  }

  /**
   * `changed`: the files the view's last refresh reported. While the tree keeps its shape only they are
   * sized and patched into the last packed tree; otherwise the whole tree is packed again.
   */
  async #publish(changed?: readonly number[]): Promise<void> {
    const tree = this.#view.tree;
    const shape = this.#view.shape;
    const packed = this.#packed;
    if (changed && packed?.shape === shape) {
      const records = changed.map((id) => this.#view.record(id)).filter((r) => r !== undefined);
      await this.#size(records);
      for (const { fileId } of records) {
        const at = tree.chain(fileId);
        const facts = this.#facts.get(fileId);
        const i = packed.index.get(fileIno(fileId));
        if (!at || !facts || i === undefined) continue;
        packed.tree.size[i] = facts.size;
        packed.tree.version[i] = facts.version;
        packed.tree.flags[i] = facts.writable ? NODE_WRITABLE : 0;
        packed.tree.mtimeMs[i] = at.file.mtimeMs;
        for (const dir of at.dirs) packed.tree.mtimeMs[packed.index.get(dir.ino)!] = dir.mtimeMs;
      }
      this.#fuse.setTree(packed.tree);
      return;
    }
    await this.#size(this.#view.records());
    for (const id of this.#facts.keys()) if (!this.#view.record(id)) this.#facts.delete(id);
    const next = packTree(tree, (id) => this.#facts.get(id));
    this.#fuse.setTree(next);
    const index = new Map<number, number>();
    for (let i = 0; i < next.ino.length; i++) index.set(next.ino[i]!, i);
    this.#packed = { shape, tree: next, index };
  }

  /** Sizes the records whose version is new. */
  async #size(records: Iterable<ServedRecord>): Promise<void> {
    const sizing: Promise<void>[] = [];
    for (const record of records) {
      if (this.#facts.get(record.fileId)?.version === record.seq) continue;
      sizing.push(
        this.#layouts.get(record).then(
          (layout) => this.#setFacts(record, layout.size),
          (err: Error) => {
            // Listed with no bytes; opening it gives EIO with the same reason.
            this.#report.problem(`cannot size ${record.path}: ${err.message}`);
            this.#setFacts(record, 0);
          },
        ),
      );
    }
    await Promise.all(sizing);
  }

  /**
   * Builds one header of each kind before the mount is offered, so that the user's first open does not
   * also pay for compiling the header code (it made the first open several times slower than the rest).
   */
  async warmUp(): Promise<void> {
    const done = new Set<string>();
    for (const record of this.#view.records()) {
      if (done.has(record.kind)) continue;
      done.add(record.kind);
      try {
        const layout = await this.#layouts.get(record);
        const fd = openSync(record.path, 'r');
        try {
          checkOriginal(fd, record);
          await layout.header(fd);
        } finally {
          closeSync(fd);
        }
      } catch {} // that file's own open will say what is wrong with it
    }
  }

  #setFacts(record: ServedRecord, size: number): void {
    this.#facts.set(record.fileId, { size, version: record.seq, writable: record.kind !== 'whole' });
  }

  readonly onRequest: RequestHandler = (op, req, ino, fh, offset, size, data, flags) => {
    switch (op) {
      case Op.open:
        return this.#open(req, ino, flags);
      case Op.read: {
        const w = this.#writers.get(fh);
        if (!w) return this.#fuse.replyErr(req, E.EBADF);
        const buf = Buffer.allocUnsafe(Math.max(0, Math.min(size, w.written.size - offset)));
        w.written.readInto(buf, 0, buf.length, offset);
        return this.#fuse.replyData(req, buf);
      }
      case Op.write: {
        const w = this.#writers.get(fh);
        if (!w || !data) return this.#fuse.replyErr(req, E.EBADF);
        w.written.write(data, offset);
        return this.#fuse.replyWrite(req, data.length);
      }
      case Op.flush: {
        const w = this.#writers.get(fh);
        if (!w) return this.#fuse.replyErr(req, 0);
        this.#commit(w).then((err) => this.#fuse.replyErr(req, err));
        return;
      }
      case Op.release:
        return this.#release(req, fh);
      case Op.getattr:
        return this.#getattr(req, ino, flags === 1);
      case Op.setSize: {
        // ftruncate on a writer, or truncate(2) by path: the file's writer (nothing else can truncate).
        const w = this.#writers.get(fh >= 0 ? fh : (this.#writerOf.get(ino) ?? 0));
        if (!w) return this.#fuse.replyErr(req, E.EROFS);
        w.written.truncate(offset);
        return this.#fuse.replyAttr(req, ino, w.written.size, w.layout.record.shownMtimeMs, false);
      }
      case Op.log:
        return this.#report.problem(data?.toString() ?? ''); // the binding logs only its EIOs
      case Op.exit:
        return this.onExit();
      default:
        this.#report.problem(`unknown request ${op} from the binding`);
        if (req !== 0n) this.#fuse.replyErr(req, E.ENOSYS);
    }
  };

  #record(ino: number): ServedRecord | undefined {
    return ino % 2 === 0 && ino >= 2 ? this.#view.record((ino - 2) / 2) : undefined;
  }

  /** A file with a writer open: its size is the writer's while it has unsaved writes. */
  #getattr(req: bigint, ino: number, asEntry: boolean) {
    const record = this.#record(ino);
    if (!record) return this.#fuse.replyErr(req, E.ENOENT);
    const w = this.#writers.get(this.#writerOf.get(ino) ?? 0);
    const size = w?.written.dirty ? w.written.size : this.#facts.get(record.fileId)?.size;
    if (size !== undefined) return this.#fuse.replyAttr(req, ino, size, record.shownMtimeMs, asEntry);
    this.#layouts.get(record).then(
      (layout) => this.#fuse.replyAttr(req, ino, layout.size, record.shownMtimeMs, asEntry),
      (err: Error) => {
        this.#report.problem(`EIO ${record.path}: ${err.message}`);
        this.#fuse.replyErr(req, E.EIO);
      },
    );
  }

  #open(req: bigint, ino: number, flags: number) {
    const record = this.#record(ino);
    if (!record) return this.#fuse.replyErr(req, ino % 2 === 1 ? E.EISDIR : E.ENOENT);
    const writing = (flags & 3) !== fsConstants.O_RDONLY;
    if (writing && record.kind === 'whole') return this.#fuse.replyErr(req, E.EROFS);
    if (writing && this.#busy(ino)) return this.#fuse.replyErr(req, E.EBUSY);
    const path = this.#view.tree.pathOf(record.fileId) ?? record.path;
    // O_TRUNC (`: > file`, a tagger writing the whole file anew) empties the writer's view, as it would a
    // real file; what is saved on close must still hold the original audio, or nothing changes (EIO).
    const truncate = writing && (flags & fsConstants.O_TRUNC) !== 0;
    this.#openHandle(req, ino, record, path, writing, truncate).catch((err: Error) => {
      if (err instanceof Busy) return this.#fuse.replyErr(req, E.EBUSY);
      this.#report.problem(`EIO ${path}: ${err.message}`);
      this.#fuse.replyErr(req, E.EIO);
    });
  }

  async #openHandle(
    req: bigint,
    ino: number,
    record: ServedRecord,
    path: string,
    writing: boolean,
    truncate: boolean,
  ) {
    const layout = await this.#layouts.get(record);
    // Synchronous, as the header's reads: a thread-pool hop would cost more than the open itself.
    const fd = openSync(record.path, 'r');
    let owned = true; // until the binding takes the fd
    try {
      checkOriginal(fd, record);
      const header = await layout.header(fd);
      if (writing && this.#busy(ino)) throw new Busy();
      const reply: OpenReply = {
        ino,
        fd,
        header,
        audioStart: record.audioStart,
        size: layout.size,
        origSize: record.size,
        origMtimeMs: record.mtimeMs,
        origPath: record.path,
        path,
        version: record.seq,
      };
      if (!writing) {
        this.#fuse.replyOpen(req, reply);
        owned = false; // the binding took the fd (it throws, and takes nothing, on a malformed reply)
        return;
      }
      const fh = this.#nextWriter++;
      const w: Writer = {
        ino,
        layout,
        header,
        fd,
        path,
        written: new WriteOverlay(servedBytes(layout, header, fd), layout.size),
      };
      if (truncate) w.written.truncate(0);
      this.#writers.set(fh, w);
      this.#writerOf.set(ino, fh);
      let delivered = false;
      try {
        delivered = this.#fuse.replyOpen(req, { ...reply, fh });
      } finally {
        if (delivered) owned = false;
        else this.#forget(fh, w, false);
      }
    } finally {
      if (owned) close(fd, () => {});
    }
  }

  #release(req: bigint, fh: number) {
    const w = this.#writers.get(fh);
    if (!w) return this.#fuse.replyErr(req, 0);
    this.#commit(w).then((err) => {
      this.#forget(fh, w);
      this.#fuse.replyErr(req, err);
    });
  }

  /** Drops a writer; closes its fd unless the caller still owns it. */
  #forget(fh: number, w: Writer, closeFd = true): void {
    this.#writers.delete(fh);
    if (this.#writerOf.get(w.ino) === fh) this.#writerOf.delete(w.ino);
    w.written.close();
    if (closeFd) close(w.fd, () => {});
  }

  /**
   * Whether another handle is writing the file. A writer whose writes are saved no longer counts: the
   * kernel releases a closed handle only after close() returned, so a tagger that reopens the file at
   * once must not find it busy.
   */
  #busy(ino: number): boolean {
    return this.#writers.get(this.#writerOf.get(ino) ?? 0)?.written.dirty === true;
  }

  /**
   * Saves a handle's writes, after any commit still running on it; resolves to 0, or EIO when they were
   * rejected (nothing is changed then).
   */
  #commit(w: Writer): Promise<number> {
    const previous = w.committing ?? Promise.resolve(0);
    w.committing = previous.then(() => (w.written.dirty ? this.#save(w) : 0));
    return w.committing;
  }

  async #save(w: Writer): Promise<number> {
    w.written.dirty = false;
    try {
      const saved = await commitWrite(this.#db, w, w.written, basename(w.path));
      w.committed = saved.after;
      if (saved.batch !== undefined) {
        this.#report.log(`saved ${w.path} as edit batch ${saved.batch}`);
        const changed = this.#view.refresh(true);
        // Saved either way: a failed publish is the tree's problem, retried with the next change.
        await this.publish(changed).catch((err: Error) =>
          this.#report.problem(`publishing the tree failed: ${err.stack}`),
        );
      }
      return 0;
    } catch (err) {
      const reason = err instanceof WriteRejected ? err.message : `internal error: ${(err as Error).stack}`;
      this.#report.problem(`EIO ${w.path}: write rejected, nothing changed: ${reason}`);
      return E.EIO;
    }
  }
}

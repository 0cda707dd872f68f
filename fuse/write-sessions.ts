// The mount's handles whose ops come to JS: a tagger's writes, laid over the served bytes and saved as an
// edit on flush or close (write-back.ts checks them; app/core/mounted/mount-saves.ts takes them into the library), and an
// Ogg file whose pages are renumbered as served. Opening a served file comes here too (served-open.ts):
// the binding takes a read-only one's original and header and serves it alone. Every op on an original
// runs in its turn, in its mount's file lane.

import { constants } from 'node:os';
import type { Layout } from '../app/core/library/served-layout.ts';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import type { MountSaves } from '../app/core/mounted/mount-saves.ts';
import type { Reader } from '../app/core/mounted/reader-base.ts';
import { checkWrite, servedBytes } from '../app/core/mounted/write-back.ts';
import { WriteOverlay } from '../app/core/mounted/write-overlay.ts';
import type { OriginalFile } from '../app/core/served/original-file.ts';
import type { ServedRecord } from '../app/core/served/served-record.ts';
import { UserError } from '../kit/user-error.ts';
import type { FuseBinding } from './native-binding.ts';
import { openServed, type ServedOpenDeps } from './served-open.ts';

const E = constants.errno;

/** Another handle is writing the file. */
class Busy extends Error {}

/**
 * A handle opened for writing, or for reading an Ogg file whose audio pages are renumbered as they are
 * served (the binding serves only byte ranges of the original): its ops come here.
 */
interface Writer {
  readonly ino: number;
  readonly layout: Layout;
  readonly header: Buffer;
  /** The original, opened read-only. Its passes run in order: the handle's ops are taken in as asked. */
  readonly original: OriginalFile;
  readonly path: string;
  readonly written: WriteOverlay;
  /** The process that opened it, and when it first opened the file: its saves are compared with what it
   *  read then (reader-base.ts). */
  readonly reader: Reader;
  /** The handle's commits, one after another; release waits for them before closing the original. */
  committing?: Promise<number>;
}

/** What the sessions use of the rest of the mount. */
export interface SessionsDeps extends ServedOpenDeps {
  readonly fuse: FuseBinding;
  readonly report: FsReport;
  readonly saves: MountSaves;
  /** A picture a save brings in larger than this is refused (config.json's art.maxBytes). */
  readonly maxArtBytes: number;
  /** Handle numbers, shared with the mount's other handles. */
  readonly nextHandle: () => number;
}

export class WriteSessions {
  readonly #d: SessionsDeps;
  readonly #fuse: FuseBinding;
  readonly #report: FsReport;
  readonly #writers = new Map<number, Writer>();
  /** The open writer of each file (one with unsaved writes at a time). */
  readonly #writerOf = new Map<number, number>();

  constructor(d: SessionsDeps) {
    this.#d = d;
    this.#fuse = d.fuse;
    this.#report = d.report;
  }

  /** Whether `fh` is one of these handles. */
  has(fh: number): boolean {
    return this.#writers.has(fh);
  }

  /** The size of a file with unsaved writes (what its writer holds); undefined otherwise. */
  dirtySize(ino: number): number | undefined {
    const w = this.#writers.get(this.#writerOf.get(ino) ?? 0);
    return w?.written.dirty ? w.written.size : undefined;
  }

  /** Opens a served file: handed to the binding when it serves it alone, else a handle of these. */
  open(
    req: bigint,
    ino: number,
    record: ServedRecord,
    path: string,
    how: { writing: boolean; truncate: boolean; reader: Reader },
  ) {
    this.#openHandle(req, ino, record, path, how).catch((err: Error) => {
      if (err instanceof Busy) return this.#fuse.replyErr(req, E.EBUSY);
      // An original deleted since the last scan: what a player is told of a file that is not there (it
      // skips it), not an I/O error; a scan or a watcher then takes it out of the mount.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        this.#report.problem(
          `ENOENT ${path}: its original is gone (${err.message}); a scan marks it missing`,
        );
        return this.#fuse.replyErr(req, E.ENOENT);
      }
      this.#report.problem(`EIO ${path}: ${err.message}`);
      this.#fuse.replyErr(req, E.EIO);
    });
  }

  read(req: bigint, fh: number, offset: number, size: number) {
    const w = this.#writers.get(fh);
    if (!w) return this.#fuse.replyErr(req, E.EBADF);
    this.#inTurn(req, w, () => {
      const buf = Buffer.allocUnsafe(Math.max(0, Math.min(size, w.written.size - offset)));
      w.written.readInto(buf, 0, buf.length, offset);
      this.#fuse.replyData(req, buf);
    });
  }

  write(req: bigint, fh: number, data: Buffer | undefined, offset: number) {
    const w = this.#writers.get(fh);
    if (!w || !data) return this.#fuse.replyErr(req, E.EBADF);
    // Taken in again whole if it reached bytes not read yet (original-file.ts): the same bytes again.
    this.#inTurn(req, w, () => {
      w.written.write(data, offset);
      this.#fuse.replyWrite(req, data.length);
    });
  }

  flush(req: bigint, fh: number) {
    const w = this.#writers.get(fh);
    if (!w) return this.#fuse.replyErr(req, 0);
    this.#commit(w).then((err) => this.#fuse.replyErr(req, err));
  }

  /** ftruncate on a writer (`fh`), or truncate(2) by path (`fh` < 0): the file's writer, or EROFS. */
  truncate(req: bigint, ino: number, fh: number, size: number) {
    const w = this.#writers.get(fh >= 0 ? fh : (this.#writerOf.get(ino) ?? 0));
    if (!w) return this.#fuse.replyErr(req, E.EROFS);
    this.#inTurn(req, w, () => {
      w.written.truncate(size);
      this.#fuse.replyAttr(req, ino, w.written.size, w.layout.record.shownMtimeMs, false, true);
    });
  }

  /**
   * A writer's read, write or truncation, in the original's turn (after the handle's earlier ops), run
   * again if it reached bytes of the original not read yet; answered by `op`, or with EIO when the
   * original cannot be read.
   */
  #inTurn(req: bigint, w: Writer, op: () => void): void {
    w.original.pass(op).catch((err: Error) => {
      this.#report.problem(`EIO ${w.path}: ${err.message}`);
      this.#fuse.replyErr(req, E.EIO);
    });
  }

  async #openHandle(
    req: bigint,
    ino: number,
    record: ServedRecord,
    path: string,
    { writing, truncate, reader }: { writing: boolean; truncate: boolean; reader: Reader },
  ) {
    const { native, layout, original, reply } = await openServed(this.#d, ino, record, path, writing);
    let owned = true; // until the binding takes the fd
    try {
      if (writing && this.busy(ino)) throw new Busy();
      if (native) {
        this.#fuse.replyOpen(req, reply);
        original.handOver(); // the binding took the fd (it throws, and takes nothing, on a malformed reply)
        owned = false;
        return;
      }
      const fh = this.#d.nextHandle();
      const w: Writer = {
        ino,
        layout,
        header: reply.header,
        original,
        path,
        written: new WriteOverlay(servedBytes(layout, reply.header, original), layout.size),
        reader,
      };
      if (truncate) w.written.truncate(0);
      this.#writers.set(fh, w);
      if (writing) this.#writerOf.set(ino, fh);
      let delivered = false;
      try {
        delivered = this.#fuse.replyOpen(req, { ...reply, fh });
      } finally {
        if (delivered) owned = false;
        else this.#forget(fh, w, false);
      }
    } finally {
      if (owned) original.close();
    }
  }

  release(req: bigint, fh: number) {
    const w = this.#writers.get(fh);
    if (!w) return this.#fuse.replyErr(req, 0);
    this.#commit(w).then((err) => {
      this.#forget(fh, w);
      this.#fuse.replyErr(req, err);
    });
  }

  /** Drops a writer; closes its original unless the caller still owns it. */
  #forget(fh: number, w: Writer, closeOriginal = true): void {
    this.#writers.delete(fh);
    if (this.#writerOf.get(w.ino) === fh) this.#writerOf.delete(w.ino);
    w.written.close();
    if (closeOriginal) w.original.close();
  }

  /**
   * Whether another handle is writing the file. A writer whose writes are saved no longer counts: the
   * kernel releases a closed handle only after close() returned, so a tagger that reopens the file at
   * once must not find it busy.
   */
  busy(ino: number): boolean {
    return this.#writers.get(this.#writerOf.get(ino) ?? 0)?.written.dirty === true;
  }

  /**
   * Saves a handle's writes, after any commit still running on it; resolves to 0, or EIO when they were
   * rejected (nothing is changed then).
   */
  #commit(w: Writer): Promise<number> {
    const previous = w.committing ?? Promise.resolve(0);
    // After the handle's writes still in the original's turn.
    const dirty = () => w.original.pass(() => w.written.dirty);
    w.committing = previous.then(dirty).then((d) => (d ? this.#save(w) : 0));
    return w.committing;
  }

  async #save(w: Writer): Promise<number> {
    w.written.dirty = false;
    try {
      const { saves } = this.#d;
      const checked = await checkWrite(w, w.written, w.path, this.#d.maxArtBytes, saves.readBy(w.reader));
      const saved = saves.accept(w.path, checked, w.reader);
      if (saved) await this.#d.saves.serve(true);
      return 0;
    } catch (err) {
      const reason = err instanceof UserError ? err.message : `internal error: ${(err as Error).stack}`;
      this.#report.problem(`EIO ${w.path}: write rejected, nothing changed: ${reason}`);
      return E.EIO;
    }
  }
}

// The mount's handles whose ops come to JS, translated: each is a WriteSession of the core
// (app/core/mounted/write-session.ts: a tagger's writes, saved as an edit on flush or close; an Ogg file
// whose pages are renumbered as served), its replies and error numbers here. Opening a served file comes
// here too (served-open.ts): the binding takes a read-only one's original and header and serves it alone.

import { constants } from 'node:os';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import type { Reader } from '../app/core/mounted/reader-base.ts';
import { type SaveTarget, WriteSession } from '../app/core/mounted/write-session.ts';
import type { ServedRecord } from '../app/core/served/served-record.ts';
import type { FuseBinding } from './native-binding.ts';
import { openServed, type ServedOpenDeps } from './served-open.ts';

const E = constants.errno;

/** Another handle is writing the file. */
class Busy extends Error {}

/** What the sessions use of the rest of the mount. */
export interface SessionsDeps extends ServedOpenDeps, SaveTarget {
  readonly fuse: FuseBinding;
  readonly report: FsReport;
  /** Handle numbers, shared with the mount's other handles. */
  readonly nextHandle: () => number;
}

export class WriteSessions {
  readonly #d: SessionsDeps;
  readonly #fuse: FuseBinding;
  readonly #report: FsReport;
  readonly #sessions = new Map<number, WriteSession>();
  /** The open writer of each file (one with unsaved writes at a time). */
  readonly #writerOf = new Map<number, number>();

  constructor(d: SessionsDeps) {
    this.#d = d;
    this.#fuse = d.fuse;
    this.#report = d.report;
  }

  /** Whether `fh` is one of these handles. */
  has(fh: number): boolean {
    return this.#sessions.has(fh);
  }

  /** The size of a file with unsaved writes (what its writer holds); undefined otherwise. */
  dirtySize(ino: number): number | undefined {
    const w = this.#sessions.get(this.#writerOf.get(ino) ?? 0);
    return w?.dirty ? w.size : undefined;
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
    const w = this.#sessions.get(fh);
    if (!w) return this.#fuse.replyErr(req, E.EBADF);
    this.#answer(req, w, w.read(offset, size), (buf) => this.#fuse.replyData(req, buf));
  }

  write(req: bigint, fh: number, data: Buffer | undefined, offset: number) {
    const w = this.#sessions.get(fh);
    if (!w || !data) return this.#fuse.replyErr(req, E.EBADF);
    this.#answer(req, w, w.write(data, offset), () => this.#fuse.replyWrite(req, data.length));
  }

  flush(req: bigint, fh: number) {
    const w = this.#sessions.get(fh);
    if (!w) return this.#fuse.replyErr(req, 0);
    w.commit().then((saved) => this.#fuse.replyErr(req, saved ? 0 : E.EIO));
  }

  /** ftruncate on a writer (`fh`), or truncate(2) by path (`fh` < 0): the file's writer, or EROFS. */
  truncate(req: bigint, ino: number, fh: number, size: number) {
    const w = this.#sessions.get(fh >= 0 ? fh : (this.#writerOf.get(ino) ?? 0));
    if (!w) return this.#fuse.replyErr(req, E.EROFS);
    const mtimeMs = w.file.layout.record.shownMtimeMs;
    this.#answer(req, w, w.truncate(size), (now) =>
      this.#fuse.replyAttr(req, ino, now, mtimeMs, false, true),
    );
  }

  /** Answers an op of `w` by `reply` once done, or with EIO when its original cannot be read. */
  #answer<T>(req: bigint, w: WriteSession, done: Promise<T>, reply: (value: T) => void): void {
    done.then(reply, (err: Error) => {
      this.#report.problem(`EIO ${w.file.path}: ${err.message}`);
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
      const w = new WriteSession(
        { ino, layout, header: reply.header, original, path, reader },
        this.#d,
        truncate,
      );
      this.#sessions.set(fh, w);
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
    const w = this.#sessions.get(fh);
    if (!w) return this.#fuse.replyErr(req, 0);
    w.commit().then((saved) => {
      this.#forget(fh, w);
      this.#fuse.replyErr(req, saved ? 0 : E.EIO);
    });
  }

  /** Drops a handle; closes its original unless the caller still owns it. */
  #forget(fh: number, w: WriteSession, closeOriginal = true): void {
    this.#sessions.delete(fh);
    if (this.#writerOf.get(w.file.ino) === fh) this.#writerOf.delete(w.file.ino);
    w.close(closeOriginal);
  }

  /** Whether another handle has unsaved writes to the file (write-session.ts says why a saved one does
   *  not count). */
  busy(ino: number): boolean {
    return this.#sessions.get(this.#writerOf.get(ino) ?? 0)?.dirty === true;
  }
}

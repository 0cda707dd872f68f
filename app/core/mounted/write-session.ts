// One open handle on a served file whose bytes are served from here rather than by the binding alone: a
// tagger's writer (its writes laid over the served bytes, saved as an edit on flush or close) or a
// read-only handle on an Ogg file whose pages are renumbered as served. Each op on the original runs in
// its turn, in its mount's file lane (original-file.ts). The mount's handle table and its replies are
// fuse/write-sessions.ts: a translator over this.

import { UserError } from '../../../kit/user-error.ts';
import type { Layout } from '../library/served-layout.ts';
import type { OriginalFile } from '../served/original-file.ts';
import type { FsReport } from './fs-report.ts';
import type { MountSaves } from './mount-saves.ts';
import type { Reader } from './reader-base.ts';
import { checkWrite, servedBytes } from './write-back.ts';
import { WriteOverlay } from './write-overlay.ts';

/** Where a handle's save goes, and what bounds it. */
export interface SaveTarget {
  readonly saves: MountSaves;
  readonly report: FsReport;
  /** A picture a save brings in larger than this is refused (config.json's art.maxBytes). */
  readonly maxArtBytes: number;
}

/** The file being opened, as the mount found it. */
export interface SessionFile {
  readonly ino: number;
  readonly layout: Layout;
  /** The served header, whole. */
  readonly header: Buffer;
  /** The original, opened read-only; the session closes it. */
  readonly original: OriginalFile;
  /** The served path (the log's name for it; its extension hints at the format a save is read as). */
  readonly path: string;
  /** The process that opened it, and when it first opened the file: its saves are compared with what it
   *  read then (reader-base.ts). */
  readonly reader: Reader;
}

export class WriteSession {
  readonly file: SessionFile;
  readonly #to: SaveTarget;
  readonly #written: WriteOverlay;
  /** The handle's commits, one after another; close waits for them before closing the original. */
  #committing: Promise<boolean> = Promise.resolve(true);

  /** `truncate`: opened with O_TRUNC — the view starts empty, as a real file would (what is saved must
   *  still hold the original audio, or nothing changes). */
  constructor(file: SessionFile, to: SaveTarget, truncate: boolean) {
    this.file = file;
    this.#to = to;
    this.#written = new WriteOverlay(servedBytes(file.layout, file.header, file.original), file.layout.size);
    if (truncate) this.#written.truncate(0);
  }

  /** Holds writes not saved yet: another writer of the file must wait (a saved one no longer counts, as
   *  the kernel releases a closed handle only after close() returned and a tagger may reopen at once). */
  get dirty(): boolean {
    return this.#written.dirty;
  }

  /** The size the handle sees. */
  get size(): number {
    return this.#written.size;
  }

  /** `size` bytes from `offset` (fewer at the end). */
  read(offset: number, size: number): Promise<Buffer> {
    return this.#inTurn(() => {
      const buf = Buffer.allocUnsafe(Math.max(0, Math.min(size, this.#written.size - offset)));
      this.#written.readInto(buf, 0, buf.length, offset);
      return buf;
    });
  }

  write(data: Buffer, offset: number): Promise<void> {
    // Taken in again whole if it reached bytes not read yet (original-file.ts): the same bytes again.
    return this.#inTurn(() => this.#written.write(data, offset));
  }

  /** Resolves to the new size. */
  truncate(size: number): Promise<number> {
    return this.#inTurn(() => {
      this.#written.truncate(size);
      return this.#written.size;
    });
  }

  /**
   * Saves the handle's writes, after any commit still running on it; resolves to false when they were
   * rejected (said in the mount's log; nothing is changed then), true when saved or nothing was written.
   */
  commit(): Promise<boolean> {
    // After the handle's writes still in the original's turn.
    const dirty = () => this.file.original.pass(() => this.#written.dirty);
    this.#committing = this.#committing.then(dirty).then((d) => (d ? this.#save() : true));
    return this.#committing;
  }

  /** Drops the handle's bytes; closes its original unless the caller still owns it. */
  close(closeOriginal = true): void {
    this.#written.close();
    if (closeOriginal) this.file.original.close();
  }

  /** An op in the original's turn (after the handle's earlier ops), run again if it reached bytes of the
   *  original not read yet; rejects when the original cannot be read. */
  #inTurn<T>(op: () => T): Promise<T> {
    return this.file.original.pass(op);
  }

  async #save(): Promise<boolean> {
    this.#written.dirty = false;
    const { saves, report, maxArtBytes } = this.#to;
    const { path, reader } = this.file;
    try {
      const checked = await checkWrite(this.file, this.#written, path, maxArtBytes, saves.readBy(reader));
      if (saves.accept(path, checked, reader)) await saves.serve(true);
      return true;
    } catch (err) {
      const reason = err instanceof UserError ? err.message : `internal error: ${(err as Error).stack}`;
      report.problem(`EIO ${path}: write rejected, nothing changed: ${reason}`);
      return false;
    }
  }
}

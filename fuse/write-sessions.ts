// The mount's handles whose ops come to JS: a tagger's writes, laid over the served bytes and saved as an
// edit on flush or close (write-back.ts checks them), an Ogg file whose pages are renumbered as served, a
// scratch file renamed over the file it rewrites; and the saves on their way into the library
// (save-queue.ts). Opening a served file is here too: the binding takes a read-only one's original and
// header and serves it alone. Every op on an original runs in its turn, in its mount's file lane.

import { constants } from 'node:os';
import type { Db } from '../app/core/db/database.ts';
import type { AdoptedJournal, SaveJournal } from '../app/core/library/save-journal.ts';
import type { TrackRecord } from '../app/core/media/read-track.ts';
import { savableThrough } from '../app/core/served/served-plan.ts';
import type { FileLanes } from '../kit/file-lanes.ts';
import { UserError } from '../kit/user-error.ts';
import type { FsReport } from './fs-report.ts';
import type { LibraryView, ServedRecord } from './library-view.ts';
import type { FuseBinding, OpenReply } from './native-binding.ts';
import type { FileFacts } from './native-tree.ts';
import { OriginalFile } from './original-file.ts';
import { PLAYLISTS_INO, type PlaylistFiles } from './playlist-files.ts';
import { SaveQueue } from './save-queue.ts';
import type { Scratch, ScratchFiles } from './scratch-files.ts';
import { checkOriginal, type Layout, type Layouts } from './served-layout.ts';
import { fileIno } from './virtual-tree.ts';
import { checkWrite, servedBytes } from './write-back.ts';
import { WriteOverlay } from './write-overlay.ts';

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
  /** The handle's commits, one after another; release waits for them before closing the original. */
  committing?: Promise<number>;
  /** What the last commit saved: the next commit compares with it, not with what was served. */
  committed?: TrackRecord;
}

/** What the sessions use of the rest of the mount. */
export interface SessionsDeps {
  readonly db: Db;
  readonly journal: SaveJournal;
  readonly view: LibraryView;
  readonly playlists: PlaylistFiles;
  readonly layouts: Layouts;
  readonly files: FileLanes;
  readonly fuse: FuseBinding;
  readonly report: FsReport;
  readonly scratch: ScratchFiles;
  /** A picture a save brings in larger than this is refused (config.json's art.maxBytes). */
  readonly maxArtBytes: number;
  /** The served size the tree lists for a file's version. */
  readonly facts: (fileId: number) => FileFacts | undefined;
  readonly publish: (changed?: readonly number[]) => Promise<void>;
  /** Handle numbers, shared with the mount's other handles. */
  readonly nextHandle: () => number;
}

export class WriteSessions {
  readonly #saves: SaveQueue;
  readonly #view: LibraryView;
  readonly #playlists: PlaylistFiles;
  readonly #layouts: Layouts;
  readonly #files: FileLanes;
  readonly #fuse: FuseBinding;
  readonly #report: FsReport;
  readonly #scratch: ScratchFiles;
  readonly #maxArtBytes: number;
  readonly #facts: (fileId: number) => FileFacts | undefined;
  readonly #publish: (changed?: readonly number[]) => Promise<void>;
  readonly #nextHandle: () => number;
  readonly #writers = new Map<number, Writer>();
  /** The open writer of each file (one with unsaved writes at a time). */
  readonly #writerOf = new Map<number, number>();

  constructor(d: SessionsDeps) {
    this.#view = d.view;
    this.#playlists = d.playlists;
    this.#layouts = d.layouts;
    this.#files = d.files;
    this.#fuse = d.fuse;
    this.#report = d.report;
    this.#scratch = d.scratch;
    this.#maxArtBytes = d.maxArtBytes;
    this.#facts = d.facts;
    this.#publish = d.publish;
    this.#nextHandle = d.nextHandle;
    this.#saves = new SaveQueue(d.db, d.journal, {
      applied: async (save, { batch, superseded }, waitedMs) => {
        const waited = `after waiting ${(waitedMs / 1000).toFixed(1)} s for the library`;
        d.report.log(
          `saved ${save.path} ${batch === undefined ? '(no change left)' : `as edit batch ${batch}`} ${waited}`,
        );
        if (superseded.length > 0)
          d.report.problem(
            `a save of ${save.path} left ${superseded.join(', ')} as an edit made while it waited set them`,
          );
        await this.#publishSaved(this.#view.refresh(true));
      },
      pending: (count) => d.report.pendingSaves(count),
      problem: (line) => d.report.problem(line),
    });
  }

  /** Saves a daemon that stopped left in its journal: applied before any new one. */
  adoptSaves(journals: readonly AdoptedJournal[]): void {
    this.#saves.adopt(journals);
  }

  /** The daemon stops: saves still waiting stay journalled, for the next daemon. */
  closeSaves(): void {
    this.#saves.close();
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
  open(req: bigint, ino: number, record: ServedRecord, path: string, writing: boolean, truncate: boolean) {
    this.#openHandle(req, ino, record, path, writing, truncate).catch((err: Error) => {
      if (err instanceof Busy) return this.#fuse.replyErr(req, E.EBUSY);
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
    writing: boolean,
    truncate: boolean,
  ) {
    const layout = await this.#layouts.get(record);
    const listed = this.#facts(record.fileId);
    if (listed?.version === record.seq && listed.size !== layout.size) {
      // The size the library recorded is not the one built here: serving it would give wrong bytes.
      throw new Error(
        `served size ${layout.size} differs from the ${listed.size} the library recorded; rescan it`,
      );
    }
    const original = await OriginalFile.open(this.#files, record.disk, layout.readsHead);
    let owned = true; // until the binding takes the fd
    try {
      this.#fuse.originalOpened(original.fd);
      checkOriginal(original, record);
      // Read natively, pictures streamed from the library; else through JS, which holds them whole.
      const native = !writing && layout.pageShift === 0;
      const served = await original.pass(async () =>
        native ? layout.holed(original) : { bytes: await layout.header(original), holes: [] },
      );
      if (writing && this.busy(ino)) throw new Busy();
      const reply: OpenReply = {
        ino,
        fd: original.fd,
        header: served.bytes,
        holes: served.holes,
        audioStart: layout.audioStart,
        trailerSize: layout.trailerSize,
        size: layout.size,
        origSize: record.size,
        origMtimeMs: record.mtimeMs,
        origPath: record.disk,
        path,
        version: record.seq,
      };
      if (native) {
        this.#fuse.replyOpen(req, reply);
        original.handOver(); // the binding took the fd (it throws, and takes nothing, on a malformed reply)
        owned = false;
        return;
      }
      const fh = this.#nextHandle();
      const w: Writer = {
        ino,
        layout,
        header: served.bytes,
        original,
        path,
        written: new WriteOverlay(servedBytes(layout, served.bytes, original), layout.size),
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

  /**
   * A scratch file renamed over a served file: its bytes are that file as the tagger wrote it, taken in
   * as a writer's save is (the audio must be the original's; the changed tags become one edit batch).
   * Rejected, nothing changes and the rename fails with EIO (the scratch file stays, for the tagger to
   * remove); any other rename is refused.
   */
  rename(req: bigint, parent: number, name: string, newParent: number, newName: string, flags: number) {
    const s = this.#scratch.at(parent, name);
    if (!s) return this.#fuse.replyErr(req, parent === PLAYLISTS_INO ? E.EROFS : E.ENOENT);
    // RENAME_NOREPLACE or RENAME_EXCHANGE: a scratch file only ever replaces the file it rewrites.
    if (flags !== 0) return this.#fuse.replyErr(req, E.EINVAL);
    const target = this.#view.tree.directory(newParent)?.children.get(newName);
    const record = target?.kind === 'file' ? this.#view.record(target.fileId) : undefined;
    const path = `${this.#view.tree.pathOf(record?.fileId ?? -1) ?? newName}`;
    const refuse = (errno: number, why: string) => {
      this.#report.problem(`${errno === E.EIO ? 'EIO' : 'refused'} renaming ${name} over ${path}: ${why}`);
      this.#fuse.replyErr(req, errno);
    };
    if (!record || !savableThrough(record))
      return refuse(
        E.EROFS,
        'only a file whose tags can be written can be replaced, and only by its rewrite',
      );
    if (s.unflushed || s.moving) return refuse(E.EBUSY, 'it is still being written (close it first)');
    if (this.busy(fileIno(record.fileId)))
      return refuse(E.EBUSY, 'another handle has unsaved writes to that file');
    s.moving = true;
    this.#replace(s, record, path).then(
      () => this.#fuse.replyErr(req, 0),
      (err: Error) => {
        s.moving = false;
        refuse(
          E.EIO,
          err instanceof UserError
            ? `write rejected, nothing changed: ${err.message}`
            : `internal error: ${err.stack}`,
        );
      },
    );
  }

  async #replace(s: Scratch, record: ServedRecord, path: string): Promise<void> {
    const layout = await this.#layouts.get(record);
    const original = await OriginalFile.open(this.#files, record.disk);
    let checked: CheckedWrite;
    try {
      checkOriginal(original, record);
      const header = await original.pass(() => layout.header(original));
      checked = await checkWrite({ layout, header, original }, s.written, path, this.#maxArtBytes);
    } finally {
      original.close();
    }
    const saved = this.#accept(path, checked, '(rewritten whole) ');
    this.#scratch.drop(s);
    await this.#publishSaved(saved ? this.#view.refresh(true) : undefined);
  }

  /**
   * Hands a checked save to the queue: true when it is in the library now, false when it waits (durably
   * journalled); throws when it can be neither.
   */
  #accept(path: string, { save, warnings }: CheckedWrite, how = ''): boolean {
    if (!save) {
      // Nothing to save but what was refused (a picture over the cap): said all the same.
      if (warnings.length > 0)
        this.#report.log(`nothing saved of ${path}${how && ` ${how.trimEnd()}`}: ${warnings.join('; ')}`);
      return false;
    }
    const result = this.#saves.accept(save);
    if ('batch' in result) {
      if (result.batch !== undefined)
        this.#report.log(`saved ${save.path} ${how}as edit batch ${result.batch}${noted(warnings)}`);
      return result.batch !== undefined;
    }
    this.#report.log(
      `save of ${save.path} ${how}journalled: another process holds the library (${result.waiting} waiting)${noted(warnings)}`,
    );
    return false;
  }

  /**
   * Serves what a save through the mount changed, then the playlists it reaches (the daemon's checks for
   * others' commits will not see this change: the view has taken it in; they are rendered on their worker
   * and published after it). Saved either way: a failed publish is the tree's problem, retried with the next change.
   */
  async #publishSaved(changed: readonly number[] | undefined): Promise<void> {
    const publishing = this.#publish(changed);
    if (changed && changed.length > 0) this.#playlists.follow(changed);
    try {
      await publishing;
    } catch (err) {
      this.#report.problem(`publishing the tree failed: ${(err as Error).stack}`);
    }
  }

  async #save(w: Writer): Promise<number> {
    w.written.dirty = false;
    try {
      const checked = await checkWrite(w, w.written, w.path, this.#maxArtBytes);
      const saved = this.#accept(w.path, checked);
      w.committed = checked.after;
      if (saved) await this.#publishSaved(this.#view.refresh(true));
      return 0;
    } catch (err) {
      const reason = err instanceof UserError ? err.message : `internal error: ${(err as Error).stack}`;
      this.#report.problem(`EIO ${w.path}: write rejected, nothing changed: ${reason}`);
      return E.EIO;
    }
  }
}

type CheckedWrite = Awaited<ReturnType<typeof checkWrite>>;

/** Warnings after a log line ("…: tracknumber "A1" is not a number: kept as text"). */
const noted = (warnings: readonly string[]) => (warnings.length > 0 ? `; ${warnings.join('; ')}` : '');

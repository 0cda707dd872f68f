// What the mounted library needs from the library itself, answered on the daemon's JS thread. The native
// binding serves the tree and reads of files opened read-only on its own threads; it asks here to open a
// file (the layout, the header built from the DB, the original opened read-only) and for every op on a
// handle opened for writing (the tagger's writes, laid over the served bytes, saved as an edit on flush).
// Nothing here reads the mount itself, nor waits for an original: each is opened, stated and read in its
// mount's file lane with a deadline (original-file.ts), so a file on a share that stopped answering fails
// with EIO and a log line while every other request is answered.
import { constants as fsConstants } from 'node:fs';
import { constants } from 'node:os';
import type { Db } from '../app/core/db/database.ts';
import type { AdoptedJournal, SaveJournal } from '../app/core/library/save-journal.ts';
import type { TrackRecord } from '../app/core/media/read-track.ts';
import { savableThrough } from '../app/core/served/served-plan.ts';
import type { FileLanes } from '../kit/file-lanes.ts';
import { UserError } from '../kit/user-error.ts';
import type { FolderLayouts, PreparedLayout } from './folder-layouts.ts';
import type { LibraryView, ServedRecord } from './library-view.ts';
import { indexByIno, MountEcho, modified, treeChanges } from './mount-echo.ts';
import {
  type FuseBinding,
  type NativeTree,
  NODE_WRITABLE,
  Op,
  type OpenReply,
  type RequestHandler,
} from './native-binding.ts';
import { type FileFacts, packTree, repackTops } from './native-tree.ts';
import { OriginalFile } from './original-file.ts';
import { PLAYLISTS_INO, type PlaylistFile, type PlaylistFiles } from './playlist-files.ts';
import { SaveQueue } from './save-queue.ts';
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

/**
 * A file a tagger created beside a served file to rewrite it whole: libFLAC (metaflac) writes
 * "X.flac.metadata_edit" and renames it over "X.flac". It lives here (in memory, past 16 MiB in a
 * deleted temporary file), never on disk; renamed over a served file it is taken in as that file's
 * written bytes, exactly as a writer's save; unlinked, it is dropped.
 */
interface Scratch {
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

/** Nodes of changed files (and their folders) looked up by scanning the packed inodes rather than a map. */
const FEW_TO_SCAN = 32;

/** Scratch files at once (each may hold 16 MiB in memory): a tagger rewrites one file at a time. */
const MAX_SCRATCH = 8;
/** Files whose layouts a listing has built ahead at most, and folders it looks through for them. */
const AHEAD_FILES = 64;
const AHEAD_FOLDERS = 256;
/** Folders after a listed one, among its parent's, whose files are built ahead with it. */
const AHEAD_SIBLINGS = 1;

/** Where the file system says what happened: `problem` for what the user should see (EIO, rejected writes). */
export interface FsReport {
  log(line: string): void;
  problem(line: string): void;
  /** How many accepted saves wait for the library. */
  pendingSaves(count: number): void;
  /** Layouts a listing built before their files were opened (folder-layouts.ts), this many more. */
  builtAhead(count: number): void;
}

export class LibraryFs {
  readonly #saves: SaveQueue;
  readonly #view: LibraryView;
  readonly #playlists: PlaylistFiles;
  /** Open playlist files by handle number: the bytes as they were when opened. */
  readonly #playlistHandles = new Map<number, Buffer>();
  readonly #layouts: Layouts;
  /** Where originals are opened and read. */
  readonly #files: FileLanes;
  readonly #report: FsReport;
  readonly #fuse: FuseBinding;
  /** A picture a save brings in larger than this is refused (config.json's art.maxBytes). */
  readonly #maxArtBytes: number;
  readonly #writers = new Map<number, Writer>();
  /** The open writer of each file (one with unsaved writes at a time). */
  readonly #writerOf = new Map<number, number>();
  #nextWriter = 1;
  /** Scratch files by inode number, and the handles open on them by handle number. */
  readonly #scratch = new Map<number, Scratch>();
  readonly #scratchHandles = new Map<number, Scratch>();
  /** Odd inode numbers from the top of the 32-bit range down, never reused: directories count up. */
  #nextScratchIno = 0xffff_ffff;
  /** Raised whenever a scratch file comes or goes: the packed tree's shape changes. */
  #scratchShape = 0;
  /** Served size of each file, for the version it was computed for. */
  readonly #facts = new Map<number, FileFacts>();
  readonly #ahead: FolderLayouts;
  /** Tells inotify watchers of what each new tree changed. */
  readonly #echo: MountEcho;
  #publishing: Promise<void> = Promise.resolve();
  /** The tree last handed to the binding, its shape, and each inode's node index in it. */
  #packed?: { readonly shape: string; readonly tree: NativeTree; index?: Map<number, number> };
  /** The tree handed to the binding before the last one: copied by it, so its memory can be reused. */
  #spare?: NativeTree;
  /** The playlists' content version the last tree holds. */
  #playlistsContent = 0;
  /** Called when the binding says the mount ended. */
  onExit: () => void = () => {};

  constructor(
    db: Db,
    view: LibraryView,
    playlists: PlaylistFiles,
    layouts: Layouts,
    files: FileLanes,
    report: FsReport,
    fuse: FuseBinding,
    journal: SaveJournal,
    maxArtBytes: number,
    ahead: FolderLayouts,
    /** Paths of each change told to watchers: the media servers to tell (player-notifier.ts). */
    told: (paths: Iterable<string>) => void,
  ) {
    this.#maxArtBytes = maxArtBytes;
    this.#ahead = ahead;
    this.#view = view;
    this.#playlists = playlists;
    this.#layouts = layouts;
    this.#files = files;
    this.#report = report;
    this.#fuse = fuse;
    this.#echo = new MountEcho(fuse, (line) => report.problem(line), told);
    this.#saves = new SaveQueue(db, journal, {
      applied: async (save, { batch, superseded }, waitedMs) => {
        const waited = `after waiting ${(waitedMs / 1000).toFixed(1)} s for the library`;
        report.log(
          `saved ${save.path} ${batch === undefined ? '(no change left)' : `as edit batch ${batch}`} ${waited}`,
        );
        if (superseded.length > 0)
          report.problem(
            `a save of ${save.path} left ${superseded.join(', ')} as an edit made while it waited set them`,
          );
        await this.#publishSaved(this.#view.refresh(true));
      },
      pending: (count) => report.pendingSaves(count),
      problem: (line) => report.problem(line),
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
    // What sizing needs from originals first (rare: FLACs an older Sleeve scanned); the rest of a publish
    // reads the view at one moment.
    const reading = this.#layouts.readUnrecorded(this.#unsized(changed));
    if (reading) await reading;
    const tree = this.#view.tree;
    const shape = `${this.#view.shape}/${this.#scratchShape}/${this.#playlists.shape}`;
    const packed = this.#packed;
    if (changed && packed?.shape === shape) {
      const records = changed.map((id) => this.#view.record(id)).filter((r) => r !== undefined);
      this.#size(records);
      // The nodes to patch: each changed file's, and its folders' times (shared by an album's files).
      const files: Array<{ ino: number; facts: FileFacts; mtimeMs: number }> = [];
      const dirs = new Map<number, number>();
      for (const { fileId } of records) {
        const at = tree.chain(fileId);
        const facts = this.#facts.get(fileId);
        if (!at || !facts) continue;
        files.push({ ino: fileIno(fileId), facts, mtimeMs: at.file.mtimeMs });
        for (const dir of at.dirs) dirs.set(dir.ino, dir.mtimeMs);
      }
      // A few nodes are found by a scan of the inode array each (~30 µs at 100k files); more through a
      // map of every node, built once per shape (~50 ms).
      const few = files.length + dirs.size <= FEW_TO_SCAN;
      if (!few) packed.index ??= indexByIno(packed.tree);
      const nodeOf = (ino: number) => (few ? packed.tree.ino.indexOf(ino) : (packed.index!.get(ino) ?? -1));
      const patched: number[] = [];
      // Each patched file whose bytes are a new version is told to watchers once published.
      const versions = new Map<number, number>();
      for (const { ino, facts, mtimeMs } of files) {
        const i = nodeOf(ino);
        if (i < 0) continue;
        versions.set(i, packed.tree.version[i]!);
        packed.tree.size[i] = facts.size;
        packed.tree.version[i] = facts.version;
        packed.tree.flags[i] = facts.writable ? NODE_WRITABLE : 0;
        packed.tree.mtimeMs[i] = mtimeMs;
        patched.push(i);
      }
      for (const [ino, mtimeMs] of dirs) {
        const i = nodeOf(ino);
        if (i < 0) continue;
        packed.tree.mtimeMs[i] = mtimeMs;
        patched.push(i);
      }
      const playlists = this.#patchPlaylists(packed.tree, patched);
      this.#fuse.patchTree(packed.tree, Uint32Array.from(patched));
      const told = [
        ...playlists,
        ...[...versions].filter(([i, was]) => packed.tree.version[i] !== was).map(([i]) => i),
      ];
      void this.#echo.tell(told.map((i) => modified(packed.tree, i)));
      return;
    }
    const facts = (id: number) => this.#facts.get(id);
    // The tree rebuilt a few top-level folders since the last publish: only they are packed again, and
    // only the changed files sized.
    const tops = this.#view.rebuiltTops;
    const previous = `${this.#view.shape - 1}/${this.#scratchShape}/${this.#playlists.shape}`;
    let next: NativeTree;
    if (changed && tops && packed?.shape === previous && this.#scratch.size === 0) {
      this.#size(changed.map((id) => this.#view.record(id)).filter((r) => r !== undefined));
      for (const id of changed) if (!this.#view.record(id)) this.#facts.delete(id);
      next = repackTops(packed.tree, tree, tops, facts, this.#spare);
      this.#patchPlaylists(next); // copied from the last tree: as they were then
    } else {
      this.#size(this.#view.records());
      for (const id of this.#facts.keys()) if (!this.#view.record(id)) this.#facts.delete(id);
      const scratch = [...this.#scratch.values()].map(({ ino, parent, name, mtimeMs }) => ({
        ino,
        parent,
        name,
        mtimeMs,
      }));
      // The playlists' folder only when there is one: a library without playlists looks as it always did.
      const folder =
        this.#playlists.count > 0 ? { ...this.#playlists.folder, files: this.#playlists.files } : undefined;
      next = packTree(tree, facts, scratch, folder);
      this.#playlistsContent = this.#playlists.content;
    }
    // Moves, new and removed entries are told while the old names are still served; changed files once
    // the new tree serves them (mount-echo.ts). The first tree is the mount's start: nothing to tell.
    const index = indexByIno(next);
    const changes = packed
      ? treeChanges(packed.tree, next, packed.index ?? indexByIno(packed.tree), index)
      : undefined;
    if (changes) await this.#echo.before(changes.before, () => this.#fuse.setPending(next));
    this.#fuse.setTree(next);
    if (changes) void this.#echo.tell(changes.after);
    this.#spare = packed?.tree;
    this.#packed = { shape, tree: next, index };
  }

  /**
   * Playlist files whose bytes changed since `tree` was packed (their names did not: that repacks): their
   * nodes take the new size, version and time, and the folder its time, so the kernel drops what it
   * cached of them. A handful of nodes, found by a scan of the inode array; their indices are added to
   * `patched`.
   */
  #patchPlaylists(tree: NativeTree, patched: number[] = []): number[] {
    const files: number[] = [];
    if (this.#playlistsContent === this.#playlists.content) return files;
    this.#playlistsContent = this.#playlists.content;
    const folder = tree.ino.indexOf(this.#playlists.folder.ino);
    if (folder >= 0) {
      tree.mtimeMs[folder] = this.#playlists.folder.mtimeMs;
      patched.push(folder);
    }
    for (const f of this.#playlists.files) {
      const i = tree.ino.indexOf(f.ino);
      if (i < 0) continue;
      if (tree.version[i] !== f.version) files.push(i);
      tree.size[i] = f.bytes.length;
      tree.version[i] = f.version;
      tree.mtimeMs[i] = f.mtimeMs;
      patched.push(i);
    }
    return files;
  }

  /** The records a publish may size: the changed ones, or all of them for a whole tree. */
  *#unsized(changed: readonly number[] | undefined): Iterable<ServedRecord> {
    const records =
      changed && this.#packed ? changed.map((id) => this.#view.record(id)) : this.#view.records();
    for (const record of records)
      if (record?.servedSize === null && this.#facts.get(record.fileId)?.version !== record.seq) yield record;
  }

  /** Sizes the records whose version is new: as the library recorded it, else computed here. */
  #size(records: Iterable<ServedRecord>): void {
    const unknown: ServedRecord[] = [];
    for (const record of records) {
      if (this.#facts.get(record.fileId)?.version === record.seq) continue;
      if (record.servedSize === null) unknown.push(record);
      else this.#setFacts(record, record.servedSize);
    }
    const sizes = this.#layouts.sizes(unknown);
    for (const record of unknown) {
      const size = sizes.get(record.fileId)!;
      if (size instanceof Error) {
        // Listed with no bytes; opening it gives EIO with the same reason.
        this.#report.problem(`cannot size ${record.path}: ${size.message}`);
        this.#setFacts(record, 0);
      } else this.#setFacts(record, size);
    }
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
        const original = await OriginalFile.open(this.#files, record.disk);
        try {
          checkOriginal(original, record);
          await original.pass(() => layout.holed(original));
        } finally {
          original.close();
        }
      } catch {} // that file's own open will say what is wrong with it
    }
  }

  #setFacts(record: ServedRecord, size: number): void {
    this.#facts.set(record.fileId, { size, version: record.seq, writable: savableThrough(record) });
  }

  readonly onRequest: RequestHandler = (op, req, ino, fh, offset, size, data, flags) => {
    const scratch = this.#scratchHandles.get(fh);
    if (scratch && (op === Op.read || op === Op.write || op === Op.flush || op === Op.release))
      return this.#scratchOp(op, req, fh, scratch, offset, size, data);
    const playlist = this.#playlistHandles.get(fh);
    if (playlist && (op === Op.read || op === Op.flush || op === Op.release))
      return this.#playlistOp(op, req, fh, playlist, offset, size);
    switch (op) {
      case Op.open:
        return this.#open(req, ino, flags);
      case Op.create:
        return this.#create(req, ino, data?.toString() ?? '');
      case Op.unlink:
        return this.#unlink(req, ino, data?.toString() ?? '');
      case Op.rename: {
        const names = data?.toString() ?? '';
        const nul = names.indexOf('\0');
        return this.#rename(req, ino, names.slice(0, nul), fh, names.slice(nul + 1), flags);
      }
      case Op.read: {
        const w = this.#writers.get(fh);
        if (!w) return this.#fuse.replyErr(req, E.EBADF);
        return this.#inTurn(req, w, () => {
          const buf = Buffer.allocUnsafe(Math.max(0, Math.min(size, w.written.size - offset)));
          w.written.readInto(buf, 0, buf.length, offset);
          this.#fuse.replyData(req, buf);
        });
      }
      case Op.write: {
        const w = this.#writers.get(fh);
        if (!w || !data) return this.#fuse.replyErr(req, E.EBADF);
        // Taken in again whole if it reached bytes not read yet (original-file.ts): the same bytes again.
        return this.#inTurn(req, w, () => {
          w.written.write(data, offset);
          this.#fuse.replyWrite(req, data.length);
        });
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
        const s = fh >= 0 ? this.#scratchHandles.get(fh) : this.#scratch.get(ino);
        if (s) {
          s.written.truncate(offset);
          s.unflushed = true;
          return this.#fuse.replyAttr(req, ino, s.written.size, s.mtimeMs, false, true);
        }
        const w = this.#writers.get(fh >= 0 ? fh : (this.#writerOf.get(ino) ?? 0));
        if (!w) return this.#fuse.replyErr(req, E.EROFS);
        return this.#inTurn(req, w, () => {
          w.written.truncate(offset);
          this.#fuse.replyAttr(req, ino, w.written.size, w.layout.record.shownMtimeMs, false, true);
        });
      }
      case Op.log:
        return this.#report.problem(data?.toString() ?? ''); // the binding logs only its EIOs
      case Op.listed:
        return this.#listed(ino);
      case Op.echoed:
        return this.#echo.echoed(ino, offset, size, data?.toString() ?? '');
      case Op.exit:
        return this.onExit();
      default:
        this.#report.problem(`unknown request ${op} from the binding`);
        if (req !== 0n) this.#fuse.replyErr(req, E.ENOSYS);
    }
  };

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

  #record(ino: number): ServedRecord | undefined {
    return ino % 2 === 0 && ino >= 2 ? this.#view.record((ino - 2) / 2) : undefined;
  }

  /** A file with a writer open: its size is the writer's while it has unsaved writes. */
  #getattr(req: bigint, ino: number, asEntry: boolean) {
    const scratch = this.#scratch.get(ino);
    if (scratch) return this.#fuse.replyAttr(req, ino, scratch.written.size, scratch.mtimeMs, asEntry, true);
    const playlist = this.#playlists.byIno(ino);
    if (playlist)
      return this.#fuse.replyAttr(req, ino, playlist.bytes.length, playlist.mtimeMs, asEntry, false);
    const record = this.#record(ino);
    if (!record) return this.#fuse.replyErr(req, E.ENOENT);
    const writable = savableThrough(record);
    const w = this.#writers.get(this.#writerOf.get(ino) ?? 0);
    const size = w?.written.dirty ? w.written.size : this.#facts.get(record.fileId)?.size;
    if (size !== undefined)
      return this.#fuse.replyAttr(req, ino, size, record.shownMtimeMs, asEntry, writable);
    this.#layouts.get(record).then(
      (layout) => this.#fuse.replyAttr(req, ino, layout.size, record.shownMtimeMs, asEntry, writable),
      (err: Error) => {
        this.#report.problem(`EIO ${record.path}: ${err.message}`);
        this.#fuse.replyErr(req, E.EIO);
      },
    );
  }

  #open(req: bigint, ino: number, flags: number) {
    const scratch = this.#scratch.get(ino);
    if (scratch) return this.#openScratch(req, scratch, flags);
    const playlist = this.#playlists.byIno(ino);
    if (playlist) return this.#openPlaylist(req, playlist, flags);
    const record = this.#record(ino);
    if (!record) return this.#fuse.replyErr(req, ino % 2 === 1 ? E.EISDIR : E.ENOENT);
    const writing = (flags & 3) !== fsConstants.O_RDONLY;
    if (writing && !savableThrough(record)) return this.#fuse.replyErr(req, E.EROFS);
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

  /**
   * A folder listed: the files of it, of the folder after it and of the folders under them that no
   * listing reached yet (a player lists an artist's folder before its albums', and walks on to the next
   * artist), up to AHEAD_FILES, have their layouts built on a worker, a folder at a time
   * (folder-layouts.ts), while the player walks towards them. Without the folder after it, the first
   * album of each artist was still being built when the player opened it: 367 of 2,000 first opens of a
   * cold tag scan went to the main thread.
   */
  #listed(ino: number): void {
    const tree = this.#view.tree;
    const folders = [tree.directory(ino), ...tree.foldersAfter(ino, AHEAD_SIBLINGS)];
    let files = 0;
    for (let i = 0; i < folders.length && i < AHEAD_FOLDERS && files < AHEAD_FILES; i++) {
      const folder = folders[i];
      if (!folder) continue;
      const inside = [...folder.children.values()];
      for (const node of inside) if (node.kind === 'dir') folders.push(node);
      const ids = inside.flatMap((node) => (node.kind === 'file' ? [node.fileId] : []));
      // A folder below the listed one is built whole or left for its own listing; the listed one gets
      // its first AHEAD_FILES (a flat folder of thousands).
      if (ids.length === 0 || (i > 0 && files + ids.length > AHEAD_FILES)) continue;
      if (!this.#ahead.claim(folder.ino)) continue;
      const records = ids.slice(0, AHEAD_FILES - files).flatMap((id) => this.#view.record(id) ?? []);
      files += records.length;
      this.#ahead.prepare(records).then(
        ({ prepared, notes }) => {
          for (const line of notes) this.#report.log(line);
          this.#report.builtAhead(prepared.filter((p) => this.#rememberSafely(p)).length);
        },
        (err: Error) => this.#report.log(`building a folder's layouts ahead failed: ${err.message}`),
      );
    }
  }

  #rememberSafely(p: PreparedLayout): boolean {
    try {
      return this.#remember(p);
    } catch (err) {
      this.#report.log(`a layout built ahead was refused: ${(err as Error).message}`);
      return false;
    }
  }

  /** A layout built ahead goes to the binding if it is still of the version served, at the size listed. */
  #remember(p: PreparedLayout): boolean {
    const record = this.#view.record(p.fileId);
    const path = this.#view.tree.pathOf(p.fileId);
    const listed = this.#facts.get(p.fileId);
    if (record?.seq !== p.version || path === undefined) return false;
    // Only at the size the tree lists for this version (else its own open will say what is wrong).
    if (listed?.version !== p.version || listed.size !== p.size) return false;
    this.#fuse.rememberLayout({
      ino: fileIno(p.fileId),
      header: Buffer.from(p.header.buffer, p.header.byteOffset, p.header.byteLength),
      holes: p.holes,
      audioStart: p.audioStart,
      trailerSize: p.trailerSize,
      size: p.size,
      origSize: record.size,
      origMtimeMs: record.mtimeMs,
      origPath: record.disk,
      path,
      version: p.version,
    });
    return true;
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
    const listed = this.#facts.get(record.fileId);
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
      if (writing && this.#busy(ino)) throw new Busy();
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
      const fh = this.#nextWriter++;
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

  #release(req: bigint, fh: number) {
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
  #busy(ino: number): boolean {
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

  /** Opens a handle whose reads (and writes) come to JS: it has no original for the binding to read. */
  #replyServedByJs(
    req: bigint,
    ino: number,
    fh: number,
    size: number,
    path: string,
    version: number,
  ): boolean {
    return this.#fuse.replyOpen(req, {
      ino,
      fh,
      fd: 0, // unused
      header: Buffer.alloc(0),
      audioStart: 0,
      size,
      origSize: 0,
      origMtimeMs: 0,
      origPath: '',
      path,
      version,
    });
  }

  // ---- playlists ----

  /** A playlist file opens read-only; the handle reads the bytes it had when opened. */
  #openPlaylist(req: bigint, playlist: PlaylistFile, flags: number) {
    if ((flags & 3) !== fsConstants.O_RDONLY) return this.#fuse.replyErr(req, E.EROFS);
    const fh = this.#nextWriter++;
    this.#playlistHandles.set(fh, playlist.bytes);
    const size = playlist.bytes.length;
    if (!this.#replyServedByJs(req, playlist.ino, fh, size, playlist.name, playlist.version))
      this.#playlistHandles.delete(fh);
  }

  #playlistOp(op: number, req: bigint, fh: number, bytes: Buffer, offset: number, size: number) {
    if (op === Op.read) return this.#fuse.replyData(req, bytes.subarray(offset, offset + size));
    if (op === Op.release) this.#playlistHandles.delete(fh);
    return this.#fuse.replyErr(req, 0);
  }

  // ---- scratch files ----

  /**
   * A new file: only a scratch file for a served file beside it, named after it ("X.flac" →
   * "X.flac.metadata_edit", "X.flac.tmp123"). Anything else stays a read-only file system's EROFS.
   */
  #create(req: bigint, parent: number, name: string) {
    const dir = this.#view.tree.directory(parent);
    if (!dir) return this.#fuse.replyErr(req, parent === PLAYLISTS_INO ? E.EROFS : E.ENOENT);
    const taken = (n: string) =>
      dir.children.has(n) || [...this.#scratch.values()].some((s) => s.parent === parent && s.name === n);
    if (taken(name)) return this.#fuse.replyErr(req, E.EEXIST);
    const base = [...dir.children].find(([served, node]) => {
      if (node.kind !== 'file' || name.length <= served.length || !name.startsWith(served)) return false;
      const record = this.#view.record(node.fileId);
      return record !== undefined && savableThrough(record);
    });
    if (!base) {
      this.#report.log(`refused to create ${name}: only a file a tagger rewrites, named after it, can be`);
      return this.#fuse.replyErr(req, E.EROFS);
    }
    if (this.#scratch.size >= MAX_SCRATCH) {
      this.#report.problem(`refused to create ${name}: ${MAX_SCRATCH} scratch files are open already`);
      return this.#fuse.replyErr(req, E.ENOSPC);
    }
    const scratch: Scratch = {
      ino: this.#nextScratchIno,
      parent,
      name,
      written: new WriteOverlay(() => 0, 0),
      mtimeMs: Date.now(),
      handles: 1,
      unflushed: false,
      moving: false,
      gone: false,
    };
    this.#nextScratchIno -= 2;
    this.#scratch.set(scratch.ino, scratch);
    this.#scratchShape++;
    const fh = this.#nextWriter++;
    this.#scratchHandles.set(fh, scratch);
    // Listed before the create is answered: once its handle closes, lookups are answered from the tree.
    this.publish()
      .catch((err: Error) => this.#report.problem(`publishing the tree failed: ${err.stack}`))
      .then(() => {
        const delivered = this.#fuse.replyCreate(req, {
          ino: scratch.ino,
          fh,
          size: 0,
          mtimeMs: scratch.mtimeMs,
        });
        if (!delivered) this.#closeScratchHandle(fh, scratch);
      });
  }

  #openScratch(req: bigint, scratch: Scratch, flags: number) {
    const fh = this.#nextWriter++;
    const writing = (flags & 3) !== fsConstants.O_RDONLY;
    if (writing && (flags & fsConstants.O_TRUNC) !== 0) {
      scratch.written.truncate(0);
      scratch.unflushed = true;
    }
    this.#scratchHandles.set(fh, scratch);
    scratch.handles++;
    const delivered = this.#replyServedByJs(req, scratch.ino, fh, scratch.written.size, scratch.name, 0);
    if (!delivered) this.#closeScratchHandle(fh, scratch);
  }

  /** A handle's ops on a scratch file: its bytes change, nothing is saved until it is renamed. */
  #scratchOp(
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
        this.#closeScratchHandle(fh, s);
        return this.#fuse.replyErr(req, 0);
    }
  }

  #closeScratchHandle(fh: number, s: Scratch): void {
    if (!this.#scratchHandles.delete(fh)) return;
    s.handles--;
    s.unflushed = false;
    if (s.gone && s.handles === 0) s.written.close();
  }

  /** Takes a scratch file out of the tree; its bytes go when its last handle closes. */
  #dropScratch(s: Scratch): void {
    s.gone = true;
    this.#scratch.delete(s.ino);
    this.#scratchShape++;
    if (s.handles === 0) s.written.close();
  }

  #scratchAt(parent: number, name: string): Scratch | undefined {
    for (const s of this.#scratch.values()) if (s.parent === parent && s.name === name) return s;
    return undefined;
  }

  #unlink(req: bigint, parent: number, name: string) {
    const s = this.#scratchAt(parent, name);
    if (!s) return this.#fuse.replyErr(req, parent === PLAYLISTS_INO ? E.EROFS : E.ENOENT);
    this.#dropScratch(s);
    this.publish()
      .catch((err: Error) => this.#report.problem(`publishing the tree failed: ${err.stack}`))
      .then(() => this.#fuse.replyErr(req, 0));
  }

  /**
   * A scratch file renamed over a served file: its bytes are that file as the tagger wrote it, taken in
   * as a writer's save is (the audio must be the original's; the changed tags become one edit batch).
   * Rejected, nothing changes and the rename fails with EIO (the scratch file stays, for the tagger to
   * remove); any other rename is refused.
   */
  #rename(req: bigint, parent: number, name: string, newParent: number, newName: string, flags: number) {
    const s = this.#scratchAt(parent, name);
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
    if (this.#busy(fileIno(record.fileId)))
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
    this.#dropScratch(s);
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
    const publishing = this.publish(changed);
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

// The mounted library's requests from the binding, routed (the binding serves the tree, and reads of
// files opened read-only, on its own threads): a first open, attributes a writer or JS knows, a listing's
// layouts built ahead, the playlists' files here; handles whose ops come to JS in write-sessions.ts, the
// saves in app/core/mounted/mount-saves.ts; a tagger's scratch files in scratch-requests.ts; the tree in
// tree-publisher.ts. Nothing here reads the mount itself, nor waits for an original: each is opened,
// stated and read in its mount's file lane with a deadline (original-file.ts), so a file on a share that
// stopped answering fails with EIO and a log line while every other request is answered.
import { constants as fsConstants } from 'node:fs';
import { constants } from 'node:os';
import type { Db } from '../app/core/db/database.ts';
import type { AdoptedJournal, SaveJournal } from '../app/core/library/save-journal.ts';
import { checkOriginal, type Layouts } from '../app/core/library/served-layout.ts';
import type { FolderLayouts } from '../app/core/mounted/folder-layouts.ts';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import type { LibraryView } from '../app/core/mounted/library-view.ts';
import { MountSaves } from '../app/core/mounted/mount-saves.ts';
import type { PlaylistFile, PlaylistFiles } from '../app/core/mounted/playlist-files.ts';
import type { Reader } from '../app/core/mounted/reader-base.ts';
import { ScratchFiles } from '../app/core/mounted/scratch-files.ts';
import { ScratchRename } from '../app/core/mounted/scratch-rename.ts';
import { OriginalFile } from '../app/core/served/original-file.ts';
import { savableThrough } from '../app/core/served/served-plan.ts';
import type { ServedRecord } from '../app/core/served/served-record.ts';
import type { FileLanes } from '../kit/file-lanes.ts';
import { ListingAhead } from './listing-ahead.ts';
import { type FuseBinding, Op, type RequestHandler, replyServedByJs } from './native-binding.ts';
import { ScratchRequests } from './scratch-requests.ts';
import { TreePublisher } from './tree-publisher.ts';
import { WriteSessions } from './write-sessions.ts';

const E = constants.errno;
/** How long an open of a version the library has moved past waits for the mount to serve the newer one
 *  (a publish takes milliseconds to a few hundred at a million tracks). */
const CAUGHT_UP_MS = 2000;

/** What the mounted library's requests are answered from (the daemon builds each: daemon.ts). */
export interface LibraryFsDeps {
  readonly db: Db;
  readonly view: LibraryView;
  readonly playlists: PlaylistFiles;
  /** Where each file's served layout is built. */
  readonly layouts: Layouts;
  /** Where originals are opened and read. */
  readonly files: FileLanes;
  readonly report: FsReport;
  readonly fuse: FuseBinding;
  /** Where saves through the mount are journalled before they reach the library. */
  readonly journal: SaveJournal;
  /** The largest picture a save may bring (config.json's art.maxBytes). */
  readonly maxArtBytes: number;
  /** The thread that builds a listed folder's layouts ahead. */
  readonly ahead: FolderLayouts;
  /** Paths of each change told to watchers: the media servers to tell (app/core/mounts/player-notifier.ts). */
  readonly told: (paths: Iterable<string>) => void;
  /** When earlier daemons served this mount point, if any did (app/core/mounted/reader-base.ts). */
  readonly earlier?: { readonly since: number; readonly until: number };
}

export class LibraryFs {
  /** Handles whose ops come here: writers, Ogg files served through JS (write-sessions.ts). */
  readonly #sessions: WriteSessions;
  /** Saves on their way into the library, and serving them (app/core/mounted/mount-saves.ts). */
  readonly #saves: MountSaves;
  readonly #view: LibraryView;
  readonly #playlists: PlaylistFiles;
  /** Open playlist files by handle number: the bytes as they were when opened. */
  readonly #playlistHandles = new Map<number, Buffer>();
  readonly #layouts: Layouts;
  /** Where originals are opened and read. */
  readonly #files: FileLanes;
  readonly #report: FsReport;
  readonly #fuse: FuseBinding;
  /** Handle numbers of every handle JS answers: writers, playlist files, scratch files. */
  #nextHandle = 1;
  /** Files a tagger created to rename over the one it rewrites (app/core/mounted/scratch-files.ts), and
   *  the requests on them (scratch-requests.ts). */
  readonly #scratch: ScratchFiles;
  readonly #scratchRequests: ScratchRequests;
  /** Layouts built ahead when a folder is listed (listing-ahead.ts). */
  readonly #listingAhead: ListingAhead;
  /** The tree handed to the binding, the files' served sizes, and what watchers are told. */
  readonly #tree: TreePublisher;
  /** Called when the binding says the mount ended. */
  onExit: () => void = () => {};

  constructor(deps: LibraryFsDeps) {
    const { db, view, playlists, layouts, files, report, fuse, journal, maxArtBytes, ahead, told, earlier } =
      deps;
    this.#view = view;
    this.#playlists = playlists;
    this.#layouts = layouts;
    this.#files = files;
    this.#report = report;
    this.#fuse = fuse;
    const scratch = () => this.#scratch.listing;
    const restored = () => this.#scratch.takeRestored();
    this.#tree = new TreePublisher({ view, playlists, layouts, fuse, report, scratch, restored, told });
    this.#listingAhead = new ListingAhead(view, ahead, fuse, report, (id) => this.#tree.facts(id));
    this.#scratch = new ScratchFiles(view, report);
    this.#saves = new MountSaves({
      db,
      journal,
      view,
      playlists,
      report,
      publish: (c, a) => this.publish(c, a),
      earlier,
    });
    // What writers and scratch renames both use: where originals are, and where their saves go.
    const saving = { layouts, files, report, saves: this.#saves, maxArtBytes };
    this.#sessions = new WriteSessions({
      ...saving,
      fuse,
      facts: (id) => this.#tree.facts(id),
      caughtUp: (id, seq) => this.#caughtUp(id, seq),
      nextHandle: () => this.#nextHandle++,
    });
    const renames = new ScratchRename({
      ...saving,
      view,
      scratch: this.#scratch,
      busy: (ino) => this.#sessions.busy(ino),
    });
    this.#scratchRequests = new ScratchRequests({
      files: this.#scratch,
      renames,
      fuse,
      publish: (answer) =>
        this.publish(undefined, answer).catch((err: Error) =>
          this.#report.problem(`publishing the tree failed: ${err.stack}`),
        ),
      nextHandle: () => this.#nextHandle++,
    });
  }

  /** The file's record once a publish has served a version other than `seq`; undefined when the file
   *  is gone or none came within CAUGHT_UP_MS (the daemon notices a commit in milliseconds). */
  async #caughtUp(fileId: number, seq: number): Promise<ServedRecord | undefined> {
    const until = performance.now() + CAUGHT_UP_MS;
    for (let left = CAUGHT_UP_MS; left > 0; left = until - performance.now()) {
      await this.#tree.nextPublished(left);
      // Publishes run in turn: one ending may precede the one that lists the file's new version.
      const record = this.#view.record(fileId);
      if (!record) return undefined;
      if (record.seq !== seq && this.#tree.facts(fileId)?.version === record.seq) return record;
    }
    return undefined;
  }

  /** Hands the view's current tree to the binding (tree-publisher.ts); one publish at a time, in order. */
  publish(changed?: readonly number[], answer?: () => void): Promise<void> {
    return this.#tree.publish(changed, answer);
  }

  /** Makes the arrays the next publish packs its tree in (tree-publisher.ts). */
  readySpare(): void {
    this.#tree.readySpare();
  }

  /** The mount is served: its changes are told to watchers from now on (mount-echo.ts). */
  serving(): void {
    this.#tree.echo.serving();
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

  readonly onRequest: RequestHandler = (op, req, ino, fh, offset, size, data, flags) => {
    const scratch = this.#scratch.byHandle(fh);
    if (scratch && (op === Op.read || op === Op.write || op === Op.flush || op === Op.release))
      return this.#scratchRequests.op(op, req, fh, scratch, offset, size, data);
    const playlist = this.#playlistHandles.get(fh);
    if (playlist && (op === Op.read || op === Op.flush || op === Op.release))
      return this.#playlistOp(op, req, fh, playlist, offset, size);
    switch (op) {
      case Op.open:
        // `offset`: the opening process; `size`: when it first opened the file (fuse/native/readers.c).
        return this.#open(req, ino, flags, { process: offset, readAt: size });
      case Op.create:
        return this.#scratchRequests.create(req, ino, data?.toString() ?? '');
      case Op.unlink:
        // `offset`: the unlinking process.
        return this.#scratchRequests.unlink(req, ino, data?.toString() ?? '', offset);
      case Op.rename: {
        const names = data?.toString() ?? '';
        const nul = names.indexOf('\0');
        // `offset`: the renaming process.
        const [name, newName] = [names.slice(0, nul), names.slice(nul + 1)];
        return this.#scratchRequests.rename(req, ino, name, fh, newName, flags, offset);
      }
      case Op.read:
        return this.#sessions.read(req, fh, offset, size);
      case Op.write:
        return this.#sessions.write(req, fh, data, offset);
      case Op.flush:
        return this.#sessions.flush(req, fh);
      case Op.release:
        return this.#sessions.release(req, fh);
      case Op.getattr:
        return this.#getattr(req, ino, flags === 1);
      case Op.setSize: {
        // ftruncate on a writer, or truncate(2) by path: the file's writer (nothing else can truncate).
        const s = fh >= 0 ? this.#scratch.byHandle(fh) : this.#scratch.byIno(ino);
        if (s) return this.#scratchRequests.setSize(req, s, offset);
        return this.#sessions.truncate(req, ino, fh, offset);
      }
      case Op.log:
        return this.#report.problem(data?.toString() ?? ''); // the binding logs only its EIOs
      case Op.listed:
        return this.#listingAhead.listed(ino);
      case Op.echoed:
        return this.#tree.echo.echoed(ino, offset, size, data?.toString() ?? '');
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
    const scratch = this.#scratch.byIno(ino);
    if (scratch) return this.#fuse.replyAttr(req, ino, scratch.written.size, scratch.mtimeMs, asEntry, true);
    const playlist = this.#playlists.byIno(ino);
    if (playlist)
      return this.#fuse.replyAttr(req, ino, playlist.bytes.length, playlist.mtimeMs, asEntry, false);
    const record = this.#record(ino);
    if (!record) return this.#fuse.replyErr(req, E.ENOENT);
    const writable = savableThrough(record);
    const size = this.#sessions.dirtySize(ino) ?? this.#tree.facts(record.fileId)?.size;
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

  #open(req: bigint, ino: number, flags: number, reader: Reader) {
    const scratch = this.#scratch.byIno(ino);
    if (scratch) return this.#scratchRequests.open(req, scratch, flags);
    const playlist = this.#playlists.byIno(ino);
    if (playlist) return this.#openPlaylist(req, playlist, flags);
    const record = this.#record(ino);
    if (!record) return this.#fuse.replyErr(req, ino % 2 === 1 ? E.EISDIR : E.ENOENT);
    const writing = (flags & 3) !== fsConstants.O_RDONLY;
    if (writing && !savableThrough(record)) return this.#fuse.replyErr(req, E.EROFS);
    if (writing && this.#sessions.busy(ino)) return this.#fuse.replyErr(req, E.EBUSY);
    const path = this.#view.tree.pathOf(record.fileId) ?? record.path;
    // O_TRUNC (`: > file`, a tagger writing the whole file anew) empties the writer's view, as it would a
    // real file; what is saved on close must still hold the original audio, or nothing changes (EIO).
    const truncate = writing && (flags & fsConstants.O_TRUNC) !== 0;
    this.#sessions.open(req, ino, record, path, { writing, truncate, reader });
  }

  // ---- playlists ----

  /** A playlist file opens read-only; the handle reads the bytes it had when opened. */
  #openPlaylist(req: bigint, playlist: PlaylistFile, flags: number) {
    if ((flags & 3) !== fsConstants.O_RDONLY) return this.#fuse.replyErr(req, E.EROFS);
    const fh = this.#nextHandle++;
    this.#playlistHandles.set(fh, playlist.bytes);
    const size = playlist.bytes.length;
    if (!replyServedByJs(this.#fuse, req, playlist.ino, fh, size, playlist.name, playlist.version))
      this.#playlistHandles.delete(fh);
  }

  #playlistOp(op: number, req: bigint, fh: number, bytes: Buffer, offset: number, size: number) {
    if (op === Op.read) return this.#fuse.replyData(req, bytes.subarray(offset, offset + size));
    if (op === Op.release) this.#playlistHandles.delete(fh);
    return this.#fuse.replyErr(req, 0);
  }
}

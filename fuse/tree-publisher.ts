// The mount's tree handed to the binding: each new view of the library packed (or only its changed
// nodes patched, or the top-level folders the view rebuilt repacked), every file's served size known for
// the version listed (as the library recorded it, else computed from its layout), and the changes told to
// inotify watchers — moves, new and removed entries while the old names are still served, changed bytes
// once the new tree serves them (mount-echo.ts). One publish at a time, in order.

import type { Layouts } from '../app/core/library/served-layout.ts';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import type { LibraryView } from '../app/core/mounted/library-view.ts';
import type { PlaylistFiles } from '../app/core/mounted/playlist-files.ts';
import type { ScratchListing } from '../app/core/mounted/scratch-files.ts';
import { fileIno } from '../app/core/mounted/virtual-tree.ts';
import { savableThrough } from '../app/core/served/served-plan.ts';
import type { ServedRecord } from '../app/core/served/served-record.ts';
import { FileFactsTable } from './file-facts-table.ts';
import { indexByIno, MountEcho, modified, treeChanges } from './mount-echo.ts';
import { type FuseBinding, type NativeTree, NODE_ASIDE, NODE_WRITABLE } from './native-binding.ts';
import {
  type FileFacts,
  packTree,
  type Repacked,
  type RepackedInPlace,
  rebuiltRanges,
  repackInPlace,
  repackTops,
  spareLike,
} from './native-tree.ts';

/** Nodes of changed files (and their folders) looked up by scanning the packed inodes rather than a map. */
const FEW_TO_SCAN = 32;

/** What a publisher works with. */
export interface TreePublisherDeps {
  readonly view: LibraryView;
  readonly playlists: PlaylistFiles;
  readonly layouts: Layouts;
  readonly fuse: FuseBinding;
  readonly report: FsReport;
  /** The scratch files a tagger made, now. */
  readonly scratch: () => ScratchListing;
  /** The files whose aside the daemon ended since the last call (ScratchFiles.takeRestored). */
  readonly restored: () => readonly number[];
  /** Paths of each change told to watchers: the media servers to tell (app/core/mounts/player-notifier.ts). */
  readonly told: (paths: Iterable<string>) => void;
}

/** A tree handed to the binding, with what the next publish compares it by. */
interface Packed {
  readonly shape: string;
  readonly tree: NativeTree;
  index?: Map<number, number>;
  readonly asideFrom: ReadonlyMap<number, string>;
}

export class TreePublisher {
  readonly #view: LibraryView;
  readonly #playlists: PlaylistFiles;
  readonly #layouts: Layouts;
  readonly #fuse: FuseBinding;
  readonly #report: FsReport;
  readonly #scratch: () => ScratchListing;
  readonly #restored: () => readonly number[];
  /** Served size of each file, for the version it was computed for. */
  readonly #facts = new FileFactsTable();
  /** Tells inotify watchers of what each new tree changed. */
  readonly echo: MountEcho;
  #publishing: Promise<void> = Promise.resolve();
  /** Called once the next publish has ended (nextPublished); each leaves when its time is up. */
  readonly #onPublished = new Set<() => void>();
  /** The tree last handed to the binding, its shape, each inode's node index in it, and the names the
   *  files it lists moved aside were served under, by inode. */
  #packed?: Packed;
  /** The tree handed to the binding before the last one: copied by it, so its memory can be reused. */
  #spare?: NativeTree;
  /** The playlists' content version the last tree holds. */
  #playlistsContent = 0;

  constructor(deps: TreePublisherDeps) {
    this.#view = deps.view;
    this.#playlists = deps.playlists;
    this.#layouts = deps.layouts;
    this.#fuse = deps.fuse;
    this.#report = deps.report;
    this.#scratch = deps.scratch;
    this.#restored = deps.restored;
    this.echo = new MountEcho(deps.fuse, (line) => deps.report.problem(line), deps.told);
  }

  /** A file's served size and writability, for the version the tree lists. */
  facts(fileId: number): FileFacts | undefined {
    return this.#facts.get(fileId);
  }

  /**
   * Hands the view's current tree to the binding, with the served size of every file (computed only for
   * files whose version is new). One publish at a time, in order. `answer`: the request waiting on this
   * publish, answered once the tree is published — or, when the new tree moves, makes or removes names,
   * before the echo tells those: the request (a tagger's rename) holds its folder's lock in the kernel, and
   * the echo's own operations in that folder would wait for it.
   */
  publish(changed?: readonly number[], answer?: () => void): Promise<void> {
    let answered = false;
    const answerOnce = () => {
      if (answered) return;
      answered = true;
      answer?.();
    };
    // After a failed publish the next one still runs (it publishes everything that is new).
    this.#publishing = this.#publishing
      .catch(() => {})
      .then(() => this.#publish(changed, answerOnce))
      .finally(() => {
        answerOnce();
        const waiting = [...this.#onPublished];
        this.#onPublished.clear();
        for (const done of waiting) done();
      });
    return this.#publishing;
  }

  /** Resolves once the next publish has ended, or after `ms`. */
  nextPublished(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#onPublished.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.#onPublished.add(done);
    });
  }

  /**
   * `changed`: the files the view's last refresh reported. While the tree keeps its shape only they are
   * sized and patched into the last packed tree; otherwise the whole tree is packed again.
   */
  async #publish(changed: readonly number[] | undefined, answer: () => void): Promise<void> {
    // What sizing needs from originals first (rare: FLACs an older Sleeve scanned); the rest of a publish
    // reads the view at one moment.
    const reading = this.#layouts.readUnrecorded(this.#unsized(changed));
    if (reading) await reading;
    const shape = `${this.#view.shape}/${this.#scratch().shape}/${this.#playlists.shape}`;
    const packed = this.#packed;
    if (changed && packed?.shape === shape) this.#patch(changed, packed);
    else await this.#pack(changed, shape, answer);
  }

  /** The tree keeps its shape: the changed files (and their folders' times) patched into the last tree,
   *  and each whose bytes are a new version told to watchers. */
  #patch(changed: readonly number[], packed: Packed): void {
    const tree = this.#view.tree;
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
      // A file moved aside stays so (scratch-files.ts): only what it takes is new.
      packed.tree.flags[i] = (facts.writable ? NODE_WRITABLE : 0) | (packed.tree.flags[i]! & NODE_ASIDE);
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
    void this.echo.tell(told.map((i) => modified(packed.tree, i)));
  }

  /** Makes the arrays the next repack writes its tree in when there are none, their pages touched a step
   *  at a time between the requests this thread answers: the first publish after the start would make
   *  them fresh (the next reuses the start's tree). */
  readySpare(): void {
    if (!this.#packed || this.#spare) return;
    const { spare, touch } = spareLike(this.#packed.tree);
    const step = () => {
      if (this.#spare) return; // a publish came first: it made its own
      if (touch.next().done) this.#spare = spare;
      else setImmediate(step);
    };
    step();
  }

  /** The tree packed again — only the top-level folders the view rebuilt, when that is all that changed —
   *  handed to the binding, with the moves, new and removed entries told around it (mount-echo.ts). */
  async #pack(changed: readonly number[] | undefined, shape: string, answer: () => void): Promise<void> {
    const tree = this.#view.tree;
    const packed = this.#packed;
    const facts = (id: number) => this.#facts.get(id);
    // The tree rebuilt a few top-level folders since the last publish: only they are packed again, and
    // only the changed files sized.
    const tops = this.#view.rebuiltTops;
    const previous = `${this.#view.shape - 1}/${this.#scratch().shape}/${this.#playlists.shape}`;
    let next: NativeTree;
    let rebuilt: Repacked['rebuilt'] | undefined;
    /** The tree before's rebuilt nodes, when the repack wrote over the tree before. */
    let old: RepackedInPlace['old'] | undefined;
    const playlistNodes: number[] = [];
    const { files: scratch, asides } = this.#scratch();
    if (changed && tops && packed?.shape === previous && scratch.length === 0 && asides.length === 0) {
      this.#size(changed.map((id) => this.#view.record(id)).filter((r) => r !== undefined));
      for (const id of changed) if (!this.#view.record(id)) this.#facts.delete(id);
      const inPlace = repackInPlace(packed.tree, tree, tops, facts);
      if (inPlace) {
        ({ tree: next, old } = inPlace);
        rebuilt = { before: inPlace.rebuilt, after: inPlace.rebuilt };
        // The last tree is no more: should this publish fail, the next packs the tree whole (no shape is
        // empty), comparing it with this one.
        this.#packed = { ...packed, shape: '', tree: next, index: undefined };
      } else ({ tree: next, rebuilt } = repackTops(packed.tree, tree, tops, facts, this.#spare));
      // Copied from the last tree: as they were then. The nodes patched differ from the tree before too.
      this.#patchPlaylists(next, playlistNodes);
    } else {
      this.#size(this.#view.records());
      for (const id of this.#facts.keys()) if (!this.#view.record(id)) this.#facts.delete(id);
      // The playlists' folder only when there is one: a library without playlists looks as it always did.
      const folder =
        this.#playlists.count > 0 ? { ...this.#playlists.folder, files: this.#playlists.files } : undefined;
      next = packTree(tree, facts, scratch, folder, asides);
      this.#playlistsContent = this.#playlists.content;
    }
    // Moves, new and removed entries are told while the old names are still served; changed files once
    // the new tree serves them (mount-echo.ts). The first tree is the mount's start: nothing to tell. A
    // tree's index is made when a change first needs it (a quarter of a second at a million files): a
    // repack compares only the subtrees it rebuilt, a whole pack every node.
    const index = packed && !rebuilt ? indexByIno(next) : undefined;
    // A file whose aside the kernel ended was where its rewrite had been; one the daemon ended is where
    // the kernel still has it, under its aside name.
    const asideFrom = new Map(packed?.asideFrom);
    for (const id of this.#restored()) asideFrom.delete(fileIno(id));
    const changes = packed
      ? treeChanges(
          old?.tree ?? packed.tree,
          next,
          rebuilt
            ? {
                rebuilt: old ? { before: old.rebuilt, after: rebuilt.after } : rebuilt,
                oldAsideFrom: asideFrom,
              }
            : {
                oldIndex: packed.index ?? indexByIno(packed.tree),
                nextIndex: index!,
                oldAsideFrom: asideFrom,
              },
        )
      : undefined;
    // Where the binding compares the new tree with the last, and makes it from the last one's (in place).
    const ranges = rebuilt && packed && rebuiltRanges(rebuilt, playlistNodes, old ? next : packed.tree, next);
    if (changes && changes.before.length > 0) {
      answer();
      await this.echo.before(changes.before, () => this.#fuse.setPending(next, ranges));
    }
    // `next` unchanged since it was set pending: the binding publishes the snapshot it made of it then.
    this.#fuse.setTree(next, ranges);
    if (changes) void this.echo.tell(changes.after);
    // Written over, the tree before is this one.
    if (!old) this.#spare = packed?.tree;
    this.#packed = {
      shape,
      tree: next,
      index,
      asideFrom: new Map(asides.map((a) => [fileIno(a.fileId), a.name])),
    };
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

  #setFacts(record: ServedRecord, size: number): void {
    this.#facts.set(record.fileId, { size, version: record.seq, writable: savableThrough(record) });
  }
}

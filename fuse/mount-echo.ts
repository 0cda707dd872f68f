// The mount's own changes told to whoever watches it through inotify (mpd's auto_update, minidlna,
// Jellyfin, Plex): the kernel tells watchers only of operations that pass through its VFS, and a tree
// this daemon publishes passes through none. The binding's echo thread (fuse/native/echo.c) does for
// each change the operation a local file system would have seen, on the mount's own paths, and answers
// the requests that causes itself, changing nothing. A new tree is compared with the last one: folders
// and files that came, went or moved are told before the new tree is published (the old names must
// still be there to move, the new ones not yet, or the kernel would see nothing to do), and files whose
// bytes changed — a moved or new one too, whose first events a watcher may have read from the old tree —
// after it, as an open for writing that closes (IN_CLOSE_WRITE).
import { type FuseBinding, type NativeTree, NODE_ASIDE, NODE_DIR, NODE_SCRATCH } from './native-binding.ts';
import type { NodeRange, Repacked } from './native-tree.ts';

/** What a change is: the numbers are the contract with fuse/native/echo.h. */
export const Echo = { mkdir: 1, rename: 2, create: 3, unlink: 4, rmdir: 5, modify: 6 } as const;
type EchoKind = (typeof Echo)[keyof typeof Echo];

/** One change to tell: paths relative to the mount point, as bytes (latin1 strings hold them 1:1). */
export interface EchoOp {
  readonly kind: EchoKind;
  readonly path: string;
  /** Where a move goes. */
  readonly to?: string;
  /** The node the change makes (a folder or file made, a file changed): what its requests are told. */
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly flags: number;
}

/** A tree's changes: those told before it is published, and those after. */
export interface TreeChanges {
  readonly before: EchoOp[];
  readonly after: EchoOp[];
}

/** A tree's names as one Buffer (a view, no copy). */
const namesOf = (tree: NativeTree) =>
  Buffer.from(tree.names.buffer, tree.names.byteOffset, tree.names.byteLength);
const nameStart = (tree: NativeTree, i: number) => (i === 0 ? 0 : tree.nameEnd[i - 1]!);

/** Node `i`'s path from its parents, as bytes in a latin1 string ('' for the root). */
export function pathOf(tree: NativeTree, i: number, names = namesOf(tree)): string {
  const parts: string[] = [];
  for (let at = i; at !== 0; at = tree.parent[at]!)
    parts.push(names.toString('latin1', nameStart(tree, at), tree.nameEnd[at]));
  return parts.reverse().join('/');
}

/** Node index by inode number: of the nodes in `ranges`, or every node. */
export function indexByIno(
  tree: NativeTree,
  ranges: readonly NodeRange[] = [[0, tree.ino.length]],
): Map<number, number> {
  const index = new Map<number, number>();
  for (const [from, to] of ranges) for (let i = from; i < to; i++) index.set(tree.ino[i]!, i);
  return index;
}

const opOf = (kind: EchoKind, tree: NativeTree, i: number, path: string, to?: string): EchoOp => ({
  kind,
  path,
  ...(to === undefined ? {} : { to }),
  ino: tree.ino[i]!,
  size: tree.size[i]!,
  mtimeMs: tree.mtimeMs[i]!,
  flags: tree.flags[i]!,
});

/** A file's bytes are another version's. */
export const modified = (tree: NativeTree, i: number, path = pathOf(tree, i)): EchoOp =>
  opOf(Echo.modify, tree, i, path);

/** What treeChanges may be given besides the two trees. */
export interface Compared {
  /** The trees' indexes (indexByIno), when the caller has them. */
  readonly oldIndex?: ReadonlyMap<number, number>;
  readonly nextIndex?: ReadonlyMap<number, number>;
  /** Where files moved aside in `old` were, by inode (below). */
  readonly oldAsideFrom?: ReadonlyMap<number, string>;
  /** Where the trees may differ (repackTops' rebuilt subtrees), every other node of `next` a copy of one
   *  of `old`: only these are compared, and indexed. Without it, every node. */
  readonly rebuilt?: Repacked['rebuilt'];
}

/**
 * The changes from tree `old` to tree `next`, by inode number (a folder's follows its path, a file's its
 * id): only the nodes that changed have their paths made, and only the subtrees rebuilt are compared, so
 * a retitle in a tree of 100k files costs its album's folders, not a pass over every node. A tagger's
 * scratch files are its own doing, told by the kernel already, and so is a move aside and its end by the
 * kernel (its unlink, or a move back): a file moved aside in `old` whose name in `oldAsideFrom` (by inode)
 * is given was where that says, which its rewrite took there. One the daemon put back (not in
 * `oldAsideFrom`) is still under its aside name in the kernel: that name goes, and the file comes where it
 * is served (over whatever rewrite the kernel had there).
 */
export function treeChanges(old: NativeTree, next: NativeTree, compared: Compared = {}): TreeChanges {
  const oldRanges = compared.rebuilt?.before ?? [[1, old.ino.length]];
  const nextRanges = compared.rebuilt?.after ?? [[1, next.ino.length]];
  const oldIndex = compared.oldIndex ?? indexByIno(old, oldRanges);
  const nextIndex = compared.nextIndex ?? indexByIno(next, nextRanges);
  const oldAsideFrom = compared.oldAsideFrom ?? new Map<number, string>();
  const [oldNames, nextNames] = [namesOf(old), namesOf(next)];
  const nameIn = (tree: NativeTree, names: Buffer, i: number) =>
    names.toString('latin1', nameStart(tree, i), tree.nameEnd[i]);
  /** Node `i` of the old tree's name, as bytes in a latin1 string: a file moved aside, where it was. */
  const oldName = (i: number) => {
    const from = old.flags[i]! & NODE_ASIDE ? oldAsideFrom.get(old.ino[i]!) : undefined;
    return from === undefined ? nameIn(old, oldNames, i) : Buffer.from(from).toString('latin1');
  };
  const oldPath = (i: number) => {
    const dir = old.parent[i] === 0 ? '' : `${pathOf(old, old.parent[i]!, oldNames)}/`;
    return old.flags[i]! & NODE_ASIDE ? `${dir}${oldName(i)}` : pathOf(old, i, oldNames);
  };
  const sameName = (i: number, j: number) =>
    old.flags[i]! & NODE_ASIDE
      ? oldName(i) === nameIn(next, nextNames, j)
      : oldNames.compare(
          nextNames,
          nameStart(next, j),
          next.nameEnd[j],
          nameStart(old, i),
          old.nameEnd[i],
        ) === 0;
  const samePlace = (i: number, j: number) =>
    old.ino[old.parent[i]!] === next.ino[next.parent[j]!] && sameName(i, j);
  const before: EchoOp[] = [];
  const after: EchoOp[] = [];
  const made: EchoOp[] = [];
  const moves: Array<{ from: string; to: string; j: number }> = [];
  for (const j of nodesOf(nextRanges)) {
    const flags = next.flags[j]!;
    if (flags & NODE_SCRATCH) continue;
    const i = oldIndex.get(next.ino[j]!);
    if (flags & NODE_ASIDE) {
      // Moved aside by the kernel; already aside, its bytes may have changed since.
      if (i !== undefined && old.flags[i]! & NODE_ASIDE && old.version[i] !== next.version[j])
        after.push(modified(next, j));
      continue;
    }
    if (i !== undefined && old.flags[i]! & NODE_ASIDE && !oldAsideFrom.has(old.ino[i]!)) {
      before.push(opOf(Echo.unlink, old, i, pathOf(old, i, oldNames)));
      const path = pathOf(next, j, nextNames);
      made.push(opOf(Echo.create, next, j, path));
      after.push(modified(next, j, path));
      continue;
    }
    if (flags & NODE_DIR) {
      // Folders that came, parents first (the order they are packed in).
      if (i === undefined) before.push(opOf(Echo.mkdir, next, j, pathOf(next, j, nextNames)));
      continue;
    }
    if (i === undefined) {
      const path = pathOf(next, j, nextNames);
      made.push(opOf(Echo.create, next, j, path));
      after.push(modified(next, j, path));
      continue;
    }
    const moved = !samePlace(i, j);
    if (moved) moves.push({ from: oldPath(i), to: pathOf(next, j, nextNames), j });
    if (moved || old.version[i] !== next.version[j]) after.push(modified(next, j));
  }
  const gone: EchoOp[] = [];
  for (const i of nodesOf(oldRanges, true)) {
    const flags = old.flags[i]!;
    if (flags & NODE_SCRATCH || nextIndex.has(old.ino[i]!)) continue;
    // Folders left empty go children first: the reverse of the order they are packed in.
    if (flags & NODE_DIR) gone.push(opOf(Echo.rmdir, old, i, pathOf(old, i, oldNames)));
    else before.push(opOf(Echo.unlink, old, i, pathOf(old, i, oldNames)));
  }
  // Moves, each once its new name is free: only another moving file can hold it (a removed one went
  // first, one that stays cannot be where a file comes).
  const taken = new Set(moves.map((m) => m.from));
  let waiting = moves;
  for (let moved = true; moved && waiting.length > 0; ) {
    moved = false;
    const still: typeof moves = [];
    for (const m of waiting) {
      if (taken.has(m.to)) {
        still.push(m);
        continue;
      }
      before.push(opOf(Echo.rename, next, m.j, m.from, m.to));
      taken.delete(m.from);
      moved = true;
    }
    waiting = still;
  }
  // Files trading names (a cycle of moves): each goes, then comes back under its new name.
  for (const m of waiting) before.push(opOf(Echo.unlink, next, m.j, m.from));
  for (const m of waiting) before.push(opOf(Echo.create, next, m.j, m.to));
  for (const op of made) before.push(op);
  for (const op of gone) before.push(op);
  return { before, after };
}

/** The nodes of `ranges` in order, or the other way (`reversed`). */
function* nodesOf(ranges: readonly NodeRange[], reversed = false): Generator<number> {
  if (!reversed) for (const [from, to] of ranges) for (let i = from; i < to; i++) yield i;
  else
    for (let r = ranges.length - 1; r >= 0; r--)
      for (let i = ranges[r]![1] - 1; i >= ranges[r]![0]; i--) yield i;
}

/** Each change as the binding reads it (echo.c: RECORD bytes, then its paths). */
const RECORD = 36;

function pack(ops: readonly EchoOp[]): Buffer {
  let total = 0;
  for (const op of ops) total += RECORD + op.path.length + (op.to?.length ?? 0);
  const out = Buffer.alloc(total);
  let at = 0;
  for (const op of ops) {
    const to = op.to ?? '';
    out.writeUInt8(op.kind, at);
    out.writeUInt8(op.flags, at + 1);
    out.writeUInt32LE(op.path.length, at + 4);
    out.writeUInt32LE(to.length, at + 8);
    out.writeDoubleLE(op.ino, at + 12);
    out.writeDoubleLE(op.size, at + 20);
    out.writeDoubleLE(op.mtimeMs, at + 28);
    at += RECORD;
    at += out.write(op.path, at, 'latin1');
    at += out.write(to, at, 'latin1');
  }
  return out;
}

/** How long a batch may take before the tree is published all the same (a hung mount is said). */
const DEADLINE_MS = 30_000;
/** How long new folders stand before anything comes into them: a server told of a new folder adds a
 *  watch on it, and only a watched folder hears of a move into it (mpd then never looks again). mpd and
 *  minidlna take milliseconds on a quiet machine; under load (a sanitized daemon, both cores busy) mpd
 *  once took more than the 50 ms given before and missed a file. Only a change that makes folders waits. */
const SETTLE_MS = 200;
/** Changes at most in one batch: a wide retag is told in parts, each a bounded buffer. */
const BATCH = 4096;

export class MountEcho {
  readonly #fuse: FuseBinding;
  readonly #problem: (line: string) => void;
  readonly #told: (paths: Iterable<string>) => void;
  readonly #waiting = new Map<number, () => void>();
  #next = 1;
  /** Whether the mount is served: before it is (saves adopted, playlists rendered as the daemon starts)
   *  no watcher can be watching it, and there is nothing to tell. */
  #serving = false;

  /** `told`: the paths of each change as it is told (the media servers to tell: app/core/mounts/player-notifier.ts). */
  constructor(fuse: FuseBinding, problem: (line: string) => void, told: (paths: Iterable<string>) => void) {
    this.#fuse = fuse;
    this.#problem = problem;
    this.#told = told;
  }

  /** The mount is served from now on: changes are told. */
  serving(): void {
    this.#serving = true;
  }

  /** Tells what a tree changes before it is published: its new folders first, a moment for watchers to
   *  watch them, then the rest. `pending` is called before any is told, to answer for the names they make
   *  (the folders, the files moved or made: fuse/native/told_names.c). */
  async before(ops: readonly EchoOp[], pending: () => void): Promise<void> {
    if (!this.#serving || ops.length === 0) return;
    pending();
    const made = ops.filter((op) => op.kind === Echo.mkdir);
    if (made.length > 0) {
      await this.tell(made);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
    await this.tell(ops.filter((op) => op.kind !== Echo.mkdir));
  }

  /** Tells the changes; resolves once they are all told (or past the deadline, said). Never rejects. */
  async tell(ops: readonly EchoOp[]): Promise<void> {
    if (!this.#serving) return;
    const text = (path: string) => Buffer.from(path, 'latin1').toString('utf8');
    if (ops.length > 0)
      this.#told(ops.flatMap((op) => (op.to === undefined ? [text(op.path)] : [text(op.path), text(op.to)])));
    for (let i = 0; i < ops.length; i += BATCH) await this.#batch(ops.slice(i, i + BATCH));
  }

  #batch(ops: readonly EchoOp[]): Promise<void> {
    const id = this.#next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        this.#problem(`telling watchers of ${ops.length} changes took over ${DEADLINE_MS / 1000} s`);
        resolve();
      }, DEADLINE_MS);
      this.#waiting.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        this.#fuse.echo(pack(ops), id);
      } catch (err) {
        this.#waiting.get(id)?.();
        this.#waiting.delete(id);
        this.#problem(`cannot tell watchers of changes: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  /** The binding's word that batch `id` is done, `failed` of its `count` changes not told (the first
   *  failure's reason). */
  echoed(id: number, failed: number, count: number, first: string): void {
    if (failed > 0) this.#problem(`told watchers of ${count - failed} of ${count} changes; ${first}`);
    this.#waiting.get(id)?.();
    this.#waiting.delete(id);
  }
}

// The mount's own changes told to whoever watches it through inotify (mpd's auto_update, minidlna,
// Jellyfin, Plex): the kernel tells watchers only of operations that pass through its VFS, and a tree
// this daemon publishes passes through none. The binding's echo thread (fuse/native/echo.c) does for
// each change the operation a local file system would have seen, on the mount's own paths, and answers
// the requests that causes itself, changing nothing. A new tree is compared with the last one: folders
// and files that came, went or moved are told before the new tree is published (the old names must
// still be there to move, the new ones not yet, or the kernel would see nothing to do), and files whose
// bytes changed — a moved or new one too, whose first events a watcher may have read from the old tree —
// after it, as an open for writing that closes (IN_CLOSE_WRITE).
import { type FuseBinding, type NativeTree, NODE_DIR, NODE_SCRATCH } from './native-binding.ts';

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

/** Node `i`'s name as bytes in a latin1 string. */
function nameOf(tree: NativeTree, i: number): string {
  const names = Buffer.from(tree.names.buffer, tree.names.byteOffset, tree.names.byteLength);
  return names.toString('latin1', i === 0 ? 0 : tree.nameEnd[i - 1], tree.nameEnd[i]);
}

/** Every node's path ('' for the root): nodes are packed depth-first, parents before children. */
function pathsOf(tree: NativeTree): string[] {
  const out = new Array<string>(tree.ino.length);
  out[0] = '';
  for (let i = 1; i < tree.ino.length; i++) {
    const parent = out[tree.parent[i]!]!;
    out[i] = parent === '' ? nameOf(tree, i) : `${parent}/${nameOf(tree, i)}`;
  }
  return out;
}

/** Node `i`'s path, from its parents (for a few nodes of a large tree). */
export function pathOf(tree: NativeTree, i: number): string {
  const parts: string[] = [];
  for (let at = i; at !== 0; at = tree.parent[at]!) parts.push(nameOf(tree, at));
  return parts.reverse().join('/');
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
export const modified = (tree: NativeTree, i: number, path: string): EchoOp =>
  opOf(Echo.modify, tree, i, path);

/** The changes from tree `old` to tree `next`: files by inode number, folders by path (a tagger's scratch
 *  files are its own doing, told by the kernel already). */
export function treeChanges(old: NativeTree, next: NativeTree): TreeChanges {
  const [oldPaths, nextPaths] = [pathsOf(old), pathsOf(next)];
  const index = (tree: NativeTree, paths: string[]) => {
    const dirs = new Map<string, number>();
    const files = new Map<number, number>();
    for (let i = 1; i < tree.ino.length; i++) {
      if (tree.flags[i]! & NODE_SCRATCH) continue;
      if (tree.flags[i]! & NODE_DIR) dirs.set(paths[i]!, i);
      else files.set(tree.ino[i]!, i);
    }
    return { dirs, files };
  };
  const [was, now] = [index(old, oldPaths), index(next, nextPaths)];
  const before: EchoOp[] = [];
  const after: EchoOp[] = [];
  // Folders that came, parents first (the order they are packed in).
  for (const [path, i] of now.dirs) if (!was.dirs.has(path)) before.push(opOf(Echo.mkdir, next, i, path));
  for (const [ino, i] of was.files)
    if (!now.files.has(ino)) before.push(opOf(Echo.unlink, old, i, oldPaths[i]!));
  // Moves, each once its new name is free: a file moving onto another's old name waits for that one.
  const taken = new Set<string>();
  let moves: Array<{ from: string; to: string; i: number }> = [];
  for (const [ino, i] of was.files) {
    const j = now.files.get(ino);
    if (j === undefined) continue;
    taken.add(oldPaths[i]!);
    if (oldPaths[i] !== nextPaths[j]) moves.push({ from: oldPaths[i]!, to: nextPaths[j]!, i: j });
    if (old.version[i] !== next.version[j] || oldPaths[i] !== nextPaths[j])
      after.push(modified(next, j, nextPaths[j]!));
  }
  for (let moved = true; moved && moves.length > 0; ) {
    moved = false;
    const waiting: typeof moves = [];
    for (const m of moves) {
      if (taken.has(m.to)) {
        waiting.push(m);
        continue;
      }
      before.push(opOf(Echo.rename, next, m.i, m.from, m.to));
      taken.delete(m.from);
      taken.add(m.to);
      moved = true;
    }
    moves = waiting;
  }
  // Files trading names (a cycle of moves): each goes, then comes back under its new name.
  for (const m of moves) before.push(opOf(Echo.unlink, next, m.i, m.from));
  for (const m of moves) before.push(opOf(Echo.create, next, m.i, m.to));
  for (const [ino, i] of now.files)
    if (!was.files.has(ino)) {
      before.push(opOf(Echo.create, next, i, nextPaths[i]!));
      after.push(modified(next, i, nextPaths[i]!));
    }
  // Folders left empty, children first.
  const gone = [...was.dirs].filter(([path]) => !now.dirs.has(path)).reverse();
  for (const [path, i] of gone) before.push(opOf(Echo.rmdir, old, i, path));
  return { before, after };
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
 *  watch on it (mpd, minidlna: within milliseconds), and only a watched folder hears of a move into it. */
const SETTLE_MS = 50;
/** Changes at most in one batch: a wide retag is told in parts, each a bounded buffer. */
const BATCH = 4096;

export class MountEcho {
  readonly #fuse: FuseBinding;
  readonly #problem: (line: string) => void;
  readonly #waiting = new Map<number, () => void>();
  #next = 1;

  constructor(fuse: FuseBinding, problem: (line: string) => void) {
    this.#fuse = fuse;
    this.#problem = problem;
  }

  /** Tells what a tree changes before it is published: its new folders first (`newFolders` is called
   *  before, to answer for them), a moment for watchers to watch them, then the rest. */
  async before(ops: readonly EchoOp[], newFolders: () => void): Promise<void> {
    const made = ops.filter((op) => op.kind === Echo.mkdir);
    if (made.length > 0) {
      newFolders();
      await this.tell(made);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
    await this.tell(ops.filter((op) => op.kind !== Echo.mkdir));
  }

  /** Tells the changes; resolves once they are all told (or past the deadline, said). Never rejects. */
  async tell(ops: readonly EchoOp[]): Promise<void> {
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

// The virtual tree packed for the native binding: one typed array per field, names as UTF-8 back to back,
// nodes in depth-first order (so each top-level directory's subtree is one run of nodes, which a
// retitle packs again alone: repackTops).

import type { Aside } from '../app/core/mounted/scratch-files.ts';
import { type Child, fileIno, isDir, type VirtualTree } from '../app/core/mounted/virtual-tree.ts';
import {
  type NativeTree,
  NODE_ASIDE,
  NODE_DIR,
  NODE_SCRATCH,
  NODE_WRITABLE,
  type RebuiltRanges,
} from './native-binding.ts';

/** What the tree does not say about a file: its served size, version and whether it takes writes. */
export interface FileFacts {
  readonly size: number;
  readonly version: number;
  readonly writable: boolean;
}

/** A scratch file (see library-fs): listed in its directory; its size is asked of JS. */
export interface ScratchEntry {
  readonly ino: number;
  /** The directory's inode number. */
  readonly parent: number;
  readonly name: string;
  readonly mtimeMs: number;
}

/** A folder of files JS serves whole (the mount's playlists), listed at the top level. */
export interface ServedFolder {
  readonly ino: number;
  readonly name: string;
  readonly mtimeMs: number;
  readonly files: Iterable<{
    readonly ino: number;
    readonly name: string;
    readonly bytes: { readonly length: number };
    readonly mtimeMs: number;
    readonly version: number;
  }>;
}

type Facts = (fileId: number) => FileFacts | undefined;

/**
 * Nodes added one by one into typed arrays that grow by doubling, names written as UTF-8 as they come: a
 * million files packed without a JS array or a name string kept per node (arrays of numbers then copied
 * into typed ones took 1.3 s of a 1M mount's start, and their garbage more).
 */
class Packer {
  ino: Float64Array;
  parent: Uint32Array;
  flags: Uint8Array;
  size: Float64Array;
  mtimeMs: Float64Array;
  version: Float64Array;
  nameEnd: Uint32Array;
  names: Buffer;
  /** Nodes added. */
  length = 0;

  readonly tree: VirtualTree;
  readonly facts: Facts;
  /** The name each file moved aside is listed under, by file id. */
  readonly asides: ReadonlyMap<number, string>;

  /** `nodes`: about how many will be added. */
  constructor(tree: VirtualTree, facts: Facts, nodes = 0, asides: ReadonlyMap<number, string> = new Map()) {
    this.tree = tree;
    this.facts = facts;
    this.asides = asides;
    const room = Math.ceil(nodes * 1.1) + 1024;
    this.ino = new Float64Array(room);
    this.parent = new Uint32Array(room);
    this.flags = new Uint8Array(room);
    this.size = new Float64Array(room);
    this.mtimeMs = new Float64Array(room);
    this.version = new Float64Array(room);
    this.nameEnd = new Uint32Array(room);
    this.names = Buffer.allocUnsafe(room * 32);
  }

  add(
    ino: number,
    parent: number,
    flags: number,
    size: number,
    mtimeMs: number,
    version: number,
    name: string,
  ) {
    const i = this.length;
    if (i === this.ino.length) this.#grow();
    const nameAt = i === 0 ? 0 : this.nameEnd[i - 1]!;
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    if (nameAt + name.length * 3 > this.names.length) {
      const names = Buffer.allocUnsafe(Math.max(this.names.length * 2, nameAt + name.length * 3));
      this.names.copy(names, 0, 0, nameAt);
      this.names = names;
    }
    this.ino[i] = ino;
    this.parent[i] = parent;
    this.flags[i] = flags;
    this.size[i] = size;
    this.mtimeMs[i] = mtimeMs;
    this.version[i] = version;
    this.nameEnd[i] = nameAt + this.names.write(name, nameAt);
    this.length = i + 1;
  }

  #grow(): void {
    const twice = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.ino = twice(this.ino);
    this.parent = twice(this.parent);
    this.flags = twice(this.flags);
    this.size = twice(this.size);
    this.mtimeMs = twice(this.mtimeMs);
    this.version = twice(this.version);
    this.nameEnd = twice(this.nameEnd);
  }

  /** One entry below node `parent` and, for a directory, everything below it. */
  node(name: string, node: Child, parent: number): void {
    if (isDir(node)) {
      const at = this.length;
      this.add(node.ino, parent, NODE_DIR, 0, node.mtimeMs, 0, name);
      for (const [childName, child] of node.children) this.node(childName, child, at);
      return;
    }
    const f = this.facts(node);
    if (!f) return;
    const time = this.tree.fileTime(node);
    const aside = this.asides.get(node);
    const flags = (f.writable ? NODE_WRITABLE : 0) | (aside === undefined ? 0 : NODE_ASIDE);
    this.add(fileIno(node), parent, flags, f.size, time, f.version, aside ?? name);
  }

  /** The nodes added, in arrays of their own (the binding copies them; the packed tree is kept, and its
   *  memory reused by a repack once it is let go: treeOf). */
  finish(): NativeTree {
    const n = this.length;
    const tree = treeOf(n, n === 0 ? 0 : this.nameEnd[n - 1]!, undefined);
    if (n > 0) copyNodes(tree, this, 0, n, 0, 0);
    return tree;
  }
}

/** `asides`: files a tagger moved aside, listed under the name it gave them, flagged NODE_ASIDE. */
export function packTree(
  tree: VirtualTree,
  facts: Facts,
  scratch: readonly ScratchEntry[] = [],
  folder?: ServedFolder,
  asides: readonly Aside[] = [],
): NativeTree {
  // Files and about one folder to each ten of them.
  const asideNames = new Map(asides.map((a) => [a.fileId, a.aside]));
  const p = new Packer(tree, facts, tree.fileCount * 1.1, asideNames);
  p.add(tree.root.ino, 0, NODE_DIR, 0, tree.root.mtimeMs, 0, '');
  for (const [name, child] of tree.root.children) p.node(name, child, 0);
  if (folder) {
    const at = p.length;
    p.add(folder.ino, 0, NODE_DIR, 0, folder.mtimeMs, 0, folder.name);
    // NODE_SCRATCH: the binding asks JS for their attributes and opens; not writable.
    for (const f of folder.files)
      p.add(f.ino, at, NODE_SCRATCH, f.bytes.length, f.mtimeMs, f.version, f.name);
  }
  if (scratch.length > 0) {
    const dirs = new Map<number, number>();
    for (let i = 0; i < p.length; i++) if (p.flags[i]! & NODE_DIR) dirs.set(p.ino[i]!, i);
    for (const s of scratch) {
      const at = dirs.get(s.parent);
      // Gone with its directory, or its name taken by a served file since (not one moved aside): not listed.
      const served = tree.directory(s.parent)?.children.get(s.name);
      if (at === undefined || (served !== undefined && (isDir(served) || !asideNames.has(served)))) continue;
      p.add(s.ino, at, NODE_WRITABLE | NODE_SCRATCH, 0, s.mtimeMs, 0, s.name);
    }
  }
  return p.finish();
}

/** Trees whose arrays repackTops made (each over an ArrayBuffer of its own): their memory can be reused. */
const REUSABLE = new WeakSet<NativeTree>();

/**
 * Arrays for `nodes` nodes and `nameBytes` bytes of names: views of `spare`'s buffers when they are large
 * enough, else of new ones with room to grow. A retitle at 100k files packs ~7 MB of arrays; made anew
 * each time, they kept V8 collecting its whole heap every few retitles.
 */
function treeOf(nodes: number, nameBytes: number, spare: NativeTree | undefined): NativeTree {
  const room = (n: number) => Math.ceil(n * 1.25) + 16;
  const fits = (a: ArrayBufferView | undefined, n: number, width: number) =>
    a !== undefined && a.buffer.byteLength >= n * width;
  const buffer = (a: ArrayBufferView | undefined, n: number, width: number) =>
    fits(a, n, width) ? (a!.buffer as ArrayBuffer) : new ArrayBuffer(room(n) * width);
  const tree: NativeTree = {
    ino: new Float64Array(buffer(spare?.ino, nodes, 8), 0, nodes),
    parent: new Uint32Array(buffer(spare?.parent, nodes, 4), 0, nodes),
    flags: new Uint8Array(buffer(spare?.flags, nodes, 1), 0, nodes),
    size: new Float64Array(buffer(spare?.size, nodes, 8), 0, nodes),
    mtimeMs: new Float64Array(buffer(spare?.mtimeMs, nodes, 8), 0, nodes),
    version: new Float64Array(buffer(spare?.version, nodes, 8), 0, nodes),
    names: Buffer.from(buffer(spare?.names, nameBytes, 1), 0, nameBytes),
    nameEnd: new Uint32Array(buffer(spare?.nameEnd, nodes, 4), 0, nodes),
  };
  REUSABLE.add(tree);
  return tree;
}

/** Arrays a repack of `tree` can write its tree in (treeOf), and the steps that touch their pages, a MiB
 *  each (a page's first write is a fault: at a million files 50 MB of them, about 150 ms). */
export function spareLike(tree: NativeTree): { spare: NativeTree; touch: Iterator<void> } {
  const spare = treeOf(tree.ino.length, tree.names.length, undefined);
  function* touch() {
    for (const a of Object.values(spare) as ArrayBufferView[])
      for (let at = 0; at < a.buffer.byteLength; at += 1 << 20) {
        new Uint8Array(a.buffer).fill(0, at, at + (1 << 20));
        yield;
      }
  }
  return { spare, touch: touch() };
}

/**
 * Nodes `[from, to)` of `src` written to `out` from node `at`, their names from byte `nameAt`; parents
 * other than the root move with them. Returns where the names written end.
 */
function copyNodes(
  out: NativeTree,
  src: NativeTree,
  from: number,
  to: number,
  at: number,
  nameAt: number,
): number {
  const shift = at - from;
  out.ino.set(src.ino.subarray(from, to), at);
  out.flags.set(src.flags.subarray(from, to), at);
  out.size.set(src.size.subarray(from, to), at);
  out.mtimeMs.set(src.mtimeMs.subarray(from, to), at);
  out.version.set(src.version.subarray(from, to), at);
  const nameFrom = src.nameEnd[from - 1] ?? 0;
  // Copied as they are where nothing moves (a retitle's kept subtrees: the same indices, and the same
  // name offsets before the rebuilt one), else each shifted.
  if (shift === 0) out.parent.set(src.parent.subarray(from, to), at);
  else
    for (let i = from; i < to; i++) out.parent[i + shift] = src.parent[i] === 0 ? 0 : src.parent[i]! + shift;
  const nameShift = nameAt - nameFrom;
  if (nameShift === 0) out.nameEnd.set(src.nameEnd.subarray(from, to), at);
  else for (let i = from; i < to; i++) out.nameEnd[i + shift] = src.nameEnd[i]! + nameShift;
  (out.names as Buffer).set(src.names.subarray(nameFrom, src.nameEnd[to - 1]), nameAt);
  return nameAt + (src.nameEnd[to - 1]! - nameFrom);
}

/** Nodes `[from, to)` of a packed tree. */
export type NodeRange = readonly [from: number, to: number];

/** A tree repacked, and where the two trees may differ: the rebuilt subtrees' nodes in the tree before
 *  and in this one (every other node is a copy of one before, in the same order). */
export interface Repacked {
  readonly tree: NativeTree;
  readonly rebuilt: { readonly before: readonly NodeRange[]; readonly after: readonly NodeRange[] };
}

/**
 * `packed` (packed from the tree before, without scratch files) with the top-level entries named
 * `tops` packed again from `tree`, every other top-level subtree copied as it was, a run of typed
 * arrays at a time: what packTree would give, but for the order of top-level entries (listings sort
 * them). A rebuilt entry keeps its place, new ones come last: a retitle changes no node's index, and the
 * binding then makes its tree from the last one, the rebuilt folder apart (splice.c).
 */
export function repackTops(
  packed: NativeTree,
  tree: VirtualTree,
  tops: ReadonlySet<string>,
  facts: Facts,
  /** A tree no longer in use (the binding copied it) whose memory may be written over. */
  spare?: NativeTree,
): Repacked {
  const { added, packedAt } = packTops(tree, tops, facts);
  // The top-level subtrees in the order of the tree before, each copied or packed again; then new ones.
  const runs: Array<{ src: NativeTree; range: NodeRange }> = [];
  const rebuilt: NodeRange[] = [];
  for (const { name, range } of topLevel(packed)) {
    const last = runs.at(-1);
    if (!tops.has(name)) {
      // Kept subtrees back to back are copied as one run.
      if (last?.src === packed && last.range[1] === range[0]) last.range = [last.range[0], range[1]];
      else runs.push({ src: packed, range });
    } else {
      rebuilt.push(range);
      const again = packedAt.get(name);
      if (again) runs.push({ src: added, range: again });
      packedAt.delete(name);
    }
  }
  for (const range of packedAt.values()) runs.push({ src: added, range });
  const { tree: out, placed } = treeOfRuns(added, runs, spare && REUSABLE.has(spare) ? spare : undefined);
  const after = placed.filter((_, k) => runs[k]!.src === added);
  return { tree: out, rebuilt: { before: rebuilt, after } };
}

/** A tree of `root`'s root, then each run's nodes back to back (in `spare`'s arrays when they fit), and
 *  where each run went. */
function treeOfRuns(
  root: NativeTree,
  runs: ReadonlyArray<{ src: NativeTree; range: NodeRange }>,
  spare?: NativeTree,
): { tree: NativeTree; placed: NodeRange[] } {
  const total = runs.reduce((k, { range: [from, to] }) => k + to - from, 1);
  const nameBytes = runs.reduce(
    (k, { src, range: [from, to] }) => k + src.nameEnd[to - 1]! - src.nameEnd[from - 1]!,
    0,
  );
  const tree = treeOf(total, nameBytes, spare);
  let at = 1;
  let nameAt = copyNodes(tree, root, 0, 1, 0, 0);
  const placed = runs.map(({ src, range: [from, to] }): NodeRange => {
    nameAt = copyNodes(tree, src, from, to, at, nameAt);
    at += to - from;
    return [at - (to - from), at];
  });
  return { tree, placed };
}

/** A repack written over the tree before (repackInPlace). */
export interface RepackedInPlace {
  /** The tree before's arrays, the rebuilt subtrees written over theirs (a view of its names grown or
   *  shrunk with them): the tree before is no longer to be used. */
  readonly tree: NativeTree;
  /** The rebuilt subtrees' nodes, the same in both trees. */
  readonly rebuilt: readonly NodeRange[];
  /** Their nodes as they were, in a tree of their own after its root, at `old.rebuilt` (what the
   *  comparison of the two trees needs of the tree before). */
  readonly old: { readonly tree: NativeTree; readonly rebuilt: readonly NodeRange[] };
}

/**
 * repackTops without copying the subtrees kept: when each rebuilt top-level entry is still there with as
 * many nodes (a file renamed within its folder, a folder renamed) and none is new, their nodes are
 * written over the old ones in `packed` itself, the names after them moved by how much theirs grew. At a
 * million files the copy was a third of a retitle's publish, and on this VM memory left alone for a minute
 * is three times as slow to copy again. Undefined, `packed` untouched, when it cannot (or the names would
 * outgrow their buffer).
 */
export function repackInPlace(
  packed: NativeTree,
  tree: VirtualTree,
  tops: ReadonlySet<string>,
  facts: Facts,
): RepackedInPlace | undefined {
  const { added, packedAt } = packTops(tree, tops, facts);
  const rebuilt: Array<{ range: NodeRange; again: NodeRange }> = [];
  for (const { name, range } of topLevel(packed)) {
    if (!tops.has(name)) continue;
    const again = packedAt.get(name);
    if (!again || again[1] - again[0] !== range[1] - range[0]) return undefined;
    rebuilt.push({ range, again });
    packedAt.delete(name);
  }
  const bytes = (t: NativeTree, [from, to]: NodeRange) => t.nameEnd[to - 1]! - t.nameEnd[from - 1]!;
  const growth = rebuilt.map(({ range, again }) => bytes(added, again) - bytes(packed, range));
  const nameBytes = growth.reduce((k, grown) => k + grown, packed.names.length);
  // The names while they are moved: at most all that grows, before what shrinks.
  const most = growth.reduce((k, grown) => k + Math.max(grown, 0), packed.names.length);
  const room = packed.names.buffer.byteLength - packed.names.byteOffset;
  if (packedAt.size > 0 || rebuilt.length === 0 || most > room) return undefined;
  // The old nodes kept before they are written over: the root, then each rebuilt subtree.
  const old = treeOfRuns(
    packed,
    rebuilt.map(({ range }) => ({ src: packed, range })),
  );
  // The root's time from the tree rebuilt; then the subtrees, last first, so that moving the names after
  // one carries the ones written after it.
  const names = Buffer.from(packed.names.buffer, packed.names.byteOffset, room);
  const out: NativeTree = { ...packed, names };
  copyNodes(out, added, 0, 1, 0, 0);
  let length = packed.names.length;
  for (let k = rebuilt.length - 1; k >= 0; k--) {
    const { range, again } = rebuilt[k]!;
    const [from, to] = range;
    const grown = growth[k]!;
    if (grown !== 0) {
      names.copyWithin(packed.nameEnd[to - 1]! + grown, packed.nameEnd[to - 1]!, length);
      for (let i = to; i < packed.nameEnd.length; i++) packed.nameEnd[i] = packed.nameEnd[i]! + grown;
      length += grown;
    }
    copyNodes(out, added, again[0], again[1], from, packed.nameEnd[from - 1]!);
  }
  const written: NativeTree = { ...packed, names: names.subarray(0, nameBytes) };
  if (REUSABLE.has(packed)) REUSABLE.add(written);
  return {
    tree: written,
    rebuilt: rebuilt.map(({ range }) => range),
    old: { tree: old.tree, rebuilt: old.placed },
  };
}

/** The top-level entries named `tops` packed from `tree` after a root of their own (so their parent
 *  indices count from it), and where each is. */
function packTops(
  tree: VirtualTree,
  tops: ReadonlySet<string>,
  facts: Facts,
): { added: NativeTree; packedAt: Map<string, NodeRange> } {
  const fresh = new Packer(tree, facts);
  fresh.add(tree.root.ino, 0, NODE_DIR, 0, tree.root.mtimeMs, 0, '');
  const packedAt = new Map<string, NodeRange>();
  for (const name of tops) {
    const node = tree.root.children.get(name);
    const from = fresh.length;
    if (node) fresh.node(name, node, 0);
    if (fresh.length > from) packedAt.set(name, [from, fresh.length]);
  }
  return { added: fresh.finish(), packedAt };
}

/** A packed tree's top-level entries in order: each one's name and its subtree's nodes. */
function* topLevel(packed: NativeTree): Generator<{ name: string; range: NodeRange }> {
  const n = packed.ino.length;
  const decoder = new TextDecoder();
  for (let start = 1; start < n; ) {
    // The next top-level entry: the next node whose parent is the root (a native scan, fast before V8
    // optimizes the caller: a retitle runs it once).
    const next = packed.parent.indexOf(0, start + 1);
    const end = next < 0 ? n : next;
    yield {
      name: decoder.decode(packed.names.subarray(packed.nameEnd[start - 1], packed.nameEnd[start])),
      range: [start, end],
    };
    start = end;
  }
}

/**
 * Where the binding is to compare a repacked tree with the one before (setTree): the rebuilt subtrees,
 * and the nodes `patched` in `after` since it was repacked (copies that no longer are), each found in
 * `before` by its inode number.
 */
export function rebuiltRanges(
  rebuilt: Repacked['rebuilt'],
  patched: readonly number[],
  before: NativeTree,
  after: NativeTree,
): RebuiltRanges {
  const was = patched.map((i) => before.ino.indexOf(after.ino[i]!)).filter((j) => j > 0);
  const pairs = (ranges: readonly NodeRange[], nodes: readonly number[]) =>
    Uint32Array.from([...ranges.flat(), ...nodes.flatMap((i) => [i, i + 1])]);
  return { before: pairs(rebuilt.before, was), after: pairs(rebuilt.after, patched) };
}

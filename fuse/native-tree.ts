// The virtual tree packed for the native binding: one typed array per field, names as UTF-8 back to back.
import { type NativeTree, NODE_DIR, NODE_SCRATCH, NODE_WRITABLE } from './native-binding.ts';
import type { DirNode, VirtualTree } from './virtual-tree.ts';

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

export function packTree(
  tree: VirtualTree,
  facts: (fileId: number) => FileFacts | undefined,
  scratch: readonly ScratchEntry[] = [],
): NativeTree {
  const ino: number[] = [];
  const parent: number[] = [];
  const flags: number[] = [];
  const size: number[] = [];
  const mtimeMs: number[] = [];
  const version: number[] = [];
  const names: string[] = [];
  const add = (i: number, p: number, f: number, s: number, m: number, v: number, name: string) => {
    ino.push(i);
    parent.push(p);
    flags.push(f);
    size.push(s);
    mtimeMs.push(m);
    version.push(v);
    names.push(name);
  };
  const walk = (dir: DirNode, index: number) => {
    for (const [name, child] of dir.children) {
      if (child.kind === 'dir') {
        const at = ino.length;
        add(child.ino, index, NODE_DIR, 0, child.mtimeMs, 0, name);
        walk(child, at);
        continue;
      }
      const f = facts(child.fileId);
      if (f) add(child.ino, index, f.writable ? NODE_WRITABLE : 0, f.size, child.mtimeMs, f.version, name);
    }
  };
  add(tree.root.ino, 0, NODE_DIR, 0, tree.root.mtimeMs, 0, '');
  walk(tree.root, 0);
  if (scratch.length > 0) {
    const dirs = new Map<number, number>();
    for (let i = 0; i < ino.length; i++) if (flags[i]! & NODE_DIR) dirs.set(ino[i]!, i);
    for (const s of scratch) {
      const at = dirs.get(s.parent);
      // Gone with its directory, or its name taken by a served file since: not listed.
      if (at === undefined || tree.directory(s.parent)?.children.has(s.name)) continue;
      add(s.ino, at, NODE_WRITABLE | NODE_SCRATCH, 0, s.mtimeMs, 0, s.name);
    }
  }
  const nameEnd = new Uint32Array(names.length);
  let total = 0;
  for (let i = 0; i < names.length; i++) {
    total += Buffer.byteLength(names[i]!);
    nameEnd[i] = total;
  }
  const packed = Buffer.allocUnsafe(total);
  for (let i = 0; i < names.length; i++) packed.write(names[i]!, i === 0 ? 0 : nameEnd[i - 1]!);
  return {
    ino: Float64Array.from(ino),
    parent: Uint32Array.from(parent),
    flags: Uint8Array.from(flags),
    size: Float64Array.from(size),
    mtimeMs: Float64Array.from(mtimeMs),
    version: Float64Array.from(version),
    names: packed,
    nameEnd,
  };
}

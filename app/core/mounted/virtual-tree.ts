// The mounted library's directory tree: every track at its templated path, built in one pass and
// answering lookups and listings from maps. Names collide when a case-insensitive or normalising file
// system (APFS, NTFS, exFAT) would take one for the other (nameKey): folders that differ only so are one
// folder, spelled as the first file placed in it has it; files get " (2)", " (3)"…. Placing in file-id
// order makes the same library always give the same tree, and a new file (a higher id) the suffix;
// inode numbers come from file ids and from a directory allocator kept across rebuilds, so they stay
// the same.
import { hash } from 'node:crypto';
import { IdFloats } from '../../../kit/id-floats.ts';
import { IdTable } from '../../../kit/id-table.ts';
import { nameKey } from '../served/path-template.ts';

export interface TreeEntry {
  readonly fileId: number;
  /** Sanitized path components; the last is the file name. */
  readonly components: readonly string[];
  /** Modification time the file shows (ms). */
  readonly mtimeMs: number;
}

/** Entries to place: an array in any order, or another iterable in file-id order. */
export type Entries = readonly TreeEntry[] | Iterable<TreeEntry>;

/** A file as lookup and chain give it (made when asked: a directory holds its files by id). */
export interface FileNode {
  readonly kind: 'file';
  readonly ino: number;
  readonly fileId: number;
  readonly mtimeMs: number;
}

/** What a directory holds under a name: a directory, or a file by its id (a number, not an object: a
 *  million files' nodes took ~0.3 s of the mount's start to make and for collections to copy). */
export type Child = DirNode | number;

export const isDir = (child: Child | undefined): child is DirNode => typeof child === 'object';

export interface DirNode {
  readonly kind: 'dir';
  readonly ino: number;
  /** Entries by name, in insertion (file-id) order; listings sort them. */
  readonly children: Map<string, Child>;
  /** The newest entry's time, so a directory changes when something in it does. */
  mtimeMs: number;
}

export type TreeNode = FileNode | DirNode;

export const ROOT_INO = 1;

/** Files take even inode numbers from their ids. */
export const fileIno = (fileId: number): number => 2 * fileId + 2;

/** Folders' inode numbers: odd, from 2^32 + 1 on (below it: files' even ones, and the odd ones of
 *  playlists and scratch files), in a range of 2^40 numbers. */
const FOLDER_INO_BASE = 2 ** 32 + 1;
const FOLDER_INO_SLOTS = 2 ** 40;

/**
 * Odd inode numbers for directory paths, from a hash of the path: a folder has the same number on every
 * mount of the library (a backup, an NFS or SMB re-export, a player keying on it sees the same folder), and
 * one allocator kept across rebuilds keeps it for the mount's life. Two paths whose hashes meet (at 100,000
 * folders, one chance in 200 that any two do) get distinct numbers, the one seen later the next free slot.
 */
export class DirInodes {
  readonly #byPath = new Map<string, number>();
  readonly #taken = new Set<number>();

  ino(path: string): number {
    let ino = this.#byPath.get(path);
    if (ino === undefined) {
      let slot = hash('sha1', path, 'buffer').readUIntBE(0, 5); // 40 bits
      while (this.#taken.has(FOLDER_INO_BASE + 2 * slot)) slot = (slot + 1) % FOLDER_INO_SLOTS;
      ino = FOLDER_INO_BASE + 2 * slot;
      this.#taken.add(ino);
      this.#byPath.set(path, ino);
    }
    return ino;
  }
}

/** A directory's names by their key (nameKey), while entries are placed in it. */
type Keys = Map<string, string>;

/** What a build pass keeps of a directory it may place entries in: its names by key, and its path with a
 *  slash after it (made once: each file's path is it and the file's name, one string more a file). */
interface Placing {
  readonly keys: Keys;
  readonly prefix: string;
}

export class VirtualTree {
  readonly root: DirNode;
  /** The root's names by key, kept: rebuildTops finds a top-level folder by any spelling of it. Other
   *  directories' keys are made while a build places entries in them, and dropped after. */
  readonly #rootKeys: Keys = new Map();
  readonly #paths = new IdTable<string>();
  /** Each file's time (ms). */
  readonly #mtimes = new IdFloats();
  /** Directories by inode number, made on first use, with each one's parent beside them (a tree's
   *  directories change only in rebuildTops, which updates them for the folders it rebuilt: walking every
   *  directory again took 8 ms of each retitle's publish at a million files). */
  #dirs: Map<number, DirNode> | undefined;
  readonly #parents = new Map<number, DirNode>();
  /** Each directory's subdirectories in listing order, made on first use, dropped with its entry in #dirs. */
  readonly #subdirs = new Map<number, DirNode[]>();

  private constructor(root: DirNode) {
    this.root = root;
  }

  /** A tree of `entries`: an array in any order, or an iterable in file-id order (the view's, made as they
   *  are placed: a million entries held at once were each copied by a young-generation collection).
   *  `maxId`: the highest file id there may be, to make room for them at once. */
  static build(entries: Entries, inodes: DirInodes = new DirInodes(), maxId = 0): VirtualTree {
    const root: DirNode = { kind: 'dir', ino: ROOT_INO, children: new Map(), mtimeMs: 0 };
    const tree = new VirtualTree(root);
    tree.#paths.reserve(maxId);
    tree.#mtimes.reserve(maxId);
    tree.#placeAll(entries, inodes);
    tree.#stampTimes(root);
    return tree;
  }

  /** Places entries in file-id order (see build); the ids placed. */
  #placeAll(entries: Entries, inodes: DirInodes): number[] {
    const placing = this.#keysDuringBuild();
    const ids: number[] = [];
    const ordered = Array.isArray(entries) ? [...entries].sort((a, b) => a.fileId - b.fileId) : entries;
    for (const entry of ordered) {
      if (entry.fileId <= (ids.at(-1) ?? -1))
        throw new RangeError(`tree entries out of file-id order: ${entry.fileId} after ${ids.at(-1)}`);
      ids.push(entry.fileId);
      this.#place(entry, inodes, placing);
    }
    return ids;
  }

  /**
   * Builds again only the top-level directories named `tops` in any spelling (their keys), from
   * `entries` (every entry whose first component has one of those keys), in place: what a full build
   * would give when no file lies at the top level (a file there can push a directory aside as
   * "Name (2)"), which the caller makes sure of. A retitle at 100k files rebuilds one artist's folder,
   * not the whole tree. Returns the files whose path changed (came, went or moved): beside the changed
   * files, those a collision renamed with them; and the top-level names rebuilt, as they were and are.
   */
  rebuildTops(
    tops: ReadonlySet<string>,
    entries: Entries,
    inodes: DirInodes,
  ): { readonly moved: number[]; readonly names: Set<string> } {
    const before = new Map<number, string>();
    const gone = (node: Child): void => {
      if (isDir(node)) for (const child of node.children.values()) gone(child);
      else {
        before.set(node, this.#paths.get(node)!);
        this.#paths.delete(node);
        this.#mtimes.delete(node);
      }
    };
    const topKeys = new Set([...tops].map(nameKey));
    const names = new Set<string>();
    for (const key of topKeys) {
      const name = this.#rootKeys.get(key);
      if (name === undefined) continue;
      const top = this.root.children.get(name)!;
      if (isDir(top)) this.#unindex(top);
      gone(top);
      this.root.children.delete(name);
      this.#rootKeys.delete(key);
      names.add(name);
    }
    const placed = this.#placeAll(entries, inodes);
    for (const key of topKeys) {
      const name = this.#rootKeys.get(key);
      if (name !== undefined) names.add(name);
    }
    let newest = 0;
    for (const [name, child] of this.root.children) {
      newest = Math.max(
        newest,
        isDir(child) && names.has(name) ? this.#stampTimes(child) : this.#time(child),
      );
    }
    this.root.mtimeMs = newest;
    if (this.#dirs) {
      this.#subdirs.delete(this.root.ino);
      for (const name of names) {
        const top = this.root.children.get(name);
        if (top && isDir(top)) this.#index(top, this.root, this.#dirs);
      }
    }
    const moved = [...before].filter(([id, path]) => this.#paths.get(id) !== path).map(([id]) => id);
    for (const fileId of placed) if (!before.has(fileId)) moved.push(fileId);
    return { moved, names };
  }

  /** Keys and paths by directory for one build pass: the root's kept ones, the others' made as it goes. */
  #keysDuringBuild(): Map<DirNode, Placing> {
    return new Map([[this.root, { keys: this.#rootKeys, prefix: '/' }]]);
  }

  /** Files whose path in this tree is not the one they had in `before` (or that only one of them holds). */
  movedSince(before: VirtualTree): number[] {
    const moved: number[] = [];
    for (const [id, path] of this.#paths.entries()) if (before.#paths.get(id) !== path) moved.push(id);
    for (const id of before.#paths.keys()) if (!this.#paths.has(id)) moved.push(id);
    return moved;
  }

  /** Puts one entry at its path: directories made as needed (or found under another spelling), a name
   *  taken gets " (2)", " (3)"…. `placing`: the names by key and the path of each directory an entry may
   *  reach (the root and those this pass made). */
  #place(entry: TreeEntry, inodes: DirInodes, placing: Map<DirNode, Placing>): void {
    let dir = this.root;
    let at = placing.get(dir)!;
    const last = entry.components.length - 1;
    for (let i = 0; i < last; i++) {
      const name = directorySlot(dir, at.keys, entry.components[i]!);
      let next = dir.children.get(name) as DirNode | undefined;
      if (!next) {
        const path = at.prefix + name;
        next = { kind: 'dir', ino: inodes.ino(path), children: new Map(), mtimeMs: 0 };
        dir.children.set(name, next);
        at.keys.set(nameKey(name), name);
        placing.set(next, { keys: new Map(), prefix: `${path}/` });
      }
      dir = next;
      at = placing.get(dir)!;
    }
    const fileName = entry.components[last]!;
    let name = fileName;
    let key = nameKey(fileName);
    if (at.keys.has(key)) {
      const dot = fileName.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
      [name, key] = freeName(at.keys, stem, ext);
    }
    at.keys.set(key, name);
    dir.children.set(name, entry.fileId);
    this.#mtimes.set(entry.fileId, entry.mtimeMs);
    this.#paths.set(entry.fileId, at.prefix + name);
  }

  /** The node at an absolute path ("/", "/Artist/Album/01 Title.flac"). */
  lookup(path: string): TreeNode | undefined {
    let node: Child = this.root;
    for (const name of path.split('/')) {
      if (name === '') continue;
      if (!isDir(node)) return undefined;
      const next: Child | undefined = node.children.get(name);
      if (next === undefined) return undefined;
      node = next;
    }
    return isDir(node) ? node : this.file(node);
  }

  /** A file of the tree as a node. */
  file(fileId: number): FileNode {
    return { kind: 'file', ino: fileIno(fileId), fileId, mtimeMs: this.fileTime(fileId) };
  }

  /** A file's time (ms); NaN for a file not in the tree. */
  fileTime(fileId: number): number {
    return this.#mtimes.get(fileId) ?? Number.NaN;
  }

  /** A directory's or file's time. */
  #time(child: Child): number {
    return isDir(child) ? child.mtimeMs : this.fileTime(child);
  }

  /** Sets each directory's time below `dir` to its newest entry's; returns `dir`'s. */
  #stampTimes(dir: DirNode): number {
    let newest = 0;
    for (const child of dir.children.values())
      newest = Math.max(newest, isDir(child) ? this.#stampTimes(child) : this.fileTime(child));
    dir.mtimeMs = newest;
    return newest;
  }

  /** The directory with inode number `ino`. */
  directory(ino: number): DirNode | undefined {
    return this.#directories().get(ino);
  }

  /** Up to `count` directories after `ino` among its parent's, in the order a listing gives them (names
   *  by their UTF-8 bytes, as the binding sorts them): where a player walking the tree goes next. */
  foldersAfter(ino: number, count: number): DirNode[] {
    this.#directories();
    const parent = this.#parents.get(ino);
    if (!parent) return [];
    let order = this.#subdirs.get(parent.ino);
    if (!order) {
      const named = [...parent.children].flatMap(([name, node]) =>
        isDir(node) ? [{ key: Buffer.from(name), node }] : [],
      );
      order = named.sort((a, b) => Buffer.compare(a.key, b.key)).map((d) => d.node);
      this.#subdirs.set(parent.ino, order);
    }
    const at = order.findIndex((d) => d.ino === ino);
    return at < 0 ? [] : order.slice(at + 1, at + 1 + count);
  }

  #directories(): Map<number, DirNode> {
    if (!this.#dirs) {
      this.#parents.clear();
      this.#subdirs.clear();
      this.#dirs = new Map();
      this.#index(this.root, undefined, this.#dirs);
    }
    return this.#dirs;
  }

  /** `dir` and the directories below it into `dirs`, each with its parent. */
  #index(dir: DirNode, parent: DirNode | undefined, dirs: Map<number, DirNode>): void {
    dirs.set(dir.ino, dir);
    if (parent) this.#parents.set(dir.ino, parent);
    for (const child of dir.children.values()) if (isDir(child)) this.#index(child, dir, dirs);
  }

  /** `dir` and the directories below it out of the index, if it is made. */
  #unindex(dir: DirNode): void {
    if (!this.#dirs) return;
    this.#dirs.delete(dir.ino);
    this.#parents.delete(dir.ino);
    this.#subdirs.delete(dir.ino);
    for (const child of dir.children.values()) if (isDir(child)) this.#unindex(child);
  }

  /** Whether the top level holds `name` in any spelling (nameKey). */
  hasTop(name: string): boolean {
    return this.#rootKeys.has(nameKey(name));
  }

  /** Where a file is in the tree. */
  pathOf(fileId: number): string | undefined {
    return this.#paths.get(fileId);
  }

  /** The directories from the root down to a file, and the file. */
  chain(fileId: number): { readonly dirs: DirNode[]; readonly file: FileNode } | undefined {
    const path = this.#paths.get(fileId);
    if (path === undefined) return undefined;
    const dirs: DirNode[] = [this.root];
    const names = path.split('/').slice(1);
    for (const name of names.slice(0, -1)) dirs.push(dirs.at(-1)!.children.get(name) as DirNode);
    return { dirs, file: this.file(fileId) };
  }

  /**
   * A file's newer time, without a rebuild: its directories show it if it is their newest. False (and
   * nothing changed) when the time went back, which may lower a directory's time: rebuild then.
   */
  touch(fileId: number, mtimeMs: number): boolean {
    const at = this.chain(fileId);
    if (!at || mtimeMs < at.file.mtimeMs) return false;
    this.#mtimes.set(fileId, mtimeMs);
    for (const dir of at.dirs) dir.mtimeMs = Math.max(dir.mtimeMs, mtimeMs);
    return true;
  }

  get fileCount(): number {
    return this.#paths.size;
  }
}

/** The directory's name for folder `name`: a directory of that name, or of the same key (however it is
 *  spelled), or the first of "name (2)", "name (3)", … free or such a directory. A directory whose name a
 *  file took moves aside like any collision, and its later entries follow it there. */
function directorySlot(dir: DirNode, keys: Keys, name: string): string {
  if (isDir(dir.children.get(name))) return name; // most lookups: no key to make
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name} (${n})`;
    const taken = keys.get(nameKey(candidate));
    if (taken === undefined || isDir(dir.children.get(taken))) return taken ?? candidate;
  }
}

/** The first of "stem (2)ext", "stem (3)ext", … whose key is not taken, and its key. */
function freeName(keys: Keys, stem: string, ext: string): [name: string, key: string] {
  for (let n = 2; ; n++) {
    const name = `${stem} (${n})${ext}`;
    const key = nameKey(name);
    if (!keys.has(key)) return [name, key];
  }
}

// The typed face of the native FUSE binding (fuse/native/sleeve_fuse.c): the tree it serves, the
// requests it forwards to JS, and the replies JS sends back. Numbers here mirror the C enum.
import { createRequire } from 'node:module';
import type { ServedHole } from '../app/core/library/served-layout.ts';
import { bindingBuilt, bindingFile } from '../app/core/mounts/fuse-files.ts';

export const Op = {
  open: 1,
  read: 2,
  write: 3,
  flush: 4,
  release: 5,
  getattr: 6,
  setSize: 7,
  log: 8,
  exit: 9,
  /** A new file: `ino` is the directory, `data` the name, `flags` the open flags. */
  create: 10,
  /** A scratch file's name removed: `ino` is the directory, `data` the name. */
  unlink: 11,
  /** A scratch file moved: `ino` and `fh` are the old and new directories, `data` "name\0newname". */
  rename: 12,
  /** A directory was opened to be listed (no reply): `ino` is the directory. */
  listed: 13,
  /** Changes told to watchers (no reply): `ino` is the batch, `offset` how many failed of `size`, `data`
   *  the first failure's reason (mount-echo.ts). */
  echoed: 14,
} as const;

export const NODE_DIR = 1;
/** A file whose tags can be written through the mount (not served whole). */
export const NODE_WRITABLE = 2;
/** A scratch file a tagger created to rename over a served file: its attributes are asked of JS. */
export const NODE_SCRATCH = 4;
/** A served file a tagger moved aside to write it anew under its name: its unlink or move back is JS's. */
export const NODE_ASIDE = 8;

/** The tree as the binding takes it: node 0 is the root; `parent` holds node indices. */
export interface NativeTree {
  readonly ino: Float64Array;
  readonly parent: Uint32Array;
  readonly flags: Uint8Array;
  readonly size: Float64Array;
  readonly mtimeMs: Float64Array;
  /** A file's version (its change_seq): a new one drops the kernel's cached pages. */
  readonly version: Float64Array;
  /** UTF-8 names, back to back; node i's ends at nameEnd[i]. */
  readonly names: Uint8Array;
  readonly nameEnd: Uint32Array;
}

/**
 * One forwarded request. `req` must be answered exactly once with a reply*() (requests of op log and
 * exit have none). `fh` is JS's handle number (or -1); for getattr, `flags` 1 means a lookup asked. An
 * open's `offset` is the opening process and `size` when that process first opened the file (epoch ms);
 * a rename's `offset` is the renaming process.
 */
export type RequestHandler = (
  op: number,
  req: bigint,
  ino: number,
  fh: number,
  offset: number,
  size: number,
  data: Buffer | undefined,
  flags: number,
) => void;

/** A file version's layout: what the binding serves of it, and where its original is. */
export interface LayoutReply {
  readonly ino: number;
  /** The header's bytes, then the trailer's (the last `trailerSize`, served after the audio), without
   *  the pictures' data and the padding: each of `holes` is at `at` (in header and trailer together). */
  readonly header: Buffer;
  /** Pictures the binding reads from the library's art table (by hash) as a reader reaches them, and
   *  padding (hash null) it serves as zeros. */
  readonly holes?: readonly ServedHole[];
  readonly trailerSize?: number;
  readonly audioStart: number;
  /** The served file's size. */
  readonly size: number;
  readonly origSize: number;
  readonly origMtimeMs: number;
  /** The original's device (st_dev): the binding counts its calls on originals by it, so that a file
   *  system that stopped answering holds a few of its threads, never all. */
  readonly origDev: number;
  /** The original's path (its bytes when not valid UTF-8): later read-only opens of this version open it
   *  without asking JS. */
  readonly origPath: string | Buffer;
  /** The served path, for log lines. */
  readonly path: string;
  /** The file's version in the tree (its change_seq): the kernel's cached pages are one version's. */
  readonly version: number;
}

export interface OpenReply extends LayoutReply {
  /** JS's handle number: present for handles whose ops JS serves (writers). */
  readonly fh?: number;
  /** The original, read-only; the binding owns it when `fh` is absent. */
  readonly fd: number;
}

export interface RequestCounts {
  readonly lookup: number;
  readonly getattr: number;
  readonly open: number;
  readonly read: number;
  readonly readdir: number;
  readonly release: number;
  /** What a version's first open answered in C did with the file's start: stored before its reply (the
   *  opener's first read then never reaches the daemon) or after it; opens with nothing to store (the
   *  version's pages stored already); opens that stored nothing as too many threads were storing; opens
   *  JS answered (its reads go there too). */
  readonly startStoredEarly: number;
  readonly startStoredLate: number;
  readonly nothingStored: number;
  readonly startLeftOut: number;
  readonly openedInJs: number;
  /** Files whose cached pages the binding keeps track of now (at most mount.keptPagesFiles, and those
   *  whose pages are being dropped): a gauge, not a count since the mount. */
  readonly keptPagesFiles: number;
  /** Trees the binding made its own (setTree, setPending): each costs time in proportion to the files. */
  readonly treesBuilt: number;
  /** Node pages and arrays of trees made or patched (entries, inode table) in memory fresh from the
   *  system, not a tree's let go (fuse/native/node_pages.c): each page of it a fault, several times the
   *  tree's own cost. */
  readonly arraysInFreshMemory: number;
  /** Node pages copied for a tree made from another (a patch or a splice: the pages holding the nodes
   *  that changed, the rest shared). */
  readonly pagesCopied: number;
  /** Times readySpares made the memory of a tree like the served one (once a mount, once it is up). */
  readonly sparesReadied: number;
  /** Trees the binding made from the served one, the top-level folders a repack rebuilt in place apart
   *  (fuse/native/splice.c): each costs time in proportion to the files too, but a copy's. */
  readonly treesSpliced: number;
  /** Nodes the comparisons of a published tree with the one before have looked at (each a table lookup
   *  or two): every node of both, or only those a repack rebuilt. */
  readonly nodesCompared: number;
}

/** Where a repacked tree may differ from the one before (native-tree.ts: Repacked), as the binding takes
 *  it: [from, to) node ranges of each tree, back to back. Every other node but the root must be the tree
 *  before's, attributes included: where the binding makes its tree from the served one, it takes them
 *  from there unread (fuse/native/splice.h). */
export interface RebuiltRanges {
  readonly before: Uint32Array;
  readonly after: Uint32Array;
}

export interface FuseBinding {
  /** Publishes `tree`; with `rebuilt`, only the nodes it names (and the roots) are compared with the tree
   *  before for what the kernel must forget: every other node must be a copy of one before, in order. */
  setTree(tree: NativeTree, rebuilt?: RebuiltRanges): void;
  /** The tree last set, with the sizes, times, versions and flags of the nodes at `indices` taken from
   *  `tree` (the same tree, those nodes changed); only what changed of them is invalidated. */
  patchTree(tree: NativeTree, indices: Uint32Array): void;
  /** Returns the C heap's free pages to the system (malloc_trim). */
  trimMemory(): void;
  /** Makes the arrays the next tree will be built in, of the served tree's size, on a thread of its own
   *  (fuse/native/snapshot.c): the first publish after the start is then not in fresh memory, and the
   *  second builds in the start's tree's. */
  readySpares(): void;
  /** The tree to be published next, answering for the folders the echo thread makes meanwhile and the
   *  files it moves or makes; setTree given the same tree, unchanged, publishes what this made of it. */
  setPending(tree: NativeTree, rebuilt?: RebuiltRanges): void;
  /** The kernel's requests by kind since the mount (the counting guards read them from the report). */
  requestCounts(): RequestCounts;
  /** When `process` first opened the file `ino` (epoch ms; earlier when the binding's table let it go:
   *  fuse/native/readers.c); now when it never did. */
  readSince(process: number, ino: number): number;
  /** Queues changes for the echo thread to tell inotify watchers of (mount-echo.ts); an `echoed`
   *  request names batch `id` once they are done. Throws when the mount is not served. */
  echo(changes: Buffer, id: number): void;
  /** `options`: fusermount3's -o list (it mounts). `library` is the library's database: the binding
   *  reads cover art from it, read-only. An original's file system that leaves a call unanswered for
   *  `originalTimeoutSeconds` fails its files at once until it answers. The kernel keeps the pages of at
   *  most `keptPagesFiles` files across their opens (fuse/native/kept_pages.h). Throws with fusermount3's
   *  reason when it cannot mount. */
  mount(
    mountpoint: string,
    options: string,
    onRequest: RequestHandler,
    attrTimeoutSeconds: number,
    library: string,
    originalTimeoutSeconds: number,
    keptPagesFiles: number,
  ): void;
  unmount(): void;
  /** false when the open failed or its opener was gone (a native handle's fd is closed then). */
  replyOpen(req: bigint, reply: OpenReply): boolean;
  /** A layout built before its file was opened: the file's first read-only open of that version is then
   *  answered by the binding (folder-layouts.ts). */
  rememberLayout(layout: LayoutReply): void;
  /** A scratch file created and opened for writing under `fh`; false when its creator was gone. */
  replyCreate(
    req: bigint,
    reply: { readonly ino: number; readonly fh: number; readonly size: number; readonly mtimeMs: number },
  ): boolean;
  replyErr(req: bigint, errno: number): void;
  replyData(req: bigint, data: Buffer): void;
  replyWrite(req: bigint, count: number): void;
  /** `writable`: whether the file can be saved through the mount (0644 if so, else 0444). */
  replyAttr(
    req: bigint,
    ino: number,
    size: number,
    mtimeMs: number,
    asEntry: boolean,
    writable: boolean,
  ): void;
}

/** Opens a handle whose reads (and writes) come to JS: it has no original for the binding to read. */
export function replyServedByJs(
  fuse: FuseBinding,
  req: bigint,
  ino: number,
  fh: number,
  size: number,
  path: string,
  version: number,
): boolean {
  return fuse.replyOpen(req, {
    ino,
    fh,
    fd: 0, // unused
    header: Buffer.alloc(0),
    audioStart: 0,
    size,
    origSize: 0,
    origMtimeMs: 0,
    origDev: 0,
    origPath: '',
    path,
    version,
  });
}

export class BindingMissingError extends Error {
  override name = 'BindingMissingError';
}

export function loadBinding(): FuseBinding {
  if (!bindingBuilt()) {
    throw new BindingMissingError(
      'the FUSE binding is not built: run `node fuse/native/build.ts` (needs gcc, pkg-config, libfuse3-dev and libsqlite3-dev)',
    );
  }
  return createRequire(import.meta.url)(bindingFile()) as FuseBinding;
}

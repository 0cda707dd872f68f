// The filesystem operations of the mounted library, served on the daemon's main thread. Reads are
// segments: header bytes from memory, then positioned reads of the original's audio range. Nothing
// here reads the mount itself (that would deadlock the one thread serving it).
import { close, constants as fsConstants, fstatSync, open, read } from 'node:fs';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import type { Operations, Stat } from 'fuse-native';
import type { Db } from '../app/db/database.ts';
import type { TrackRecord } from '../app/media/read-track.ts';
import type { LibraryView, ServedRecord } from './library-view.ts';
import { type Layout, type Layouts, readHeaderPart } from './served-layout.ts';
import type { TreeNode } from './virtual-tree.ts';
import { commitWrite, servedBytes, WriteRejected } from './write-back.ts';
import { WriteOverlay } from './write-overlay.ts';

const E = constants.errno;
const openFile = promisify(open);

/** Another handle is writing the file. */
class Busy extends Error {}
const errno = (code: number) => -code;

interface Handle {
  readonly layout: Layout;
  readonly header: Buffer;
  /** The original, opened read-only. */
  readonly fd: number;
  readonly path: string;
  /** Present on handles opened for writing. */
  readonly written?: WriteOverlay;
  /** The handle's commits, one after another; release waits for them before closing `fd`. */
  committing?: Promise<number>;
  /** What the last commit saved: the next commit compares with it, not with what was served. */
  committed?: TrackRecord;
}

export type Log = (line: string) => void;

/** Every op answers: one that throws gets EIO (and a log line) instead of leaving its caller hanging. */
function guarded(log: () => Log, ops: Operations): Operations {
  const wrap =
    (name: string, op: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      try {
        op(...args);
      } catch (err) {
        log()(`EIO: ${name} failed: ${(err as Error).stack}`);
        (args.at(-1) as (err: number) => void)(errno(E.EIO));
      }
    };
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [name, wrap(name, op as (...args: unknown[]) => void)]),
  ) as Operations;
}

export class LibraryFs {
  readonly #db: Db;
  readonly #view: LibraryView;
  readonly #layouts: Layouts;
  readonly #log: Log;
  readonly #handles = new Map<number, Handle>();
  /** The writable handle of each file being written (one with unsaved writes at a time). */
  readonly #writers = new Map<number, number>();
  readonly #uid = process.getuid?.() ?? 0;
  readonly #gid = process.getgid?.() ?? 0;
  #nextHandle = 1;
  /**
   * Milliseconds added to a file's mtime each time a handle wrote to it. Written pages stay in the
   * kernel's cache, and with auto_cache only a new size or mtime drops them, so after a rejected write
   * (or one that changed no tag) the next open must not see what was written.
   */
  readonly #generations = new Map<number, number>();

  constructor(db: Db, view: LibraryView, layouts: Layouts, log: Log) {
    this.#db = db;
    this.#view = view;
    this.#layouts = layouts;
    this.#log = log;
  }

  #node(path: string): TreeNode | undefined {
    return this.#view.tree.lookup(path);
  }

  #record(path: string): ServedRecord | undefined {
    const node = this.#node(path);
    return node?.kind === 'file' ? this.#view.record(node.fileId) : undefined;
  }

  #fileStat(record: ServedRecord, size: number): Stat {
    const time = new Date(record.shownMtimeMs + (this.#generations.get(record.fileId) ?? 0));
    return {
      mode: fsConstants.S_IFREG | 0o644,
      uid: this.#uid,
      gid: this.#gid,
      size,
      nlink: 1,
      ino: 2 * record.fileId + 2,
      mtime: time,
      atime: time,
      ctime: time,
      blksize: 128 * 1024,
      blocks: Math.ceil(size / 512),
    };
  }

  /** Whether the original still is what was scanned; logs when it is not. */
  #unchanged(h: Handle): boolean {
    const { record } = h.layout;
    try {
      const st = fstatSync(h.fd);
      if (st.size === record.size && st.mtimeMs === record.mtimeMs) return true;
    } catch {}
    this.#log(`EIO ${h.path}: the original ${record.path} changed on disk since it was scanned; rescan it`);
    return false;
  }

  readonly ops: Operations = guarded(() => this.#log, {
    init: (cb) => cb(0),
    statfs: (_path, cb) =>
      cb(0, {
        bsize: 128 * 1024,
        frsize: 128 * 1024,
        blocks: 0,
        bfree: 0,
        bavail: 0,
        files: this.#view.tree.fileCount,
        ffree: 0,
        favail: 0,
        fsid: 0,
        flag: 0,
        namemax: 255,
      }),
    access: (path, mode, cb) => {
      const node = this.#node(path);
      if (!node) return cb(errno(E.ENOENT));
      const whole = node.kind === 'file' && this.#view.record(node.fileId)?.kind === 'whole';
      cb(whole && mode & fsConstants.W_OK ? errno(E.EROFS) : 0);
    },
    getattr: (path, cb) => {
      const node = this.#node(path);
      if (!node) return cb(errno(E.ENOENT));
      if (node.kind === 'dir') {
        const time = new Date(node.mtimeMs);
        return cb(0, {
          mode: fsConstants.S_IFDIR | 0o755,
          uid: this.#uid,
          gid: this.#gid,
          size: 4096,
          nlink: 2,
          ino: node.ino,
          mtime: time,
          atime: time,
          ctime: time,
        });
      }
      const record = this.#view.record(node.fileId);
      if (!record) return cb(errno(E.ENOENT));
      const writer = this.#handles.get(this.#writers.get(record.fileId) ?? 0);
      if (writer?.written?.dirty) return cb(0, this.#fileStat(writer.layout.record, writer.written.size));
      this.#layouts.get(record).then(
        (layout) => cb(0, this.#fileStat(record, layout.size)),
        (err: Error) => {
          this.#log(`EIO ${path}: ${err.message}`);
          cb(errno(E.EIO));
        },
      );
    },
    fgetattr: (_path, fd, cb) => {
      const h = this.#handles.get(fd);
      if (!h) return cb(errno(E.EBADF));
      cb(0, this.#fileStat(h.layout.record, h.written?.size ?? h.layout.size));
    },
    readdir: (path, cb) => {
      const node = this.#node(path);
      if (!node) return cb(errno(E.ENOENT));
      if (node.kind !== 'dir') return cb(errno(E.ENOTDIR));
      cb(0, ['.', '..', ...node.children.keys()]);
    },
    open: (path, flags, cb) => {
      const record = this.#record(path);
      if (!record) return cb(this.#node(path) ? errno(E.EISDIR) : errno(E.ENOENT));
      const writing = (flags & 3) !== fsConstants.O_RDONLY;
      if (writing && record.kind === 'whole') return cb(errno(E.EROFS));
      if (writing && this.#busy(record.fileId)) return cb(errno(E.EBUSY));
      this.#open(path, record, writing).then(
        (id) => cb(0, id),
        (err: Error) => {
          if (err instanceof Busy) return cb(errno(E.EBUSY));
          this.#log(`EIO ${path}: ${err.message}`);
          cb(errno(E.EIO));
        },
      );
    },
    read: (_path, fd, buf, len, pos, cb) => {
      const h = this.#handles.get(fd);
      if (!h) return cb(errno(E.EBADF));
      if (h.written) return cb(h.written.readInto(buf, 0, len, pos));
      if (!this.#unchanged(h)) return cb(errno(E.EIO));
      const { n, done, audioAt } = readHeaderPart(h.layout, h.header, buf, 0, len, pos);
      if (done === n) return cb(n);
      read(h.fd, buf, done, n - done, audioAt, (err, bytes) => {
        if (err || bytes !== n - done) {
          this.#log(
            `EIO ${h.path}: ${err ? err.message : 'the original is shorter than when it was scanned'}`,
          );
          return cb(errno(E.EIO));
        }
        cb(n);
      });
    },
    write: (_path, fd, buf, len, pos, cb) => {
      const h = this.#handles.get(fd);
      if (!h?.written) return cb(errno(E.EBADF));
      h.written.write(buf.subarray(0, len), pos);
      cb(len);
    },
    // truncate(2) on a path: the file's writer handle, as ftruncate on it (nothing else can truncate).
    truncate: (path, size, cb) => {
      const record = this.#record(path);
      if (!record) return cb(errno(E.ENOENT));
      const fd = this.#writers.get(record.fileId);
      if (fd === undefined) return cb(errno(E.EROFS));
      this.ops.ftruncate!(path, fd, size, cb);
    },
    ftruncate: (_path, fd, size, cb) => {
      const h = this.#handles.get(fd);
      if (!h?.written) return cb(errno(E.EBADF));
      h.written.truncate(size);
      cb(0);
    },
    // close() waits for flush (not for release), so a tagger's save is in the library when it exits.
    flush: (_path, fd, cb) => {
      const h = this.#handles.get(fd);
      if (!h) return cb(0);
      this.#commit(h).then(cb);
    },
    fsync: (path, _datasync, fd, cb) => this.ops.flush!(path, fd, cb),
    release: (_path, fd, cb) => {
      const h = this.#handles.get(fd);
      if (!h) return cb(0);
      this.#commit(h).then((err) => {
        this.#handles.delete(fd);
        if (this.#writers.get(h.layout.record.fileId) === fd) this.#writers.delete(h.layout.record.fileId);
        close(h.fd, () => cb(err));
      });
    },
    utimens: (path, _atime, _mtime, cb) => cb(this.#node(path) ? 0 : errno(E.ENOENT)),
    chmod: (_path, _mode, cb) => cb(errno(E.EROFS)),
    chown: (_path, _uid, _gid, cb) => cb(errno(E.EROFS)),
    create: (_path, _mode, cb) => cb(errno(E.EROFS)),
    mknod: (_path, _mode, _dev, cb) => cb(errno(E.EROFS)),
    unlink: (_path, cb) => cb(errno(E.EROFS)),
    rename: (_src, _dest, cb) => cb(errno(E.EROFS)),
    link: (_src, _dest, cb) => cb(errno(E.EROFS)),
    symlink: (_src, _dest, cb) => cb(errno(E.EROFS)),
    mkdir: (_path, _mode, cb) => cb(errno(E.EROFS)),
    rmdir: (_path, cb) => cb(errno(E.EROFS)),
  });

  async #open(path: string, record: ServedRecord, writing: boolean): Promise<number> {
    const layout = await this.#layouts.get(record);
    const fd = await openFile(record.path, 'r');
    try {
      const h: Handle = { layout, header: await layout.header(), fd, path };
      if (!this.#unchanged(h)) throw new Error('the original changed on disk since it was scanned');
      if (writing && this.#busy(record.fileId)) throw new Busy();
      const id = this.#nextHandle++;
      if (writing) {
        this.#writers.set(record.fileId, id);
        this.#handles.set(id, {
          ...h,
          written: new WriteOverlay(servedBytes(layout, h.header, fd), layout.size),
        });
      } else this.#handles.set(id, h);
      return id;
    } catch (err) {
      close(fd, () => {});
      throw err;
    }
  }

  /**
   * Whether another handle is writing the file. A writer whose writes are saved no longer counts: the
   * kernel releases a closed handle only after close() returned, so a tagger that reopens the file at
   * once must not find it busy.
   */
  #busy(fileId: number): boolean {
    const h = this.#handles.get(this.#writers.get(fileId) ?? 0);
    return h?.written?.dirty === true;
  }

  /**
   * Saves a handle's writes, after any commit still running on it; resolves to 0, or -EIO when they
   * were rejected (nothing is changed then).
   */
  #commit(h: Handle): Promise<number> {
    const previous = h.committing ?? Promise.resolve(0);
    h.committing = previous.then(() => (h.written?.dirty ? this.#save(h, h.written) : 0));
    return h.committing;
  }

  async #save(h: Handle, written: WriteOverlay): Promise<number> {
    written.dirty = false;
    const { fileId } = h.layout.record;
    this.#generations.set(fileId, (this.#generations.get(fileId) ?? 0) + 1);
    try {
      const saved = await commitWrite(this.#db, h, written, basename(h.path));
      h.committed = saved.after;
      if (saved.batch !== undefined) {
        this.#view.refresh(true);
        this.#log(`saved ${h.path} as edit batch ${saved.batch}`);
      }
      return 0;
    } catch (err) {
      const reason = err instanceof WriteRejected ? err.message : `internal error: ${(err as Error).stack}`;
      this.#log(`EIO ${h.path}: write rejected, nothing changed: ${reason}`);
      return errno(E.EIO);
    }
  }
}

// The mount's requests on a tagger's scratch files, translated: the files, their rules and their rename
// into a save are the core's (app/core/mounted/scratch-files.ts, scratch-rename.ts); the handles'
// replies, error numbers and the tree published before an answer are here.
import { constants as fsConstants } from 'node:fs';
import { constants } from 'node:os';
import type { Refusal, Scratch, ScratchFiles } from '../app/core/mounted/scratch-files.ts';
import type { ScratchRename } from '../app/core/mounted/scratch-rename.ts';
import { type FuseBinding, Op, replyServedByJs } from './native-binding.ts';

const E = constants.errno;

/** The error number each refusal is answered with. */
const ERRNO: Record<Refusal, number> = {
  'not-found': E.ENOENT,
  exists: E.EEXIST,
  'read-only': E.EROFS,
  busy: E.EBUSY,
  full: E.ENOSPC,
  invalid: E.EINVAL,
  rejected: E.EIO,
};

export interface ScratchRequestsDeps {
  readonly files: ScratchFiles;
  readonly renames: ScratchRename;
  readonly fuse: FuseBinding;
  /** Publishes the tree (a failure said, never thrown): a scratch file is listed before its create is
   *  answered, and gone at unlink. `answer`: as TreePublisher.publish's. */
  readonly publish: (answer?: () => void) => Promise<void>;
  /** Handle numbers, shared with the mount's other handles. */
  readonly nextHandle: () => number;
}

export class ScratchRequests {
  readonly #d: ScratchRequestsDeps;
  readonly #files: ScratchFiles;
  readonly #fuse: FuseBinding;

  constructor(d: ScratchRequestsDeps) {
    this.#d = d;
    this.#files = d.files;
    this.#fuse = d.fuse;
  }

  create(req: bigint, parent: number, name: string) {
    const fh = this.#d.nextHandle();
    const made = this.#files.create(parent, name, fh);
    if (typeof made === 'string') return this.#fuse.replyErr(req, ERRNO[made]);
    // Listed before the create is answered: once its handle closes, lookups are answered from the tree.
    this.#d.publish().then(() => {
      const reply = { ino: made.ino, fh, size: 0, mtimeMs: made.mtimeMs };
      if (!this.#fuse.replyCreate(req, reply)) this.#files.closeHandle(fh);
    });
  }

  open(req: bigint, s: Scratch, flags: number) {
    const fh = this.#d.nextHandle();
    const writing = (flags & 3) !== fsConstants.O_RDONLY;
    this.#files.open(s, fh, writing && (flags & fsConstants.O_TRUNC) !== 0);
    if (!replyServedByJs(this.#fuse, req, s.ino, fh, s.written.size, s.name, 0)) this.#files.closeHandle(fh);
  }

  /** A handle's ops on a scratch file: its bytes change, nothing is saved until it is renamed. */
  op(op: number, req: bigint, fh: number, s: Scratch, offset: number, size: number, data?: Buffer) {
    switch (op) {
      case Op.read:
        return this.#fuse.replyData(req, this.#files.read(s, offset, size));
      case Op.write:
        if (!data) return this.#fuse.replyErr(req, E.EBADF);
        if (!this.#files.write(s, data, offset)) return this.#fuse.replyErr(req, E.EIO);
        return this.#fuse.replyWrite(req, data.length);
      case Op.flush:
        this.#files.flushed(s);
        return this.#fuse.replyErr(req, 0);
      default:
        this.#files.closeHandle(fh);
        return this.#fuse.replyErr(req, 0);
    }
  }

  /** ftruncate on a scratch handle, or truncate(2) of a scratch file by path. */
  setSize(req: bigint, s: Scratch, size: number) {
    this.#files.setSize(s, size);
    this.#fuse.replyAttr(req, s.ino, s.written.size, s.mtimeMs, false, true);
  }

  /** `process`: the unlinking one, whose save is compared with what it read when the file was moved
   *  aside (scratch-rename.ts). */
  unlink(req: bigint, parent: number, name: string, process: number) {
    const taken = this.#d.renames.unlinkAside(parent, name, this.#readerOf(process), () =>
      this.#fuse.replyErr(req, 0),
    );
    if (taken !== undefined) return this.#answer(req, taken);
    const refused = this.#files.unlink(parent, name);
    if (refused) return this.#fuse.replyErr(req, ERRNO[refused]);
    // Answered before the echo tells a move in its folder, which the unlink holds.
    void this.#d.publish(() => this.#fuse.replyErr(req, 0));
  }

  /** `process`: the renaming one, whose save is compared with what it read (reader-base.ts). */
  rename(
    req: bigint,
    parent: number,
    name: string,
    newParent: number,
    newName: string,
    flags: number,
    process: number,
  ) {
    const asked = { parent, name, newParent, newName, flags, readerOf: this.#readerOf(process) };
    this.#answer(
      req,
      this.#d.renames.rename(asked, () => this.#fuse.replyErr(req, 0)),
    );
  }

  /** What `process` read of a file, by its inode number (reader-base.ts). */
  #readerOf(process: number) {
    return (ino: number) => ({ process, readAt: this.#fuse.readSince(process, ino) });
  }

  /** A refusal answered at once, or once a save's promise says it was rejected (its success answered
   *  as the tree is published). */
  #answer(req: bigint, done: Refusal | Promise<Refusal | undefined>): void {
    if (typeof done === 'string') this.#fuse.replyErr(req, ERRNO[done]);
    else
      done.then((refused) => {
        if (refused) this.#fuse.replyErr(req, ERRNO[refused]);
      });
  }
}

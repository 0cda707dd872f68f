// A tagger's rewrite of a served file taken in: a scratch file renamed over the file (a tagger saving by
// writing a copy, then renaming it into place), or written under the name of the file it moved aside,
// which it then unlinks (kid3's Ogg Vorbis save). Its bytes are that file as the tagger wrote it, taken in
// as a writer's save is — the audio must be the original's, the changed tags become one edit batch.
// Rejected, nothing changes and the rename or unlink fails (a renamed scratch file stays, for the tagger
// to remove; a file moved aside is served under its name again). A served file moves only aside and back;
// any other rename is refused. Each refusal is said in the mount's log; fuse/scratch-requests.ts turns it
// into an error number.
import type { FileLanes } from '../../../kit/file-lanes.ts';
import { UserError } from '../../../kit/user-error.ts';
import { checkOriginal, type Layouts } from '../library/served-layout.ts';
import { OriginalFile } from '../served/original-file.ts';
import { savableThrough } from '../served/served-plan.ts';
import type { ServedRecord } from '../served/served-record.ts';
import type { FsReport } from './fs-report.ts';
import type { LibraryView } from './library-view.ts';
import type { CheckedWrite, MountSaves } from './mount-saves.ts';
import { ProblemLog } from './problem-log.ts';
import type { Reader } from './reader-base.ts';
import type { Aside, Refusal, Scratch, ScratchFiles } from './scratch-files.ts';
import { fileIno, isDir } from './virtual-tree.ts';
import { checkWrite } from './write-back.ts';

export interface ScratchRenameDeps {
  readonly view: LibraryView;
  readonly scratch: ScratchFiles;
  readonly layouts: Layouts;
  readonly files: FileLanes;
  readonly report: FsReport;
  readonly saves: MountSaves;
  /** A picture a save brings in larger than this is refused (config.json's art.maxBytes). */
  readonly maxArtBytes: number;
  /** Whether another handle has unsaved writes to the file (fuse/write-sessions.ts). */
  readonly busy: (ino: number) => boolean;
}

/** Why a served file's move was refused, as the log says it. */
const MOVE_REFUSED: Partial<Record<Refusal, string>> = {
  'read-only':
    'a served file is named from its tags (edit them and it moves) and moves only aside, beside itself under a name extending its own, and back',
  exists: 'that name is taken',
  full: 'too many files are moved aside at once',
};

/** renameat2's flag that refuses to replace an entry (kid3 moves a file aside with it). */
const RENAME_NOREPLACE = 1;
/** How long a file stays aside with no rewrite being written under its name (kid3's whole save takes
 *  milliseconds): then a tagger that stopped half-way, or a `mv` the mount does not make, is undone. */
const ASIDE_IDLE_MS = 30_000;

/** A rename as the mount asks it; `flags`: renameat2's (RENAME_NOREPLACE, RENAME_EXCHANGE). */
export interface RenameAsked {
  readonly parent: number;
  readonly name: string;
  readonly newParent: number;
  readonly newName: string;
  readonly flags: number;
  /** What the renaming process read of the file it replaces (reader-base.ts), by that file's inode. */
  readonly readerOf: (ino: number) => Reader;
}

export class ScratchRename {
  readonly #d: ScratchRenameDeps;
  /** Refused moves said by their reason: a file manager moving a folder of served files writes one line
   *  for each reason and a count, not a line a file. */
  readonly #refusals: ProblemLog;

  constructor(d: ScratchRenameDeps) {
    this.#d = d;
    this.#refusals = new ProblemLog((line) => d.report.log(line));
  }

  /**
   * Takes the scratch file in as the save of the file it is renamed over: a refusal at once, or a promise
   * of the save (resolving to a refusal when it was rejected); `answer` answers the rename once it is
   * saved and the tree published (or before the echo tells a move in the folder the rename holds).
   */
  rename(r: RenameAsked, answer: () => void): Refusal | Promise<Refusal | undefined> {
    const { view } = this.#d;
    const s = this.#d.scratch.at(r.parent, r.name);
    if (!s) return this.#moveServed(r, answer);
    // RENAME_NOREPLACE or RENAME_EXCHANGE: a scratch file only ever replaces the file it rewrites.
    if (r.flags !== 0) return 'invalid';
    const target = view.tree.directory(r.newParent)?.children.get(r.newName);
    const record = target === undefined || isDir(target) ? undefined : view.record(target);
    const path = `${view.tree.pathOf(record?.fileId ?? -1) ?? r.newName}`;
    if (!record || !savableThrough(record))
      return this.#refuse(
        'read-only',
        `renaming ${r.name} over ${path}`,
        'only a file whose tags can be written can be replaced, and only by its rewrite',
      );
    if (this.#d.scratch.asideFrom(r.newParent, r.newName)) {
      // The rewrite of a file moved aside, arriving under its name: taken in when the aside is removed.
      if (r.newParent !== r.parent) return 'read-only';
      this.#d.scratch.takeName(s, r.newName);
      return this.#d.saves.serve(false, answer).then(() => undefined);
    }
    return this.#takeIn(s, record, `renaming ${r.name} over ${path}`, path, r.readerOf, answer);
  }

  /**
   * The unlink of `name` in `parent` when it is a file moved aside: the rewrite written under its name is
   * taken in as its save (a refusal at once, or a promise as rename's); undefined when it is none.
   */
  unlinkAside(
    parent: number,
    name: string,
    readerOf: (ino: number) => Reader,
    answer: () => void,
  ): Refusal | Promise<Refusal | undefined> | undefined {
    const scratch = this.#d.scratch;
    const aside = scratch.asideAt(parent, name);
    if (!aside) return undefined;
    const s = scratch.at(parent, aside.name);
    const record = this.#d.view.record(aside.fileId);
    const doing = `removing ${name}, moved aside from ${aside.name}`;
    if (!s || !record)
      return this.#refuseAside(aside, 'read-only', doing, `nothing was written under ${aside.name}`);
    const path = this.#d.view.tree.pathOf(record.fileId) ?? aside.name;
    return this.#takeIn(s, record, doing, path, readerOf, answer, aside);
  }

  /** A served file moved aside (to write its rewrite under its name) or back. */
  #moveServed(r: RenameAsked, answer: () => void): Refusal | Promise<undefined> {
    const { scratch, view } = this.#d;
    const back = scratch.asideAt(r.parent, r.name);
    // A served file moves only aside, beside itself, and back.
    if (r.newParent !== r.parent || (r.flags & ~RENAME_NOREPLACE) !== 0 || (back && back.name !== r.newName))
      return this.#refusedMove(r, 'read-only');
    if (back) {
      // The kernel moves the file back over the rewrite, if there is one.
      const rewrite = scratch.at(back.parent, back.name);
      if (rewrite) scratch.drop(rewrite);
      scratch.endAside(back, 'kernel');
      return this.#d.saves.serve(false, answer).then(() => undefined);
    }
    const moved = scratch.moveAside(r.parent, r.name, r.newName);
    if (typeof moved === 'string') return this.#refusedMove(r, moved);
    this.#d.report.log(`moved ${view.tree.pathOf(moved.fileId) ?? r.name} aside to ${r.newName}`);
    this.#expireIdle(moved);
    return this.#d.saves.serve(false, answer).then(() => undefined);
  }

  /** Said in the log, not as a problem (a plain `mv` in the mount is refused as on any read-only file
   *  system): a tagger's rename (kid3's file name from its tags) shows its user only the error. */
  #refusedMove(r: RenameAsked, why: Refusal): Refusal {
    if (why === 'not-found') return why;
    const { tree } = this.#d.view;
    const node = tree.directory(r.parent)?.children.get(r.name);
    const path = (node !== undefined && !isDir(node) && tree.pathOf(node)) || r.name;
    const reason = MOVE_REFUSED[why] ?? why;
    this.#refusals.say(`refused moving ${path} to ${r.newName}: ${reason}`, `refused moving: ${reason}`);
    return why;
  }

  /** Ends aside `a` once it has stayed idle (no rewrite open under its name) for ASIDE_IDLE_MS. */
  #expireIdle(a: Aside): void {
    setTimeout(() => {
      const rewrite = this.#d.scratch.at(a.parent, a.name);
      if (this.#d.scratch.asideAt(a.parent, a.aside) !== a) return;
      if (rewrite && (rewrite.handles > 0 || rewrite.moving)) return this.#expireIdle(a);
      this.#d.report.problem(
        `put ${a.name} back from ${a.aside}: left aside ${ASIDE_IDLE_MS / 1000} s with no rewrite being written`,
      );
      this.#restore(a);
    }, ASIDE_IDLE_MS).unref();
  }

  /**
   * Aside `a` ended by the daemon: the file served under its name again (the rewrite written there, if
   * any, dropped), published without waiting (a request refused holds its folder's lock, which the
   * echo's telling watchers needs).
   */
  #restore(a: Aside): void {
    this.#d.scratch.endAside(a, 'daemon');
    void this.#d.saves.serve(false);
  }

  /** A refusal that puts aside `a` back. */
  #refuseAside(a: Aside, why: Refusal, doing: string, reason: string): Refusal {
    this.#restore(a);
    return this.#refuse(why, doing, `${reason}; ${a.name} is served as it was`);
  }

  #refuse(why: Refusal, doing: string, reason: string): Refusal {
    this.#d.report.problem(`${why === 'rejected' ? 'EIO' : 'refused'} ${doing}: ${reason}`);
    return why;
  }

  /** Scratch file `s` taken in as the save of `record`'s file (moved aside as `aside`, if it was). */
  #takeIn(
    s: Scratch,
    record: ServedRecord,
    doing: string,
    path: string,
    readerOf: (ino: number) => Reader,
    answer: () => void,
    aside?: Aside,
  ): Refusal | Promise<Refusal | undefined> {
    if (s.unflushed || s.moving)
      return this.#refuse('busy', doing, 'it is still being written (close it first)');
    const ino = fileIno(record.fileId);
    if (this.#d.busy(ino))
      return this.#refuse('busy', doing, 'another handle has unsaved writes to that file');
    s.moving = true;
    return this.#replace(s, record, path, readerOf(ino), answer, aside).then(
      () => undefined,
      (err: Error) => {
        s.moving = false;
        const reason =
          err instanceof UserError
            ? `write rejected, nothing changed: ${err.message}`
            : `internal error: ${err.stack}`;
        if (!aside) return this.#refuse('rejected', doing, reason);
        // The file is served under its name again: the tagger's rewrite is what was refused.
        return this.#refuseAside(aside, 'rejected', doing, reason);
      },
    );
  }

  async #replace(
    s: Scratch,
    record: ServedRecord,
    path: string,
    reader: Reader,
    answer: () => void,
    aside: Aside | undefined,
  ): Promise<void> {
    const layout = await this.#d.layouts.get(record);
    const original = await OriginalFile.open(this.#d.files, record.disk);
    let checked: CheckedWrite;
    try {
      checkOriginal(original, record);
      const header = await original.pass(() => layout.header(original));
      const readBy = this.#d.saves.readBy(reader);
      checked = await checkWrite({ layout, header, original }, s.written, path, this.#d.maxArtBytes, readBy);
    } finally {
      original.close();
    }
    const saved = this.#d.saves.accept(path, checked, reader, '(rewritten whole) ');
    this.#d.scratch.drop(s);
    if (aside) this.#d.scratch.endAside(aside, 'kernel');
    await this.#d.saves.serve(saved, answer);
  }
}

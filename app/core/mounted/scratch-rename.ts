// A tagger's scratch file renamed over the served file it rewrites (a tagger saving by writing a copy,
// then renaming it into place): its bytes are that file as the tagger wrote it, taken in as a writer's
// save is — the audio must be the original's, the changed tags become one edit batch. Rejected, nothing
// changes and the rename fails (the scratch file stays, for the tagger to remove); any other rename is
// refused. Each refusal is said in the mount's log; fuse/scratch-requests.ts turns it into an error number.
import type { FileLanes } from '../../../kit/file-lanes.ts';
import { UserError } from '../../../kit/user-error.ts';
import { checkOriginal, type Layouts } from '../library/served-layout.ts';
import { OriginalFile } from '../served/original-file.ts';
import { savableThrough } from '../served/served-plan.ts';
import type { ServedRecord } from '../served/served-record.ts';
import type { FsReport } from './fs-report.ts';
import type { LibraryView } from './library-view.ts';
import type { CheckedWrite, MountSaves } from './mount-saves.ts';
import { PLAYLISTS_INO } from './playlist-files.ts';
import type { Reader } from './reader-base.ts';
import type { Refusal, Scratch, ScratchFiles } from './scratch-files.ts';
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

  constructor(d: ScratchRenameDeps) {
    this.#d = d;
  }

  /**
   * Takes the scratch file in as the save of the file it is renamed over: a refusal at once, or a promise
   * of the save (resolving to a refusal when it was rejected); `answer` answers the rename once it is
   * saved and the tree published (or before the echo tells a move in the folder the rename holds).
   */
  rename(r: RenameAsked, answer: () => void): Refusal | Promise<Refusal | undefined> {
    const { view, report } = this.#d;
    const s = this.#d.scratch.at(r.parent, r.name);
    if (!s) return r.parent === PLAYLISTS_INO ? 'read-only' : 'not-found';
    // RENAME_NOREPLACE or RENAME_EXCHANGE: a scratch file only ever replaces the file it rewrites.
    if (r.flags !== 0) return 'invalid';
    const target = view.tree.directory(r.newParent)?.children.get(r.newName);
    const record = target === undefined || isDir(target) ? undefined : view.record(target);
    const path = `${view.tree.pathOf(record?.fileId ?? -1) ?? r.newName}`;
    const refuse = (why: Refusal, reason: string): Refusal => {
      report.problem(`${why === 'rejected' ? 'EIO' : 'refused'} renaming ${r.name} over ${path}: ${reason}`);
      return why;
    };
    if (!record || !savableThrough(record))
      return refuse(
        'read-only',
        'only a file whose tags can be written can be replaced, and only by its rewrite',
      );
    if (s.unflushed || s.moving) return refuse('busy', 'it is still being written (close it first)');
    const ino = fileIno(record.fileId);
    if (this.#d.busy(ino)) return refuse('busy', 'another handle has unsaved writes to that file');
    s.moving = true;
    return this.#replace(s, record, path, r.readerOf(ino), answer).then(
      () => undefined,
      (err: Error) => {
        s.moving = false;
        const reason =
          err instanceof UserError
            ? `write rejected, nothing changed: ${err.message}`
            : `internal error: ${err.stack}`;
        return refuse('rejected', reason);
      },
    );
  }

  async #replace(
    s: Scratch,
    record: ServedRecord,
    path: string,
    reader: Reader,
    answer: () => void,
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
    await this.#d.saves.serve(saved, answer);
  }
}

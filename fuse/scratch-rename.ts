// A tagger's scratch file renamed over the served file it rewrites (a tagger saving by writing a copy,
// then renaming it into place): its bytes are that file as the tagger wrote it, taken in as a writer's
// save is — the audio must be the original's, the changed tags become one edit batch. Rejected, nothing
// changes and the rename fails with EIO (the scratch file stays, for the tagger to remove); any other
// rename is refused.
import { constants } from 'node:os';
import { checkOriginal, type Layouts } from '../app/core/library/served-layout.ts';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import type { LibraryView } from '../app/core/mounted/library-view.ts';
import type { CheckedWrite, MountSaves } from '../app/core/mounted/mount-saves.ts';
import { PLAYLISTS_INO } from '../app/core/mounted/playlist-files.ts';
import type { Reader } from '../app/core/mounted/reader-base.ts';
import { fileIno, isDir } from '../app/core/mounted/virtual-tree.ts';
import { checkWrite } from '../app/core/mounted/write-back.ts';
import { OriginalFile } from '../app/core/served/original-file.ts';
import { savableThrough } from '../app/core/served/served-plan.ts';
import type { ServedRecord } from '../app/core/served/served-record.ts';
import type { FileLanes } from '../kit/file-lanes.ts';
import { UserError } from '../kit/user-error.ts';
import type { FuseBinding } from './native-binding.ts';
import type { Scratch, ScratchFiles } from './scratch-files.ts';

const E = constants.errno;

export interface ScratchRenameDeps {
  readonly view: LibraryView;
  readonly scratch: ScratchFiles;
  readonly layouts: Layouts;
  readonly files: FileLanes;
  readonly fuse: FuseBinding;
  readonly report: FsReport;
  readonly saves: MountSaves;
  /** A picture a save brings in larger than this is refused (config.json's art.maxBytes). */
  readonly maxArtBytes: number;
  /** Whether another handle has unsaved writes to the file (write-sessions.ts). */
  readonly busy: (ino: number) => boolean;
}

export class ScratchRename {
  readonly #d: ScratchRenameDeps;

  constructor(d: ScratchRenameDeps) {
    this.#d = d;
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
    const { view, fuse, report } = this.#d;
    const s = this.#d.scratch.at(parent, name);
    if (!s) return fuse.replyErr(req, parent === PLAYLISTS_INO ? E.EROFS : E.ENOENT);
    // RENAME_NOREPLACE or RENAME_EXCHANGE: a scratch file only ever replaces the file it rewrites.
    if (flags !== 0) return fuse.replyErr(req, E.EINVAL);
    const target = view.tree.directory(newParent)?.children.get(newName);
    const record = target === undefined || isDir(target) ? undefined : view.record(target);
    const path = `${view.tree.pathOf(record?.fileId ?? -1) ?? newName}`;
    const refuse = (errno: number, why: string) => {
      report.problem(`${errno === E.EIO ? 'EIO' : 'refused'} renaming ${name} over ${path}: ${why}`);
      fuse.replyErr(req, errno);
    };
    if (!record || !savableThrough(record))
      return refuse(
        E.EROFS,
        'only a file whose tags can be written can be replaced, and only by its rewrite',
      );
    if (s.unflushed || s.moving) return refuse(E.EBUSY, 'it is still being written (close it first)');
    if (this.#d.busy(fileIno(record.fileId)))
      return refuse(E.EBUSY, 'another handle has unsaved writes to that file');
    s.moving = true;
    const ino = fileIno(record.fileId);
    const reader = { process, readAt: fuse.readSince(process, ino) };
    this.#replace(s, record, path, reader, () => fuse.replyErr(req, 0)).catch((err: Error) => {
      s.moving = false;
      refuse(
        E.EIO,
        err instanceof UserError
          ? `write rejected, nothing changed: ${err.message}`
          : `internal error: ${err.stack}`,
      );
    });
  }

  /** Takes the scratch file in as the save of `record`; `answer` answers the rename once it is saved and
   *  the tree published (or before the echo tells a move in the folder the rename holds). */
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

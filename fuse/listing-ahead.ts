// Layouts built ahead of a player's opens when it lists a folder (folder-layouts.ts builds them on a
// worker): which files, and handing each to the binding if it is still of the version served.
import type { FolderLayouts, PreparedLayout } from '../app/core/mounted/folder-layouts.ts';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import type { LibraryView } from '../app/core/mounted/library-view.ts';
import { fileIno, isDir } from '../app/core/mounted/virtual-tree.ts';
import type { FuseBinding } from './native-binding.ts';
import type { FileFacts } from './native-tree.ts';

/** Files whose layouts a listing has built ahead at most, and folders it looks through for them. */
const AHEAD_FILES = 64;
const AHEAD_FOLDERS = 256;
/** Folders after a listed one, among its parent's, whose files are built ahead with it. */
const AHEAD_SIBLINGS = 1;

export class ListingAhead {
  readonly #view: LibraryView;
  readonly #ahead: FolderLayouts;
  readonly #fuse: FuseBinding;
  readonly #report: FsReport;
  /** The served size the tree lists for a file's version. */
  readonly #facts: (fileId: number) => FileFacts | undefined;

  constructor(
    view: LibraryView,
    ahead: FolderLayouts,
    fuse: FuseBinding,
    report: FsReport,
    facts: (fileId: number) => FileFacts | undefined,
  ) {
    this.#view = view;
    this.#ahead = ahead;
    this.#fuse = fuse;
    this.#report = report;
    this.#facts = facts;
  }

  /**
   * A folder listed: the files of it, of the folder after it and of the folders under them that no
   * listing reached yet (a player lists an artist's folder before its albums', and walks on to the next
   * artist), up to AHEAD_FILES, have their layouts built on a worker, a folder at a time
   * (folder-layouts.ts), while the player walks towards them. Without the folder after it, the first
   * album of each artist was still being built when the player opened it: 367 of 2,000 first opens of a
   * cold tag scan went to the main thread.
   */
  listed(ino: number): void {
    const tree = this.#view.tree;
    if (!this.#ahead.buildsAhead(tree.fileCount)) return;
    const folders = [tree.directory(ino), ...tree.foldersAfter(ino, AHEAD_SIBLINGS)];
    let files = 0;
    for (let i = 0; i < folders.length && i < AHEAD_FOLDERS && files < AHEAD_FILES; i++) {
      const folder = folders[i];
      if (!folder) continue;
      const inside = [...folder.children.values()];
      for (const node of inside) if (isDir(node)) folders.push(node);
      const ids = inside.flatMap((node) => (isDir(node) ? [] : [node]));
      // A folder below the listed one is built whole or left for its own listing; the listed one gets
      // its first AHEAD_FILES (a flat folder of thousands).
      if (ids.length === 0 || (i > 0 && files + ids.length > AHEAD_FILES)) continue;
      if (!this.#ahead.claim(folder.ino)) continue;
      const records = ids.slice(0, AHEAD_FILES - files).flatMap((id) => this.#view.record(id) ?? []);
      files += records.length;
      this.#ahead.prepare(records).then(
        ({ prepared, notes }) => {
          for (const line of notes) this.#report.log(line);
          this.#report.builtAhead(prepared.filter((p) => this.#rememberSafely(p)).length);
        },
        (err: Error) => this.#report.log(`building a folder's layouts ahead failed: ${err.message}`),
      );
    }
  }

  #rememberSafely(p: PreparedLayout): boolean {
    try {
      return this.#remember(p);
    } catch (err) {
      this.#report.log(`a layout built ahead was refused: ${(err as Error).message}`);
      return false;
    }
  }

  /** A layout built ahead goes to the binding if it is still of the version served, at the size listed. */
  #remember(p: PreparedLayout): boolean {
    const record = this.#view.record(p.fileId);
    const path = this.#view.tree.pathOf(p.fileId);
    const listed = this.#facts(p.fileId);
    if (record?.seq !== p.version || path === undefined) return false;
    // Only at the size the tree lists for this version (else its own open will say what is wrong).
    if (listed?.version !== p.version || listed.size !== p.size) return false;
    this.#fuse.rememberLayout({
      ino: fileIno(p.fileId),
      header: Buffer.from(p.header.buffer, p.header.byteOffset, p.header.byteLength),
      holes: p.holes,
      audioStart: p.audioStart,
      trailerSize: p.trailerSize,
      size: p.size,
      origSize: record.size,
      origMtimeMs: record.mtimeMs,
      origDev: p.origDev,
      origPath: record.disk,
      path,
      version: p.version,
    });
    return true;
  }
}

// What a save through the mount becomes: a checked write handed to the save queue (save-queue.ts: applied
// now, or journalled while another process holds the library), said in the log, and served — the view
// takes the change in, the tree is published and the playlists it reaches are rendered again.
import type { Db } from '../db/database.ts';
import {
  type AdoptedJournal,
  type AppliedSave,
  acceptedSave,
  type SaveJournal,
} from '../library/save-journal.ts';
import type { FsReport } from './fs-report.ts';
import type { LibraryView } from './library-view.ts';
import type { PlaylistFiles } from './playlist-files.ts';
import { type Reader, ReaderBase, writerOf } from './reader-base.ts';
import { SaveQueue } from './save-queue.ts';
import type { checkWrite, ReadBy } from './write-back.ts';

/** Publishes the library's view to whatever serves it: the files `changed` (none: the whole view), and
 *  `answer` once they are served (the mount's TreePublisher.publish). */
export type Publish = (changed?: readonly number[], answer?: () => void) => Promise<void>;

export type CheckedWrite = Awaited<ReturnType<typeof checkWrite>>;

export interface MountSavesDeps {
  readonly db: Db;
  readonly journal: SaveJournal;
  readonly view: LibraryView;
  readonly playlists: PlaylistFiles;
  readonly report: FsReport;
  readonly publish: Publish;
  /** When earlier daemons served this mount point, if any did: their readers' saves count from then. */
  readonly earlier?: { readonly since: number; readonly until: number };
}

export class MountSaves {
  readonly #queue: SaveQueue;
  readonly #view: LibraryView;
  readonly #playlists: PlaylistFiles;
  readonly #report: FsReport;
  readonly #publish: Publish;
  readonly #bases: ReaderBase;

  constructor(d: MountSavesDeps) {
    this.#bases = new ReaderBase(d.db, d.earlier);
    this.#view = d.view;
    this.#playlists = d.playlists;
    this.#report = d.report;
    this.#publish = d.publish;
    this.#queue = new SaveQueue(d.db, d.journal, {
      applied: async (save, applied, waitedMs) => {
        const waited = `after waiting ${(waitedMs / 1000).toFixed(1)} s for the library`;
        const { batch } = applied;
        d.report.log(
          `saved ${save.path} ${batch === undefined ? '(no change left)' : `as edit batch ${batch}`} ${waited}`,
        );
        this.#sayConflicts(save.path, applied);
        await this.serve(true);
      },
      pending: (count) => d.report.pendingSaves(count),
      problem: (line) => d.report.problem(line),
    });
  }

  /** What `reader` read of a file, as a save of it is compared with (reader-base.ts). */
  readBy(reader: Reader): ReadBy {
    return (fileId, served) => this.#bases.read(fileId, reader, served);
  }

  /** Saves a daemon that stopped left in its journal: applied before any new one. */
  adopt(journals: readonly AdoptedJournal[]): void {
    this.#queue.adopt(journals);
  }

  /** The daemon stops: saves still waiting stay journalled, for the next daemon. */
  close(): void {
    this.#queue.close();
  }

  /**
   * Hands a checked save to the queue: true when it is in the library now, false when it waits (durably
   * journalled); throws when it can be neither.
   */
  accept(path: string, { fileId, save, after, warnings }: CheckedWrite, reader: Reader, how = ''): boolean {
    if (!save) {
      // Nothing to save but what was refused (a picture over the cap): said all the same.
      if (warnings.length > 0)
        this.#report.log(`nothing saved of ${path}${how && ` ${how.trimEnd()}`}: ${warnings.join('; ')}`);
      return false;
    }
    const accepted = acceptedSave({ ...save, writer: writerOf(reader.process) });
    const result = this.#queue.accept(accepted);
    // Accepted (applied or journalled): what this process wrote is what it knows of the file now.
    this.#bases.saved(fileId, reader, after, accepted);
    if ('batch' in result) {
      if (result.batch !== undefined)
        this.#report.log(`saved ${save.path} ${how}as edit batch ${result.batch}${noted(warnings)}`);
      this.#sayConflicts(save.path, result);
      return result.batch !== undefined;
    }
    this.#report.log(
      `save of ${save.path} ${how}journalled: another process holds the library (${result.waiting} waiting)${noted(warnings)}`,
    );
    return false;
  }

  /** Fields a save left as the library has them, in the log: a conflict waits in the library (sleeve
   *  conflicts), where `sleeve mounts` and the app count those not yet resolved; as one of the daemon's
   *  problems it would stay listed after the user took or dropped it. */
  #sayConflicts(path: string, { conflicts, agreed }: AppliedSave): void {
    if (conflicts.length > 0)
      this.#report.log(
        `a save of ${path} changed ${conflicts.map((c) => c.key).join(', ')}, which ${conflicts.length > 1 ? 'were' : 'was'} changed elsewhere since the tagger read the file: the library's value kept, the tagger's in sleeve conflicts`,
      );
    if (agreed > 0)
      this.#report.log(
        `a save of ${path}: ${agreed} field(s) changed since the tagger read them already at its value`,
      );
  }

  /**
   * Serves what a save changed (`saved`: the library has it now), or publishes the tree as it is; then the
   * playlists it reaches (the daemon's checks for others' commits will not see this change: the view has
   * taken it in; they are rendered on their worker and published after it). Saved either way: a failed
   * publish is the tree's problem, retried with the next change. `answer`: the request the save came
   * with, answered as the publish allows (TreePublisher.publish).
   */
  async serve(saved: boolean, answer?: () => void): Promise<void> {
    const changed = saved ? this.#view.refresh(true) : undefined;
    const publishing = this.#publish(changed, answer);
    if (changed && changed.length > 0) this.#playlists.follow(changed);
    try {
      await publishing;
    } catch (err) {
      this.#report.problem(`publishing the tree failed: ${(err as Error).stack}`);
    }
  }
}

/** Warnings after a log line ("…: tracknumber "A1" is not a number: kept as text"). */
const noted = (warnings: readonly string[]) => (warnings.length > 0 ? `; ${warnings.join('; ')}` : '');

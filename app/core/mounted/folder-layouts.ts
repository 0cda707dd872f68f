// Layouts of a folder's files built ahead of their opens. A player's tag scan (mpd, Navidrome, Picard)
// lists a folder, then opens its files one after the other; each first open went to the daemon's main
// thread, which built the file's layout and header (its tags and pictures read from the library, the
// original's kept blocks from disk) in series with the player: about 1 ms each. When a folder is listed,
// its files are handed to a worker that builds their layouts on the other core; the binding then answers
// their opens itself, as it does every later open of a version. The worker costs about 0.35 s of CPU to
// start (its modules, its database connection and a file lane of its own, measured on the 2-core VM), as
// much as 300 first opens on the main thread: while a mount serves fewer files than config.json's
// mount.buildAheadMinFiles it builds none ahead and does not start it.

import { WorkerPool } from '../../../kit/worker-pool.ts';
import type { ServedHole } from '../library/served-layout.ts';
import type { ServedRecord } from '../served/served-record.ts';

/** A layout built ahead: what the binding's rememberLayout needs but the paths and the inode. */
export interface PreparedLayout {
  readonly fileId: number;
  /** The record's seq it was built for. */
  readonly version: number;
  readonly header: Uint8Array;
  readonly holes: readonly ServedHole[];
  readonly audioStart: number;
  readonly trailerSize: number;
  readonly size: number;
  /** The original's device (st_dev), as its open found it. */
  readonly origDev: number;
}

/** What the worker is started with. */
export interface LayoutWorkerData {
  readonly database: string;
  /** How long an original's file system may leave an open, stat or read unanswered. */
  readonly deadlineMs: number;
}

/** A folder's layouts built, and the lines their building logged. */
export interface PreparedFolder {
  readonly prepared: readonly PreparedLayout[];
  readonly notes: readonly string[];
}

/** Folders handed over, remembered so that each is prepared once (then all forgotten at once). */
const FOLDERS_REMEMBERED = 4096;
/** Folders waiting for the worker at most. */
const MAX_WAITING = 16;
/** The worker stops this long after its last folder (a player's scan lists folders without pause). */
const IDLE_MS = 60_000;

export class FolderLayouts {
  readonly #data: LayoutWorkerData;
  readonly #minFiles: number;
  readonly #asked = new Set<number>();
  /** Folders handed to the worker and not yet answered. */
  #waiting = 0;
  #pool: WorkerPool<ServedRecord[], PreparedFolder> | undefined;

  /** `minFiles`: the files a mount serves at least for its layouts to be built ahead. */
  constructor(data: LayoutWorkerData, minFiles: number) {
    this.#data = data;
    this.#minFiles = minFiles;
  }

  /** Whether a mount serving `files` files builds layouts ahead. */
  buildsAhead(files: number): boolean {
    return files >= this.#minFiles;
  }

  /** Whether the folder (by inode) is yet to be prepared and the worker has room for it; from now on it
   *  counts as prepared. (A listing faster than the worker, `find` over the mount, is not queued whole.) */
  claim(folder: number): boolean {
    if (this.#asked.has(folder) || this.#waiting >= MAX_WAITING) return false;
    if (this.#asked.size >= FOLDERS_REMEMBERED) this.#asked.clear();
    this.#asked.add(folder);
    return true;
  }

  /** Starts the worker, so that it is ready when a player first lists the mount (it takes ~0.35 s), and
   *  has it build `sample`'s layout, then drop it: its file lane's thread started and its code compiled
   *  before a player's first folder (built with them, a cold tag scan's first 80 opens overtook it). */
  start(sample: ServedRecord | undefined): void {
    // A worker that cannot start fails each folder's task, said there.
    this.prepare(sample ? [sample] : []).catch(() => {});
  }

  /** Builds the records' layouts on the worker; a file that fails is left out (its own open says why). */
  prepare(records: readonly ServedRecord[]): Promise<PreparedFolder> {
    // One worker, on the other core; it stops when nothing was listed for a while.
    this.#pool ??= new WorkerPool(new URL('./layout-worker.ts', import.meta.url), 1, {
      inFlight: 1,
      workerData: this.#data,
      stopWhenIdleMs: IDLE_MS,
    });
    this.#waiting++;
    return this.#pool.run([...records]).finally(() => this.#waiting--);
  }
}

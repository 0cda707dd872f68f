// Every store in library.db bounded, in short write transactions: the history pruned to the user's rule
// (history-prune.ts), the pictures nothing names any more deleted a day after they were let go
// (art-collect.ts), the free pages those leave given back to the file system (vacuum.ts), and the WAL
// truncated once it is over its limit and no reader holds it (wal.ts). Run by the processes that write the
// library, after they write: at the end of each scan, when a `sleeve` command closes the library, and by a
// check each minute in the app's backend and in each mount daemon (whose saves are edit batches too). The
// long-running ones also merge the full-text index down once it holds many segments (search-merge.ts),
// a step at a time: a command would keep its user waiting for it. Two
// processes at it at once take turns at the write lock and the second finds less to do: every step
// resumes where the last one stopped.

import type { Db } from '../db/database.ts';
import { type Conversion, giveBackSpace, spaceDue } from '../db/vacuum.ts';
import { truncateWal, WAL_LIMIT_BYTES, walBytes } from '../db/wal.ts';
import { artDue, collectArt } from './art-collect.ts';
import { type HistoryRetention, pruneDue, pruneHistory } from './history-prune.ts';
import { mergeSearchDown, searchMergeDue } from './search-merge.ts';

export interface Upkept {
  /** Batches moved past the history. */
  readonly pruned: number;
  /** Pictures deleted. */
  readonly pictures: number;
  /** Bytes library.db gave back. */
  readonly gaveBack: number;
  readonly walTruncated: boolean;
}

/** Whether any upkeep is due: a few index lookups, pragmas and a stat. */
export function upkeepDue(db: Db, retention: HistoryRetention, now = Date.now()): boolean {
  return pruneDue(db, retention, now) || artDue(db, now) || spaceDue(db) || walBytes(db) > WAL_LIMIT_BYTES;
}

/** keepBounded's moment and ways: `waitMs`, how long each transaction waits for the write lock (a thread
 *  that serves others waits a moment and tries again at its next check); `holding`, see Conversion. */
export interface UpkeepOptions extends Conversion {
  readonly now?: number;
}

/** Does the upkeep due as of `now`. */
export async function keepBounded(
  db: Db,
  retention: HistoryRetention,
  { now = Date.now(), ...conversion }: UpkeepOptions = {},
): Promise<Upkept> {
  const pruned = await pruneHistory(db, retention, now, conversion.waitMs);
  const pictures = await collectArt(db, now, conversion.waitMs);
  const gaveBack = await giveBackSpace(db, conversion);
  // Giving pages back writes them to the WAL, and the file is cut at the checkpoint that copies them back.
  const walTruncated = (gaveBack > 0 || walBytes(db) > WAL_LIMIT_BYTES) && truncateWal(db);
  return { pruned, pictures, gaveBack, walTruncated };
}

/** How often a long-running writer looks whether upkeep is due. */
const CHECK_MS = 60_000;
/** How long its upkeep waits for the write lock: its thread serves others meanwhile (as a mount's saves). */
const WAIT_MS = 25;

const isBusy = (err: unknown) => /^SQLITE_(BUSY|LOCKED)/.test((err as { code?: string }).code ?? '');

/** The upkeep of a long-running writer (the app's backend, a mount daemon): looked at each minute, done
 *  when due; the library held by another writer meanwhile, it is tried again at the next look. */
export class Upkeep {
  readonly #timer: NodeJS.Timeout;
  #running = false;
  #closed = false;

  constructor(db: Db, retention: HistoryRetention, problem: (line: string) => void) {
    const run = async () => {
      if (this.#running) return;
      const due = upkeepDue(db, retention);
      const merge = searchMergeDue(db);
      if (!due && !merge) return;
      this.#running = true;
      try {
        if (due) await keepBounded(db, retention, { waitMs: WAIT_MS });
        if (merge) await mergeSearchDown(db, WAIT_MS, () => this.#closed);
      } finally {
        this.#running = false;
      }
    };
    this.#timer = setInterval(() => {
      run().catch((err: Error) => {
        if (!this.#closed && !isBusy(err))
          problem(
            `keeping the library's history, pictures, file, WAL and full-text index bounded failed: ${err.message}`,
          );
      });
    }, CHECK_MS);
    this.#timer.unref();
  }

  /** Stops looking; a run under way fails quietly once the library is closed. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
  }
}

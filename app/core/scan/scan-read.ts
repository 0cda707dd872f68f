// A scan's second step for one library folder: read its new and changed files on worker threads, in
// batches, and write each batch in one transaction as it returns. A new file that turns out to be a gone
// file copied back (the same recorded content) is that file, moved here.
import { inBatches, runIsolating, WorkerPool } from '../../../kit/worker-pool.ts';
import { writeTransaction } from '../db/write-lock.ts';
import type { ReadOutcome } from '../library/ingest.ts';
import { mergeSearchStep } from '../library/search-merge.ts';
import type { ReadTask } from './read-worker.ts';
import { copiedFrom } from './scan-moves.ts';
import type { FolderPlan, ScanRun, WorkItem } from './scan-run.ts';

const BATCH = 64;

/** A scan's reader threads: started by the first folder with files to read (or ahead of the scan, see
 *  start), grown by a later one that needs more, closed once when the scan ends — or kept by a long-lived
 *  owner between its scans (kept-scan-workers.ts). They need nothing of the scan to start (its options
 *  come with each file). */
export class Readers {
  #pool: WorkerPool<ReadTask[], ReadOutcome[]> | undefined;
  readonly #keptIdleMs: number | undefined;
  /** Closed: no thread starts any more (a scan that began as its owner stopped fails at once). */
  #closed = false;

  /** `keptIdleMs`: kept between scans, each thread stopped after this long without a file to read. */
  constructor(options: { readonly keptIdleMs?: number } = {}) {
    this.#keptIdleMs = options.keptIdleMs;
  }

  /** Starts one thread now: `sleeve scan` starts it first thing (app/cli/sleeve.js), so that it has loaded
   *  its code by the time the command has loaded its own, opened the library and walked. */
  start(): this {
    this.#grow(1);
    return this;
  }

  /** Threads for `files` files of a scan of `workers` parallelism. The thread that writes what is read is
   *  one of them: beside it `workers - 1` readers (one at least) keep it busy, where one more only took
   *  turns with it for a core (measured: 1,000 album files on 2 cores, warm, 1.26-1.35 s with two readers,
   *  1.02-1.18 s with one; cold, 2.01-2.25 s and 2.00-2.01 s). No more than batches to read: a look at
   *  one changed file starts one, not one per core. */
  for(files: number, workers: number): WorkerPool<ReadTask[], ReadOutcome[]> {
    return this.#grow(Math.min(Math.max(1, workers - 1), Math.ceil(files / BATCH)));
  }

  #grow(threads: number): WorkerPool<ReadTask[], ReadOutcome[]> {
    if (this.#closed) throw new Error('the reader threads are closed');
    this.#pool ??= new WorkerPool(new URL('./read-worker.ts', import.meta.url), threads, {
      stopWhenIdleMs: this.#keptIdleMs,
    });
    this.#pool.grow(threads);
    return this.#pool;
  }

  /** Threads started over its life (each start loads the reader's code again). */
  get started(): number {
    return this.#pool?.started ?? 0;
  }

  /** The scan has read: its own threads stop now (their memory is the analysis's next); kept ones wait
   *  for their owner's next scan. */
  async doneReading(): Promise<void> {
    if (this.#keptIdleMs === undefined) await this.close();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool?.close();
  }
}

/** Reads the plan's work and records it, batch by batch, saying how far it is. */
export async function readFolder(run: ScanRun, plan: FolderPlan, readers: Readers): Promise<void> {
  const { work } = plan;
  if (work.length === 0) return;
  const { workers, maxArtBytes } = run.scope.options;
  const pool = readers.for(work.length, workers);
  const taken = new Set<number>(); // gone files already found again at a new path
  let done = 0;
  await inBatches(work, BATCH, run.signal, async (items) => {
    const read = await runIsolating(
      pool,
      items
        .filter((i) => !i.error)
        .map(
          ({ stat, isNew }): ReadTask => ({
            path: stat.path,
            size: stat.size,
            scan: run.id,
            maxArtBytes,
            isNew,
            ...(stat.bytes ? { disk: stat.bytes } : {}),
          }),
        ),
      (reason): ReadOutcome => ({ error: `reader crashed on this file: ${reason}` }),
    );
    let r = 0;
    commitBatch(
      run,
      plan,
      taken,
      items,
      items.map((i) => (i.error ? { error: i.error } : read[r++]!)),
    );
    done += items.length;
    const rate = done / Math.max((performance.now() - run.scope.started) / 1000, 1e-3);
    run.report(
      {
        phase: 'read',
        total: work.length,
        done,
        filesPerSecond: rate,
        etaSeconds: (work.length - done) / Math.max(rate, 1e-3),
      },
      done === work.length,
    );
  });
}

/** One transaction: each file as read, or as the gone file it was copied from. */
function commitBatch(
  run: ScanRun,
  plan: FolderPlan,
  taken: Set<number>,
  items: readonly WorkItem[],
  outcomes: readonly ReadOutcome[],
): void {
  const { summary } = run;
  const { writer } = run.scope;
  const now = Date.now();
  writeTransaction(run.scope.db, () => {
    writer.batch(() =>
      items.forEach((item, i) => {
        const outcome = outcomes[i]!;
        summary.filesRead++;
        summary.bytesRead += outcome.bytesRead ?? 0;
        // A README or licence without an extension is simply not part of the library.
        if (item.isNew && item.sniffOnly && 'error' in outcome && outcome.notAudio) return;
        const movedFrom = 'track' in outcome ? copiedFrom(writer, item, outcome.track, taken) : undefined;
        if (movedFrom !== undefined) {
          writer.move(movedFrom, plan.rootId, item.stat, now);
          plan.gone.delete(movedFrom);
          taken.add(movedFrom);
          item.isNew = false;
          summary.moved++;
        }
        writer.write(plan.rootId, item.stat, outcome, now, item.isNew);
        if ('error' in outcome) {
          summary.errors++;
          summary.unreadable++;
        } else if (movedFrom !== undefined) return;
        else if (item.isNew) summary.added++;
        else summary.updated++;
      }),
    );
    // The full-text index merged a step per batch (search-merge.ts): left to FTS5's crisis merges, a scan
    // of a million files left levels whose merge, in whichever later transaction reached 16 segments, held
    // the library for a second (another writer waited 1 s in a retag). One step, not steps while the
    // batch's time allows as a derivation takes: those made a scan of 100k files 60 % slower.
    mergeSearchStep(run.scope.db);
  });
}

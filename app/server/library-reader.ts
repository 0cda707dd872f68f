// The library's read queries (track windows, counts, albums, artists, rows, a query's closer spelling) run on a worker thread with a
// read-only connection, so a long query (a regex over 100k paths takes ~0.25 s) never holds up the backend's
// event loop: other clients, edits, events and media keep being served. A query past the deadline is
// stopped (its worker replaced) and answered with an error.

import { UserError } from '../../kit/user-error.ts';
import { WorkerCrashError, WorkerPool } from '../../kit/worker-pool.ts';
import type { ReaderData, ReadRequest, ReadResults } from './library-reader-worker.ts';

/** Longest a read query may run: past it the user is told to narrow it. */
export const QUERY_DEADLINE_MS = 30_000;

type Pool = WorkerPool<ReadRequest, ReadResults[ReadRequest['op']]>;

export class LibraryReader {
  readonly #pool: Pool;
  /** The library's totals (the footer asks after every change): a worker of their own. At a million
   *  tracks counting the albums and artists takes 4 s, and in the one worker every window, count and
   *  list the user waited for queued behind it (a query typed after an edit showed in 5.4 s). Started
   *  once the first worker is ready: on two cores their modules loading side by side held back the first
   *  rows (1M tracks, five alternating starts: median 1.43 → 1.32 s after the start). */
  #totals: Pool | undefined;
  /** The first worker listening (or failed to start). */
  readonly #ready: Promise<unknown>;
  /** A query's count (the footer's, after its first rows): a worker of its own too, started with the first
   *  count (not beside the backend's start). Counting a broad query at a million tracks takes up to 1.1 s,
   *  and a window asked for at the next key waited behind it. */
  #counts: Pool | undefined;
  readonly #newPool: () => Pool;
  #closed = false;

  constructor(database: string, deadlineMs = QUERY_DEADLINE_MS) {
    // One query at a time in each: with two cores, a query at a time per purpose beside the event loop.
    const pool = (behind: boolean) =>
      new WorkerPool<ReadRequest, ReadResults[ReadRequest['op']]>(
        new URL('./library-reader-worker.ts', import.meta.url),
        1,
        { inFlight: 1, taskTimeoutMs: deadlineMs, workerData: { database, behind } satisfies ReaderData },
      );
    this.#pool = pool(false);
    // The counts and totals are shown after the rows: their workers yield a busy core to the windows'.
    this.#newPool = () => pool(true);
    this.#ready = this.#pool.run({ op: 'ready' }).catch(() => undefined);
    void this.#ready.then(() => this.#totalsPool());
  }

  async read<R extends ReadRequest>(request: R): Promise<ReadResults[R['op']]> {
    try {
      if (request.op === 'stats') await this.#ready;
      const pool =
        request.op === 'stats'
          ? this.#totalsPool()
          : request.op === 'count' || request.op === 'closer'
            ? this.#countsPool()
            : this.#pool;
      return (await pool.run(request)) as ReadResults[R['op']];
    } catch (err) {
      if (err instanceof WorkerCrashError)
        throw new UserError('bad_request', `the query was stopped: ${err.message}; try a narrower one`);
      throw err;
    }
  }

  #countsPool(): Pool {
    // Once closed, asked of a closed pool: refused, no new worker.
    if (this.#closed) return this.#pool;
    this.#counts ??= this.#newPool();
    return this.#counts;
  }

  #totalsPool(): Pool {
    if (this.#closed) return this.#pool;
    this.#totals ??= this.#newPool();
    return this.#totals;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#pool.close(), this.#totals?.close(), this.#counts?.close()]);
  }
}

// The library's read queries (track windows, counts, albums, artists, rows) run on a worker thread with a
// read-only connection, so a long query (a regex over 100k paths takes ~0.25 s) never holds up the backend's
// event loop: other clients, edits, events and media keep being served. A query past the deadline is
// stopped (its worker replaced) and answered with an error.

import { UserError } from '../../kit/user-error.ts';
import { WorkerCrashError, WorkerPool } from '../../kit/worker-pool.ts';
import type { ReadRequest, ReadResults } from './library-reader-worker.ts';

/** Longest a read query may run: past it the user is told to narrow it. */
export const QUERY_DEADLINE_MS = 30_000;

export class LibraryReader {
  readonly #pool: WorkerPool<ReadRequest, ReadResults[ReadRequest['op']]>;

  constructor(database: string, deadlineMs = QUERY_DEADLINE_MS) {
    // One worker, one query at a time: with two cores the other is the event loop's.
    this.#pool = new WorkerPool(new URL('./library-reader-worker.ts', import.meta.url), 1, {
      inFlight: 1,
      taskTimeoutMs: deadlineMs,
      workerData: { database },
    });
  }

  async read<R extends ReadRequest>(request: R): Promise<ReadResults[R['op']]> {
    try {
      return (await this.#pool.run(request)) as ReadResults[R['op']];
    } catch (err) {
      if (err instanceof WorkerCrashError)
        throw new UserError('bad_request', `the query was stopped: ${err.message}; try a narrower one`);
      throw err;
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

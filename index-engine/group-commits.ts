// Updates to an index that arrive in the same turn of the event loop, committed together: one log write
// and fsync for all of them, each caller answered with its own version or its own error.
import type { IndexDirectory } from './index-directory.ts';
import type { Metrics } from './metrics.ts';
import type { UpdateRequest } from './transaction.ts';

interface PendingUpdate {
  readonly request: UpdateRequest;
  readonly resolve: (version: number) => void;
  readonly reject: (err: Error) => void;
}

export class GroupCommits {
  readonly #directory: IndexDirectory;
  readonly #metrics: Metrics;
  readonly #pending = new Map<string, PendingUpdate[]>();

  constructor(directory: IndexDirectory, metrics: Metrics) {
    this.#directory = directory;
    this.#metrics = metrics;
  }

  /** Queues an update of `name`, committed with the others of this turn. */
  update(name: string, request: UpdateRequest): Promise<number> {
    this.#directory.get(name); // fail fast on a missing index
    return new Promise((resolve, reject) => {
      let queue = this.#pending.get(name);
      if (!queue) {
        queue = [];
        this.#pending.set(name, queue);
        setImmediate(() => this.commit(name));
      }
      queue.push({ request, resolve, reject });
    });
  }

  /** Commits what is queued for `name` now, if anything (searches sent after updates see them). */
  commitQueued(name: string): void {
    if (this.#pending.has(name)) this.commit(name);
  }

  /** Commits every index's queue (the engine closing). */
  commitAll(): void {
    for (const name of [...this.#pending.keys()]) this.commit(name);
  }

  /** Commits every update queued for an index since the last turn with one log write and fsync. */
  commit(name: string): void {
    const batch = this.#pending.get(name) ?? [];
    this.#pending.delete(name);
    try {
      const results = this.#directory.get(name).update(batch.map((p) => p.request));
      let committed = 0;
      results.forEach((r, i) => {
        if (typeof r === 'number') {
          committed++;
          batch[i]!.resolve(r);
        } else batch[i]!.reject(r);
      });
      this.#metrics.update(name, committed);
    } catch (err) {
      for (const p of batch) p.reject(err as Error);
    }
  }
}

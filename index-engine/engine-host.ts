// The engine itself, whichever thread runs it: an IndexDirectory answering the typed calls of EngineApi,
// group-committing updates that arrive together, and running file merges in a further worker so they never
// delay searches or writes. The engine's worker thread hosts one (engine-worker.ts); a process that does
// nothing but serve the index (`sleeve index serve`) hosts it in its own thread.
import { collectGarbage } from '../kit/collect-garbage.ts';
import { WorkerPool } from '../kit/worker-pool.ts';
import type { EngineApi, EngineWorkerData, SnapshotHandle } from './engine-api.ts';
import { IndexError } from './errors.ts';
import type { Snapshot } from './fingerprint-index.ts';
import { GroupCommits } from './group-commits.ts';
import { IndexDirectory } from './index-directory.ts';
import { Metrics } from './metrics.ts';
import type { Query, SearchHit, SearchOptions } from './search.ts';
import type { MergeTask } from './segment-merge.ts';
import type { SegmentSummary } from './segment-writer.ts';
import { VerifiedSegments } from './verified-segments.ts';

export interface EngineHost {
  readonly api: EngineApi;
  /** Commits queued updates, releases snapshots, checkpoints every index and stops the merge worker. */
  close(): Promise<void>;
}

/** Starts an engine on `dir`; indexes found there load in the background (IndexNotReady meanwhile). */
export function hostEngine({ dir, options, verified }: EngineWorkerData): EngineHost {
  const merges = mergeWorker();
  // Recovery repairs, refusals (a corrupt segment) and failed checkpoints or merges go to the server's log.
  const directory = new IndexDirectory(dir, options, {
    // A merged-away segment's bytes are freed only by a collection, which an idle isolate never runs: the
    // server would keep the old copy of every merged posting (measured: 48 MiB at 200k documents). Where
    // the process allows it (--expose-gc: the server and the app), collect a second after the last merge
    // of a run (one pause, not one per merge of a chain).
    merge: (task) => merges.run(task).finally(collectSoon),
    warn: (message) => console.error(message),
    verified: verified && new VerifiedSegments(verified),
  });
  const metrics = new Metrics();
  const snapshots = new SnapshotTokens();
  const runSearches = (
    name: string,
    queries: readonly Query[],
    searchOptions: SearchOptions,
    sentAt: number,
  ) => searchIndex(directory, metrics, { name, queries, searchOptions, sentAt });

  const commits = new GroupCommits(directory, metrics);

  const api: EngineApi = {
    createIndex(name) {
      const index = directory.create(name);
      return { version: index.version, ready: true, generation: index.generation };
    },
    deleteIndex(name) {
      metrics.forget(name);
      return directory.delete(name);
    },
    health: (name) => directory.state(name),
    update: (name, request) => commits.update(name, request),
    search(name, query, searchOptions, sentAt) {
      return runSearches(name, [query], searchOptions, sentAt)[0]!;
    },
    searchMany(name, queries, searchOptions, sentAt) {
      // Updates sent before these searches are committed first (outside their timeout), so a bulk client
      // may send both without waiting. Single searches (HTTP) leave group commits alone.
      const queued = Math.max(0, Date.now() - sentAt);
      commits.commitQueued(name);
      return runSearches(name, queries, searchOptions, Date.now() - queued);
    },
    documentVersion: (name, id) => directory.get(name).documentVersion(id),
    info: (name) => directory.get(name).info(),
    segments: (name) => directory.get(name).segments(),
    status: (name) => directory.get(name).status(),
    flush(name) {
      const targets = name === undefined ? directory.ready().map(([, i]) => i) : [directory.get(name)];
      for (const index of targets) index.checkpoint();
    },
    merging: (name) => directory.get(name).mergeRunning,
    async settle(name) {
      const index = directory.get(name);
      while (index.mergeRunning) await new Promise((r) => setTimeout(r, 20));
    },
    snapshot: (name) => snapshots.take(directory.get(name).snapshot()),
    releaseSnapshot: (token) => snapshots.release(token),
    metrics: () => metricsText(directory, metrics),
    memory() {
      // Benchmarks run with --expose-gc so that the sample excludes garbage.
      collectGarbage();
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss };
    },
  };

  async function close(): Promise<void> {
    commits.commitAll();
    snapshots.releaseAll();
    try {
      directory.close();
    } finally {
      await merges.close(); // no merge thread outlives the engine, whatever the checkpoint did
    }
  }

  // Indexes found on disk answer IndexNotReady until loaded; the engine serves the others meanwhile. An
  // unreadable directory fails the load (said once), not the process.
  directory.loadAll().catch((err: unknown) => console.error(`indexes not loaded: ${(err as Error).message}`));
  return { api, close };
}

/** Snapshots handed out by token: released by token, or all as the engine closes. */
class SnapshotTokens {
  readonly #held = new Map<number, Snapshot>();
  #next = 1;

  take(snap: Snapshot): SnapshotHandle {
    const token = this.#next++;
    this.#held.set(token, snap);
    return { token, generation: snap.generation, segments: snap.segments };
  }

  release(token: number): void {
    this.#held.get(token)?.release();
    this.#held.delete(token);
  }

  releaseAll(): void {
    for (const snap of this.#held.values()) snap.release();
    this.#held.clear();
  }
}

/** A sweep of `queries` on index `name`, sent at `sentAt` (ms since the epoch: its timeout counts from
 *  then), each counted in the metrics; a damaged page sets the index aside. */
function searchIndex(
  directory: IndexDirectory,
  metrics: Metrics,
  sweep: { name: string; queries: readonly Query[]; searchOptions: SearchOptions; sentAt: number },
): SearchHit[][] {
  const { name, queries, searchOptions, sentAt } = sweep;
  const index = directory.get(name);
  const startedAt = performance.now() - Math.max(0, Date.now() - sentAt);
  let results: SearchHit[][];
  try {
    results = index.searchMany(queries, searchOptions, startedAt);
  } catch (err) {
    // A damaged page is found when first read: the index is not searched again (its health says so).
    if (err instanceof IndexError && err.code === 'CorruptSegment') directory.setAside(name, err);
    throw err;
  }
  // A sweep serves its queries together: each is counted with an equal share of the time.
  const seconds = (performance.now() - startedAt) / 1000 / Math.max(1, queries.length);
  for (const hits of results) metrics.search(name, seconds, hits.length > 0);
  return results;
}

/** The engine's metrics (Prometheus' text): each ready index's size and version, the counters summed. */
function metricsText(directory: IndexDirectory, metrics: Metrics): string {
  const gauges = new Map<string, { docs: number; version: number }>();
  const totals = { checkpoints: 0, memoryMerges: 0, fileMerges: 0, postingBlocksRead: 0 };
  for (const [name, index] of directory.ready()) {
    gauges.set(name, { docs: index.info().stats.num_docs, version: index.version });
    totals.checkpoints += index.counters.checkpoints;
    totals.memoryMerges += index.counters.memoryMerges;
    totals.fileMerges += index.counters.fileMerges;
    totals.postingBlocksRead += index.counters.postingBlocksRead;
  }
  return metrics.render(gauges, totals);
}

/** The worker that runs file merges, so they never delay searches or writes. */
function mergeWorker(): WorkerPool<MergeTask, SegmentSummary> {
  return new WorkerPool<MergeTask, SegmentSummary>(new URL('./merge-worker.ts', import.meta.url), 1, {
    inFlight: 1,
    taskTimeoutMs: 6 * 60 * 60_000,
    // Merges come in bursts after writes; between them the worker's isolate and the buffers of its last
    // merge (measured: 17–66 MiB after 200k documents) would stay resident for the server's lifetime.
    // Starting it again for the next burst costs tens of milliseconds against seconds of merging.
    stopWhenIdleMs: 3_000,
    // A collection once it has stopped, too (index bench, server RSS over eight runs: median 208 MiB
    // against 214 without; the stopped isolate's pages are thought to go to V8's pool).
    onIdleStop: collectSoon,
  });
}

let collection: NodeJS.Timeout | undefined;
function collectSoon(): void {
  clearTimeout(collection);
  collection = setTimeout(collectGarbage, 1000).unref();
}

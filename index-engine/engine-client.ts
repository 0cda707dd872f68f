// The app's handle on the fingerprint index: a typed async client of the engine worker thread. The
// caller's thread never runs index work; calls beyond `maxInFlight` wait their turn (backpressure).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describeHolder, ExclusiveLock, type LockHolder } from '../kit/exclusive-lock.ts';
import type {
  CreateResult,
  EngineApi,
  EngineMethod,
  EngineReply,
  EngineWorkerData,
  IndexHealth,
  IndexInfo,
  IndexStatus,
  SnapshotHandle,
} from './engine-api.ts';
import { IndexError, isIndexErrorName } from './errors.ts';
import type { SegmentInfo } from './fingerprint-index.ts';
import { DEFAULT_INDEX_OPTIONS, type IndexOptions } from './index-options.ts';
import type { Query, SearchHit, SearchOptions } from './search.ts';
import type { UpdateRequest } from './transaction.ts';

export interface EngineOptions extends Partial<IndexOptions> {
  /** Calls sent to the worker and not yet answered; more wait in the caller (default 256). */
  readonly maxInFlight?: number;
  /**
   * One process at a time opens a data directory (two would each delete the other's new segments and
   * truncate its log). Without `onWait`, a directory in use is an IndexError (DirectoryLocked); with it,
   * open waits, and `onWait` hears once who holds the directory.
   */
  readonly onWait?: (holder: LockHolder | undefined) => void;
  readonly signal?: AbortSignal;
}

/** The lock file that makes a data directory one process's (like LevelDB's LOCK). */
export const lockFile = (dir: string): string => join(dir, 'LOCK');

interface Call {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

export class EngineClosedError extends Error {
  override name = 'EngineClosedError';
}

export class IndexEngine {
  readonly dir: string;
  readonly #worker: Worker;
  readonly #calls = new Map<number, Call>();
  readonly #waiting: (() => void)[] = [];
  readonly #maxInFlight: number;
  readonly #lock: ExclusiveLock;
  #nextId = 1;
  #closed: Promise<void> | null = null;
  #dead: Error | null = null;

  private constructor(dir: string, worker: Worker, maxInFlight: number, lock: ExclusiveLock) {
    this.dir = dir;
    this.#worker = worker;
    this.#maxInFlight = maxInFlight;
    this.#lock = lock;
    worker.on('message', (msg: EngineReply) => this.#settle(msg));
    worker.on('error', (err) => this.#die(err));
    worker.on('exit', (code) => this.#die(new EngineClosedError(`index engine worker exited (${code})`)));
  }

  /** Starts the engine on a data directory (created if needed); indexes on disk load in the background. */
  static async open(dir: string, options: EngineOptions = {}): Promise<IndexEngine> {
    mkdirSync(dir, { recursive: true });
    const { maxInFlight = 256, onWait, signal, ...indexOptions } = options;
    const lock = await lockDirectory(dir, onWait, signal);
    const data: EngineWorkerData = { dir, options: { ...DEFAULT_INDEX_OPTIONS, ...indexOptions } };
    const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { workerData: data });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        lock.release();
        reject(err);
      };
      worker.once('error', onError);
      worker.once('message', () => {
        worker.off('error', onError);
        resolve(new IndexEngine(dir, worker, maxInFlight, lock));
      });
    });
  }

  createIndex(name: string): Promise<CreateResult> {
    return this.#call('createIndex', name);
  }

  deleteIndex(name: string): Promise<boolean> {
    return this.#call('deleteIndex', name);
  }

  health(name: string): Promise<IndexHealth> {
    return this.#call('health', name);
  }

  update(name: string, request: UpdateRequest): Promise<number> {
    return this.#call('update', name, request);
  }

  search(name: string, query: Query, options: SearchOptions = {}): Promise<SearchHit[]> {
    return this.#call('search', name, query, options, Date.now());
  }

  /** Many searches in one round trip: the results in the order of `queries`. */
  searchMany(name: string, queries: readonly Query[], options: SearchOptions = {}): Promise<SearchHit[][]> {
    return this.#call('searchMany', name, queries, options, Date.now());
  }

  documentVersion(name: string, id: number): Promise<number | null> {
    return this.#call('documentVersion', name, id);
  }

  info(name: string): Promise<IndexInfo> {
    return this.#call('info', name);
  }

  segments(name: string): Promise<SegmentInfo[]> {
    return this.#call('segments', name);
  }

  status(name: string): Promise<IndexStatus> {
    return this.#call('status', name);
  }

  flush(name?: string): Promise<void> {
    return this.#call('flush', name);
  }

  settle(name: string): Promise<void> {
    return this.#call('settle', name);
  }

  snapshot(name: string): Promise<SnapshotHandle> {
    return this.#call('snapshot', name);
  }

  releaseSnapshot(token: number): Promise<void> {
    return this.#call('releaseSnapshot', token);
  }

  metrics(): Promise<string> {
    return this.#call('metrics');
  }

  memory(): Promise<{ heapUsed: number; arrayBuffers: number; rss: number }> {
    return this.#call('memory');
  }

  /** Commits queued updates, checkpoints every index and stops the worker. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      if (!this.#dead) {
        const id = this.#nextId++;
        await new Promise<unknown>((resolve, reject) => {
          this.#calls.set(id, { resolve, reject });
          this.#worker.postMessage({ id, method: 'close' });
        }).catch(() => {});
      }
      this.#dead ??= new EngineClosedError('index engine is closed');
      await this.#worker.terminate();
      this.#lock.release();
    })();
    return this.#closed;
  }

  async #call<M extends EngineMethod>(
    method: M,
    ...args: Parameters<EngineApi[M]>
  ): Promise<Awaited<ReturnType<EngineApi[M]>>> {
    while (this.#calls.size >= this.#maxInFlight && !this.#dead)
      await new Promise<void>((r) => this.#waiting.push(r));
    if (this.#dead || this.#closed) throw this.#dead ?? new EngineClosedError('index engine is closed');
    const id = this.#nextId++;
    return new Promise<Awaited<ReturnType<EngineApi[M]>>>((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ id, method, args });
    });
  }

  #settle(msg: EngineReply): void {
    const call = this.#calls.get(msg.id);
    if (!call) return;
    this.#calls.delete(msg.id);
    if ('error' in msg) {
      const { code, message } = msg.error;
      call.reject(isIndexErrorName(code) ? new IndexError(code, message) : new Error(message));
    } else call.resolve(msg.result);
    this.#waiting.shift()?.();
  }

  #die(err: Error): void {
    this.#dead ??= err;
    this.#lock.release(); // the worker is gone: nothing of this process uses the directory any more
    for (const call of this.#calls.values()) call.reject(err);
    this.#calls.clear();
    for (const w of this.#waiting.splice(0)) w();
  }
}

async function lockDirectory(
  dir: string,
  onWait: EngineOptions['onWait'],
  signal: AbortSignal | undefined,
): Promise<ExclusiveLock> {
  if (onWait) return ExclusiveLock.acquire(lockFile(dir), onWait, signal);
  const got = ExclusiveLock.tryAcquire(lockFile(dir));
  if (got instanceof ExclusiveLock) return got;
  throw new IndexError('DirectoryLocked', `${dir} is in use by ${describeHolder(got.heldBy)}`);
}

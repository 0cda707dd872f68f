// The app's handle on the fingerprint index: a typed async client of the engine worker thread, where the
// caller's thread runs no index work; calls beyond `maxInFlight` wait their turn (backpressure). A
// process that does nothing else (`sleeve index serve`), and a scan's grouping of one batch over a small
// index, may run the engine in the caller's thread instead: one isolate fewer, and no copy of each
// request and answer between threads.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describeHolder, ExclusiveLock, type LockHolder } from '../kit/exclusive-lock.ts';
import { makeFolders } from '../kit/make-folders.ts';
import type {
  CreateResult,
  EngineApi,
  EngineCall,
  EngineMethod,
  EngineReply,
  EngineWorkerData,
  IndexHealth,
  IndexInfo,
  IndexStatus,
  SnapshotHandle,
} from './engine-api.ts';
import type { EngineHost } from './engine-host.ts';
import { IndexError, isIndexErrorName } from './errors.ts';
import type { SegmentInfo } from './fingerprint-index.ts';
import { DEFAULT_INDEX_OPTIONS, type IndexOptions } from './index-options.ts';
import type { Query, SearchHit, SearchOptions } from './search.ts';
import type { UpdateRequest } from './transaction.ts';
import type { VerifiedSegments } from './verified-segments.ts';

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
  /** 'worker' (default): the engine runs in a worker thread. 'caller': in the calling thread, which then
   *  waits while the engine works (a process that serves the index and nothing else; a scan's grouping
   *  of one batch over a small index, engine-thread.ts). There, `maxInFlight` does not apply (each call
   *  runs as it is made), and errors arrive as thrown. */
  readonly thread?: 'worker' | 'caller';
  /** The segment files verified by the engines a long-lived owner opened before (KeptScanWorkers'). */
  readonly verified?: VerifiedSegments;
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

/** Where the engine runs: its worker thread, or a host in the calling thread. */
type Runner = { readonly worker: Worker } | { readonly host: EngineHost };

export class IndexEngine {
  readonly dir: string;
  readonly #runner: Runner;
  readonly #calls = new Map<number, Call>();
  readonly #waiting: (() => void)[] = [];
  readonly #maxInFlight: number;
  readonly #lock: ExclusiveLock;
  #nextId = 1;
  #closed: Promise<void> | null = null;
  #dead: Error | null = null;

  private constructor(dir: string, runner: Runner, maxInFlight: number, lock: ExclusiveLock) {
    this.dir = dir;
    this.#runner = runner;
    this.#maxInFlight = maxInFlight;
    this.#lock = lock;
    if ('host' in runner) return;
    const { worker } = runner;
    worker.on('message', (msg: EngineReply) => this.#settle(msg));
    worker.on('error', (err) => this.#die(err));
    worker.on('exit', (code) => this.#die(new EngineClosedError(`index engine worker exited (${code})`)));
  }

  /** Starts the engine on a data directory (created if needed); indexes on disk load in the background. */
  static async open(dir: string, options: EngineOptions = {}): Promise<IndexEngine> {
    makeFolders(dir); // the user's --dir (make-folders.ts)
    const { maxInFlight = 256, onWait, signal, thread = 'worker', verified, ...indexOptions } = options;
    const lock = await lockDirectory(dir, onWait, signal);
    const data: EngineWorkerData = {
      dir,
      options: { ...DEFAULT_INDEX_OPTIONS, ...indexOptions },
      verified: verified?.buffer,
    };
    if (thread === 'caller') {
      try {
        const { hostEngine } = await import('./engine-host.ts');
        return new IndexEngine(dir, { host: hostEngine(data) }, maxInFlight, lock);
      } catch (err) {
        lock.release();
        throw err;
      }
    }
    const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { workerData: data });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        lock.release();
        reject(err);
      };
      worker.once('error', onError);
      worker.once('message', () => {
        worker.off('error', onError);
        resolve(new IndexEngine(dir, { worker }, maxInFlight, lock));
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

  merging(name: string): Promise<boolean> {
    return this.#call('merging', name);
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
    this.#closed ??= this.#stop().finally(() => {
      this.#dead ??= new EngineClosedError('index engine is closed');
      this.#lock.release();
    });
    return this.#closed;
  }

  async #stop(): Promise<void> {
    const runner = this.#runner;
    if ('host' in runner) return runner.host.close();
    if (!this.#dead) {
      const id = this.#nextId++;
      await new Promise<unknown>((resolve, reject) => {
        this.#calls.set(id, { resolve, reject });
        runner.worker.postMessage({ id, method: 'close' });
      }).catch(() => {});
    }
    this.#dead ??= new EngineClosedError('index engine is closed');
    await runner.worker.terminate();
  }

  async #call<M extends EngineMethod>(
    method: M,
    ...args: Parameters<EngineApi[M]>
  ): Promise<Awaited<ReturnType<EngineApi[M]>>> {
    const runner = this.#runner;
    if ('host' in runner) {
      if (this.#dead || this.#closed) throw this.#dead ?? new EngineClosedError('index engine is closed');
      type Result = Awaited<ReturnType<EngineApi[M]>>;
      const fn = runner.host.api[method] as (...a: typeof args) => Result | Promise<Result>;
      return await fn(...args);
    }
    while (this.#calls.size >= this.#maxInFlight && !this.#dead)
      await new Promise<void>((r) => this.#waiting.push(r));
    if (this.#dead || this.#closed) throw this.#dead ?? new EngineClosedError('index engine is closed');
    const id = this.#nextId++;
    return new Promise<Awaited<ReturnType<EngineApi[M]>>>((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      runner.worker.postMessage({ id, method, args } as EngineCall);
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

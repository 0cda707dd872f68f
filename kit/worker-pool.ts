// A small pool of workers running one task module: threads, or processes where native code may crash on
// its input. Tasks queue; each worker holds at most `inFlight` tasks so it never idles between messages.
// A crashed or stuck worker is replaced and its tasks fail with WorkerCrashError, so the caller can retry
// them one by one and isolate a bad input.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { keepCompiled } from './compile-cache.ts';
import { NO_WASM_CODE_GC } from './keep-wasm-code.ts';
import { type TextSpan, UserError, type UserErrorCode } from './user-error.ts';

export class WorkerCrashError extends Error {
  override name = 'WorkerCrashError';
}

interface Task<In, Out> {
  readonly id: number;
  readonly input: In;
  readonly resolve: (out: Out) => void;
  readonly reject: (err: Error) => void;
}

/** A thread or a process, as the pool drives it. */
interface Runner {
  postMessage(message: unknown): void;
  onMessage(f: (message: unknown) => void): void;
  /** Called once, with what ended it: "exited with code 1", "was killed by SIGSEGV", an error's message. */
  onEnd(f: (how: string) => void): void;
  /** Stops listening: what it does from now on is no crash. */
  forget(): void;
  terminate(): Promise<unknown>;
}

/** How long a worker may take to load its module and listen. */
const START_MS = 60_000;

function threadRunner(url: URL, workerData: unknown): Runner {
  const worker = new Worker(url, { workerData });
  const spawned = performance.now();
  // A thread stopped while it registers a native addon (better-sqlite3's, as its module opens the
  // library) aborts the whole process: node-addon-api finds no error to report and calls it fatal. So it
  // is stopped only once it listens (its first message) or has ended, or once the time it had to start
  // (counted from its spawn: a thread already past it is stopped at once) is up.
  const started = new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.once('exit', () => resolve());
  });
  let listening = true;
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (f) => worker.on('message', (m) => listening && f(m)),
    onEnd: (f) => {
      worker.on('error', (err) => listening && f(err.message));
      worker.on('exit', (code) => listening && f(`worker exited with code ${code}`));
    },
    forget: () => {
      listening = false;
    },
    terminate: async () => {
      let bound: NodeJS.Timeout | undefined;
      const left = Math.max(0, START_MS - (performance.now() - spawned));
      await Promise.race([started, new Promise((resolve) => (bound = setTimeout(resolve, left)))]);
      clearTimeout(bound);
      return worker.terminate();
    },
  };
}

function processRunner(url: URL): Runner {
  // Structured clone over the channel, as between threads: typed arrays arrive as typed arrays.
  // In the desktop app the backend runs in Electron, whose binary runs the module as Node when told to.
  const env = process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env;
  const child = fork(fileURLToPath(url), [], {
    serialization: 'advanced',
    env,
    execArgv: [...process.execArgv, NO_WASM_CODE_GC],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let listening = true;
  let end: (how: string) => void = () => {};
  return {
    postMessage: (message) => {
      try {
        child.send(message as object);
      } catch (err) {
        end(`cannot reach the worker: ${(err as Error).message}`);
      }
    },
    onMessage: (f) => child.on('message', (m) => listening && f(m)),
    onEnd: (f) => {
      end = (how) => listening && f(how);
      child.on('error', (err) => end(err.message));
      child.on('exit', (code, signal) =>
        end(signal ? `worker was killed by ${signal}` : `worker exited with code ${code}`),
      );
    },
    forget: () => {
      listening = false;
    },
    terminate: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      return exited;
    },
  };
}

interface Slot<In, Out> {
  worker: Runner;
  readonly tasks: Map<number, Task<In, Out>>;
  timer?: NodeJS.Timeout;
  /** Its module loaded and listening: a task's time runs from then (a start on a busy machine is slow). */
  ready: boolean;
}

/** A task's failure; a UserError keeps its code and span across the thread boundary, another error its
 *  code (a system error's ENOSPC, an index's CorruptSegment), for the caller to tell them apart. */
type Failure = {
  id: number;
  error: string;
  code?: string;
  user?: { code: UserErrorCode; span: TextSpan | undefined };
};
type Reply<Out> = { id: number; output: Out } | Failure;
/** A worker's first message: it listens for tasks. */
type Ready = { ready: true };

export interface WorkerPoolOptions {
  /** Tasks a worker holds at once; default 2. */
  readonly inFlight?: number;
  /** How long a task may go unanswered before its worker is replaced; default 60 s. */
  readonly taskTimeoutMs?: number;
  readonly workerData?: unknown;
  /** Workers start with the first task and stop after this long without one: for work that comes in
   *  bursts in a long-lived process, where an idle isolate and the garbage of its last task would stay
   *  resident. Without it the workers start at once and run until close(). */
  readonly stopWhenIdleMs?: number;
  /** Called once the workers stopped for idleness have exited. */
  readonly onIdleStop?: () => void;
  /** Each worker a process rather than a thread: native code that may crash on its input (the audio
   *  decoders) then takes down only that worker, and the task module is served by `taskPort()`.
   *  `workerData` is for threads only. */
  readonly processes?: boolean;
}

export class WorkerPool<In, Out> {
  readonly #url: URL;
  readonly #slots: Slot<In, Out>[] = [];
  readonly #queue: Task<In, Out>[] = [];
  readonly #size: number;
  readonly #inFlight: number;
  readonly #taskTimeoutMs: number;
  readonly #stopWhenIdleMs: number | undefined;
  readonly #onIdleStop: (() => void) | undefined;
  readonly #processes: boolean;
  #idleTimer: NodeJS.Timeout | undefined;
  #nextId = 1;
  #started = 0;
  #closed = false;

  readonly #workerData: unknown;

  constructor(url: URL, size: number, options: WorkerPoolOptions = {}) {
    this.#url = url;
    this.#workerData = options.workerData;
    this.#size = Math.max(1, size);
    this.#inFlight = options.inFlight ?? 2;
    this.#taskTimeoutMs = options.taskTimeoutMs ?? 60_000;
    this.#stopWhenIdleMs = options.stopWhenIdleMs;
    this.#onIdleStop = options.onIdleStop;
    this.#processes = options.processes ?? false;
    if (this.#stopWhenIdleMs === undefined) this.grow(this.#size);
  }

  /** Workers running now. */
  get workers(): number {
    return this.#slots.length;
  }

  /** Workers started over the pool's life (each start loads the task module again). */
  get started(): number {
    return this.#started;
  }

  /** At least `size` workers from now on (a pool started small for a small first job). A pool that stops
   *  when idle counts its idle time again from now: its workers are not stopped before the job starts. */
  grow(size: number): void {
    while (!this.#closed && this.#slots.length < size) this.#slots.push(this.#spawn());
    this.#pump();
    this.#stopWhenIdle();
  }

  run(input: In): Promise<Out> {
    if (this.#closed) return Promise.reject(new Error('worker pool is closed'));
    clearTimeout(this.#idleTimer);
    if (this.#slots.length === 0) this.grow(this.#size);
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, input, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the workers. Every task not yet answered, queued or running, is rejected: none stays pending. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    const closed = new Error('worker pool is closed');
    for (const task of this.#queue.splice(0)) task.reject(closed);
    for (const slot of this.#slots) {
      clearTimeout(slot.timer);
      for (const task of slot.tasks.values()) task.reject(closed);
      slot.tasks.clear();
    }
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #spawn(): Slot<In, Out> {
    this.#started++;
    const slot: Slot<In, Out> = {
      worker: this.#processes ? processRunner(this.#url) : threadRunner(this.#url, this.#workerData),
      tasks: new Map(),
      ready: false,
    };
    slot.timer = setTimeout(
      () => this.#fail(slot, `the worker did not start within ${START_MS / 1000} s`),
      START_MS,
    );
    slot.worker.onMessage((message) => {
      const reply = message as Reply<Out> | Ready;
      if ('ready' in reply) {
        clearTimeout(slot.timer);
        slot.timer = undefined;
        slot.ready = true;
        this.#arm(slot);
        return;
      }
      const task = slot.tasks.get(reply.id);
      if (!task) return;
      slot.tasks.delete(reply.id);
      this.#arm(slot);
      if ('error' in reply)
        task.reject(
          reply.user
            ? new UserError(reply.user.code, reply.error, reply.user.span)
            : Object.assign(new Error(reply.error), reply.code === undefined ? {} : { code: reply.code }),
        );
      else task.resolve(reply.output);
      this.#pump();
      this.#stopWhenIdle();
    });
    slot.worker.onEnd((how) => {
      if (!this.#closed) this.#fail(slot, how);
    });
    return slot;
  }

  /** (Re)starts the watchdog for a slot's oldest outstanding work (a worker still starting has its own). */
  #arm(slot: Slot<In, Out>): void {
    if (!slot.ready) return;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    if (slot.tasks.size === 0) return;
    slot.timer = setTimeout(() => {
      this.#fail(slot, `no answer within ${this.#taskTimeoutMs / 1000} s`);
    }, this.#taskTimeoutMs);
  }

  #fail(slot: Slot<In, Out>, reason: string): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    clearTimeout(slot.timer);
    slot.worker.forget();
    void slot.worker.terminate();
    for (const task of slot.tasks.values()) task.reject(new WorkerCrashError(reason));
    slot.tasks.clear();
    // A pool that stops when idle starts a worker again only for work waiting (not one that cannot load).
    if (!this.#closed) {
      if (this.#stopWhenIdleMs !== undefined && this.#queue.length === 0) this.#slots.splice(index, 1);
      else this.#slots[index] = this.#spawn();
    }
    this.#pump();
    this.#stopWhenIdle();
  }

  #busy(): boolean {
    return this.#queue.length > 0 || this.#slots.some((s) => s.tasks.size > 0);
  }

  #stopWhenIdle(): void {
    const after = this.#stopWhenIdleMs;
    if (after === undefined || this.#busy()) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      // Work came after the timer was set (grow() sets it before its job's first task): the work's last
      // answer sets it again.
      if (this.#busy()) return;
      const stopped = this.#slots.splice(0).map((slot) => {
        clearTimeout(slot.timer);
        slot.worker.forget(); // its exit is no crash
        return slot.worker.terminate();
      });
      void Promise.all(stopped).then(() => this.#onIdleStop?.());
    }, after);
    this.#idleTimer.unref();
  }

  #pump(): void {
    for (const slot of this.#slots) {
      while (slot.tasks.size < this.#inFlight && this.#queue.length > 0) {
        const task = this.#queue.shift()!;
        slot.tasks.set(task.id, task);
        slot.worker.postMessage({ id: task.id, input: task.input });
        if (slot.ready && !slot.timer) this.#arm(slot);
      }
    }
  }
}

/**
 * Runs a batch; if the worker crashes on it, retries the items one by one so that only the item that
 * brings the worker down fails (with `crashed(reason)`), and the rest still get their results. An item
 * alone is tried twice: a worker killed from outside (the OOM killer, a user) is not the item's doing.
 * Exact only with a pool that gives a worker one task at a time (inFlight 1): else a crash also fails the
 * task beside the one that caused it.
 */
export async function runIsolating<Item, Out>(
  pool: WorkerPool<Item[], Out[]>,
  items: readonly Item[],
  crashed: (reason: string) => Out,
  tries = 2,
): Promise<Out[]> {
  if (items.length === 0) return [];
  try {
    return await pool.run([...items]);
  } catch (err) {
    if (!(err instanceof WorkerCrashError)) throw err;
    if (items.length > 1) {
      const parts = await Promise.all(items.map((i) => runIsolating(pool, [i], crashed)));
      return parts.flat();
    }
    return tries > 1 ? runIsolating(pool, items, crashed, tries - 1) : [crashed(err.message)];
  }
}

/** The first batch's size, at most (see batches). */
const FIRST_BATCH = 8;

/**
 * Hands `items` to `run` in batches, several batches in flight so a pool stays busy without the whole
 * list queued at once. `items` is read only as batches start: a lazy one (rows paged from a database)
 * never needs to be held whole. Stops starting batches once `signal` aborts; waits for those started.
 */
export async function inBatches<Item>(
  items: Iterable<Item>,
  size: number,
  signal: AbortSignal | undefined,
  run: (batch: readonly Item[]) => Promise<void>,
  inFlight = 8,
): Promise<void> {
  const window = new Set<Promise<void>>();
  for (const batch of batches(items, size)) {
    // While results keep coming, Node drains the worker's port without returning to the event loop;
    // yielding here lets signals (Ctrl-C), timers and sockets in.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) break;
    const p = run(batch);
    window.add(p);
    const forget = () => window.delete(p);
    p.then(forget, forget);
    if (window.size >= inFlight) await Promise.race(window);
  }
  await Promise.all(window);
}

/** Batches of `size`, but for the first few: 8, 16, 32… up to it, so that the first results are back (and
 *  their writer busy) while the workers read on, instead of all waiting for a whole first batch. */
function* batches<Item>(items: Iterable<Item>, size: number): Generator<Item[]> {
  let batch: Item[] = [];
  let target = Math.min(size, FIRST_BATCH);
  for (const item of items) {
    batch.push(item);
    if (batch.length < target) continue;
    yield batch;
    batch = [];
    target = Math.min(size, target * 2);
  }
  if (batch.length > 0) yield batch;
}

/** Where a task module hears from its pool. */
export interface TaskPort<In, Out> {
  on(e: 'message', f: (m: { id: number; input: In }) => void): void;
  postMessage(m: Reply<Out> | Ready): void;
}

/** This module's port to its pool: the thread's, or, in a worker process, its channel to the parent. A
 *  worker process leaves Ctrl-C to its parent (which closes the pool) and ends when the parent does. */
export function taskPort<In, Out>(): TaskPort<In, Out> | undefined {
  if (parentPort) return parentPort;
  const send = process.send?.bind(process);
  if (!send) return undefined;
  process.on('SIGINT', () => {});
  process.on('disconnect', endOrphan);
  return {
    on: (_, f) => process.on('message', f as (m: unknown) => void),
    postMessage: (m) => send(m, undefined, {}, (err) => err && endOrphan()),
  };
}

/**
 * Ends a worker process whose parent is gone, at once: nothing it holds is wanted. Not process.exit(),
 * whose shutdown joins V8's background threads: one of them (a concurrent compile) waiting for a garbage
 * collection the exiting thread never makes held an orphaned analysis process forever, in futex waits.
 */
function endOrphan(): void {
  process.kill(process.pid, 'SIGKILL');
}

/** The worker side: answers each task message with the handler's result. */
export function serveTasks<In, Out>(port: TaskPort<In, Out>, handler: (input: In) => Promise<Out>): void {
  port.on('message', ({ id, input }) => {
    handler(input).then(
      (output) => port.postMessage({ id, output }),
      (err: unknown) =>
        port.postMessage({
          id,
          error: err instanceof Error ? err.message : String(err),
          ...(err instanceof UserError && { user: { code: err.code, span: err.span } }),
          ...(typeof (err as { code?: unknown })?.code === 'string' && {
            code: (err as { code: string }).code,
          }),
        }),
    );
  });
  keepCompiled();
  port.postMessage({ ready: true });
}

/** The worker side of a pool whose tasks are batches (runIsolating's): each item handled in turn, the
 *  batch answered with their results in order. */
export function serveEachOf<In, Out>(
  port: TaskPort<In[], Out[]>,
  handler: (input: In) => Promise<Out>,
): void {
  serveTasks(port, async (inputs: In[]) => {
    const out: Out[] = [];
    for (const input of inputs) out.push(await handler(input));
    return out;
  });
}

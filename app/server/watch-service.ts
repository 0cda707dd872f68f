// The backend's watcher of the library folders, on a thread of its own (watch-worker.ts), and what it took
// in lately, for the clients.
import { Worker } from 'node:worker_threads';
import type { Config } from '../core/config.ts';
import type { Home } from '../core/home.ts';
import { WATCH_TIMING, type WatchedFolder } from '../core/watch/library-watcher.ts';
import type { WatchReport } from '../shared/rpc-contract.ts';
import type { WatchMessage, WatchWorkerData } from './watch-worker.ts';

const RECENT = 20;

export interface WatchEvents {
  folders(folders: readonly WatchedFolder[]): void;
  changed(report: WatchReport): void;
}

export class WatchService {
  /** The watcher's thread, started by start(). */
  #worker: Worker | undefined;
  readonly #data: WatchWorkerData | undefined;
  readonly #events: WatchEvents;
  readonly #log: (line: string) => void;
  readonly #recent: WatchReport[] = [];
  #folders: readonly WatchedFolder[] = [];
  #closed: Promise<void> | undefined;

  /** `noAnswerMs`: how long a folder may take to answer (default WATCH_TIMING's). */
  constructor(
    home: Home,
    config: Config,
    events: WatchEvents,
    log: (line: string) => void,
    noAnswerMs = WATCH_TIMING.noAnswerMs,
  ) {
    this.#events = events;
    this.#log = log;
    if (config.watch.enabled) this.#data = { home, config, timing: { ...WATCH_TIMING, noAnswerMs } };
  }

  /** Starts the watcher's thread, which watches every library folder and looks at each once whole. */
  start(): void {
    if (!this.#data || this.#worker || this.#closed) return;
    const worker = new Worker(new URL('./watch-worker.ts', import.meta.url), { workerData: this.#data });
    worker.on('message', (m: WatchMessage) => {
      if (m.kind === 'folders') {
        this.#folders = m.folders;
        for (const f of m.folders) if (f.notice) this.#log(`watch: ${f.path}: ${f.notice}`);
        this.#events.folders(m.folders);
      } else if (m.kind === 'changed') {
        const report = { ...m.report, at: Date.now() };
        this.#recent.unshift(report);
        this.#recent.length = Math.min(this.#recent.length, RECENT);
        this.#events.changed(report);
      } else if (m.kind === 'log') this.#log(m.line);
    });
    // A watcher that failed is said, and the library goes on without it (a scan still takes changes in).
    worker.on('error', (err) => this.#log(`watch: stopped: ${err.message}`));
    worker.postMessage('start');
    this.#worker = worker;
  }

  status(): { enabled: boolean; folders: WatchedFolder[]; recent: WatchReport[] } {
    return { enabled: this.#data !== undefined, folders: [...this.#folders], recent: this.#recent };
  }

  /** Stops watching: a look under way stops (what it read is kept) and the worker's connection closes. */
  close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) {
      this.#closed ??= Promise.resolve(); // and it never starts
      return this.#closed;
    }
    this.#closed ??= new Promise<void>((resolve) => {
      const done = () => resolve();
      worker.once('exit', done);
      worker.on('message', (m: WatchMessage) => {
        if (m.kind === 'closed') void worker.terminate();
      });
      worker.postMessage('close');
    });
    return this.#closed;
  }
}

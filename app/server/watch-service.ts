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
  readonly #worker: Worker | undefined;
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
    if (!config.watch.enabled) return;
    const data: WatchWorkerData = { home, config, timing: { ...WATCH_TIMING, noAnswerMs } };
    this.#worker = new Worker(new URL('./watch-worker.ts', import.meta.url), { workerData: data });
    this.#worker.on('message', (m: WatchMessage) => {
      if (m.kind === 'folders') {
        this.#folders = m.folders;
        for (const f of m.folders) if (f.notice) log(`watch: ${f.path}: ${f.notice}`);
        events.folders(m.folders);
      } else if (m.kind === 'changed') {
        const report = { ...m.report, at: Date.now() };
        this.#recent.unshift(report);
        this.#recent.length = Math.min(this.#recent.length, RECENT);
        events.changed(report);
      } else if (m.kind === 'log') log(m.line);
    });
    // A watcher that failed is said, and the library goes on without it (a scan still takes changes in).
    this.#worker.on('error', (err) => log(`watch: stopped: ${err.message}`));
  }

  start(): void {
    this.#worker?.postMessage('start');
  }

  status(): { enabled: boolean; folders: WatchedFolder[]; recent: WatchReport[] } {
    return { enabled: this.#worker !== undefined, folders: [...this.#folders], recent: this.#recent };
  }

  /** Stops watching: a look under way stops (what it read is kept) and the worker's connection closes. */
  close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return Promise.resolve();
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

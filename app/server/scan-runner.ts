// Runs one scan at a time for the backend, on a thread of its own (scan-worker.ts): the same pipeline as
// `sleeve scan`, reporting progress and the outcome as events, cancellable, and never letting a failure
// escape into the server.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../kit/user-error.ts';
import type { Config } from '../core/config.ts';
import type { Home } from '../core/home.ts';
import type { ScanProgress, ScanResult, ScanState } from '../shared/rpc-contract.ts';
import type { ScanOrder, ScanReport, ScanWorkerData } from './scan-worker.ts';

export interface ScanEvents {
  progress(p: ScanProgress): void;
  finished(result: ScanResult): void;
  /** The scan waits for another process (a CLI scan) to finish with a store: said once per wait. */
  waiting(message: string): void;
}

/** "~/Music" and absolute paths; a relative path is ambiguous for a backend, so it is refused. */
export function folderPath(text: string): string {
  const trimmed = text.trim();
  const expanded =
    trimmed === '~' ? homedir() : trimmed.startsWith('~/') ? join(homedir(), trimmed.slice(2)) : trimmed;
  if (!isAbsolute(expanded))
    throw new UserError('bad_request', `"${text}" is not an absolute path (start with / or ~/)`);
  return resolve(expanded);
}

export class ScanRunner {
  /** The scan thread, started by the first scan: its modules took 0.3 s of CPU at the backend's start, on
   *  a core the first rows needed. */
  #worker: Worker | undefined;
  readonly #data: ScanWorkerData;
  readonly #events: ScanEvents;
  #running = false;
  #folders: string[] = [];
  /** The folders being checked before a scan starts (a share that does not answer holds it here). */
  #checking: string[] | undefined;
  /** The check's answer, awaited by start(). */
  #checked: ((report: Extract<ScanReport, { kind: 'checked' | 'refused' }>) => void) | undefined;
  #waiting: string | null = null;
  #progress: ScanProgress | null = null;
  #last: ScanResult | null = null;
  #stopped: Promise<void> | undefined;

  /** `fileDeadlineMs`: how long a folder may take to answer (default FILE_DEADLINE_MS). */
  constructor(home: Home, config: Config, events: ScanEvents, fileDeadlineMs?: number) {
    this.#events = events;
    this.#data = { home, config, ...(fileDeadlineMs === undefined ? {} : { fileDeadlineMs }) };
  }

  #thread(): Worker {
    if (this.#stopped) throw new UserError('unavailable', 'the scans are stopped: the backend is closing');
    if (!this.#worker) {
      const worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { workerData: this.#data });
      worker.on('message', (r: ScanReport) => this.#heard(r, worker));
      this.#worker = worker;
    }
    return this.#worker;
  }

  #heard(r: ScanReport, worker: Worker): void {
    if (r.kind === 'slow' || r.kind === 'waiting') this.#wait(r.message);
    else if (r.kind === 'checked' || r.kind === 'refused') this.#checked?.(r);
    else if (r.kind === 'progress') {
      this.#progress = r.progress;
      this.#waiting = null;
      this.#events.progress(r.progress);
    } else if (r.kind === 'finished') {
      this.#last = r.result;
      this.#progress = null;
      this.#waiting = null;
      this.#running = false;
      this.#events.finished(r.result);
    } else void worker.terminate(); // closed: its connection and threads are
  }

  state(): ScanState {
    return {
      running: this.#running || this.#checking !== undefined,
      folders: this.#checking ?? this.#folders,
      waiting: this.#waiting,
      progress: this.#progress,
      last: this.#last,
    };
  }

  #refuseIfRunning(): void {
    if (this.#running || this.#checking)
      throw new UserError('conflict', `a scan of ${this.state().folders.join(', ')} is already running`);
  }

  #wait(message: string | null): void {
    this.#waiting = message;
    if (message) this.#events.waiting(message);
  }

  /** Checks the folders, then starts scanning them in the background (on the scan thread). */
  async start(folderTexts: readonly string[]): Promise<ScanState> {
    this.#refuseIfRunning();
    const folders = [...new Set(folderTexts.map(folderPath))];
    const thread = this.#thread(); // a refusal (the backend closing) before anything is marked running
    this.#checking = folders;
    const answer = new Promise<Extract<ScanReport, { kind: 'checked' | 'refused' }>>((resolve) => {
      this.#checked = resolve;
    });
    thread.postMessage({ kind: 'start', folders } satisfies ScanOrder);
    try {
      const r = await answer;
      if (r.kind === 'refused') throw r.code ? new UserError(r.code, r.message) : new Error(r.message);
    } finally {
      this.#checked = undefined;
      this.#checking = undefined;
      this.#wait(null);
    }
    this.#folders = folders;
    this.#progress = null;
    this.#running = true;
    return this.state();
  }

  /** Stops the running scan (or the check before it); what was read so far is kept. */
  cancel(): boolean {
    if (!this.#running && !this.#checking) return false;
    this.#worker?.postMessage({ kind: 'cancel' } satisfies ScanOrder);
    return true;
  }

  /** Cancels and waits for the scan to wind down and the scan thread to close (on shutdown). */
  stop(): Promise<void> {
    const worker = this.#worker;
    this.#stopped ??= new Promise<void>((resolve) => {
      if (!worker) return resolve(); // no scan ever ran
      worker.once('exit', () => resolve());
      worker.postMessage({ kind: 'close' } satisfies ScanOrder);
    });
    return this.#stopped;
  }
}

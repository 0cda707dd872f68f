// Runs one scan at a time for the backend: the same pipeline as `sleeve scan`, reporting progress and the
// outcome as events, cancellable, and never letting a failure escape into the server.
import { availableParallelism, homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../kit/user-error.ts';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { KeptScanWorkers } from '../core/scan/kept-scan-workers.ts';
import { offLimits } from '../core/scan/off-limits.ts';
import { scanLibrary } from '../core/scan/pipeline.ts';
import { emptyScanSummary, scanFolder } from '../core/scan/scanner.ts';
import type { ScanProgress, ScanResult, ScanState } from '../shared/rpc-contract.ts';

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

/** Rejects once `signal` aborts: the scan was cancelled while its folders were checked. */
function cancelled(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) =>
    signal.addEventListener(
      'abort',
      () => reject(new UserError('conflict', 'the scan was cancelled while its folders were checked')),
      { once: true },
    ),
  );
}

/** How long a folder may take to say it is there before the scan's state says it waits for it. */
const SLOW_FOLDER_MS = 1000;

export class ScanRunner {
  readonly #db: Db;
  readonly #home: Home;
  readonly #config: Config;
  readonly #events: ScanEvents;
  #abort: AbortController | undefined;
  #running: Promise<void> | undefined;
  #folders: string[] = [];
  /** The folders being checked before a scan starts (a share that does not answer holds it here). */
  #checking: string[] | undefined;
  #waiting: string | null = null;
  #progress: ScanProgress | null = null;
  #last: ScanResult | null = null;
  /** The scans' lanes, readers and analysis processes, kept between scans (the app rescans a folder or
   *  two at a time). Each mount's file system calls go through a thread of its own with a deadline (a
   *  share that stopped answering holds its thread, never the backend's); lanes apart from /media's, so
   *  a walk never queues before a stream's reads. */
  readonly #workers: KeptScanWorkers;

  /** `fileDeadlineMs`: how long a folder may take to answer (default FILE_DEADLINE_MS). */
  constructor(db: Db, home: Home, config: Config, events: ScanEvents, fileDeadlineMs?: number) {
    this.#db = db;
    this.#home = home;
    this.#config = config;
    this.#events = events;
    this.#workers = new KeptScanWorkers(config.scan.workers ?? availableParallelism(), fileDeadlineMs);
  }

  state(): ScanState {
    return {
      running: this.#running !== undefined || this.#checking !== undefined,
      folders: this.#checking ?? this.#folders,
      waiting: this.#waiting,
      progress: this.#progress,
      last: this.#last,
    };
  }

  /** Checks the folders, then starts scanning them in the background. */
  #refuseIfRunning(): void {
    if (this.#running || this.#checking)
      throw new UserError('conflict', `a scan of ${this.state().folders.join(', ')} is already running`);
  }

  #wait(message: string | null): void {
    this.#waiting = message;
    if (message) this.#events.waiting(message);
  }

  async start(folderTexts: readonly string[]): Promise<ScanState> {
    this.#refuseIfRunning();
    const folders = [...new Set(folderTexts.map(folderPath))];
    // Cancel reaches the check too: a stat the share never answers is left behind, its answer ignored.
    const abort = new AbortController();
    this.#abort = abort;
    this.#checking = folders;
    const stopped = cancelled(abort.signal);
    stopped.catch(() => {}); // a cancel after the check is the scan's
    try {
      const limits = await offLimits(this.#db, this.#workers.files);
      for (const folder of folders) {
        // A ScanFolderError (no such folder, not a folder, no answer by the deadline) reaches the
        // client as a bad request. Asked in the folder's lane: a share whose server is gone holds that
        // thread, not the backend's.
        const asked = scanFolder(folder, limits, this.#workers.files);
        const slow = setTimeout(() => this.#wait(`waiting for ${folder} to answer`), SLOW_FOLDER_MS);
        await Promise.race([asked, stopped]).finally(() => clearTimeout(slow));
      }
    } catch (err) {
      this.#abort = undefined;
      throw err;
    } finally {
      this.#checking = undefined;
      this.#wait(null);
    }
    this.#folders = folders;
    this.#progress = null;
    this.#running = this.#run(folders, abort.signal).finally(() => {
      this.#running = undefined;
      this.#abort = undefined;
    });
    return this.state();
  }

  async #run(folders: string[], signal: AbortSignal): Promise<void> {
    const started = performance.now();
    let result: ScanResult;
    try {
      const done = await scanLibrary(this.#db, this.#home, {
        folders,
        workers: this.#config.scan.workers ?? availableParallelism(),
        includeHidden: this.#config.scan.includeHidden,
        ignore: this.#config.scan.ignore,
        maxArtBytes: this.#config.art.maxBytes,
        history: this.#config.history,
        fingerprint: true,
        embed: true,
        loudness: true,
        signal,
        onProgress: (p) => {
          this.#progress = p;
          this.#waiting = null;
          this.#events.progress(p);
        },
        onWait: (message) => this.#wait(message),
        index: this.#config.index,
        origin: 'app',
        ...this.#workers.forScan,
      });
      result = {
        folders,
        ...done.scan,
        interrupted: done.interrupted,
        totalSeconds: done.totalSeconds,
        empty: [...done.empty],
        failure: null,
        groupingWaits: done.groupingWaits ?? null,
        carried: done.carried ? { batch: done.carried.batch, description: done.carried.description } : null,
      };
    } catch (err) {
      const failure = err instanceof Error ? err.message : String(err);
      result = {
        folders,
        ...emptyScanSummary(),
        interrupted: signal.aborted,
        // How long it ran before it failed: the app announces a long one that stopped.
        totalSeconds: (performance.now() - started) / 1000,
        empty: [],
        failure,
        groupingWaits: null,
        carried: null,
      };
    }
    this.#last = result;
    this.#progress = null;
    this.#waiting = null;
    this.#events.finished(result);
  }

  /** Stops the running scan; what was read so far is kept. */
  cancel(): boolean {
    if (!this.#abort) return false;
    this.#abort.abort();
    return true;
  }

  /** Cancels and waits for the scan to wind down (on shutdown). */
  async stop(): Promise<void> {
    this.cancel();
    await this.#running;
    await this.#workers.close();
  }
}

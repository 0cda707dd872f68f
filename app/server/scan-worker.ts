// Worker thread: the backend's scans (scan-runner.ts), on a connection of their own. A scan compares every
// file the library knows in its folders with the disk and writes what changed — at a million tracks
// seconds of CPU at a stretch — which on the backend's thread held every request behind it.
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { UserError, type UserErrorCode } from '../../kit/user-error.ts';
import type { Config } from '../core/config.ts';
import { openDatabase } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { KeptScanWorkers } from '../core/scan/kept-scan-workers.ts';
import { offLimits } from '../core/scan/off-limits.ts';
import { configuredScan, scanLibrary } from '../core/scan/pipeline.ts';
import { emptyScanSummary, scanFolder } from '../core/scan/scanner.ts';
import type { ScanProgress, ScanResult } from '../shared/rpc-contract.ts';

export interface ScanWorkerData {
  readonly home: Home;
  readonly config: Config;
  readonly fileDeadlineMs?: number;
}

/** From the backend's thread: check folders and scan them, stop the scan, or stop for good. */
export type ScanOrder =
  | { readonly kind: 'start'; readonly folders: readonly string[] }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'close' };

/** To it: how the check and the scan go. */
export type ScanReport =
  | { readonly kind: 'slow'; readonly message: string }
  | { readonly kind: 'checked' }
  /** `code`: a UserError's (a folder that is not there…); null for a failure of the check itself. */
  | { readonly kind: 'refused'; readonly code: UserErrorCode | null; readonly message: string }
  | { readonly kind: 'progress'; readonly progress: ScanProgress }
  | { readonly kind: 'waiting'; readonly message: string }
  | { readonly kind: 'finished'; readonly result: ScanResult }
  | { readonly kind: 'closed' };

/** How long a folder may take to say it is there before the scan's state says it waits for it. */
const SLOW_FOLDER_MS = 1000;

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

if (parentPort) {
  const port = parentPort;
  const { home, config, fileDeadlineMs } = workerData as ScanWorkerData;
  const db = openDatabase(home.database);
  const say = (report: ScanReport) => port.postMessage(report);
  // The scans' lanes, readers and analysis processes, kept between scans (the app rescans a folder or
  // two at a time). Each mount's file system calls go through a thread of its own with a deadline.
  const workers = new KeptScanWorkers(config.scan.workers ?? availableParallelism(), fileDeadlineMs);
  let abort: AbortController | undefined;
  let running: Promise<void> | undefined;

  /** Checks the folders (each in its lane: a share whose server is gone holds that thread only). */
  const check = async (folders: readonly string[], signal: AbortSignal): Promise<void> => {
    const stopped = cancelled(signal);
    stopped.catch(() => {}); // a cancel after the check is the scan's
    const limits = await offLimits(db, workers.files);
    for (const folder of folders) {
      const asked = scanFolder(folder, limits, workers.files);
      const slow = setTimeout(
        () => say({ kind: 'slow', message: `waiting for ${folder} to answer` }),
        SLOW_FOLDER_MS,
      );
      await Promise.race([asked, stopped]).finally(() => clearTimeout(slow));
    }
  };

  const scan = async (folders: string[], signal: AbortSignal): Promise<ScanResult> => {
    const started = performance.now();
    try {
      const done = await scanLibrary(db, home, {
        ...configuredScan(config),
        folders,
        signal,
        onProgress: (progress) => say({ kind: 'progress', progress }),
        onWait: (message) => say({ kind: 'waiting', message }),
        origin: 'app',
        ...workers.forScan,
      });
      return {
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
      return {
        folders,
        ...emptyScanSummary(),
        interrupted: signal.aborted,
        // How long it ran before it failed: the app announces a long one that stopped.
        totalSeconds: (performance.now() - started) / 1000,
        empty: [],
        failure: err instanceof Error ? err.message : String(err),
        groupingWaits: null,
        carried: null,
      };
    }
  };

  port.on('message', (order: ScanOrder) => {
    if (order.kind === 'cancel') abort?.abort();
    else if (order.kind === 'close') {
      abort?.abort();
      void (async () => {
        await running;
        await workers.close();
        db.close();
        say({ kind: 'closed' });
      })();
    } else {
      const controller = new AbortController();
      abort = controller;
      const folders = [...order.folders];
      running = (async () => {
        try {
          await check(folders, controller.signal);
        } catch (err) {
          const code = err instanceof UserError ? err.code : null;
          say({ kind: 'refused', code, message: err instanceof Error ? err.message : String(err) });
          return;
        }
        say({ kind: 'checked' });
        say({ kind: 'finished', result: await scan(folders, controller.signal) });
      })().finally(() => {
        if (abort === controller) abort = undefined;
      });
    }
  });
}

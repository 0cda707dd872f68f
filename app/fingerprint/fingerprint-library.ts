// The scan's fingerprint phase: every readable file without a current fingerprint, across a pool of
// worker threads, saved batch by batch (so an interrupted scan resumes where it stopped).
import type { Db } from '../db/database.ts';
import { inBatches, runIsolating, WorkerPool } from '../scan/worker-pool.ts';
import {
  type FingerprintOutcome,
  type PendingFile,
  pendingFingerprints,
  saveFingerprints,
} from './fingerprint-store.ts';

export interface FingerprintProgress {
  readonly total: number;
  readonly done: number;
  readonly filesPerSecond: number;
  readonly etaSeconds: number | null;
}

export interface FingerprintSummary {
  fingerprinted: number;
  errors: number;
  interrupted: boolean;
  seconds: number;
}

// One file per task: a file costs ~0.3 s, so messages are cheap and no worker idles behind a slow batch.
const BATCH = 1;

export async function fingerprintLibrary(
  db: Db,
  options: { workers: number; signal?: AbortSignal; onProgress?: (p: FingerprintProgress) => void },
): Promise<FingerprintSummary> {
  const started = performance.now();
  const summary: FingerprintSummary = { fingerprinted: 0, errors: 0, interrupted: false, seconds: 0 };
  const pending = pendingFingerprints(db);
  if (pending.length > 0) {
    const pool = new WorkerPool<PendingFile[], FingerprintOutcome[]>(
      new URL('./fingerprint-worker.ts', import.meta.url),
      options.workers,
    );
    try {
      let done = 0;
      await inBatches(
        pending,
        BATCH,
        options.signal,
        async (files) => {
          const outcomes = await runIsolating(pool, files, (reason) => ({
            status: 'error' as const,
            error: `decoder crashed on this file: ${reason}`,
          }));
          saveFingerprints(
            db,
            files.map((file, i) => ({ file, outcome: outcomes[i]! })),
          );
          for (const o of outcomes) {
            if (o.status === 'error') summary.errors++;
            else summary.fingerprinted++;
          }
          done += files.length;
          const rate = done / Math.max((performance.now() - started) / 1000, 1e-3);
          options.onProgress?.({
            total: pending.length,
            done,
            filesPerSecond: rate,
            etaSeconds: (pending.length - done) / Math.max(rate, 1e-3),
          });
        },
        options.workers * 2,
      );
    } finally {
      await pool.close();
    }
  }
  summary.interrupted = options.signal?.aborted ?? false;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

// The processes a scan's analysis runs in (analysis-worker.ts): a process each, so that a decoder's crash
// takes only its file. A scan on its own starts them and stops them at its end; a long-lived owner keeps
// its own between scans (kept-scan-workers.ts).
import { WorkerPool } from '../../../kit/worker-pool.ts';
import type { LoudnessOutcome } from '../audio/loudness/loudness-store.ts';
import type { FingerprintOutcome, PendingFile } from '../fingerprint/fingerprint-store.ts';
import type { EmbeddingRecord } from '../similar/embedding-store.ts';

/** A file to analyse, and which of the three it needs. */
export interface AnalysisTask extends PendingFile {
  /** Bits per sample, as the scan read them (a FLAC at 32 says why no sample may decode). */
  readonly bitDepth: number | null;
  readonly fingerprint: boolean;
  readonly embed: boolean;
  readonly loudness: boolean;
}

export interface AnalysisOutcome {
  readonly fingerprint?: FingerprintOutcome | undefined;
  readonly embedding?: EmbeddingRecord | undefined;
  readonly loudness?: LoudnessOutcome | undefined;
  /** Why nothing could be made (decoding failed, or the decoder crashed on this file). */
  readonly failed?: string;
  /** Set, with `failed`, when not one sample of the file decoded: it holds no audio a player could play. */
  readonly undecodable?: true;
  /** What the decoder printed about this file (damaged packets or frames it skipped), one line. */
  readonly warning?: string | undefined;
}

export type AnalysisPool = WorkerPool<AnalysisTask[], AnalysisOutcome[]>;

const WORKER = new URL('./analysis-worker.ts', import.meta.url);

/** One file at a time a worker, so that a crash fails only the file that caused it (runIsolating). */
const OPTIONS = { processes: true, inFlight: 1 } as const;

/** `size` processes, started now, for one scan: its caller closes them. */
export function scanAnalysisPool(size: number): AnalysisPool {
  return new WorkerPool(WORKER, size, OPTIONS);
}

/** Up to `size` processes, started as a scan needs them (`grow`), stopped after `idleMs` without work
 *  and started again by the next scan; its owner closes it when it stops (kept-scan-workers.ts). */
export function keptAnalysisPool(size: number, idleMs: number): AnalysisPool {
  return new WorkerPool(WORKER, size, { ...OPTIONS, stopWhenIdleMs: idleMs });
}

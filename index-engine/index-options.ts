// An index's tuning, apart from the engine itself: the client that starts the engine's thread needs the
// defaults, and importing them from the engine would load all of it (and zod) into every command's thread.
import type { MergePolicy } from './merge-policy.ts';

export interface IndexOptions {
  readonly blockSize: number;
  /** Checkpoint memory segments once they hold this many postings… */
  readonly checkpointPostings: number;
  /** …or once their oldest write is this old. */
  readonly checkpointAgeMs: number;
  readonly oplogMaxFileBytes: number;
  readonly memoryMerges: MergePolicy;
  readonly fileMerges: MergePolicy;
}

export const DEFAULT_INDEX_OPTIONS: IndexOptions = {
  blockSize: 128,
  checkpointPostings: 100_000,
  checkpointAgeMs: 60_000,
  oplogMaxFileBytes: 64 << 20,
  memoryMerges: { segmentsPerLevel: 4, floor: 1_000, maxSegments: 32 },
  fileMerges: { segmentsPerLevel: 10, floor: 100_000, maxSegments: 48 },
};

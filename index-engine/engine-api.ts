// The typed surface of the engine worker: every method the client can call, with its arguments and result.
// Both sides are typed from this one interface.
import type { IndexStats, SegmentInfo } from './fingerprint-index.ts';
import type { IndexOptions } from './index-options.ts';
import type { Query, SearchHit, SearchOptions } from './search.ts';
import type { UpdateRequest } from './transaction.ts';

export interface CreateResult {
  readonly version: number;
  readonly ready: boolean;
  readonly generation: number;
}

export interface IndexInfo {
  readonly version: number;
  readonly metadata: Record<string, string>;
  readonly stats: IndexStats;
}

export interface IndexStatus {
  readonly generation: number;
  readonly version: number;
  readonly file_version: number;
}

export interface SnapshotHandle {
  readonly token: number;
  readonly generation: number;
  readonly segments: readonly { readonly info: SegmentInfo; readonly path: string; readonly size: number }[];
}

export type IndexHealth = 'absent' | 'loading' | 'ready' | 'failed';

export interface EngineApi {
  createIndex(name: string): CreateResult;
  deleteIndex(name: string): boolean;
  health(name: string): IndexHealth;
  update(name: string, request: UpdateRequest): Promise<number>;
  /** `sentAt` (epoch ms) makes the timeout include the time spent queued. */
  search(name: string, query: Query, options: SearchOptions, sentAt: number): SearchHit[];
  /** Several searches in one call (one message each way), run in sweeps of up to 256 queries; a sweep
   *  may take the timeout once per query, at most 10 s (the first also pays for time queued). Unlike
   *  `search`, it first commits the updates sent before it, so it sees them. */
  searchMany(name: string, queries: readonly Query[], options: SearchOptions, sentAt: number): SearchHit[][];
  /** The version that last wrote the document, or null. */
  documentVersion(name: string, id: number): number | null;
  info(name: string): IndexInfo;
  segments(name: string): SegmentInfo[];
  status(name: string): IndexStatus;
  /** Checkpoints memory segments to disk (one index, or all). */
  flush(name?: string): void;
  /** Waits until no merge is running or due (benchmarks and tests). */
  settle(name: string): Promise<void>;
  /** Whether a file merge runs now (what `settle` would wait for). */
  merging(name: string): boolean;
  snapshot(name: string): SnapshotHandle;
  releaseSnapshot(token: number): void;
  metrics(): string;
  /** Engine-level facts for benchmarks: heap and memory-segment sizes. */
  memory(): { heapUsed: number; arrayBuffers: number; rss: number };
}

export type EngineMethod = keyof EngineApi;

export type EngineCall = {
  [M in EngineMethod]: { id: number; method: M; args: Parameters<EngineApi[M]> };
}[EngineMethod];

export type EngineReply =
  | { id: number; result: unknown }
  | { id: number; error: { code: string; message: string } };

export interface EngineWorkerData {
  readonly dir: string;
  readonly options: IndexOptions;
  /** The buffer of the process's VerifiedSegments, when its owner keeps one. */
  readonly verified?: SharedArrayBuffer;
}

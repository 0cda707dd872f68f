// What a long-lived owner keeps between its scans instead of starting it again for each: each mount's
// file lane, the reader threads and the analysis processes. Its scans come often and are mostly small (a
// watcher takes in an album a file at a time; the app rescans a folder or two; a process running command
// after command), and each start is most of such a scan's cost (measured on the 2-core VM, CPU before the
// first file: a lane 35 ms, a reader 75 ms, an analysis process 0.1 s). Each thread and process stops after
// 30 s without work (a lane by its own timer) and starts again with the next scan. The pools grow to what
// a scan asks and keep that size: a later scan asking fewer workers is given as many as they hold.
import { VerifiedSegments } from '../../../index-engine/verified-segments.ts';
import { FileLanes } from '../../../kit/file-lanes.ts';
import { type AnalysisPool, keptAnalysisPool } from './analysis-pool.ts';
import type { ScanWorkers } from './pipeline.ts';
import { Readers } from './scan-read.ts';

/** How long a kept reader or analysis process waits for the next scan before it stops (and frees its
 *  memory), as a lane's thread does (kit/file-lanes.ts). */
const KEPT_IDLE_MS = 30_000;

export class KeptScanWorkers {
  /** Every stat, listing and read of the scans, each mount's on a thread of its own. */
  readonly files: FileLanes;
  readonly readers = new Readers({ keptIdleMs: KEPT_IDLE_MS });
  readonly analysisPool: AnalysisPool;
  /** The fingerprint index's files its scans verified: each verified once (a scan's grouping opens the
   *  index for its own time, and opening checksums it whole: 2.7 GB at a million tracks). */
  readonly verified = new VerifiedSegments();

  /** `workers`: the scans' analysis processes at most; `fileDeadlineMs`: how long a file system call may
   *  go unanswered (FileLanes). */
  constructor(workers: number, fileDeadlineMs?: number) {
    this.files = new FileLanes(fileDeadlineMs);
    this.analysisPool = keptAnalysisPool(workers, KEPT_IDLE_MS);
  }

  /** What each scan is given. */
  get forScan(): ScanWorkers {
    return {
      files: this.files,
      readers: this.readers,
      analysisPool: this.analysisPool,
      verified: this.verified,
    };
  }

  /** Stops them all (a lane stuck on a stalled share ends when its call returns). */
  async close(): Promise<void> {
    this.files.close();
    await Promise.all([this.readers.close(), this.analysisPool.close()]);
  }
}

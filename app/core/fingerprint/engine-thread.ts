// Where a scan's grouping runs the embedded index engine, and how it leaves the index. A thread of its own
// costs about 0.1 s of CPU to start (an isolate, its modules): most of a small scan's grouping, a watcher's
// album or a CLI rescan of a few files. It pays off only when it works while the scan's thread does too:
// searching the next batch while this one is grouped (updateRecordingGroups), or loading a large index,
// checksummed whole as it opens, while a command still answers its Ctrl-C and prints its progress.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexEngine } from '../../../index-engine/engine-client.ts';
import { oneBatch, RECORDINGS_INDEX } from './recording-groups.ts';

/** An index up to this size opens in tens of milliseconds with its files cached, a few tenths of a second
 *  from disk: about 24,000 fingerprinted files (2.7 KB each at 100k and at 1M, BENCHMARKS.md). */
const SMALL_INDEX_BYTES = 64 * 1024 ** 2;

/** The bytes of the files directly under `dir` (0 when it is not there). */
function bytesIn(dir: string): number {
  try {
    return readdirSync(dir).reduce(
      (sum, name) => sum + (statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0),
      0,
    );
  } catch {
    return 0;
  }
}

/** The thread for grouping `work` files (groupingWork) with the engine on `indexes`. */
export function engineThread(indexes: string, work: number): 'caller' | 'worker' {
  return oneBatch(work) && bytesIn(join(indexes, RECORDINGS_INDEX)) <= SMALL_INDEX_BYTES
    ? 'caller'
    : 'worker';
}

/**
 * Checkpoints the index and waits for the merges that leaves due. The engine closes with the scan, and a
 * merge still running then was thrown away, then started again (and thrown away) by each short scan after
 * it: a library scanned a few files at a time only ever gained segments. Merges are amortised (each
 * posting rewritten once a level, about 0.1 s a million postings here), so a scan waits for one only
 * rarely; a merge that failed waits longer each time (merge-retry.ts), so it never holds up every scan. A
 * scan stopped meanwhile stops waiting: its close throws that merge away, the next scan redoes it.
 */
export async function settleIndex(
  engine: IndexEngine,
  signal: AbortSignal,
  /** Told once, when there is a merge to wait for. */
  onMerge: () => void,
): Promise<void> {
  if (signal.aborted) return;
  let stopped!: () => void;
  const aborted = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  signal.addEventListener('abort', stopped, { once: true });
  try {
    await engine.flush(RECORDINGS_INDEX);
    if (signal.aborted || !(await engine.merging(RECORDINGS_INDEX))) return;
    onMerge();
    await Promise.race([engine.settle(RECORDINGS_INDEX), aborted]);
  } catch {
    // A checkpoint that failed (a full disk) or an engine that died: the grouping is stored and the
    // index's log holds its writes, which the next open replays; close forgives the same failure.
  } finally {
    signal.removeEventListener('abort', stopped);
  }
}

// When a failed file merge may be tried again, kept beside the index's segments: each scan opens the engine
// anew and waits for the merges due (settleIndex), so a merge that keeps failing (a disk too full for its
// output) would otherwise be started, and waited for, by every scan, up to a minute each at a million
// tracks. The wait doubles after each failure in a row, up to the cap; a success removes the file.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const FILE = 'merge-retry.json';
const FIRST_WAIT_MS = 10_000;
const CAP_MS = 20 * 60_000;

export interface MergeRetry {
  /** Merges failed in a row. */
  readonly failures: number;
  /** No merge starts before this time (ms since the epoch: it outlives the process). */
  readonly at: number;
}

export const NO_RETRY: MergeRetry = { failures: 0, at: 0 };

const stored = z.object({ failures: z.number().int().min(1).max(64), at: z.number().finite() });

/** What an earlier engine left in `dir` (nothing unreadable holds merges back); a time beyond the cap,
 *  from a clock set back since, is brought within it. */
export function readMergeRetry(dir: string): MergeRetry {
  let found: z.infer<typeof stored>;
  try {
    found = stored.parse(JSON.parse(readFileSync(join(dir, FILE), 'utf8')));
  } catch {
    return NO_RETRY; // none, or not one this engine wrote whole
  }
  return { failures: found.failures, at: Math.min(found.at, Date.now() + CAP_MS) };
}

/** The retry after one more failure, kept in `dir` when it can be (a full disk may refuse even this). */
export function mergeFailed(dir: string, before: MergeRetry): MergeRetry & { readonly waitMs: number } {
  const waitMs = Math.min(FIRST_WAIT_MS * 2 ** before.failures, CAP_MS);
  const next = { failures: Math.min(before.failures + 1, 64), at: Date.now() + waitMs };
  try {
    writeFileSync(join(dir, FILE), JSON.stringify(next));
  } catch {
    // Held in memory all the same: this engine waits, the next one may try sooner.
  }
  return { ...next, waitMs };
}

/** A merge succeeded: the next failure waits the first wait again. */
export function mergeSucceeded(dir: string): MergeRetry {
  rmSync(join(dir, FILE), { force: true });
  return NO_RETRY;
}

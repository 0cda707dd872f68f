// The full-text index (`search`, FTS5) merged in bounded steps. Each write transaction leaves a small
// segment (its files' full-text writes batched to its end: full-text-writes.ts); FTS5 merges them into
// larger ones. Its automatic merging (off since migration 24) did that work inside whichever insert came
// next, unbounded: a derivation chunk meant to hold the write lock 40 ms held it up to 0.5 s at 20k tracks
// (and the updates took three times as long). Instead, a long job — a derivation, a scan — merges a few
// pages per transaction. FTS5 still merges a level at once when it reaches 16 segments (its crisis
// merge), which keeps the segments few when nothing else merges (single edits); left to it, a scan of a
// million files left merges that held a later transaction for a second.
import type { Db } from '../db/database.ts';
import { giveWayAsync, HOLD_MS, writeTransaction } from '../db/write-lock.ts';

/** Pages merged by a step (a derivation's chunk and a scan's batch take one). With the index keeping no
 *  positions (a page lists four times the files it did), a step of 50 pages took up to 56 ms at 100k
 *  tracks and 137 ms at 1M, the longest holds of a retag's chunks. Taking steps of 16 until the chunk's
 *  time was up kept each short but halved the files a chunk derives (a retag at 1M 72–79 s against
 *  59–62 s with one step); the upkeep merges down what one step a chunk leaves. */
const STEP_PAGES = 16;

/** Merges up to STEP_PAGES pages of the index; whether there was anything to merge. Call in a write
 *  transaction. */
export function mergeSearchStep(db: Db): boolean {
  const changes = db.prepare('SELECT total_changes()').pluck();
  const before = changes.get() as number;
  db.exec(`INSERT INTO search(search, rank) VALUES ('merge', ${STEP_PAGES})`);
  // FTS5's way to tell: the command counts as one change, merging as more.
  return (changes.get() as number) - before > 1;
}

/** Merges a step, then more until `deadline` (performance.now()) or nothing is left to merge: the steps
 *  that merged something, and whether something may be left. Call in a write transaction. */
export function mergeSearchUntil(db: Db, deadline: number): { merged: number; more: boolean } {
  let merged = 0;
  while (mergeSearchStep(db)) {
    merged++;
    if (performance.now() >= deadline) return { merged, more: true };
  }
  return { merged, more: false };
}

/** The share of a level's rows deleted (percent) from which the merge-down rewrites the level (FTS5's own
 *  default). The index keeps 0 (migration 53), so that a long job's steps never do: FTS5 takes the level
 *  with the most deleted rows, which after a large edit is the largest. */
const DELETE_MERGE_PERCENT = 10;

/** Runs `merge` in the caller's transaction with FTS5's merges of levels by their deleted rows allowed; the
 *  index is without them again when the transaction ends, however it ends. */
function withDeleteMerges<T>(db: Db, merge: () => T): T {
  const set = (percent: number) =>
    db.exec(`INSERT INTO search(search, rank) VALUES ('deletemerge', ${percent})`);
  set(DELETE_MERGE_PERCENT);
  try {
    return merge();
  } finally {
    set(0);
  }
}

/** The segments an index may hold before a long-running writer merges it down. Merged down, the index of
 *  a million tracks holds 6; after a retag of a tenth of them and its undo it held 41, and a typed query's
 *  windows took 116–265 ms at p95 against 27–35 ms merged (BENCHMARKS.md, million). */
const MERGED_SEGMENTS = 12;

/** The index's segments (a read of its segment index, a few milliseconds at a million tracks). */
export function searchSegments(db: Db): number {
  return db.prepare('SELECT count(DISTINCT segid) FROM search_idx').pluck().get() as number;
}

/** Whether the index holds more segments than a merged one would. */
export function searchMergeDue(db: Db): boolean {
  return searchSegments(db) > MERGED_SEGMENTS;
}

/**
 * Merges the index down a step per write transaction (each waiting up to `waitMs` for the lock), the
 * thread free between them, until FTS5 finds nothing left to merge or `stopped` says so; the steps taken.
 * For a writer that serves others meanwhile (the app's backend, a mount daemon): after a large edit or a
 * scan, the writes' many small segments slow every query that reads the index. Here levels are rewritten
 * for their deleted rows too (withDeleteMerges), which no other step does: the rows an edit replaced are
 * dropped from the index once it is next merged down.
 */
export async function mergeSearchDown(db: Db, waitMs: number, stopped: () => boolean): Promise<number> {
  let steps = 0;
  while (!stopped()) {
    const { merged, more } = writeTransaction(
      db,
      () => withDeleteMerges(db, () => mergeSearchUntil(db, performance.now() + HOLD_MS)),
      waitMs,
    );
    steps += merged;
    if (!more) break;
    await giveWayAsync();
  }
  return steps;
}

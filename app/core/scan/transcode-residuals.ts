// After grouping: the lossy copies of a recording that may be transcoded from another lossy copy of it but
// whose loudness does not tell (copy-rank.ts: RESIDUAL_PAIRS) are decoded again, both, and how far under
// the music their difference lies is kept (copy_residuals): the ranking then knows a transcode of a lossy
// file, which never outranks its source. Few pairs in any library; one worker process, started only when
// there is one.
import { runIsolating, WorkerPool } from '../../../kit/worker-pool.ts';
import type { AudioSource } from '../audio/pcm.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { RESIDUAL_PAIRS, TRANSCODE_RESIDUAL_DB } from '../fingerprint/copy-rank.ts';
import { keptCopy } from '../fingerprint/duplicates.ts';

/** The two copies to decode: where their audio is, as analysis.ts gives a file's. */
export interface ResidualTask {
  readonly source: AudioSource;
  readonly copy: AudioSource;
}
/** A pair as RESIDUAL_PAIRS gives it, with each copy's loudness it is measured beside. */
interface Pair {
  readonly copyId: number;
  readonly sourceId: number;
  readonly groupId: number;
  readonly copyLufs: number;
  readonly sourceLufs: number;
}

/** dB under the source's level (null: silent where they overlap), or why the pair could not be decoded
 *  (`again`: the system's doing, a share gone: the pair is compared at a later scan). */
export type ResidualOutcome =
  | { readonly db: number | null }
  | { readonly failed: string; readonly again?: true };

const WORKER = new URL('./residual-worker.ts', import.meta.url);

const SOURCE_OF = `SELECT coalesce(f.path_bytes, f.path) AS path, f.format, f.audio_start AS audioStart,
  f.audio_end AS audioEnd, (SELECT count(*) FROM file_tags t WHERE t.file_id = f.id) AS tagFields
  FROM files f WHERE f.id = ?`;

/** Whether some recording's pairs may wait (residual_groups_due, migration 56). */
export const residualsDue = (db: Db): boolean =>
  db.prepare('SELECT 1 FROM residual_groups_due LIMIT 1').get() !== undefined;

export interface ResidualsMeasured {
  /** Pairs measured, and of them those close enough to rank the copy as made from the source. */
  readonly measured: number;
  readonly transcodes: number;
  readonly seconds: number;
  /** Recordings whose kept copy moved (the copy kept before found to hold nothing more than a lossy
   *  copy): the copy kept before and now, for the edits the user gave the recording to follow
   *  (prefer-copy.ts). */
  readonly moved: ReadonlyArray<{ readonly from: number; readonly to: number }>;
}

/** Takes the recordings due out of the due list into temp.residual_groups, in one transaction: one made
 *  due again meanwhile (a split or join in the app) is due again after this run, not lost with the rows
 *  read. Their copies' measures beside copies no longer of their recording go (the table stays as large
 *  as the pairs there are). */
function takeDue(db: Db): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS residual_groups (group_id INTEGER PRIMARY KEY)');
  writeTransaction(db, () =>
    db.exec(`DELETE FROM temp.residual_groups;
      INSERT INTO temp.residual_groups SELECT group_id FROM residual_groups_due;
      DELETE FROM residual_groups_due WHERE group_id IN (SELECT group_id FROM temp.residual_groups);
      DELETE FROM copy_residuals WHERE copy_id IN (
        SELECT m.file_id FROM temp.residual_groups g JOIN recording_members m ON m.group_id = g.group_id)
        AND NOT EXISTS (SELECT 1 FROM recording_members c JOIN recording_members s ON s.group_id = c.group_id
                        WHERE c.file_id = copy_residuals.copy_id AND s.file_id = copy_residuals.source_id);`),
  );
}

/** Makes recordings due again, for a later scan. */
function dueAgain(db: Db, groups: readonly number[]): void {
  if (groups.length === 0) return;
  writeTransaction(db, () => {
    const due = db.prepare('INSERT OR IGNORE INTO residual_groups_due (group_id) VALUES (?)');
    for (const group of groups) due.run(group);
  });
}

/** Measures the pairs of the recordings due. What it does not measure (an abort, a failure, a decode the
 *  system failed) stays due. */
export async function measureTranscodeResiduals(db: Db, signal?: AbortSignal): Promise<ResidualsMeasured> {
  takeDue(db);
  let pairs: Pair[] | undefined;
  const run = { done: 0, measured: 0, transcodes: 0, again: new Set<number>() };
  const started = performance.now();
  let keptBefore = new Map<number, number | undefined>();
  try {
    pairs = db.prepare(RESIDUAL_PAIRS).all() as Pair[];
    keptBefore = new Map(pairs.map((p) => [p.groupId, keptCopy(db, p.groupId)]));
    if (pairs.length > 0) await measurePairs(db, pairs, run, signal);
  } finally {
    dueAgain(
      db,
      pairs === undefined
        ? (db.prepare('SELECT group_id FROM temp.residual_groups').pluck().all() as number[])
        : [...run.again, ...pairs.slice(run.done).map((p) => p.groupId)],
    );
  }
  const moved = [...keptBefore].flatMap(([group, from]) => {
    const to = keptCopy(db, group);
    return from !== undefined && to !== undefined && from !== to ? [{ from, to }] : [];
  });
  const { measured, transcodes } = run;
  return { measured, transcodes, seconds: (performance.now() - started) / 1000, moved };
}

/** Decodes each pair in a worker process, saving each outcome as it comes; `run` counts them. */
async function measurePairs(
  db: Db,
  pairs: readonly Pair[],
  run: { done: number; measured: number; transcodes: number; again: Set<number> },
  signal: AbortSignal | undefined,
): Promise<void> {
  const sourceOf = db.prepare(SOURCE_OF);
  const save = db.prepare(
    `INSERT OR REPLACE INTO copy_residuals (copy_id, source_id, copy_lufs, source_lufs, db, note, computed_at)
     VALUES (@copyId, @sourceId, @copyLufs, @sourceLufs, @db, @note, @now)`,
  );
  const pool = new WorkerPool<ResidualTask[], ResidualOutcome[]>(WORKER, 1, { processes: true, inFlight: 1 });
  try {
    for (const pair of pairs) {
      if (signal?.aborted) return;
      const { copyId, sourceId, copyLufs, sourceLufs } = pair;
      const task = {
        source: sourceOf.get(sourceId) as AudioSource,
        copy: sourceOf.get(copyId) as AudioSource,
      };
      const outcome: ResidualOutcome = (
        await runIsolating(pool, [task], (reason) => ({ failed: `the decoder crashed: ${reason}` }))
      )[0]!;
      const row = { copyId, sourceId, copyLufs, sourceLufs, now: Date.now() };
      if (!('failed' in outcome)) {
        writeTransaction(db, () => save.run({ ...row, db: outcome.db, note: null }));
        run.measured++;
        if ((outcome.db ?? 0) >= TRANSCODE_RESIDUAL_DB) run.transcodes++;
      } else if (outcome.again) run.again.add(pair.groupId);
      else writeTransaction(db, () => save.run({ ...row, db: null, note: outcome.failed }));
      run.done++;
    }
  } finally {
    await pool.close();
  }
}

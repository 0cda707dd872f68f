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
/** dB under the source's level (null: silent where they overlap), or why the pair could not be decoded
 *  (`again`: the system's doing, a share gone: the pair is compared at a later scan). */
export type ResidualOutcome =
  | { readonly db: number | null }
  | { readonly failed: string; readonly again?: true };

const WORKER = new URL('./residual-worker.ts', import.meta.url);
/** Pairs handed to the worker at a time. */
const BATCH = 8;

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
  /** Recordings whose kept copy moved (to the lossy copy another was found transcoded from): the copy
   *  kept before and now, for the edits the user gave the recording to follow (prefer-copy.ts). */
  readonly moved: ReadonlyArray<{ readonly from: number; readonly to: number }>;
}

/** Measures the pairs of the recordings due. The recordings stay due when it is aborted. */
export async function measureTranscodeResiduals(db: Db, signal?: AbortSignal): Promise<ResidualsMeasured> {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS residual_groups (group_id INTEGER PRIMARY KEY);
    DELETE FROM temp.residual_groups;
    INSERT INTO temp.residual_groups SELECT group_id FROM residual_groups_due;`);
  const done = () =>
    writeTransaction(db, () =>
      db.exec(
        'DELETE FROM residual_groups_due WHERE group_id IN (SELECT group_id FROM temp.residual_groups)',
      ),
    );
  const pairs = db.prepare(RESIDUAL_PAIRS).all() as Array<{
    copyId: number;
    sourceId: number;
    groupId: number;
  }>;
  if (pairs.length === 0) {
    done();
    return { measured: 0, transcodes: 0, seconds: 0, moved: [] };
  }
  const started = performance.now();
  const again = new Set<number>();
  const groups = [...new Set(pairs.map((p) => p.groupId))];
  const keptBefore = new Map(groups.map((g) => [g, keptCopy(db, g)]));
  const sourceOf = db.prepare(SOURCE_OF);
  const save = db.prepare(
    `INSERT OR REPLACE INTO copy_residuals (copy_id, source_id, db, note, computed_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const pool = new WorkerPool<ResidualTask[], ResidualOutcome[]>(WORKER, 1, {
    processes: true,
    inFlight: 1,
  });
  let measured = 0;
  let transcodes = 0;
  try {
    for (let at = 0; at < pairs.length && !signal?.aborted; at += BATCH) {
      const batch = pairs.slice(at, at + BATCH);
      const tasks = batch.map(({ copyId, sourceId }) => ({
        source: sourceOf.get(sourceId) as AudioSource,
        copy: sourceOf.get(copyId) as AudioSource,
      }));
      const outcomes = await runIsolating(pool, tasks, (reason) => ({
        failed: `the decoder crashed: ${reason}`,
      }));
      writeTransaction(db, () => {
        const now = Date.now();
        batch.forEach(({ copyId, sourceId, groupId }, i) => {
          const outcome = outcomes[i]!;
          if (!('failed' in outcome)) {
            save.run(copyId, sourceId, outcome.db, null, now);
            measured++;
            if ((outcome.db ?? 0) >= TRANSCODE_RESIDUAL_DB) transcodes++;
          } else if (outcome.again) again.add(groupId);
          else save.run(copyId, sourceId, null, outcome.failed, now);
        });
      });
    }
  } finally {
    await pool.close();
  }
  if (!signal?.aborted) done();
  if (again.size > 0)
    writeTransaction(db, () => {
      const due = db.prepare('INSERT OR IGNORE INTO residual_groups_due (group_id) VALUES (?)');
      for (const group of again) due.run(group);
    });
  const moved = groups.flatMap((g) => {
    const [from, to] = [keptBefore.get(g), keptCopy(db, g)];
    return from !== undefined && to !== undefined && from !== to ? [{ from, to }] : [];
  });
  return { measured, transcodes, seconds: (performance.now() - started) / 1000, moved };
}

// What one edit batch changed, per track and field: the values before it (the newest older edit still in
// effect, else what the file says) and the values it set. Paged, in path order, for the history's details
// (`sleeve history BATCH`, the app's History view).
import { basename } from 'node:path';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { editAge, editCounts } from './edit-counts.ts';
import { KEPT_FIELD } from './edits.ts';
import { prunedHistory, prunedWords } from './history-prune.ts';
import { GAIN_KEY_SQL, isGainKey, measuredNowSql } from './served-tags.ts';

export interface BatchChange {
  readonly fileId: number;
  readonly path: string;
  /** The track's title now (null: none). */
  readonly title: string | null;
  readonly key: string;
  readonly before: string[];
  readonly after: string[];
  /** A ReplayGain or R128 field the file carried no gain of before (its own or an edit's), so that
   *  Sleeve's measurement was served in its place: what a player got before the change (a tagger
   *  stripping the tags through the mount clears it, and the measured figures are no longer served). */
  readonly measuredBefore: boolean;
}

export interface BatchChanges {
  /** Field changes in the batch (each track × field). */
  readonly total: number;
  /** Tracks whose cover art the batch replaced or removed. */
  readonly covers: number;
  readonly changes: BatchChange[];
}

export function batchChanges(db: Db, batchId: number, offset: number, limit: number): BatchChanges {
  const pruned = prunedHistory(db);
  // A batch past the history kept only the rows no later one replaced: its changes are no longer known.
  if (pruned && batchId <= pruned.through)
    throw new UserError(
      'not_found',
      `edit batch ${batchId} is no longer in the history: ${prunedWords(pruned)}`,
    );
  if (!db.prepare('SELECT 1 FROM edit_batches WHERE id = ?').get(batchId))
    throw new UserError('not_found', `there is no edit batch ${batchId}`);
  const keep = keptCopyChange(db, batchId);
  // A Keep's change comes first, the edits it carried after it.
  const edits = db.prepare('SELECT count(*) FROM edits WHERE batch_id = ?').pluck().get(batchId) as number;
  const total = edits + (keep ? 1 : 0);
  const [editOffset, editLimit] = keep
    ? [Math.max(0, offset - 1), offset === 0 ? limit - 1 : limit]
    : [offset, limit];
  const covers = db
    .prepare('SELECT count(*) FROM art_edits WHERE batch_id = ?')
    .pluck()
    .get(batchId) as number;
  // Before: an older batch's edit of the same field still in effect (edits_by_file finds it), else the file.
  const rows = db
    .prepare(
      `SELECT e.file_id AS fileId, f.path, e.key, e.vals AS after,
         (SELECT t.value FROM tags t WHERE t.file_id = e.file_id AND t.key = 'title' ORDER BY t.idx LIMIT 1) AS title,
         (SELECT p.vals FROM edits p JOIN edit_batches pb ON pb.id = p.batch_id AND ${editCounts('p', 'pb')}
            WHERE p.file_id = e.file_id AND p.key = e.key AND ${editAge('p')} < ${editAge('e')}
            ORDER BY ${editAge('p')} DESC LIMIT 1) AS olderEdit,
         (SELECT json_group_array(value) FROM (SELECT t.value FROM file_tags t
            WHERE t.file_id = e.file_id AND t.key = e.key ORDER BY t.idx)) AS fileValues,
         -- Measured figures were served in its place: measured, and no gain of the file's own or of an
         -- older edit in force (either is served instead: carriesGainSql).
         (${measuredNowSql('f')}
           AND NOT EXISTS (SELECT 1 FROM file_tags t WHERE t.file_id = e.file_id AND ${GAIN_KEY_SQL})
           AND NOT EXISTS (SELECT 1 FROM edits p JOIN edit_batches pb ON pb.id = p.batch_id AND ${editCounts('p', 'pb')}
             WHERE p.file_id = e.file_id AND ${GAIN_KEY_SQL} AND ${editAge('p')} < ${editAge('e')})) AS measured
       FROM edits e JOIN files f ON f.id = e.file_id
       WHERE e.batch_id = ? ORDER BY f.path, e.key LIMIT ? OFFSET ?`,
    )
    .all(batchId, editLimit, editOffset) as Array<{
    fileId: number;
    path: string;
    key: string;
    after: string;
    title: string | null;
    olderEdit: string | null;
    fileValues: string;
    measured: 0 | 1;
  }>;
  return {
    total,
    covers,
    changes: [
      ...(keep && offset === 0 ? [keep] : []),
      ...rows.map((r) => {
        const before = JSON.parse(r.olderEdit ?? r.fileValues) as string[];
        return {
          fileId: r.fileId,
          path: r.path,
          title: r.title,
          key: r.key,
          before,
          after: JSON.parse(r.after) as string[],
          measuredBefore: r.measured === 1 && isGainKey(r.key),
        };
      }),
    ],
  };
}

/** The copy a Keep chose, as a change of its recording's `(kept copy)`: from the copy chosen before (or the
 *  suggested one) to the copy chosen (or the suggested one). */
function keptCopyChange(db: Db, batchId: number): BatchChange | undefined {
  const row = db
    .prepare(
      `SELECT k.file_id AS fileId, f.path,
         (SELECT t.value FROM tags t WHERE t.file_id = k.file_id AND t.key = 'title' ORDER BY t.idx LIMIT 1) AS title,
         (SELECT path FROM files WHERE id = k.was) AS was, (SELECT path FROM files WHERE id = k.kept) AS kept
       FROM copy_keeps k JOIN files f ON f.id = k.file_id WHERE k.batch_id = ?`,
    )
    .get(batchId) as
    | { fileId: number; path: string; title: string | null; was: string | null; kept: string | null }
    | undefined;
  if (!row) return undefined;
  const named = (path: string | null) => [path === null ? 'the suggested copy' : basename(path)];
  return {
    fileId: row.fileId,
    path: row.path,
    title: row.title,
    key: KEPT_FIELD,
    before: named(row.was),
    after: named(row.kept),
    measuredBefore: false,
  };
}

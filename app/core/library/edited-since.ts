// What an undo or a redo leaves as it was: the fields a newer active batch changed on the same files,
// whose values stand (the newest edit of a field is what the library shows). `sleeve redo 80` said
// "redid edit batch 80" while the title a later batch set stayed, which looked like a redo that failed.
import type { Stays } from '../../shared/stays-words.ts';
import type { Db } from '../db/database.ts';
import { AGE_BATCH, editAge, editCounts } from './edit-counts.ts';

/** A field of the batch a newer batch set on some of its files (in lower case), on how many, and the
 *  newest such batch. */
export type EditedSince = Stays;

/** The fields of batch `batchId` that a newer edit that counts changed on some of its files, or of the
 *  copies it was carried to (edit-counts.ts). */
export function editedSince(db: Db, batchId: number): EditedSince[] {
  return db
    .prepare(
      `SELECT lower(e.key) AS key, count(DISTINCT e.file_id) AS files,
         max(${editAge('n')}) % ${AGE_BATCH} AS newest
       FROM edits e JOIN edit_batches c ON c.id = e.batch_id
       JOIN edits n ON n.file_id = e.file_id AND n.key = e.key AND ${editAge('n')} > ${editAge('e')}
         AND n.batch_id <> @batch AND n.carried_from IS NOT @batch
       JOIN edit_batches b ON b.id = n.batch_id AND ${editCounts('n', 'b')}
       WHERE e.batch_id = @batch OR (e.carried_from = @batch AND c.undone_at IS NULL)
       GROUP BY lower(e.key) ORDER BY lower(e.key)`,
    )
    .all({ batch: batchId }) as EditedSince[];
}

// An undo or redo follows the carrying of its edits to other copies (prefer-copy.ts: a copy preferred, a
// copy rule, a scan's move of a recording's kept copy). A carried edit names the user's batch it carries
// (edits.carried_from), so undoing an album rename also takes back the carry that gave the copy kept now the
// new name: the batch carrying it is undone with it (edit_batches.undone_with), and the other edits that
// batch carried (a comment edited earlier) are carried again as a batch of their own, made by the undo
// (edit_batches.carried_again_for) — unless the copy was edited in that field since, whose newer value
// stands anyway. A redo of the batch reverses both: the carry comes back, the batch made again is undone.
// Called inside the transaction that undoes or redoes the batch, a statement for each carry batch.
import type { Db } from '../db/database.ts';

/** A batch an undo or redo followed: a carry undone with it or redone with it, a batch made by the undo
 *  carrying the carry's other edits again, or such a batch undone by the redo (withdrawn). */
export interface FollowedCarry {
  readonly id: number;
  readonly did: 'undone' | 'redone' | 'made' | 'withdrawn';
}

/** The rows of carry batch :carry carrying other batches' edits than :undone, where no active batch newer
 *  than :carry set the same field of the same file (its value stands; carried again it would lose it), the
 *  batches this undo makes aside. */
const OTHER_EDITS = `FROM edits e WHERE e.batch_id = :carry AND e.carried_from IS NOT :undone
  AND NOT EXISTS (SELECT 1 FROM edits n JOIN edit_batches nb ON nb.id = n.batch_id AND nb.undone_at IS NULL
    AND nb.carried_again_for IS NOT :undone
    WHERE n.file_id = e.file_id AND n.key = e.key AND n.batch_id > :carry)`;
const OTHER_ART = `FROM art_edits a WHERE a.batch_id = :carry AND a.carried_from IS NOT :undone
  AND NOT EXISTS (SELECT 1 FROM art_edits n JOIN edit_batches nb ON nb.id = n.batch_id AND nb.undone_at IS NULL
    AND nb.carried_again_for IS NOT :undone
    WHERE n.file_id = a.file_id AND n.batch_id > :carry)`;

/** Batch `undone` was just undone (at `now`): the active batches carrying its edits are undone with it,
 *  and the other edits each carried, carried again. */
export function undoCarries(db: Db, undone: number, now: number): FollowedCarry[] {
  const carries = db
    .prepare(
      `SELECT b.id, b.origin FROM edit_batches b
       WHERE b.id IN (SELECT batch_id FROM edits WHERE carried_from = :undone
                      UNION SELECT batch_id FROM art_edits WHERE carried_from = :undone)
         AND b.undone_at IS NULL AND b.writing_pid IS NULL ORDER BY b.id`,
    )
    .all({ undone }) as Array<{ id: number; origin: string }>;
  if (carries.length === 0) return [];
  const undo = db.prepare('UPDATE edit_batches SET undone_at = ?, undone_with = ? WHERE id = ?');
  const rest = db.prepare(
    `SELECT (SELECT json_group_array(key) FROM (SELECT DISTINCT e.key ${OTHER_EDITS} ORDER BY 1)) AS fields,
       EXISTS (SELECT 1 ${OTHER_ART}) AS art`,
  );
  const open = db.prepare(
    `INSERT INTO edit_batches (created_at, description, origin, counted_at, carried_again_for)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const copyEdits = db.prepare(
    `INSERT INTO edits (batch_id, file_id, key, vals, carried_from)
     SELECT :again, e.file_id, e.key, e.vals, e.carried_from ${OTHER_EDITS}`,
  );
  const copyArt = db.prepare(
    `INSERT INTO art_edits (batch_id, file_id, pictures, carried_from)
     SELECT :again, a.file_id, a.pictures, a.carried_from ${OTHER_ART}`,
  );
  const followed: FollowedCarry[] = [];
  for (const carry of carries) {
    // What stays carried is read before the carry is undone (its rows outrank nothing newer either way).
    const left = rest.get({ carry: carry.id, undone }) as { fields: string; art: number };
    undo.run(now, undone, carry.id);
    followed.push({ id: carry.id, did: 'undone' });
    const fields = [...(JSON.parse(left.fields) as string[]), ...(left.art ? ['pictures'] : [])];
    if (fields.length === 0) continue;
    const description = `Carried your edits (${fields.join(', ')}) again, as edit batch ${carry.id} did before undoing edit batch ${undone} took it back`;
    const again = Number(open.run(now, description, carry.origin, now, undone).lastInsertRowid);
    copyEdits.run({ again, carry: carry.id, undone });
    if (left.art) copyArt.run({ again, carry: carry.id, undone });
    followed.push({ id: again, did: 'made' });
  }
  return followed;
}

/** Batch `redone` was just redone (at `now`): the carries undone with it come back, and the batches its
 *  undo made carrying their other edits again are undone. */
export function redoCarries(db: Db, redone: number, now: number): FollowedCarry[] {
  const back = db
    .prepare(
      `UPDATE edit_batches SET redone_at = :now, redo_cleared_undo_at = undone_at, undone_at = NULL,
         undone_with = NULL
       WHERE undone_with = :redone AND carried_again_for IS NOT :redone AND undone_at IS NOT NULL
         AND writing_pid IS NULL
       RETURNING id`,
    )
    .pluck()
    .all({ now, redone }) as number[];
  const made = db
    .prepare(
      `UPDATE edit_batches SET undone_at = :now, undone_with = :redone
       WHERE carried_again_for = :redone AND undone_at IS NULL RETURNING id`,
    )
    .pluck()
    .all({ now, redone }) as number[];
  return [
    ...back.sort((a, b) => a - b).map((id) => ({ id, did: 'redone' as const })),
    ...made.sort((a, b) => a - b).map((id) => ({ id, did: 'withdrawn' as const })),
  ];
}

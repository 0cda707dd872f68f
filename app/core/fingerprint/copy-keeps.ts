// The user's word on which copy a recording keeps, in the history: each Keep (or back to the suggested
// copy) is an edit batch holding a copy_keeps row (migration 78) — the copy chosen and the choice it
// replaced — so it is listed, undone and redone as an edit is. preferred_copies stays the choice in force,
// made again after an undo or a redo from the recording's Keeps not undone, the newest counting (a newer
// Keep stands, as a newer edit of a field does).
import type { Db } from '../db/database.ts';

/** The recording's copy the user chose (in preferred_copies), if any. */
export function chosenCopy(db: Db, group: number): number | null {
  return (
    (db
      .prepare(
        `SELECT c.file_id FROM preferred_copies c JOIN recording_members m ON m.file_id = c.file_id
         WHERE m.group_id = ? ORDER BY c.chosen_at DESC LIMIT 1`,
      )
      .pluck()
      .get(group) as number | undefined) ?? null
  );
}

/** Records in `batch` that the user chose `kept` (null: the suggested copy) in place of `was`. */
export function recordKeep(db: Db, batch: number, fileId: number, kept: number | null, was: number | null) {
  db.prepare('INSERT INTO copy_keeps (batch_id, file_id, kept, was) VALUES (?, ?, ?, ?)').run(
    batch,
    fileId,
    kept,
    was,
  );
}

/** After `batch` was undone or redone: its recording's choice as its Keeps now say — the newest one not
 *  undone, else what the first of them replaced (an undo of an older Keep leaves a newer one standing).
 *  Whether the choice moved. */
export function replayKeep(db: Db, batch: number): boolean {
  const group = db
    .prepare(
      `SELECT m.group_id FROM copy_keeps k JOIN recording_members m ON m.file_id = k.file_id
       WHERE k.batch_id = ?`,
    )
    .pluck()
    .get(batch) as number | undefined;
  if (group === undefined) return false;
  const keeps = db
    .prepare(
      `SELECT k.kept, k.was, b.undone_at IS NULL AS active FROM copy_keeps k
       JOIN edit_batches b ON b.id = k.batch_id JOIN recording_members m ON m.file_id = k.file_id
       WHERE m.group_id = ? ORDER BY k.batch_id`,
    )
    .all(group) as Array<{ kept: number | null; was: number | null; active: number }>;
  const newest = keeps.findLast((k) => k.active === 1);
  const choice = newest ? newest.kept : (keeps[0]?.was ?? null);
  if (chosenCopy(db, group) === choice) return false;
  setChoice(db, group, choice);
  return true;
}

/** The recording's choice: `fileId` (one of its copies; another file leaves it with none), or none. */
export function setChoice(db: Db, group: number, fileId: number | null): void {
  db.prepare(
    'DELETE FROM preferred_copies WHERE file_id IN (SELECT file_id FROM recording_members WHERE group_id = ?)',
  ).run(group);
  if (fileId !== null)
    db.prepare(
      `INSERT INTO preferred_copies (file_id, chosen_at)
       SELECT file_id, ? FROM recording_members WHERE file_id = ? AND group_id = ?`,
    ).run(Date.now(), fileId, group);
}

// A file's fields as a reader saw them at a past moment, and which of them changed since: what a save
// through the mount is merged against (app/core/mounted/reader-base.ts, save-journal.ts). A tagger reads a file, keeps
// it loaded for minutes and saves it whole; a field it did not change holds what it read, and must not
// take back an edit made meanwhile. An edit counts from when its batch could first be seen (counted_at: a
// save that waited is seen once applied, a large batch once derived), and from when it was undone or redone;
// a large batch's change is a change since any read until its derivation has reached every file.
// History is stamped in milliseconds, and so are reads: an action stamped in a read's millisecond counts
// as after the read, which may have come first. Taken as seen, an undo in that millisecond would let the
// tagger's stale value pass for its own change and bring the edit back; taken as after, the worst is a
// conflict shown (the earlier read is the safe side, as in reader-base.ts).
import type { Db } from '../db/database.ts';
import type { PictureRef } from './art.ts';
import { editAge, sourceCounts } from './edit-counts.ts';

/** The pseudo-field a file's pictures are merged (and a conflict of them recorded) under. */
export const PICTURES_KEY = '(pictures)';

/** A read after every action recorded: the values the edits give now. */
export const LATEST = Number.MAX_SAFE_INTEGER;

/** Batches made, undone or redone from `at` on, or whose derivation ended then or is under way; one
 *  made then by a save through the mount dated at `own` (the same writer's earlier saves, dated when
 *  accepted) counts only if undone or redone since. Unseen (`seen` false: `at` is when a save was
 *  accepted), a batch made in its millisecond was made before it, as the journal's order says. */
const SINCE = `(CASE WHEN @seen THEN coalesce(b.counted_at, b.created_at) >= @at ELSE b.created_at > @at END
    AND NOT (b.origin IS 'mount' AND b.created_at IN (SELECT value FROM json_each(@own)))
  OR ${undoneOrRedoneSince('b')}) AND b.writing_pid IS NULL`;

/** Whether batch `b` was undone or redone from `at` on, or a derivation of it (of its making, undo or
 *  redo) ended then or is under way: a file it had not reached yet showed the batch as it was before. */
function undoneOrRedoneSince(b: string): string {
  return `(${b}.undone_at >= @at OR ${b}.redone_at >= @at OR ${b}.settled_at >= @at
    OR EXISTS (SELECT 1 FROM derive_batches d WHERE d.batch_id = ${b}.id))`;
}

/** Of a row carried from another copy (edits `e` or art_edits `a`), whether its source batch was undone or
 *  redone since `at`: the field it carried changed then too (edit-counts.ts). */
const SOURCE_SINCE = (row: string) => `EXISTS (SELECT 1 FROM edit_batches s
  WHERE s.id = ${row}.carried_from AND ${undoneOrRedoneSince('s')} AND s.writing_pid IS NULL)`;

/** The fields (lower-cased; PICTURES_KEY for the pictures) of `fileId` an edit changed since `at`: since
 *  it was seen, or with `seen` false since it was made (a save journalled by an older Sleeve knows only when
 *  it was accepted, and the saves journalled before it were made before it). */
export function fieldsChangedSince(
  db: Db,
  fileId: number,
  at: number,
  own: readonly number[],
  seen = true,
): Set<string> {
  const rows = db
    .prepare(
      `SELECT DISTINCT lower(e.key) FROM edits e JOIN edit_batches b ON b.id = e.batch_id
         WHERE e.file_id = @id AND (${SINCE} OR ${SOURCE_SINCE('e')})
       UNION SELECT '${PICTURES_KEY}' FROM art_edits a JOIN edit_batches b ON b.id = a.batch_id
         WHERE a.file_id = @id AND (${SINCE} OR ${SOURCE_SINCE('a')})`,
    )
    .pluck()
    .all({ id: fileId, at, own: JSON.stringify(own), seen: Number(seen) }) as string[];
  return new Set(rows);
}

/** The files an edit (of a field or of the pictures) changed since `at`, as fieldsChangedSince counts:
 *  those worth asking which fields. */
export function filesChangedSince(db: Db, at: number): Set<number> {
  const rows = db
    .prepare(
      `SELECT e.file_id FROM edits e JOIN edit_batches b ON b.id = e.batch_id WHERE ${SINCE}
       UNION SELECT a.file_id FROM art_edits a JOIN edit_batches b ON b.id = a.batch_id WHERE ${SINCE}
       UNION SELECT e.file_id FROM edit_batches s CROSS JOIN edits e ON e.carried_from = s.id
         WHERE ${undoneOrRedoneSince('s')} AND s.writing_pid IS NULL
       UNION SELECT a.file_id FROM edit_batches s CROSS JOIN art_edits a ON a.carried_from = s.id
         WHERE ${undoneOrRedoneSince('s')} AND s.writing_pid IS NULL`,
    )
    .pluck()
    .all({ at, own: '[]', seen: 1 }) as number[];
  return new Set(rows);
}

/** Batches whose edits counted for a read at `at`: made before it, and not undone before it (a batch
 *  redone since, undone before `at` by the undo its redo cleared, did not count; of several undos and
 *  redos since, the last is known). */
const activeAt = (b: string) => `coalesce(${b}.counted_at, ${b}.created_at) < @at
  AND (${b}.undone_at IS NULL OR ${b}.undone_at >= @at)
  AND NOT (coalesce(${b}.redone_at, 0) >= @at AND coalesce(${b}.redo_cleared_undo_at, 0) < @at)
  AND ${b}.writing_pid IS NULL`;

/** Edit row `row` (joined to its batch `b`) counted at `at`: its batch did, and its source's if it was
 *  carried from another copy (edit-counts.ts). */
const countedAt = (row: string) => `${activeAt('b')} AND ${sourceCounts(row, activeAt)}`;

/** The values `keys` (lower-cased) of `fileId` a read at `at` was given: the newest edit counting then,
 *  else the file's own ([] when it had none). After every action: LATEST. */
export function valuesAt(db: Db, fileId: number, keys: readonly string[], at: number): Map<string, string[]> {
  const edited = db.prepare(
    `SELECT e.vals FROM edits e JOIN edit_batches b ON b.id = e.batch_id
       WHERE e.file_id = @id AND e.key = @key AND ${countedAt('e')} ORDER BY ${editAge('e')} DESC LIMIT 1`,
  );
  const own = db.prepare('SELECT value FROM file_tags WHERE file_id = ? AND key = ? ORDER BY idx').pluck();
  const out = new Map<string, string[]>();
  for (const key of keys) {
    const vals = edited.pluck().get({ id: fileId, key, at }) as string | undefined;
    out.set(key, vals === undefined ? (own.all(fileId, key) as string[]) : (JSON.parse(vals) as string[]));
  }
  return out;
}

/** The pictures a read of `fileId` at `at` was given: the newest picture edit counting then, else the
 *  file's own. */
export function picturesAt(db: Db, fileId: number, at: number): PictureRef[] {
  const edited = db
    .prepare(
      `SELECT a.pictures FROM art_edits a JOIN edit_batches b ON b.id = a.batch_id
         WHERE a.file_id = @id AND ${countedAt('a')} ORDER BY ${editAge('a')} DESC LIMIT 1`,
    )
    .pluck()
    .get({ id: fileId, at }) as string | undefined;
  if (edited !== undefined) return JSON.parse(edited) as PictureRef[];
  return db
    .prepare('SELECT hash, picture_type AS type, description FROM file_art WHERE file_id = ? ORDER BY idx')
    .all(fileId) as PictureRef[];
}

/** The edit rows `r` of field `key` (lower-cased; PICTURES_KEY: the picture edits), as SQL: the table and
 *  the condition on the key, a file's rows `WHERE r.file_id = @id ${ofKey}`. */
function fieldRows(key: string): { rows: string; ofKey: string } {
  return key === PICTURES_KEY
    ? { rows: 'art_edits r', ofKey: '' }
    : { rows: 'edits r', ofKey: 'AND lower(r.key) = @key' };
}

/** Reads around each batch that edited field `key` (lower-cased; PICTURES_KEY for the pictures) of
 *  `fileId` and was being derived for a read at `at`: just before each of its actions before it (its
 *  making, undo, redo), and once its derivation ended (or after every action, while it derives). */
function derivingAround(db: Db, fileId: number, key: string, at: number): number[] {
  const { rows, ofKey } = fieldRows(key);
  const batches = db
    .prepare(
      `SELECT DISTINCT b.created_at AS made, b.undone_at AS undone, b.redone_at AS redone,
         b.settled_at AS settled
       FROM ${rows} JOIN edit_batches b ON b.id IN (r.batch_id, r.carried_from)
       WHERE r.file_id = @id ${ofKey} AND b.created_at < @at AND b.writing_pid IS NULL
         AND (b.settled_at >= @at OR EXISTS (SELECT 1 FROM derive_batches d WHERE d.batch_id = b.id))`,
    )
    .all({ id: fileId, key, at }) as {
    made: number;
    undone: number | null;
    redone: number | null;
    settled: number | null;
  }[];
  return batches.flatMap((b) => [
    ...[b.made, b.undone, b.redone].filter((t): t is number => t !== null && t < at),
    b.settled === null ? LATEST : b.settled + 1,
  ]);
}

/** Reads just after each action (making, undo, redo) of a batch that edited field `key` of `fileId`, of
 *  those from `from` to `until`; an undo a redo has cleared too (the field showed the batch undone until
 *  the redo). */
function actedBetween(db: Db, fileId: number, key: string, from: number, until: number): number[] {
  const { rows, ofKey } = fieldRows(key);
  return db
    .prepare(
      `SELECT DISTINCT t.value FROM ${rows} JOIN edit_batches b ON b.id IN (r.batch_id, r.carried_from),
         json_each(json_array(coalesce(b.counted_at, b.created_at), b.undone_at, b.redone_at,
           b.redo_cleared_undo_at)) t
       WHERE r.file_id = @id ${ofKey} AND b.writing_pid IS NULL AND t.value >= @from AND t.value <= @until`,
    )
    .pluck()
    .all({ id: fileId, key, from, until })
    .map((t) => (t as number) + 1);
}

/**
 * What a reader at `at` may have been served of field `key` of `fileId` besides valuesAt's answer: a large
 * batch being derived then (derivation.ts) had reached some files and not others, so the file showed the
 * field as before the batch's last action or after it, and which is not recorded. With `until`, the reader
 * read at some time from `at` to then (its read is known only as a bound: reader-base.ts), and each value
 * the field had meanwhile may be what it read. Empty when neither holds: valuesAt's answer is then what was
 * served.
 */
export function valuesMaybeServedAt(
  db: Db,
  fileId: number,
  key: string,
  at: number,
  until?: number,
): Array<readonly string[] | readonly PictureRef[]> {
  const times = derivingAround(db, fileId, key, at);
  if (until !== undefined)
    times.push(...derivingAround(db, fileId, key, until), ...actedBetween(db, fileId, key, at, until));
  // Several actions share a moment (a batch's undo and another's edit in one command): each asked once.
  return [...new Set(times)].map((t) =>
    key === PICTURES_KEY ? picturesAt(db, fileId, t) : (valuesAt(db, fileId, [key], t).get(key) ?? []),
  );
}

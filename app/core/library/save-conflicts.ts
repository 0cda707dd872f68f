// Conflicts of saves through the mount: a field a tagger changed that an edit had changed since the tagger
// read the file keeps the library's value (save-merge.ts), and the tagger's value is kept here, with what
// the tagger read and what the library has, until the user takes the tagger's (one edit batch) or keeps
// the library's (undoing the take brings the conflict back). Shown by `sleeve conflicts`, `sleeve mounts`
// and the Mount view; the newest MAX_KEPT are kept.
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { ArtStore, type PictureRef, pictureRefs } from './art.ts';
import { applyEdit, type EditOrigin, sameValues } from './edits.ts';
import { PICTURES_KEY } from './fields-since.ts';

/** Values of a field as a conflict holds them: a tag's strings, or the pictures' references. */
export type FieldValues = readonly string[] | readonly PictureRef[];

/** A conflict as a save records it. */
export interface NewConflict {
  readonly fileId: number;
  /** The field, or PICTURES_KEY. */
  readonly key: string;
  /** The served path the tagger saved. */
  readonly path: string;
  readonly library: FieldValues;
  readonly tagger: FieldValues;
  /** What the tagger read of it. */
  readonly read: FieldValues;
  /** What the other value came from: a save through a mount (the default), or an import of tags as text
   *  (its value then what the file says, `read` what was exported). */
  readonly source?: ConflictSource;
}

export type ConflictSource = 'mount' | 'import';

export interface SaveConflict extends NewConflict {
  readonly id: number;
  readonly at: number;
  /** The batch of the rest of the save, if any of it was applied. */
  readonly batchId: number | null;
  /** The original file's path now: `path` is what the tagger saw, and an edit since may have moved the
   *  served file, a move on disk the original. */
  readonly original: string;
}

/** The most conflicts kept, resolved or not: the oldest go first, resolved ones before the rest. */
export const MAX_KEPT = 10_000;
/** How many are listed at most: the count says the rest. */
const LISTED = 200;

/** Records conflicts of one save (`at`: when it was accepted); call inside its write transaction. */
export function recordConflicts(
  db: Db,
  conflicts: readonly NewConflict[],
  at: number,
  batchId: number | undefined,
): void {
  if (conflicts.length === 0) return;
  const insert = db.prepare(
    `INSERT INTO save_conflicts (at, file_id, key, path, library, tagger, read, batch_id, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const c of conflicts)
    insert.run(
      at,
      c.fileId,
      c.key,
      c.path,
      JSON.stringify(c.library),
      JSON.stringify(c.tagger),
      JSON.stringify(c.read),
      batchId ?? null,
      c.source ?? 'mount',
    );
  const over = (db.prepare('SELECT count(*) FROM save_conflicts').pluck().get() as number) - MAX_KEPT;
  if (over > 0)
    db.prepare(
      'DELETE FROM save_conflicts WHERE id IN (SELECT id FROM save_conflicts ORDER BY resolved IS NULL, id LIMIT ?)',
    ).run(over);
}

interface Row {
  id: number;
  at: number;
  fileId: number;
  key: string;
  path: string;
  library: string;
  tagger: string;
  read: string;
  batchId: number | null;
  source: ConflictSource;
  original: string;
}

const COLUMNS = `c.id, c.at, c.file_id AS fileId, c.key, c.path, c.library, c.tagger, c.read,
  c.batch_id AS batchId, c.source, f.path AS original`;
/** The conflicts with their files (a file's conflicts go with it: ON DELETE CASCADE). */
const FROM = 'save_conflicts c JOIN files f ON f.id = c.file_id';
/** A conflict waits for the user's word: none given yet, or the other value taken by an edit since undone
 *  (the conflict is back, until that edit is redone). */
const WAITS = `(c.resolved IS NULL OR (c.resolved = 'taken' AND EXISTS (SELECT 1 FROM edit_batches b
  WHERE b.id = c.taken_batch AND b.undone_at IS NOT NULL)))`;

const parsed = (r: Row): SaveConflict => ({
  ...r,
  library: JSON.parse(r.library) as FieldValues,
  tagger: JSON.parse(r.tagger) as FieldValues,
  read: JSON.parse(r.read) as FieldValues,
});

/** A conflict as listed: with the library's value now, which an edit since the save may have moved on
 *  from the one the save met (`library`); taking the other value is then refused (takeConflict). */
export interface ListedConflict extends SaveConflict {
  readonly now: FieldValues;
  readonly changedSince: boolean;
}

/** The conflicts not yet resolved, oldest first (LISTED at most) and how many there are. */
export function openConflicts(db: Db): { readonly count: number; readonly listed: ListedConflict[] } {
  const count = openConflictCount(db);
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${WAITS} ORDER BY c.id LIMIT ?`)
    .all(LISTED) as Row[];
  const conflicts = rows.map(parsed);
  const now = librariesNow(db, conflicts);
  return {
    count,
    listed: conflicts.map((c, i) => ({ ...c, now: now[i]!, changedSince: !same(c.key, now[i]!, c.library) })),
  };
}

/** What the library has of each conflict's field now: the tags of all of them in one query. */
function librariesNow(db: Db, conflicts: readonly SaveConflict[]): FieldValues[] {
  const values = conflicts.map((): string[] => []);
  const rows = db
    .prepare(
      `SELECT j.key AS i, t.value FROM json_each(?) j
       JOIN tags t ON t.file_id = j.value ->> 0 AND t.key = j.value ->> 1 ORDER BY j.key, t.idx`,
    )
    .raw()
    .all(JSON.stringify(conflicts.map((c) => [c.fileId, c.key]))) as Array<[number, string]>;
  for (const [i, value] of rows) values[i]!.push(value);
  return conflicts.map((c, i) => (c.key === PICTURES_KEY ? libraryNow(db, c) : values[i]!));
}

/** How many conflicts wait for the user (one count, for `sleeve mounts`). */
export function openConflictCount(db: Db): number {
  return db.prepare(`SELECT count(*) FROM save_conflicts c WHERE ${WAITS}`).pluck().get() as number;
}

/** The unresolved conflicts' ids, all of them (`--all`). */
export function openConflictIds(db: Db): number[] {
  return db.prepare(`SELECT id FROM save_conflicts c WHERE ${WAITS} ORDER BY id`).pluck().all() as number[];
}

function openConflict(db: Db, id: number): SaveConflict {
  const row = db
    .prepare(`SELECT ${COLUMNS}, c.resolved, ${WAITS} AS waits FROM ${FROM} WHERE c.id = ?`)
    .get(id) as (Row & { resolved: string | null; waits: number }) | undefined;
  if (!row) throw new UserError('not_found', `there is no conflict ${id} (sleeve conflicts)`);
  if (!row.waits) throw new UserError('conflict', `conflict ${id} was resolved already (${row.resolved})`);
  return parsed(row);
}

const refs = (pictures: readonly PictureRef[]) => JSON.stringify(pictureRefs(pictures));

/** What the library has of the conflict's field now. */
function libraryNow(db: Db, c: SaveConflict): FieldValues {
  if (c.key === PICTURES_KEY) return new ArtStore(db).pictures(c.fileId);
  return db
    .prepare('SELECT value FROM tags WHERE file_id = ? AND key = ? ORDER BY idx')
    .pluck()
    .all(c.fileId, c.key) as string[];
}

function same(key: string, a: FieldValues, b: FieldValues): boolean {
  return key === PICTURES_KEY
    ? refs(a as PictureRef[]) === refs(b as PictureRef[])
    : sameValues(a as string[], b as string[]);
}

/**
 * Takes the tagger's value of conflict `id` as an edit (one batch; undefined when the library has it
 * already). Refused, with both values, when the library's changed again since the conflict: the user
 * decides on what is there now.
 */
export function takeConflict(db: Db, id: number, origin: EditOrigin): number | undefined {
  return writeTransaction(db, () => {
    const c = openConflict(db, id);
    const now = libraryNow(db, c);
    if (!same(c.key, now, c.library))
      throw new UserError(
        'conflict',
        `conflict ${id}: ${c.key} of ${c.original} changed again since (now ${shown(c.key, now)}); edit it instead`,
      );
    const description =
      c.source === 'import'
        ? `Took the imported ${c.key} of ${c.original} (conflict ${id})`
        : `Took the tagger's ${c.key} from a save of ${c.path} through the mount (conflict ${id})`;
    const batch = same(c.key, now, c.tagger)
      ? undefined
      : c.key === PICTURES_KEY
        ? applyEdit(db, [], { description, origin }, [
            { fileId: c.fileId, pictures: c.tagger as PictureRef[] },
          ])
        : applyEdit(
            db,
            [{ fileId: c.fileId, key: c.key, before: now as string[], after: c.tagger as string[] }],
            { description, origin },
          );
    resolve(db, id, 'taken', batch);
    return batch;
  });
}

/** Keeps the library's value of conflict `id`: the tagger's is dropped. */
export function keepConflict(db: Db, id: number): void {
  writeTransaction(db, () => {
    openConflict(db, id);
    resolve(db, id, 'kept');
  });
}

/** Resolves conflict `id`; a take names the batch that made it (undone, the conflict waits again). */
function resolve(db: Db, id: number, how: 'taken' | 'kept', batch?: number): void {
  db.prepare('UPDATE save_conflicts SET resolved = ?, resolved_at = ?, taken_batch = ? WHERE id = ?').run(
    how,
    Date.now(),
    batch ?? null,
    id,
  );
}

/** A field's values in words: "“a”; “b”", "empty", or the number of pictures. */
export function shown(key: string, values: FieldValues): string {
  if (key === PICTURES_KEY) return values.length === 1 ? '1 picture' : `${values.length} pictures`;
  if (values.length === 0) return 'empty';
  return (values as string[]).map((v) => `“${v.length > 60 ? `${v.slice(0, 59)}…` : v}”`).join('; ');
}

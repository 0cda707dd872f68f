// No lost update in the tag editor: a save carries, for each field it writes, what the editor loaded of
// that field (over which tracks, when, and a stamp of their values then). In the write transaction that
// makes the save count, a field whose values changed since (another window, a `sleeve` command, a save
// through the mount, an undo, a rescan) refuses the whole save, saying which field, what it was, what it
// is now and who changed it; the editor loads again and the user decides. Fields the user did not touch are
// not in the save, so a change to them elsewhere never stands in its way.
import { UserError } from '../../../kit/user-error.ts';
import { TAG_FIELDS } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { changedAfter } from './change-feed.ts';
import type { EditOrigin } from './edits.ts';

/** Selections up to this many tracks carry a stamp per field (a pass over their tags, ~20 ms a thousand
 *  tracks); a larger one is checked by its files: any change to one of them since the field was loaded
 *  refuses its save (stricter, never looser). */
export const STAMPED_TRACKS = 5000;

/** What an editor loaded of a field it now saves. */
export interface LoadedField {
  readonly key: string;
  /** The tracks it was loaded over, the change feed's position and the time (ms) then. */
  readonly ids: readonly number[];
  readonly version: number;
  readonly at: number;
  /** A digest of the tracks' values of the field then ('' when none had it); null for a selection larger
   *  than STAMPED_TRACKS. */
  readonly stamp: string | null;
  /** The value the editor showed: the tracks' common values, or null (they differed). */
  readonly values: readonly string[] | null;
}

/** Each track's effective values of the keys asked, one row per track and field. */
const EFFECTIVE = `SELECT t.file_id, t.key, json_group_array(t.value ORDER BY t.idx) AS vals
  FROM json_each(?) j CROSS JOIN tags t ON t.file_id = j.value
  WHERE t.key IN (SELECT value FROM json_each(?)) GROUP BY t.file_id, t.key`;

/** The stamp of each key any of `ids` has (lower-cased key → stamp): keys none has are absent (''). */
export function fieldStamps(db: Db, ids: readonly number[], keys: readonly string[]): Map<string, string> {
  const rows = db
    .prepare(`SELECT lower(min(key)) AS key, stamp(file_id, vals) AS stamp FROM (${EFFECTIVE}) GROUP BY key`)
    .all(JSON.stringify(ids), JSON.stringify(keys)) as Array<{ key: string; stamp: string }>;
  return new Map(rows.map((r) => [r.key, r.stamp]));
}

const LABELS = new Map(TAG_FIELDS.map((f) => [f.name, f.label]));
const ORIGINS: Record<EditOrigin, string> = {
  app: 'in the app',
  cli: 'by a sleeve command',
  mount: 'by a save through the mount',
};

const quoted = (values: readonly string[] | null): string =>
  values === null
    ? 'different on each track'
    : values.length === 0
      ? 'empty'
      : `“${values.join('; ').slice(0, 80)}”`;

export class FieldChangedError extends UserError {
  override name = 'FieldChangedError';
  /** The keys of the fields that changed. */
  readonly fields: readonly string[];
  constructor(fields: readonly string[], said: readonly string[]) {
    super(
      'conflict',
      `Not saved: ${said.join('; ')}. The editor shows the new value${fields.length > 1 ? 's' : ''}: keep yours or take it.`,
    );
    this.fields = fields;
  }
}

/** The field's value over `ids` now, as the editor would show it. */
function valueNow(db: Db, ids: readonly number[], key: string): readonly string[] | null {
  const r = db
    .prepare(`SELECT count(*) AS n, count(DISTINCT vals) AS distinct_, min(vals) AS some FROM (${EFFECTIVE})`)
    .get(JSON.stringify(ids), JSON.stringify([key])) as { n: number; distinct_: number; some: string | null };
  if (r.n === 0) return [];
  return r.n === ids.length && r.distinct_ === 1 ? (JSON.parse(r.some!) as string[]) : null;
}

/** Who changed the field since `at`: the newest edit of it made or undone since (or the one an edit was
 *  carried from, edit-counts.ts), or the files themselves. */
function whoChanged(db: Db, f: LoadedField): string {
  const batch = db
    .prepare(
      `SELECT b.id, b.description, b.origin, b.undone_at >= @at AS undone
       FROM json_each(@ids) j JOIN edits e ON e.file_id = j.value AND e.key = @key
       JOIN edit_batches b ON b.id IN (e.batch_id, e.carried_from) AND (b.created_at >= @at OR b.undone_at >= @at)
       ORDER BY max(b.created_at, coalesce(b.undone_at, 0)) DESC, b.id DESC LIMIT 1`,
    )
    .get({ ids: JSON.stringify(f.ids), key: f.key, at: f.at }) as
    | { id: number; description: string; origin: EditOrigin | null; undone: number | null }
    | undefined;
  if (!batch) return 'the file changed on disk, or an edit was redone';
  const by = batch.origin ? ` ${ORIGINS[batch.origin]}` : '';
  return batch.undone
    ? `edit ${batch.id} (${batch.description}) was undone`
    : `edit ${batch.id}${by}: ${batch.description}`;
}

/** Refuses (FieldChangedError) when any field in `loaded` changed since it was loaded; call inside the
 *  write transaction that saves. */
export function checkLoaded(db: Db, loaded: readonly LoadedField[]): void {
  const changed = loaded.filter((f) =>
    f.stamp === null
      ? changedAfter(db, f.ids, f.version).length > 0
      : (fieldStamps(db, f.ids, [f.key]).get(f.key.toLowerCase()) ?? '') !== f.stamp,
  );
  if (changed.length === 0) return;
  const said = changed.map((f) => {
    const label = LABELS.get(f.key.toLowerCase()) ?? f.key;
    const now = valueNow(db, f.ids, f.key);
    const what =
      f.values === null && now === null
        ? 'changed on some tracks since the editor loaded it'
        : `changed since the editor loaded it, from ${quoted(f.values)} to ${quoted(now)}`;
    return `${label} ${what} (${whoChanged(db, f)})`;
  });
  throw new FieldChangedError(
    changed.map((f) => f.key),
    said,
  );
}

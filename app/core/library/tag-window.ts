// A window of the whole library sorted by a text tag (`title`, `album`, …), read in the order the
// tags_by_key index keeps the values: SQLite sorts only the files that share one, by path, and stops once
// the window is full (sorting every file first took 2.2 s at a million tracks). A deep window (the list
// scrolled to its middle) starts at the value found by counting in the index alone: skipping the files
// before it one by one read each file's row, 0.2–0.5 s at the middle of a million tracks with its pages
// in memory and 1.7–2.6 s without.
import type { QuerySort } from '../../shared/query.ts';
import type { Db } from '../db/database.ts';
import { compileQuery, leftOutSql, type Scope, textTagSort } from './query-sql.ts';

/** From this offset a window starts at the value the index gives (deepStart); before it, skipping the
 *  files one by one costs a few milliseconds. */
export const DEEP_OFFSET = 1000;

/**
 * The ids of a window of the whole library in `scope` sorted by a text tag, or null: for another sort, or a
 * window that reaches the files without the tag (they sort after every file with it), left to the full sort.
 * `readyScope` must have run on the connection.
 */
export function tagOrderedWindow(
  db: Db,
  scope: Scope,
  sort: QuerySort,
  window: { offset: number; limit: number },
): number[] | null {
  const key = textTagSort(sort);
  if (key === null) return null;
  const deep = window.offset >= DEEP_OFFSET && (scope === 'library' || scope === 'recordings');
  const start = deep
    ? deepStart(db, scope, key, sort.descending, window.offset)
    : { fold: null, skip: window.offset };
  if (start === null) return null;
  const q = compileQuery({ groups: [[]], sorts: [] }, scope, { perRow: true });
  const from = start.fold === null ? '' : `AND t.fold ${sort.descending ? '<=' : '>='} ?`;
  const ids = db
    .prepare(
      `SELECT f.id FROM tags t CROSS JOIN files f ON f.id = t.file_id
       WHERE t.key = ? AND t.idx = 0 ${from} AND ${q.where}
       ORDER BY t.fold ${sort.descending ? 'DESC' : 'ASC'}, f.path LIMIT ? OFFSET ?`,
    )
    .pluck()
    .all(
      key,
      ...(start.fold === null ? [] : [start.fold]),
      ...q.whereParams,
      window.limit,
      start.skip,
    ) as number[];
  return ids.length === window.limit ? ids : null;
}

/** deepStart's statements, over the files listed (temp.left_out filled): the tag's value at an offset, and
 *  how many listed files hold a value before it. Parameters: the key, then the offset or the value. */
export function deepStartSql(descending: boolean): { value: string; before: string } {
  const listed = 't.key = ? AND t.idx = 0 AND t.file_id NOT IN temp.left_out';
  return {
    value: `SELECT t.fold FROM tags t WHERE ${listed} ORDER BY t.fold ${descending ? 'DESC' : 'ASC'} LIMIT 1 OFFSET ?`,
    before: `SELECT count(*) FROM tags t WHERE ${listed} AND t.fold ${descending ? '>' : '<'} ?`,
  };
}

/** Per connection: what temp.left_out was last filled for (its scope, and the library as it stood). */
const filledFor = new WeakMap<Db, string>();

/**
 * The files `scope` leaves out (leftOutSql), kept in a temporary table of the connection's until the library
 * changes: in a library holding many copies the set is large (200,000 copies of 300,000 grouped files at a
 * million tracks took 0.2 s to make), and scrolling asks for a window after another.
 */
function leftOutTable(db: Db, scope: 'library' | 'recordings'): void {
  // Another connection's commit moves data_version; this connection's own changes move total_changes()
  // (a new copy_place from readyScope among them), read after the fill, which counts too.
  const changedBy = db.pragma('data_version', { simple: true });
  const state = () => `${scope} ${changedBy} ${db.prepare('SELECT total_changes()').pluck().get()}`;
  if (filledFor.get(db) !== state()) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS left_out (id INTEGER PRIMARY KEY)');
    // Deferred: it writes only this connection's temporary table, never waiting for the library's lock.
    db.transaction(() => {
      db.exec('DELETE FROM temp.left_out');
      db.exec(`INSERT INTO temp.left_out ${leftOutSql(scope)}`);
    })();
    filledFor.set(db, state());
  }
}

/**
 * Where the window at `offset` starts: the tag's value there among the files the scope lists, and how far
 * into the files holding it. Both counted in the index alone, the files the scope leaves out set apart as
 * one set (leftOutTable), never a file's row. Null when the offset is past every listed file with the tag.
 */
export function deepStart(
  db: Db,
  scope: 'library' | 'recordings',
  key: string,
  descending: boolean,
  offset: number,
): { fold: string; skip: number } | null {
  leftOutTable(db, scope);
  const sql = deepStartSql(descending);
  const fold = db.prepare(sql.value).pluck().get(key, offset) as string | undefined;
  if (fold === undefined) return null;
  const before = db.prepare(sql.before).pluck().get(key, fold) as number;
  return { fold, skip: offset - before };
}

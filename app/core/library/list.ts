// Paged listing of library files with their effective tags and measured ReplayGain (a query each per page,
// never per file).

import type { FileFacts } from '../../shared/fields.ts';
import type { Query, QuerySort } from '../../shared/query.ts';
import type { Db } from '../db/database.ts';
import { libraryQuery } from './library-query.ts';
import { type CompiledQuery, compileQuery, foldedTextCount, type Scope } from './query-sql.ts';
import { readyScope } from './recordings-scope.ts';
import { isGainKey, measuredGains, replayGainTags } from './served-tags.ts';
import { tagOrderedWindow } from './tag-window.ts';
import { FACT_COLUMNS } from './track-columns.ts';
import { broadWords } from './word-breadth.ts';

export type Tags = Record<string, string[]>;

export interface FileItem extends FileFacts {
  readonly status: 'ok' | 'missing' | 'error' | 'removed';
  readonly audioStart: number | null;
  readonly audioEnd: number | null;
  readonly tags: Tags;
}

export const FILE_COLUMNS = `${FACT_COLUMNS}, f.audio_start AS audioStart, f.audio_end AS audioEnd`;

/** Effective tags for many files; only the fields in `keys`, when given. */
export function tagsFor(db: Db, ids: readonly number[], keys?: readonly string[]): Map<number, Tags> {
  const out = new Map<number, Tags>();
  if (ids.length === 0) return out;
  const asked = keys ? { keys: JSON.stringify(keys) } : {};
  // `+t.key`: each file's tags are one range of the primary key, read once, not one probe per key (the
  // unary + keeps the column's NOCASE collation).
  const onlyKeys = keys ? '+t.key IN (SELECT value FROM json_each(@keys))' : 'TRUE';
  // A file's tags as one JSON object SQLite makes, parsed at once: a row (and its array) for each value
  // had been most of the read (at a million tracks, 1 M objects parsed against 6 M rows: 4.2 → 3.4 s). A
  // file with a field of several values is left NULL and read row by row below, their order being idx.
  const files = db
    .prepare(
      `SELECT j.value, (SELECT CASE WHEN max(t.idx) > 0 THEN NULL ELSE json_group_object(t.key, json_array(t.value)) END
         FROM tags t WHERE t.file_id = j.value AND ${onlyKeys}) FROM json_each(@ids) j`,
    )
    .raw()
    .all({ ids: JSON.stringify(ids), ...asked }) as Array<[number, string | null]>;
  const several: number[] = [];
  for (const [id, json] of files) {
    if (json === null) several.push(id);
    out.set(id, json === null ? {} : (JSON.parse(json) as Tags));
  }
  if (several.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT t.file_id, t.key, t.idx, t.value FROM json_each(@ids) j JOIN tags t ON t.file_id = j.value WHERE ${onlyKeys}`,
    )
    .raw()
    .all({ ids: JSON.stringify(several), ...asked }) as Array<[number, string, number, string]>;
  // By key in a Map, made an object at the end: a key a file may hold, like "__proto__", is then the
  // object's own field, never its prototype.
  const byFile = new Map<number, Map<string, string[]>>();
  for (const [id, key, idx, value] of rows) {
    const fields = byFile.get(id) ?? new Map<string, string[]>();
    byFile.set(id, fields);
    const values = fields.get(key) ?? [];
    values[idx] = value;
    fields.set(key, values);
  }
  for (const [id, fields] of byFile) out.set(id, Object.fromEntries(fields));
  return out;
}

/** Files by id, in the order given (unknown ids left out), with their effective tags (or only `keys`), and
 *  the ReplayGain measured of those whose own is not served (what players read through the mount). */
export function filesByIds(db: Db, ids: readonly number[], keys?: readonly string[]): FileItem[] {
  const rows = db
    .prepare(`SELECT ${FILE_COLUMNS} FROM json_each(?) j JOIN files f ON f.id = j.value ORDER BY j.key`)
    .all(JSON.stringify(ids)) as Array<Omit<FileItem, 'tags'>>;
  return withServedTags(db, rows, keys);
}

/** Each file read with its effective tags (or only `keys`) and the ReplayGain measured of those whose own
 *  is not served. */
export function withServedTags<R extends { readonly id: number }>(
  db: Db,
  rows: readonly R[],
  keys?: readonly string[],
): Array<R & { tags: Tags }> {
  const tags = tagsFor(
    db,
    rows.map((r) => r.id),
    keys,
  );
  // A file's own gain fields of either kind give way to the measured when it prefers them.
  if (!keys || keys.some(isGainKey)) addMeasuredGain(db, tags, keys);
  return rows.map((r) => ({ ...r, tags: tags.get(r.id)! }));
}

function addMeasuredGain(db: Db, tags: Map<number, Tags>, keys: readonly string[] | undefined): void {
  for (const [id, m] of measuredGains(db, [...tags.keys()])) {
    const shown = tags.get(id)!;
    // In place of any of the file's own (it prefers the measured figures).
    for (const key of Object.keys(shown)) if (isGainKey(key)) delete shown[key];
    for (const [key, values] of replayGainTags(m)) if (!keys || keys.includes(key)) shown[key] = values;
  }
}

export interface ListOptions {
  readonly scope?: Scope;
  readonly offset?: number;
  readonly limit?: number;
}

/** One page of files matching `query` (throws QuerySyntaxError on a bad query). */
export function listFiles(db: Db, query: string, options: ListOptions = {}): FileItem[] {
  const scope = options.scope ?? 'library';
  readyScope(db, scope);
  const q = compileQuery(libraryQuery(db, query), scope);
  const rows = db
    .prepare(`SELECT ${FILE_COLUMNS} FROM files f WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
    .all(...q.whereParams, ...q.orderParams, options.limit ?? -1, options.offset ?? 0) as Array<
    Omit<FileItem, 'tags'>
  >;
  const tags = tagsFor(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, tags: tags.get(r.id)! }));
}

/** Ids of the files matching `query`, in query order or in `sort` order when given (it replaces the
 *  query's); all of them, or one window. */
export function matchingIds(
  db: Db,
  query: string,
  scope: Scope = 'library',
  sort: QuerySort | null = null,
  window?: { offset: number; limit: number },
): number[] {
  const parsed = libraryQuery(db, query);
  // In path order (an index walk) a window stops early, so per-file checks beat collecting sets.
  const indexOrder = !sort && parsed.sorts.length === 0;
  readyScope(db, scope);
  const byTag = window && sort && isWholeLibrary(parsed) ? tagOrderedWindow(db, scope, sort, window) : null;
  if (byTag) return byTag;
  const q = compiledFor(db, parsed, scope, sort, window !== undefined && indexOrder);
  const limit = window ? 'LIMIT ? OFFSET ?' : '';
  const windowParams = window ? [window.limit, window.offset] : [];
  if (q.afterOrder && window)
    return db
      .prepare(checkedInOrderSql(q))
      .pluck()
      .all(...q.whereParams, ...q.afterOrder.params, ...windowParams) as number[];
  return db
    .prepare(`SELECT f.id FROM files f WHERE ${q.where} ORDER BY ${q.orderBy} ${limit}`)
    .pluck()
    .all(...q.whereParams, ...q.orderParams, ...windowParams) as number[];
}

/**
 * A path-order window whose text checks were left for after the ordering (CompileOptions.deferTextChecks):
 * the files in path order first (LIMIT -1 keeps SQLite from merging the two, which would check every file
 * before sorting), then checked until the window is full. The outer ORDER BY is the inner one: SQLite
 * knows it and does not sort again. The status goes out with each file for the recordings scope's check of
 * a missing copy. Parameters: whereParams, afterOrder's, the window's limit and offset.
 */
export function checkedInOrderSql(q: CompiledQuery): string {
  return `SELECT f.id FROM (SELECT f.id, f.path, f.status FROM files f WHERE ${q.where} ORDER BY f.path LIMIT -1) f
    WHERE ${q.afterOrder?.where ?? '1'} ORDER BY f.path LIMIT ? OFFSET ?`;
}

/** A query's order asked about a few files: which of them match, in order, and which of two comes first
 *  (the same ORDER BY as matchingIds): what patching an ordered list after a change needs. */
export function queryOrder(
  db: Db,
  query: string,
  scope: Scope,
  sort: QuerySort | null,
): { matching(ids: readonly number[]): number[]; first(a: number, b: number): number } {
  const parsed = libraryQuery(db, query);
  readyScope(db, scope);
  const q = compiledFor(db, parsed, scope, sort);
  const among = db
    .prepare(
      `SELECT f.id FROM files f WHERE f.id IN (SELECT value FROM json_each(?)) AND ${q.where} ORDER BY ${q.orderBy}`,
    )
    .pluck();
  const first = db
    .prepare(`SELECT f.id FROM files f WHERE f.id IN (?, ?) ORDER BY ${q.orderBy} LIMIT 1`)
    .pluck();
  return {
    matching: (ids) => among.all(JSON.stringify(ids), ...q.whereParams, ...q.orderParams) as number[],
    first: (a, b) => first.get(a, b, ...q.orderParams) as number,
  };
}

/** A parsed query compiled for `scope`, its order replaced by `sort` when one is given. */
function compiledFor(db: Db, parsed: Query, scope: Scope, sort: QuerySort | null, perRow = false) {
  const asked = sort ? { groups: parsed.groups, sorts: [sort] } : parsed;
  return compileQuery(asked, scope, { perRow, broadWords: broadWords(db, parsed), deferTextChecks: perRow });
}

const isWholeLibrary = (q: Query) => q.sorts.length === 0 && q.groups.every((g) => g.length === 0);

/** A window of the whole library sorted by a text tag, found without sorting the rest (tag-window.ts):
 *  null for any other query or sort, or for a window that reaches the files without the tag. */
export function sortedByTagWindow(
  db: Db,
  query: string,
  scope: Scope,
  sort: QuerySort | null,
  window: { offset: number; limit: number },
): number[] | null {
  if (!sort || !isWholeLibrary(libraryQuery(db, query))) return null;
  readyScope(db, scope);
  return tagOrderedWindow(db, scope, sort, window);
}

/**
 * Which of `ids` match `query`, each file judged by itself (the library scope: no copy is left out for
 * another): for a few ids, a few row checks, whatever the library's size.
 */
export function matchingAmong(db: Db, query: string, ids: readonly number[]): number[] {
  const q = compileQuery(libraryQuery(db, query), 'library', { perRow: true });
  // CROSS JOIN: the ids first, each file then checked, never a walk of the whole library.
  return db
    .prepare(`SELECT f.id FROM json_each(?) j CROSS JOIN files f ON f.id = j.value WHERE ${q.where}`)
    .pluck()
    .all(JSON.stringify(ids), ...q.whereParams) as number[];
}

/** How many files match `query`: cheaper than listing them, as nothing is sorted. */
export function countMatching(db: Db, query: string, scope: Scope = 'library'): number {
  readyScope(db, scope);
  const parsed = libraryQuery(db, query);
  const broad = broadWords(db, parsed);
  const scan = foldedTextCount(parsed, scope, broad);
  if (scan)
    return db
      .prepare(scan.sql)
      .pluck()
      .get(...scan.params) as number;
  const q = compileQuery(parsed, scope, { broadWords: broad });
  return db
    .prepare(`SELECT count(*) FROM files f WHERE ${q.where}`)
    .pluck()
    .get(...q.whereParams) as number;
}

/** Streams all matching files page by page, so a huge library never sits in memory at once. */
export function* iterateFiles(
  db: Db,
  query: string,
  scope: Scope = 'library',
  pageSize = 500,
): Generator<FileItem> {
  const ids = matchingIds(db, query, scope);
  for (let i = 0; i < ids.length; i += pageSize) yield* filesByIds(db, ids.slice(i, i + pageSize));
}

export function getFile(db: Db, id: number): FileItem | undefined {
  const row = db.prepare(`SELECT ${FILE_COLUMNS} FROM files f WHERE f.id = ?`).get(id) as
    | Omit<FileItem, 'tags'>
    | undefined;
  return row && { ...row, tags: tagsFor(db, [id]).get(id)! };
}

// A selection of tracks as the UI sends it (listed ids, or "all of a query but these"), and the tag
// editor's view of it: per field, the value all tracks share or "mixed", computed in SQL so that a
// selection of 100k tracks is one aggregate, not 100k tag reads.

import type { QuerySort } from '../../shared/query.ts';
import type { FieldSummary, Target } from '../../shared/rpc-contract.ts';
import type { Db } from '../db/database.ts';
import { libraryQuery } from './library-query.ts';
import { matchingIds } from './list.ts';
import { fieldStamps, STAMPED_TRACKS } from './loaded-fields.ts';
import { compileQuery, type Scope } from './query-sql.ts';
import { readyScope } from './recordings-scope.ts';

const targetScope = (target: Target & { kind: 'query' }): Scope =>
  target.onePerRecording ? 'recordings' : 'library';

/** The selected file ids (a query's in `sort` order when given); unknown ids and files recorded with
 *  errors are left out. */
export function selectedIds(db: Db, target: Target, sort: QuerySort | null = null): number[] {
  if (target.kind === 'query') {
    const except = new Set(target.except);
    return matchingIds(db, target.query, targetScope(target), sort).filter((id) => !except.has(id));
  }
  return db
    .prepare(
      `SELECT f.id FROM json_each(?) j CROSS JOIN files f ON f.id = j.value WHERE f.status IN ('ok', 'missing') ORDER BY j.key`,
    )
    .pluck()
    .all(JSON.stringify(target.ids)) as number[];
}

/** The selected file ids in the table's order (`sort`, else path order), whichever way they were picked:
 *  what a tool that follows the order (numbering) reads. */
export function selectedInTableOrder(db: Db, target: Target, sort: QuerySort | null): number[] {
  if (target.kind === 'query') return selectedIds(db, target, sort);
  const order = compileQuery({ groups: [[]], sorts: sort ? [sort] : [] }, 'all');
  return db
    .prepare(
      `SELECT f.id FROM json_each(?) j CROSS JOIN files f ON f.id = j.value WHERE f.status IN ('ok', 'missing') ORDER BY ${order.orderBy}`,
    )
    .pluck()
    .all(JSON.stringify(target.ids), ...order.orderParams) as number[];
}

/** SQL for the selected ids (as `sel(id)`) and its parameters. */
function selectionSql(db: Db, target: Target): { sql: string; params: unknown[] } {
  // CROSS JOIN keeps the id list the outer loop (SQLite's order for it): left to choose, the planner may
  // walk files by status and the whole list for each, quadratic (a summary of 5,000 ids took 3 s).
  if (target.kind === 'ids') {
    return {
      sql: `SELECT f.id FROM json_each(?) j CROSS JOIN files f ON f.id = j.value WHERE f.status IN ('ok', 'missing')`,
      params: [JSON.stringify(target.ids)],
    };
  }
  const scope = targetScope(target);
  readyScope(db, scope);
  const q = compileQuery(libraryQuery(db, target.query), scope);
  return {
    sql: `SELECT f.id FROM files f WHERE ${q.where} AND f.id NOT IN (SELECT value FROM json_each(?))`,
    params: [...q.whereParams, JSON.stringify(target.except)],
  };
}

interface FieldAggregate {
  key: string;
  tracks: number;
  distinctValues: number;
  someValues: string | null;
  fileTracks: number;
  distinctFileValues: number;
  someFileValues: string | null;
  editedTracks: number;
}

/** How the selection stands among copies of its recordings: what an edit to the recordings would add. */
function copiesSummary(
  db: Db,
  sel: { sql: string; params: unknown[] },
): { kept: number; notKept: number; others: number } {
  readyScope(db, 'recordings');
  return db
    .prepare(
      `WITH sel(id) AS MATERIALIZED (${sel.sql}),
       grouped AS MATERIALIZED (SELECT sel.id, m.group_id AS g FROM sel JOIN recording_members m ON m.file_id = sel.id),
       present AS (SELECT m.group_id AS g, m.file_id AS id FROM recording_members m
                   JOIN files f ON f.id = m.file_id AND f.status = 'ok'
                   WHERE m.group_id IN (SELECT g FROM grouped))
       SELECT (SELECT count(*) FROM present WHERE id NOT IN (SELECT id FROM sel)) AS others,
              (SELECT count(*) FROM grouped s WHERE s.id NOT IN (SELECT id FROM temp.copy_place WHERE place > 1)
                 AND (SELECT count(*) FROM present p WHERE p.g = s.g) > 1
                 AND s.id IN (SELECT id FROM present)) AS kept,
              (SELECT count(DISTINCT s.g) FROM grouped s WHERE s.id IN (SELECT id FROM present)
                 AND NOT EXISTS (SELECT 1 FROM grouped k WHERE k.g = s.g
                                 AND k.id NOT IN (SELECT id FROM temp.copy_place WHERE place > 1))) AS notKept`,
    )
    .get(...sel.params) as { kept: number; notKept: number; others: number };
}

/** Each field present on any selected track: shared value or mixed, and how edits differ from the files;
 *  and how many copies of the selected recordings an edit to recordings would reach besides. */
export function summarizeFields(
  db: Db,
  target: Target,
): { tracks: number; fields: FieldSummary[]; copies: { kept: number; notKept: number; others: number } } {
  const sel = selectionSql(db, target);
  const tracks = db
    .prepare(`SELECT count(*) FROM (${sel.sql})`)
    .pluck()
    .get(...sel.params) as number;
  // Values are compared as JSON arrays in tag order: ["Rock","Pop"] differs from ["Pop","Rock"].
  const rows = db
    .prepare(
      `WITH sel(id) AS MATERIALIZED (${sel.sql}),
       eff AS (SELECT t.file_id, t.key, json_group_array(t.value ORDER BY t.idx) AS vals
               FROM sel JOIN tags t ON t.file_id = sel.id GROUP BY t.file_id, t.key),
       src AS (SELECT t.file_id, t.key, json_group_array(t.value ORDER BY t.idx) AS vals
               FROM sel JOIN file_tags t ON t.file_id = sel.id GROUP BY t.file_id, t.key),
       pairs AS (SELECT file_id, key FROM eff UNION SELECT file_id, key FROM src)
       SELECT min(p.key) AS key, count(e.vals) AS tracks, count(DISTINCT e.vals) AS distinctValues,
         min(e.vals) AS someValues, count(s.vals) AS fileTracks, count(DISTINCT s.vals) AS distinctFileValues,
         min(s.vals) AS someFileValues,
         sum(coalesce(e.vals, '[]') <> coalesce(s.vals, '[]')) AS editedTracks
       FROM pairs p
       LEFT JOIN eff e ON e.file_id = p.file_id AND e.key = p.key
       LEFT JOIN src s ON s.file_id = p.file_id AND s.key = p.key
       GROUP BY p.key COLLATE NOCASE ORDER BY p.key COLLATE NOCASE`,
    )
    .all(...sel.params) as FieldAggregate[];
  const common = (count: number, distinct: number, some: string | null): string[] | null =>
    count === 0 ? [] : count === tracks && distinct === 1 ? (JSON.parse(some!) as string[]) : null;
  // Each field's stamp, for the save to refuse a field changed since (loaded-fields.ts).
  const stamps =
    tracks > STAMPED_TRACKS
      ? null
      : fieldStamps(
          db,
          db
            .prepare(sel.sql)
            .pluck()
            .all(...sel.params) as number[],
          rows.map((r) => r.key),
        );
  return {
    tracks,
    copies: copiesSummary(db, sel),
    fields: rows.map((r) => ({
      key: r.key,
      values: common(r.tracks, r.distinctValues, r.someValues),
      fileValues: common(r.fileTracks, r.distinctFileValues, r.someFileValues),
      editedTracks: r.editedTracks,
      tracks: r.tracks,
      stamp: stamps && (stamps.get(r.key.toLowerCase()) ?? ''),
    })),
  };
}

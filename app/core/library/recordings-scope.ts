// The 'recordings' scope lists one file per recording: of the files a query matches, each recording's
// best-placed one (its kept copy whenever that matches; else the next copy that does, so a recording
// found only through another copy's tags is still listed). Ranking copies takes ~50 ms at 100k
// duplicated files, too much for every window a scrolling table asks for, so each connection keeps the
// places in a temp table and puts right the places of the copies that moved when copies_state.seq says the
// kept copies may have (copy-places.ts).

import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { type CopyPlaces, copiesMovedSince, currentPlaces } from './copy-places.ts';
import type { Scope } from './query-sql.ts';

// The table, and the copies_state.seq it holds the places at in a table beside it: both written in one
// transaction, so that a failure that rolls the places back rolls their seq back with them.
const TABLES = `CREATE TEMP TABLE IF NOT EXISTS copy_place (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, place INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS temp.copy_place_grp ON copy_place (grp, place);
  CREATE TEMP TABLE IF NOT EXISTS copy_place_seq (seq INTEGER NOT NULL)`;

/** Each connection's read of the seq its places are at, kept once the tables were made outside a
 *  transaction: then no rollback can take them away, and a query's check costs one step. */
const seqReads = new WeakMap<Db, Database.Statement>();

/** The copies_state.seq the connection's temp.copy_place holds the places at; undefined if never filled. */
function filledSeq(db: Db): number | undefined {
  let read = seqReads.get(db);
  if (!read) {
    db.exec(TABLES);
    read = db.prepare('SELECT seq FROM temp.copy_place_seq').pluck();
    if (!db.inTransaction) seqReads.set(db, read);
  }
  return read.get() as number | undefined;
}

/** Makes the connection ready for queries in `scope` (only 'recordings' needs anything). */
export function readyScope(db: Db, scope: Scope): void {
  if (scope !== 'recordings') return;
  const places = currentPlaces(db);
  const before = filledSeq(db);
  if (before === places.seq) return;
  const moved = before === undefined ? null : copiesMovedSince(db, before, places);
  // Deferred: it writes only this connection's temp tables, and must not wait for the library's write lock.
  db.transaction(() => {
    if (moved === null) fill(db, places);
    else patch(db, places, moved);
    db.exec('DELETE FROM temp.copy_place_seq');
    db.prepare('INSERT INTO temp.copy_place_seq (seq) VALUES (?)').run(places.seq);
  })();
}

const INSERT_PLACES = `INSERT INTO temp.copy_place (id, grp, place)
  SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`;

/** Every present copy's place, into the table made anew. */
function fill(db: Db, places: CopyPlaces): void {
  db.exec('DELETE FROM temp.copy_place');
  const present: Array<[number, number, number]> = [];
  for (let i = 0; i < places.ids.length; i++)
    if (places.places[i]! > 0) present.push([places.ids[i]!, places.groups[i]!, places.places[i]!]);
  db.prepare(INSERT_PLACES).run(JSON.stringify(present));
}

/** The places of the copies `moved` since the table was filled, put right: at a million tracks filling
 *  100,000 copies' places again took most of a change of one kept copy. */
function patch(db: Db, places: CopyPlaces, moved: readonly number[]): void {
  db.prepare('DELETE FROM temp.copy_place WHERE id IN (SELECT value FROM json_each(?))').run(
    JSON.stringify(moved),
  );
  const present: Array<[number, number, number]> = [];
  for (const id of moved) {
    const i = indexOf(places.ids, id);
    if (i >= 0 && places.places[i]! > 0) present.push([id, places.groups[i]!, places.places[i]!]);
  }
  db.prepare(INSERT_PLACES).run(JSON.stringify(present));
}

/** Where `id` is in ascending `ids`, or -1. */
function indexOf(ids: Int32Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] === id) return mid;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// The 'recordings' scope lists one file per recording: of the files a query matches, each recording's
// best-placed one (its kept copy whenever that matches; else the next copy that does, so a recording
// found only through another copy's tags is still listed). Ranking copies takes ~50 ms at 100k
// duplicated files, too much for every window a scrolling table asks for, so each connection keeps the
// places in a temp table and ranks again only when copies_state.seq says the kept copies may have moved.

import type { Db } from '../db/database.ts';
import { currentPlaces } from './copy-places.ts';
import type { Scope } from './query-sql.ts';

/** The copies_state.seq each connection's temp.copy_place was filled at. */
const filledAt = new WeakMap<Db, number>();

/** Makes the connection ready for queries in `scope` (only 'recordings' needs anything). */
export function readyScope(db: Db, scope: Scope): void {
  if (scope !== 'recordings') return;
  // The ranking's seq is read before it ranks: a change landing in between leaves an older seq, so the
  // next call ranks again.
  const places = currentPlaces(db);
  if (filledAt.get(db) === places.seq) return;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS copy_place (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, place INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS temp.copy_place_grp ON copy_place (grp, place)`);
  const present: Array<[number, number, number]> = [];
  for (let i = 0; i < places.ids.length; i++)
    if (places.places[i]! > 0) present.push([places.ids[i]!, places.groups[i]!, places.places[i]!]);
  // Deferred: it writes only this connection's temp table, and must not wait for the library's write lock.
  db.transaction(() => {
    db.exec('DELETE FROM temp.copy_place');
    db.prepare(
      `INSERT INTO temp.copy_place (id, grp, place)
       SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`,
    ).run(JSON.stringify(present));
  })();
  filledAt.set(db, places.seq);
}

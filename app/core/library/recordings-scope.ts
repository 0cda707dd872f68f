// The 'recordings' scope lists one file per recording: every library file but the other copies of a
// recording (duplicates.ts otherCopies). Ranking copies takes ~50 ms at 100k duplicated files, too much
// for every window a scrolling table asks for, so each connection keeps the other copies in a temp table
// and re-ranks only when copies_state.seq says that which copy is kept may have changed.

import type { Db } from '../db/database.ts';
import { otherCopies } from '../fingerprint/duplicates.ts';
import type { Scope } from './query-sql.ts';

/** The copies_state.seq each connection's temp.other_copies was filled at. */
const filledAt = new WeakMap<Db, number>();

/** Makes the connection ready for queries in `scope` (only 'recordings' needs anything). */
export function readyScope(db: Db, scope: Scope): void {
  if (scope !== 'recordings') return;
  // Read before ranking: a change landing in between leaves an older seq, so the next call re-ranks.
  const seq = db.prepare('SELECT seq FROM copies_state').pluck().get() as number;
  if (filledAt.get(db) === seq) return;
  const others = otherCopies(db);
  db.exec('CREATE TEMP TABLE IF NOT EXISTS other_copies (id INTEGER PRIMARY KEY)');
  db.transaction(() => {
    db.exec('DELETE FROM temp.other_copies');
    db.prepare('INSERT INTO temp.other_copies SELECT value FROM json_each(?)').run(
      JSON.stringify([...others]),
    );
  })();
  filledAt.set(db, seq);
}

// The files an edit from the command line reaches: the recordings its query lists (the kept copy of each,
// as `sleeve ls` lists them), and with `copies` every other present copy of them too. The tools (tool-
// tracks.ts) and the app's editor follow the same rule; an edit never reaches a copy the user did not list
// or ask for.
import type { Db } from '../db/database.ts';
import { withCopies } from '../fingerprint/duplicates.ts';
import { matchingIds } from './list.ts';
import { readyScope } from './recordings-scope.ts';

export interface EditTargets {
  /** The files edited. */
  readonly ids: number[];
  /** The recordings listed: one file each. */
  readonly listed: number;
  /** Other copies of them left alone (0 with `copies`: they are among `ids`). */
  readonly otherCopies: number;
  /** Recordings whose listed copy is not the one kept (0 with `copies`). */
  readonly notKept: number;
}

export function editTargets(db: Db, query: string, copies: boolean): EditTargets {
  const listed = matchingIds(db, query, 'recordings');
  const every = withCopies(db, listed);
  return {
    ids: copies ? every : listed,
    listed: listed.length,
    otherCopies: copies ? 0 : every.length - listed.length,
    notKept: copies ? 0 : notKeptCopies(db, listed),
  };
}

/** How many of `ids` are not their recording's kept copy: players get another one of those recordings
 *  (the mount, Subsonic and the app's list serve the kept copy), so an edit of these alone is not heard. */
export function notKeptCopies(db: Db, ids: readonly number[]): number {
  readyScope(db, 'recordings');
  return db
    .prepare('SELECT count(*) FROM json_each(?) j JOIN temp.copy_place c ON c.id = j.value WHERE c.place > 1')
    .pluck()
    .get(JSON.stringify(ids)) as number;
}

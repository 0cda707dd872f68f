// The files an edit from the command line reaches: the recordings its query lists (the kept copy of each,
// as `sleeve ls` lists them), and with `copies` every other present copy of them too. The tools (tool-
// tracks.ts) and the app's editor follow the same rule; an edit never reaches a copy the user did not list
// or ask for.
import type { Db } from '../db/database.ts';
import { withCopies } from '../fingerprint/duplicates.ts';
import { matchingIds } from './list.ts';

export interface EditTargets {
  /** The files edited. */
  readonly ids: number[];
  /** The recordings listed: one file each. */
  readonly listed: number;
  /** Other copies of them left alone (0 with `copies`: they are among `ids`). */
  readonly otherCopies: number;
}

export function editTargets(db: Db, query: string, copies: boolean): EditTargets {
  const listed = matchingIds(db, query, 'recordings');
  const every = withCopies(db, listed);
  return {
    ids: copies ? every : listed,
    listed: listed.length,
    otherCopies: copies ? 0 : every.length - listed.length,
  };
}

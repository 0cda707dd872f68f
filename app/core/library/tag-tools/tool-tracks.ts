// The tracks a tool runs on: the recordings the user sees listed (the kept copy of each, in the list's
// order), and with `copies` every other present copy of them too, each right after its listed one. Copies
// are one recording, so numbering counts recordings: 4 recordings held twice are numbered 1–4, and each
// copy takes its recording's number.
import type { Db } from '../../db/database.ts';
import { recordingsOf, withCopies } from '../../fingerprint/duplicates.ts';
import { notKeptCopies } from '../edit-targets.ts';

export interface ToolTracks {
  /** The files, in the order the tool follows. */
  readonly ids: readonly number[];
  /** Each file's recording, as its place among the recordings (0: the first); files of one share it. */
  readonly recordings: readonly number[];
  /** Other copies of these recordings the tool leaves alone (none with `copies`). */
  readonly otherCopies: number;
  /** Recordings whose listed copy is not the one kept (none with `copies`). */
  readonly notKept: number;
}

export function toolTracks(db: Db, listed: readonly number[], copies: boolean): ToolTracks {
  const every = withCopies(db, listed);
  const ids = copies ? every : listed;
  const group = recordingsOf(db, ids);
  const places = new Map<string, number>();
  const recordings = ids.map((id) => {
    // A file in no group yet (not fingerprinted) is a recording of its own.
    const key = group.has(id) ? `g${group.get(id)}` : `f${id}`;
    let place = places.get(key);
    if (place === undefined) {
      place = places.size;
      places.set(key, place);
    }
    return place;
  });
  return {
    ids,
    recordings,
    otherCopies: every.length - ids.length,
    notKept: copies ? 0 : notKeptCopies(db, listed),
  };
}

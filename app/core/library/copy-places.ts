// Where each copy of a recording stands among its copies — its recording, and its place (1: the kept
// copy; 0: not present) — at one copies_state.seq, the last few a connection ranked at held: the
// recordings scope's table is filled from them (recordings-scope.ts), and a list made at one seq learns
// which files a later change of the kept copies moved (copiesMovedSince), to be patched for those alone.
// copies_state rises with any change that may move a kept copy (a copy preferred, a copy's first edit, a
// file grouped or measured): most move none, and a list made again whole for each took seconds at 1M.
import type { Db } from '../db/database.ts';
import { MEMBER_PLACES_SQL } from '../fingerprint/duplicates.ts';

/** The members of every recording held more than once at `seq`: ids ascending, each one's recording and
 *  place at the same index. */
export interface CopyPlaces {
  readonly seq: number;
  readonly ids: Int32Array;
  readonly groups: Int32Array;
  readonly places: Int32Array;
}

/** Rankings held per connection: the seqs lists made now and just before were made at. */
const HELD = 3;
const held = new WeakMap<Db, CopyPlaces[]>();

const copiesSeq = (db: Db) => db.prepare('SELECT seq FROM copies_state').pluck().get() as number;

/** The places now: the ranking held for the current seq, else ranked (held when no change to the kept
 *  copies landed meanwhile, so that a held ranking is exactly its seq's). */
export function currentPlaces(db: Db): CopyPlaces {
  const seq = copiesSeq(db);
  const list = held.get(db) ?? [];
  const newest = list.at(-1);
  if (newest?.seq === seq) return newest;
  const rows = db.prepare(MEMBER_PLACES_SQL).raw().all() as Array<[number, number, number]>;
  const places: CopyPlaces = {
    seq,
    ids: Int32Array.from(rows, (r) => r[0]),
    groups: Int32Array.from(rows, (r) => r[1]),
    places: Int32Array.from(rows, (r) => r[2]),
  };
  if (copiesSeq(db) === seq) {
    held.set(db, [...list.slice(1 - HELD), places]);
  }
  return places;
}

/** The files whose recording or place among its copies moved since copies_state.seq `since`; null when
 *  the ranking at `since` is not held (then what was made at it must be made again). */
export function copiesMovedSince(db: Db, since: number): number[] | null {
  const before = held.get(db)?.find((p) => p.seq === since);
  if (!before) return null;
  const now = currentPlaces(db);
  const moved: number[] = [];
  let i = 0;
  let j = 0;
  // Both by id: a walk of the two side by side.
  while (i < before.ids.length || j < now.ids.length) {
    const a = i < before.ids.length ? before.ids[i]! : Number.POSITIVE_INFINITY;
    const b = j < now.ids.length ? now.ids[j]! : Number.POSITIVE_INFINITY;
    if (a < b) moved.push(before.ids[i++]!);
    else if (b < a) moved.push(now.ids[j++]!);
    else {
      if (before.groups[i] !== now.groups[j] || before.places[i] !== now.places[j]) moved.push(a);
      i++;
      j++;
    }
  }
  return moved;
}

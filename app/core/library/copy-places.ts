// Where each copy of a recording stands among its copies — its recording, and its place (1: the kept
// copy; 0: not present) — at one copies_state.seq, the last few a connection ranked at held: the
// recordings scope's table is filled from them (recordings-scope.ts), and a list made at one seq learns
// which files a later change of the kept copies moved (copiesMovedSince), to be patched for those alone.
// copies_state rises with any change that may move a kept copy (a copy preferred, a copy's first edit, a
// file grouped or measured): most move none, and a list made again whole for each took seconds at 1M.
// A newer ranking is the one before it with only the recordings touched since ranked again.

import type Database from 'better-sqlite3';
import { EVERY_RECORDING } from '../db/copies-touched.ts';
import type { Db } from '../db/database.ts';
import { perConnection } from '../db/per-connection.ts';
import { readsCommitted, readTransaction } from '../db/read-transaction.ts';
import { MEMBER_PLACES_IN_SQL, MEMBER_PLACES_SQL } from '../fingerprint/duplicates.ts';

/** The members of every recording held more than once at `seq`: ids ascending, each one's recording and
 *  place at the same index. */
export interface CopyPlaces {
  readonly seq: number;
  readonly ids: Int32Array;
  readonly groups: Int32Array;
  readonly places: Int32Array;
  /** How many members were ranked to make it: all of them, or the touched recordings' alone. */
  readonly ranked: number;
}

/** Rankings held per connection: the seqs lists made now and just before were made at. */
const HELD = 3;
const held = new WeakMap<Db, CopyPlaces[]>();

const copiesSeq = (db: Db) => db.prepare('SELECT seq FROM copies_state').pluck().get() as number;

/** The places now: the ranking held for the current seq, else the newest held before it with the
 *  recordings logged since ranked again (copies-touched.ts), else every recording ranked. Read in one
 *  transaction, so that a held ranking is exactly its seq's; held only when that state is committed. */
export function currentPlaces(db: Db): CopyPlaces {
  // Inside a write transaction the ranking may be of changes that are rolled back: worked out, not held.
  const committed = readsCommitted(db);
  return readTransaction(db, () => {
    const seq = copiesSeq(db);
    const list = held.get(db) ?? [];
    const same = list.find((p) => p.seq === seq);
    if (same) return same;
    const base = list.findLast((p) => p.seq < seq);
    const places = (base && rankedAgain(db, base, seq)) ?? ranked(seq, everyPlace(db));
    if (committed) held.set(db, [...list, places].sort((a, b) => a.seq - b.seq).slice(-HELD));
    return places;
  });
}

/** The connection's statements ranking every recording's members, and those of some (`@groups`, a JSON
 *  array): each 0.8 ms to prepare, kept (per-connection.ts). */
const everyPlace = perConnection((db) => db.prepare(MEMBER_PLACES_SQL).raw());
const placesIn = perConnection((db) => db.prepare(MEMBER_PLACES_IN_SQL).raw());

/** The places among their recording's copies (1: kept) of the present members of these recordings held more
 *  than once, by file id: ranked for those recordings alone. */
export function placesInRecordings(db: Db, groups: Iterable<number>): Map<number, number> {
  return new Map(rankedIn(db, groups).map(([id, , place]) => [id, place]));
}

/** The present members of these recordings held more than once, each with its recording and place. */
const rankedIn = (db: Db, groups: Iterable<number>) =>
  placesIn(db).all({ groups: JSON.stringify([...groups]) }) as Array<
    [id: number, group: number, place: number]
  >;

/** Where these files stand among their recording's copies: each one's place (1: kept) and its recording's
 *  kept copy, from their recordings alone; a file held once is not in it. */
export function placesOfFiles(db: Db, ids: readonly number[]): Map<number, { place: number; kept: number }> {
  const groups = db
    .prepare('SELECT DISTINCT m.group_id FROM json_each(?) j JOIN recording_members m ON m.file_id = j.value')
    .pluck()
    .all(JSON.stringify(ids)) as number[];
  if (groups.length === 0) return new Map();
  const rows = rankedIn(db, groups);
  const kept = new Map(rows.filter(([, , place]) => place === 1).map(([id, group]) => [group, id]));
  return new Map(rows.map(([id, group, place]) => [id, { place, kept: kept.get(group) ?? id }]));
}

function ranked(seq: number, statement: Database.Statement, groups: Record<string, string> = {}): CopyPlaces {
  const rows = statement.all(groups) as Array<[number, number, number]>;
  return {
    seq,
    ranked: rows.length,
    ids: Int32Array.from(rows, (r) => r[0]),
    groups: Int32Array.from(rows, (r) => r[1]),
    places: Int32Array.from(rows, (r) => r[2]),
  };
}

/** `base` with the recordings touched since its seq ranked again; null when every recording was. */
function rankedAgain(db: Db, base: CopyPlaces, seq: number): CopyPlaces | null {
  const touched = new Set(
    db.prepare('SELECT group_id FROM copies_touched WHERE seq > ?').pluck().all(base.seq) as number[],
  );
  if (touched.has(EVERY_RECORDING)) return null;
  const again = ranked(seq, placesIn(db), { groups: JSON.stringify([...touched]) });
  // Both by id: the base's members of untouched recordings and the touched ones' members now, merged.
  const n = base.ids.length;
  const ids: number[] = [];
  const groups: number[] = [];
  const places: number[] = [];
  let j = 0;
  for (let i = 0; i <= n; i++) {
    const id = i < n ? base.ids[i]! : Number.POSITIVE_INFINITY;
    for (; j < again.ids.length && again.ids[j]! < id; j++) {
      ids.push(again.ids[j]!);
      groups.push(again.groups[j]!);
      places.push(again.places[j]!);
    }
    if (i === n || touched.has(base.groups[i]!)) continue;
    ids.push(id);
    groups.push(base.groups[i]!);
    places.push(base.places[i]!);
  }
  return {
    seq,
    ranked: again.ranked,
    ids: Int32Array.from(ids),
    groups: Int32Array.from(groups),
    places: Int32Array.from(places),
  };
}

/** The present copies their recording does not keep (placed after the first): what a mount of one file
 *  per recording leaves out, as otherCopies gives them, from a held ranking. */
export function otherCopiesIn(places: CopyPlaces): Set<number> {
  const others = new Set<number>();
  for (let i = 0; i < places.ids.length; i++) if (places.places[i]! > 1) others.add(places.ids[i]!);
  return others;
}

/** The files whose recording or place among its copies moved from copies_state.seq `since` to `now`'s; null
 *  when the ranking at `since` is not held (then what was made at it must be made again). */
export function copiesMovedSince(db: Db, since: number, now = currentPlaces(db)): number[] | null {
  const before = held.get(db)?.find((p) => p.seq === since);
  if (!before) return null;
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

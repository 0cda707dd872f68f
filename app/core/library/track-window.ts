// Windows over a sorted query result, for a UI that scrolls through 100k tracks: the ordered ids of a
// (query, sort) are computed once per library version and cached, so each further window costs one
// indexed lookup of its own rows, never a re-sort of the library. After a change to a few files (an
// edit), the order of the version before is patched: those files taken out, and put back where the
// query's order places them, if they still match (sorting every file again took 2.5 s at 1M tracks).

import type { QuerySort } from '../../shared/query.ts';
import { queryKey } from '../../shared/query-clock.ts';
import type { Db } from '../db/database.ts';
import { readTransaction } from '../db/read-transaction.ts';
import { copiesMovedSince, currentPlaces } from './copy-places.ts';
import { namesCopyField } from './library-query.ts';
import { countMatching, matchingIds, queryOrder, sortedByTagWindow } from './list.ts';
import type { Scope } from './query-sql.ts';

/** What the library's version is made of: the files' change feed (files.change_seq) and which copy each
 *  recording keeps (copies_state.seq). */
export interface LibraryState {
  readonly seq: number;
  readonly copies: number;
}

export function libraryState(db: Db): LibraryState {
  return db
    .prepare(
      'SELECT coalesce(max(change_seq), 0) AS seq, (SELECT seq FROM copies_state) AS copies FROM files',
    )
    .get() as LibraryState;
}

/** What a list was made of, as changedSince needs it: its scope; whether it counts recordings (copies of
 *  one recording once: the album grid's track counts); whether its query or sort names a field the
 *  copies' ranking and measures derive (library-query.ts: namesCopyField). */
export interface ListedBy {
  readonly scope: Scope;
  readonly recordingsCounted: boolean;
  readonly copyField: boolean;
}

/** Whether a list follows where the copies stand: which is kept (the recordings scope) or which
 *  recording each is of (counted recordings). Other lists hold every copy alike. */
const followsCopies = (by: ListedBy) => by.scope === 'recordings' || by.recordingsCounted;

/** Holds the copies' ranking now, for a list `by` that follows them, as it is made: what changedSince
 *  compares a later ranking with (copy-places.ts). */
export function holdCopies(db: Db, by: ListedBy): void {
  if (followsCopies(by)) currentPlaces(db);
}

/**
 * The files changed between two library states, for a cache to patch what it made at `before`: those the
 * change feed moved; for a list that follows the copies, those whose recording or place among its copies
 * moved (copy-places.ts); and in the recordings scope the other copies of each (a copy shows there when
 * no better-placed one matches). Null when it must be made again: more than `limit` files
 * changed, the copies' ranking at `before` is not held, a field of the copies is queried and they changed,
 * or `before` is not older. Files are never deleted (they go missing, a change like any other), so a file
 * that left a list is among them.
 */
export function changedSince(
  db: Db,
  before: LibraryState,
  now: LibraryState,
  limit: number,
  by: ListedBy,
): number[] | null {
  if (before.seq > now.seq) return null;
  const copiesChanged = before.copies !== now.copies;
  if (copiesChanged && by.copyField) return null;
  const moved = copiesChanged && followsCopies(by) ? copiesMovedSince(db, before.copies) : [];
  if (moved === null || moved.length > limit) return null;
  const fed = db
    .prepare('SELECT id FROM files WHERE change_seq > ? LIMIT ?')
    .pluck()
    .all(before.seq, limit + 1) as number[];
  if (fed.length > limit) return null;
  const changed = new Set([...fed, ...moved]);
  // Whether a copy shows depends on the copies placed before it: it may change though its own place and
  // recording did not (the copies above it changed places, one left its recording and another joined).
  if (by.scope === 'recordings' && changed.size > 0)
    for (const id of otherCopiesOf(db, [...changed])) changed.add(id);
  return changed.size > limit ? null : [...changed];
}

/** The other members of the recordings of `ids`. */
function otherCopiesOf(db: Db, ids: readonly number[]): number[] {
  return db
    .prepare(
      `SELECT o.file_id FROM recording_members m
       JOIN recording_members o ON o.group_id = m.group_id AND o.file_id <> m.file_id
       WHERE m.file_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck()
    .all(JSON.stringify(ids)) as number[];
}

/** The library's version: rises whenever any file's shown tags, art, status or size change. */
export function libraryVersion(db: Db): number {
  // Both only rise: their sum rises when either does (which copy a recording keeps changes counts too).
  const { seq, copies } = libraryState(db);
  return seq + copies;
}

/** A small LRU of values computed per key and library version. */
export class VersionedCache<T> {
  readonly #entries = new Map<string, { version: number; value: T }>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The value when it is cached for this version, without computing it. */
  peek(key: string, version: number): T | undefined {
    const hit = this.#entries.get(key);
    return hit?.version === version ? hit.value : undefined;
  }

  /** The value cached for the key, whatever its version. */
  any(key: string): T | undefined {
    return this.#entries.get(key)?.value;
  }

  get(key: string, version: number, compute: () => T): T {
    const hit = this.#entries.get(key);
    this.#entries.delete(key);
    const entry = hit && hit.version === version ? hit : { version, value: compute() };
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return entry.value;
  }
}

/** Windows that start this early are read straight from SQL (sorting stops at the window's end). */
const EARLY_ROWS = 1000;

/** Changed files an order is patched for, at most a thousandth of it (each is put back in ~20
 *  comparisons, a query each, ~40 µs: a thousand at 1M tracks take a third of a full sort). */
const patchable = (ordered: number) => Math.max(16, Math.floor(ordered / 1000));

/** A (query, sort)'s ordered matches, and the library state they are of. */
interface Ordered extends LibraryState {
  readonly ids: Int32Array;
}

export class TrackWindows {
  readonly #db: Db;
  readonly #ids = new VersionedCache<Ordered>(8);
  readonly #counts = new VersionedCache<number>(32);
  /** Orders computed by sorting every match (not patched): what the tests count. */
  fullSorts = 0;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * One window of the sorted matches and their total (throws QuerySyntaxError). A new query's first window
   * is one LIMIT query — what typing in the query bar waits for; its total is null unless already known
   * (or evident from a short window): `count` computes it. Deeper windows of the whole library sorted by
   * a tag are found in its index; others slice the whole ordered id list, computed once per library
   * version (an Int32Array: 100k ids are 400 KB).
   */
  window(
    query: string,
    sort: QuerySort | null,
    offset: number,
    limit: number,
    scope: Scope = 'library',
  ): { total: number | null; ids: number[] } {
    // One read transaction: the state a whole order is labelled with is the one it was made at, so a
    // kept copy that moved meanwhile is not taken for one moved after it (changedSince).
    return readTransaction(this.#db, () => this.#window(query, sort, offset, limit, scope));
  }

  #window(
    query: string,
    sort: QuerySort | null,
    offset: number,
    limit: number,
    scope: Scope,
  ): { total: number | null; ids: number[] } {
    const queryText = queryKey(query);
    const key = JSON.stringify([queryText, sort, scope]);
    const countKey = JSON.stringify([queryText, scope]);
    const state = libraryState(this.#db);
    const version = state.seq + state.copies;
    let all = this.#ids.peek(key, version)?.ids;
    if (!all && offset + limit <= EARLY_ROWS) {
      const ids = matchingIds(this.#db, query, scope, sort, { offset, limit });
      const complete = ids.length < limit && (ids.length > 0 || offset === 0);
      const total = this.#counts.peek(countKey, version) ?? (complete ? offset + ids.length : null);
      return { total, ids };
    }
    // A deeper window of the whole library sorted by a tag is found in the tag's index (tag-window.ts),
    // not by sorting every file first: 0.1 against 2 s in the middle of a million tracks.
    const byTag = all ? null : sortedByTagWindow(this.#db, query, scope, sort, { offset, limit });
    if (byTag) return { total: this.#counts.peek(countKey, version) ?? null, ids: byTag };
    const before = all ? undefined : this.#ids.any(key); // get() lets it go before computing
    all ??= this.#ids.get(key, version, () => {
      const by = { scope, recordingsCounted: false, copyField: namesCopyField(query, sort) };
      holdCopies(this.#db, by);
      const patched = before && this.#patched(before, state, { query, sort, scope }, by);
      if (patched) return patched;
      this.fullSorts++;
      return { ...state, ids: Int32Array.from(matchingIds(this.#db, query, scope, sort)) };
    }).ids;
    return { total: all.length, ids: Array.from(all.subarray(offset, offset + limit)) };
  }

  /**
   * `before` brought to the library's state `now`, when only a few files changed since (changedSince):
   * those files taken out, and the ones that match put back in the query's order, each found by a binary
   * search that asks SQL which of two files comes first.
   */
  #patched(
    before: Ordered,
    now: LibraryState,
    { query, sort, scope }: { query: string; sort: QuerySort | null; scope: Scope },
    by: ListedBy,
  ): Ordered | null {
    const changed = changedSince(this.#db, before, now, patchable(before.ids.length), by);
    if (!changed) return null;
    const order = queryOrder(this.#db, query, scope, sort);
    const gone = new Set(changed);
    const kept = before.ids.filter((id) => !gone.has(id));
    const added = order.matching(changed);
    const ids = new Int32Array(kept.length + added.length);
    let from = 0;
    let out = 0;
    // The added files are in order among themselves: each is searched for after the one before.
    for (const id of added) {
      let [lo, hi] = [from, kept.length];
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (order.first(kept[mid]!, id) === id) hi = mid;
        else lo = mid + 1;
      }
      ids.set(kept.subarray(from, lo), out);
      out += lo - from;
      ids[out++] = id;
      from = lo;
    }
    ids.set(kept.subarray(from), out);
    return { ...now, ids };
  }

  /** How many tracks match (cached per library version; sorting does not change it). */
  count(query: string, scope: Scope = 'library'): number {
    return this.#counts.get(JSON.stringify([queryKey(query), scope]), libraryVersion(this.#db), () =>
      countMatching(this.#db, query, scope),
    );
  }
}

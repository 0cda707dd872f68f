// Windows over a sorted query result, for a UI that scrolls through 100k tracks: the ordered ids of a
// (query, sort) are computed once per library version and cached, so each further window costs one
// indexed lookup of its own rows, never a re-sort of the library.

import type { QuerySort } from '../../shared/query.ts';
import type { Db } from '../db/database.ts';
import { countMatching, matchingIds } from './list.ts';
import type { Scope } from './query-sql.ts';

/** The library's version: rises whenever any file's shown tags, art, status or size change. */
export function libraryVersion(db: Db): number {
  // Both only rise: their sum rises when either does (which copy a recording keeps changes counts too).
  return (
    (db
      .prepare('SELECT coalesce(max(change_seq), 0) + (SELECT seq FROM copies_state) FROM files')
      .pluck()
      .get() as number) ?? 0
  );
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

export class TrackWindows {
  readonly #db: Db;
  readonly #ids = new VersionedCache<Int32Array>(8);
  readonly #counts = new VersionedCache<number>(32);

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * One window of the sorted matches and their total (throws QuerySyntaxError). A new query's first window
   * is one LIMIT query — what typing in the query bar waits for; its total is null unless already known
   * (or evident from a short window): `count` computes it. Deeper windows slice the whole ordered id
   * list, computed once per library version (an Int32Array: 100k ids are 400 KB).
   */
  window(
    query: string,
    sort: QuerySort | null,
    offset: number,
    limit: number,
    scope: Scope = 'library',
  ): { total: number | null; ids: number[] } {
    const key = JSON.stringify([query, sort, scope]);
    const version = libraryVersion(this.#db);
    let all = this.#ids.peek(key, version);
    if (!all && offset + limit <= EARLY_ROWS) {
      const ids = matchingIds(this.#db, query, scope, sort, { offset, limit });
      const complete = ids.length < limit && (ids.length > 0 || offset === 0);
      const total =
        this.#counts.peek(JSON.stringify([query, scope]), version) ?? (complete ? offset + ids.length : null);
      return { total, ids };
    }
    all ??= this.#ids.get(key, version, () => Int32Array.from(matchingIds(this.#db, query, scope, sort)));
    return { total: all.length, ids: Array.from(all.subarray(offset, offset + limit)) };
  }

  /** How many tracks match (cached per library version; sorting does not change it). */
  count(query: string, scope: Scope = 'library'): number {
    return this.#counts.get(JSON.stringify([query, scope]), libraryVersion(this.#db), () =>
      countMatching(this.#db, query, scope),
    );
  }
}

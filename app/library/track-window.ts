// Windows over a sorted query result, for a UI that scrolls through 100k tracks: the ordered ids of a
// (query, sort) are computed once per library version and cached, so each further window costs one
// indexed lookup of its own rows, never a re-sort of the library.
import type { Db } from '../db/database.ts';
import type { QuerySort } from '../shared/query.ts';
import { matchingIds } from './list.ts';

/** The library's version: rises whenever any file's shown tags, art, status or size change. */
export function libraryVersion(db: Db): number {
  return (db.prepare('SELECT coalesce(max(change_seq), 0) FROM files').pluck().get() as number) ?? 0;
}

/** A small LRU of values computed per key and library version. */
export class VersionedCache<T> {
  readonly #entries = new Map<string, { version: number; value: T }>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
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

export class TrackWindows {
  readonly #db: Db;
  readonly #ids = new VersionedCache<Int32Array>(8);

  constructor(db: Db) {
    this.#db = db;
  }

  /** All matching ids in order (throws QuerySyntaxError). Int32Array: 100k ids are 400 KB, not 100k objects. */
  orderedIds(query: string, sort: QuerySort | null): Int32Array {
    const key = JSON.stringify([query, sort]);
    return this.#ids.get(key, libraryVersion(this.#db), () =>
      Int32Array.from(matchingIds(this.#db, query, 'library', sort)),
    );
  }

  window(
    query: string,
    sort: QuerySort | null,
    offset: number,
    limit: number,
  ): { total: number; ids: number[] } {
    const all = this.orderedIds(query, sort);
    return { total: all.length, ids: Array.from(all.subarray(offset, offset + limit)) };
  }
}

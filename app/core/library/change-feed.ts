// The library's change feed: files.change_seq rises whenever what a file shows or serves changes, so a
// follower (the FUSE daemon) asks for `change_seq > last seen` instead of diffing the whole library.
// files.shown_seq moves with it except for changes only to what is measured of a file (its loudness and
// its album's, which the mount serves as ReplayGain) or derived of its album (its year): a preview notes the feed's position to know, when
// saved, which of its files changed since in what it showed.
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';

/** The feed's next position, as SQL: a change takes it for the file it changed. */
export const NEXT_CHANGE = '(SELECT coalesce(max(change_seq), 0) + 1 FROM files)';

/** What keeps a derived position past changes it does not depend on (album-years.ts: AlbumYears). */
export interface PassesChanges {
  passing<T>(fresh: ReadonlySet<number>, fn: () => T): T;
}

export class ChangeFeed {
  readonly #bump: Database.Statement;
  readonly #bumpMeasured: Database.Statement;
  /** The files changed only in what is measured of them under `measuring`. */
  #measured: Set<number> | undefined;

  constructor(db: Db) {
    this.#bump = db.prepare(
      `UPDATE files SET change_seq = ${NEXT_CHANGE}, shown_seq = ${NEXT_CHANGE} WHERE id = ?`,
    );
    this.#bumpMeasured = db.prepare(`UPDATE files SET change_seq = ${NEXT_CHANGE} WHERE id = ?`);
  }

  /** Marks a file changed; call inside the transaction that changed it. */
  bump(fileId: number): void {
    this.#bump.run(fileId);
    this.#measured?.delete(fileId);
  }

  /** Marks a file changed only in what is measured of it (its loudness, its album's): the mount serves
   *  it anew, but a preview of its tags still holds. */
  bumpMeasured(fileId: number): void {
    this.#bumpMeasured.run(fileId);
    this.#measured?.add(fileId);
  }

  /** Runs `fn`, changes inside the caller's write transaction; `years` (the album years, which nothing
   *  measured moves) pass the files it changed through this feed only in what is measured of them. */
  measuring<T>(years: PassesChanges | undefined, fn: () => T): T {
    if (!years || this.#measured) return fn();
    const measured = new Set<number>();
    this.#measured = measured;
    try {
      return years.passing(measured, fn);
    } finally {
      this.#measured = undefined;
    }
  }

  /** Marks a file changed only in what is derived of its album from its other tracks (its album year,
   *  album-years.ts): the mount moves it, but a preview of its tags still holds, as for bumpMeasured. */
  bumpAlbumLevel(fileId: number): void {
    this.#bumpMeasured.run(fileId);
  }
}

/** The feed's position: the highest change_seq (file rows are never deleted, so it only rises). */
export function feedPosition(db: Db): number {
  return db.prepare('SELECT coalesce(max(change_seq), 0) FROM files').pluck().get() as number;
}

/** Of `ids`, in their order, the files whose tags, art, place or presence changed after `version` (what is
 *  measured of them does not count: shown_seq). */
export function changedAfter(db: Db, ids: readonly number[], version: number): number[] {
  return db
    .prepare(
      // CROSS JOIN: the id list outer, files by key (never the list scanned for each file of an index).
      'SELECT f.id FROM json_each(?) j CROSS JOIN files f ON f.id = j.value WHERE f.shown_seq > ? ORDER BY j.key',
    )
    .pluck()
    .all(JSON.stringify(ids), version) as number[];
}

/** The files whose tags, art, place or presence changed after `position`, through the feed's index (a
 *  file's shown_seq never passes its change_seq): as many rows as changes since, however large the library. */
export function shownAfter(db: Db, position: number): IterableIterator<number> {
  return db
    .prepare('SELECT id FROM files WHERE change_seq > ? AND shown_seq > ?')
    .pluck()
    .iterate(position, position) as IterableIterator<number>;
}

// The library's change feed: files.change_seq rises whenever what a file shows changes, so a follower
// (the FUSE daemon) asks for `change_seq > last seen` instead of diffing the whole library.
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';

export class ChangeFeed {
  readonly #bump: Database.Statement;

  constructor(db: Db) {
    this.#bump = db.prepare(
      'UPDATE files SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM files) WHERE id = ?',
    );
  }

  /** Marks a file changed; call inside the transaction that changed it. */
  bump(fileId: number): void {
    this.#bump.run(fileId);
  }
}

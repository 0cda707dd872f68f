// Web services' answers kept in the library (web_cache), so asking again costs no request: one service's
// entries by key, each with when it was fetched, read back only while younger than the caller allows.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.ts';

export class WebCache {
  /** Prepared once: a run of 10,000 files reads the cache 10,000 times. */
  readonly #read: Statement;
  readonly #write: Statement;
  readonly #service: string;

  constructor(db: Db, service: string) {
    this.#service = service;
    this.#read = db.prepare(
      'SELECT body, fetched_at AS fetchedAt FROM web_cache WHERE service = ? AND key = ?',
    );
    this.#write = db.prepare(
      'INSERT OR REPLACE INTO web_cache (service, key, body, fetched_at) VALUES (?, ?, ?, ?)',
    );
  }

  /** The kept answer and its age in ms, if any. */
  get(key: string): { body: string; ageMs: number } | undefined {
    const row = this.#read.get(this.#service, key) as { body: string; fetchedAt: number } | undefined;
    return row && { body: row.body, ageMs: Date.now() - row.fetchedAt };
  }

  put(key: string, body: string): void {
    this.#write.run(this.#service, key, body, Date.now());
  }
}

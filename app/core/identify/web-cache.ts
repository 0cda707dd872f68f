// Web services' answers kept in the library (web_cache), so asking again costs no request: one service's
// entries by key, each with when it was fetched. Bounded twice: an answer is served only while younger
// than its service says (an answer a month, a "not found" a day, as MusicBrainz's data changes), rows
// older than any answer is kept are deleted when a client opens the cache, and the whole table keeps
// under MAX_CACHE_BYTES, the oldest answers going first.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.ts';

const DAY_MS = 24 * 3600 * 1000;
/** How long an answer is served: releases and recordings are edited now and then, so a month-old copy is
 *  asked again. */
const ANSWER_KEPT_MS = 30 * DAY_MS;
/** How long "nothing found" is served: a day (a fingerprint submitted since, a mirror catching up). */
const NOT_FOUND_KEPT_MS = DAY_MS;
/** Bodies kept at most, all services together (tens of thousands of answers). */
const MAX_CACHE_BYTES = 64 << 20;
/** Puts between two checks of the total size (a check sums every body). */
const PUTS_PER_CHECK = 256;

export interface WebCacheOptions {
  /** Whether a kept body says "nothing found" (served NOT_FOUND_KEPT_MS, not ANSWER_KEPT_MS). */
  readonly notFound: (body: string) => boolean;
  /** The size the table is kept under (tests make it small). */
  readonly maxBytes?: number;
}

export class WebCache {
  /** Prepared once: a run of 10,000 files reads the cache 10,000 times. */
  readonly #read: Statement;
  readonly #write: Statement;
  readonly #total: Statement;
  readonly #evict: Statement;
  readonly #service: string;
  readonly #options: WebCacheOptions;
  #puts = 0;

  constructor(db: Db, service: string, options: WebCacheOptions) {
    this.#service = service;
    this.#options = options;
    this.#read = db.prepare(
      'SELECT body, fetched_at AS fetchedAt FROM web_cache WHERE service = ? AND key = ?',
    );
    this.#write = db.prepare(
      'INSERT OR REPLACE INTO web_cache (service, key, body, fetched_at) VALUES (?, ?, ?, ?)',
    );
    this.#total = db.prepare('SELECT coalesce(sum(length(body)), 0) FROM web_cache').pluck();
    // The newest rows whose bodies add up to the cap stay; the rest go, oldest first.
    this.#evict = db.prepare(
      `DELETE FROM web_cache WHERE (service, key) IN (
         SELECT service, key FROM (
           SELECT service, key, sum(length(body)) OVER (ORDER BY fetched_at DESC, key) AS upTo FROM web_cache)
         WHERE upTo > ?)`,
    );
    db.prepare('DELETE FROM web_cache WHERE fetched_at < ?').run(Date.now() - ANSWER_KEPT_MS);
    this.#keepUnderCap();
  }

  /** The kept body while it is young enough to serve. */
  get(key: string): string | undefined {
    const row = this.#read.get(this.#service, key) as { body: string; fetchedAt: number } | undefined;
    if (!row) return undefined;
    const kept = this.#options.notFound(row.body) ? NOT_FOUND_KEPT_MS : ANSWER_KEPT_MS;
    return Date.now() - row.fetchedAt < kept ? row.body : undefined;
  }

  put(key: string, body: string): void {
    this.#write.run(this.#service, key, body, Date.now());
    if (++this.#puts % PUTS_PER_CHECK === 0) this.#keepUnderCap();
  }

  #keepUnderCap(): void {
    const max = this.#options.maxBytes ?? MAX_CACHE_BYTES;
    if ((this.#total.get() as number) > max) this.#evict.run(max);
  }
}

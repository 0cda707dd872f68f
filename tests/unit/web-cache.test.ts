// The web services' cache on a real library file: an answer is served for a month and "nothing found" for
// a day; rows older than a month leave when a client opens the cache; the table stays under its size cap,
// the newest answers kept.
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { WebCache } from '../../app/core/identify/web-cache.ts';
import { tempDir } from '../helpers.ts';

const DAY = 24 * 3600 * 1000;
const notFound = (body: string) => body === '';

afterEach(() => {
  vi.useRealTimers();
});

function library() {
  return openDatabase(join(tempDir(), 'library.db'));
}

it('serves an answer for a month and "nothing found" for a day', () => {
  const db = library();
  vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
  const cache = new WebCache(db, 'musicbrainz', { notFound });
  cache.put('release/a', '{"title":"A"}');
  cache.put('release/gone', '');
  vi.setSystemTime(Date.UTC(2026, 0, 1) + 2 * DAY);
  expect(cache.get('release/a')).toBe('{"title":"A"}');
  expect(cache.get('release/gone')).toBeUndefined();
  vi.setSystemTime(Date.UTC(2026, 0, 1) + 31 * DAY);
  expect(cache.get('release/a')).toBeUndefined();
  db.close();
});

it('deletes rows older than a month when a client opens the cache', () => {
  const db = library();
  vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
  new WebCache(db, 'acoustid', { notFound }).put('old', '[1]');
  vi.setSystemTime(Date.UTC(2026, 0, 20));
  new WebCache(db, 'acoustid', { notFound }).put('newer', '[2]');
  vi.setSystemTime(Date.UTC(2026, 1, 5));
  new WebCache(db, 'musicbrainz', { notFound });
  expect(db.prepare('SELECT key FROM web_cache ORDER BY key').pluck().all()).toEqual(['newer']);
  db.close();
});

it('keeps the table under its cap, the newest answers staying', () => {
  const db = library();
  vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
  const body = 'x'.repeat(1000);
  const cache = new WebCache(db, 'acoustid', { notFound, maxBytes: 100_000 });
  for (let i = 0; i < 1000; i++) {
    vi.setSystemTime(Date.UTC(2026, 0, 1) + i * 1000);
    cache.put(`k${i}`, body);
  }
  const total = () => db.prepare('SELECT sum(length(body)) FROM web_cache').pluck().get() as number;
  expect(total()).toBeLessThanOrEqual(100_000 + 256 * 1000); // checked every 256 puts
  new WebCache(db, 'acoustid', { notFound, maxBytes: 100_000 }); // and when opened
  expect(total()).toBeLessThanOrEqual(100_000);
  expect(cache.get('k999')).toBe(body);
  expect(cache.get('k0')).toBeUndefined();
  db.close();
});

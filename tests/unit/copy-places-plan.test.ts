// Ranking every copy of a recording (the recordings scope's copy_place, the mount's copies left out)
// works out each copy's tiers once: ordered by the tiers themselves, SQLite evaluated each of their
// subqueries twice a copy (300,000 copies at a million tracks: 6.0 s, against 3.1 s worked out once).
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { COPY_PLACES_SQL } from '../../app/core/fingerprint/duplicates.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

it("evaluates each of a copy's tier subqueries once", () => {
  const { db } = taggedLibrary([{ path: '/music/1.flac', tags: { title: ['One'] } }]);
  open.push(db);
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${COPY_PLACES_SQL}`).all() as Array<{ detail: string }>).map(
    (r) => r.detail,
  );
  const subqueries = plan.flatMap((d) => /^(?:CORRELATED )?SCALAR SUBQUERY (\d+)$/.exec(d)?.[1] ?? []);
  expect(subqueries.length).toBeGreaterThan(5);
  expect(new Set(subqueries).size).toBe(subqueries.length);
});

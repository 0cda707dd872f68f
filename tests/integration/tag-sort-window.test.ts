// The whole library sorted by a text tag, an early window read in the order the tags_by_key index keeps
// (list.ts: tagOrderedWindow): the same files as the full sort gives, in both directions and scopes, files
// sharing a value by path, files without the tag last; and the plan sorts no more than the files that
// share a value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { matchingIds } from '../../app/core/library/list.ts';
import { groupCopies, syntheticHome } from '../fixtures/synthetic-library.ts';

describe('an early window of the library sorted by a tag', () => {
  let db: Db;

  beforeAll(async () => {
    const home = await syntheticHome(1000);
    groupCopies(home);
    db = openDatabase(`${home}/library.db`);
    // Some files without a genre, and some sharing one title: ties go by path.
    db.prepare("DELETE FROM tags WHERE key = 'genre' AND file_id % 7 = 0").run();
    db.prepare("UPDATE tags SET value = 'Same', fold = 'same' WHERE key = 'title' AND file_id % 5 = 0").run();
  }, 120_000);

  afterAll(() => db?.close());

  it('gives the files the full sort gives', () => {
    for (const scope of ['library', 'recordings'] as const)
      for (const field of ['title', 'genre', 'album', 'artist'])
        for (const descending of [false, true]) {
          const sort = { field, descending };
          const all = matchingIds(db, '', scope, sort);
          for (const offset of [0, 100, 850, all.length - 50]) {
            const window = matchingIds(db, '', scope, sort, { offset, limit: 100 });
            expect(window, `${field} ${descending ? 'desc' : 'asc'} ${scope} @${offset}`).toEqual(
              all.slice(offset, offset + 100),
            );
          }
        }
  });

  it('walks the tag index in order, sorting only the files that share a value', () => {
    const rows = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT f.id FROM tags t CROSS JOIN files f ON f.id = t.file_id
         WHERE t.key = 'title' AND t.idx = 0 AND f.status NOT IN ('error', 'removed')
         ORDER BY t.fold, f.path LIMIT 100`,
      )
      .all() as Array<{ detail: string }>;
    const plan = rows.map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/SEARCH t USING (COVERING )?INDEX tags_by_key/);
    expect(plan).toMatch(/USE TEMP B-TREE FOR (RIGHT PART|LAST TERM) OF ORDER BY/);
    expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
  });
});

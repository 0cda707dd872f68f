// The whole library sorted by a text tag, a window read in the order the tags_by_key index keeps
// (tag-window.ts): the same files as the full sort gives, in both directions and scopes, files sharing a
// value by path, files without the tag last, files no list shows and copies left out; the plan sorts no
// more than the files that share a value, and a deep window starts where the index alone says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { matchingIds } from '../../app/core/library/list.ts';
import { leftOutSql } from '../../app/core/library/query-sql.ts';
import { readyScope } from '../../app/core/library/recordings-scope.ts';
import { DEEP_OFFSET } from '../../app/core/library/tag-window.ts';
import { groupCopies, syntheticHome } from '../fixtures/synthetic-library.ts';

describe('a window of the library sorted by a tag', () => {
  let db: Db;

  beforeAll(async () => {
    const home = await syntheticHome(3000);
    groupCopies(home);
    db = openDatabase(`${home}/library.db`);
    // Some files without a genre, and some sharing one title: ties go by path.
    db.prepare("DELETE FROM tags WHERE key = 'genre' AND file_id % 7 = 0").run();
    db.prepare("UPDATE tags SET value = 'Same', fold = 'same' WHERE key = 'title' AND file_id % 5 = 0").run();
    // Files no list shows, and missing ones: some of them copies of a recording (groupCopies' albums).
    db.prepare("UPDATE files SET status = 'error', error = 'unreadable' WHERE id % 13 = 0").run();
    db.prepare("UPDATE files SET status = 'removed' WHERE id % 17 = 0 AND status = 'ok'").run();
    db.prepare("UPDATE files SET status = 'missing' WHERE id % 11 = 0 AND status = 'ok'").run();
  }, 120_000);

  afterAll(() => db?.close());

  it('gives the files the full sort gives, early and deep', () => {
    for (const scope of ['library', 'recordings'] as const)
      for (const field of ['title', 'genre', 'album', 'artist'])
        for (const descending of [false, true]) {
          const sort = { field, descending };
          const all = matchingIds(db, '', scope, sort);
          for (const offset of [0, 100, 850, DEEP_OFFSET, 1234, 2000, all.length - 250, all.length - 50]) {
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

  it("finds a deep window's start in the tag index alone, reading no file's row for the files before it", () => {
    for (const scope of ['library', 'recordings'] as const) {
      readyScope(db, scope);
      const rows = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT t.fold FROM tags t
           WHERE t.key = 'title' AND t.idx = 0 AND t.file_id NOT IN (${leftOutSql(scope)})
           ORDER BY t.fold LIMIT 1 OFFSET 500`,
        )
        .all() as Array<{ id: number; parent: number; detail: string }>;
      // The walk itself (the plan's top level): the index, and the left-out set made once beside it.
      const top = rows.filter((r) => r.parent === 0).map((r) => r.detail);
      expect(top, scope).toEqual([
        'SEARCH t USING COVERING INDEX tags_by_key (key=?)',
        expect.stringMatching(/^(LIST|USING ROWID SEARCH ON TABLE|USING INDEX) .*|^LIST SUBQUERY \d+$/),
      ]);
    }
  });
});

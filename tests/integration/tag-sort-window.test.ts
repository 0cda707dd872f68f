// The whole library sorted by a text tag, a window read in the order the tags_by_key index keeps
// (tag-window.ts): the same files as the full sort gives, in both directions and scopes, files sharing a
// value by path, files without the tag last, files no list shows and copies left out; the plan sorts no
// more than the files that share a value, and a deep window starts where the index alone says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase, openReader } from '../../app/core/db/database.ts';
import { matchingIds } from '../../app/core/library/list.ts';
import { DEEP_OFFSET, deepStartSql } from '../../app/core/library/tag-window.ts';
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

  it('follows a change of what the scope leaves out, made on the same connection', () => {
    const sort = { field: 'title', descending: false };
    const deep = (offset: number) => matchingIds(db, '', 'recordings', sort, { offset, limit: 100 });
    const before = deep(1500);
    // Two files before the window leave the list: it starts two files further on.
    const earlier = deep(1200);
    db.prepare("UPDATE files SET status = 'error', error = 'unreadable' WHERE id IN (?, ?)").run(
      earlier[0],
      earlier[50],
    );
    const all = matchingIds(db, '', 'recordings', sort);
    expect(deep(1500)).toEqual(all.slice(1500, 1600));
    expect(deep(1500).slice(0, 98)).toEqual(before.slice(2));
  });

  it('follows a change another connection made (a reader beside the writer)', () => {
    const reader = openReader(db.name);
    try {
      const sort = { field: 'album', descending: true };
      const deep = (on: Db, offset: number) =>
        matchingIds(on, '', 'recordings', sort, { offset, limit: 100 });
      const before = deep(reader, 1500);
      const earlier = deep(reader, 1100);
      db.prepare("UPDATE files SET status = 'removed' WHERE id = ?").run(earlier[10]);
      expect(deep(reader, 1500)).toEqual(matchingIds(reader, '', 'recordings', sort).slice(1500, 1600));
      expect(deep(reader, 1500).slice(0, 99)).toEqual(before.slice(1));
    } finally {
      reader.close();
    }
  });

  it("finds a deep window's start in the tag index alone, reading no file's row for the files before it", () => {
    for (const descending of [false, true]) {
      matchingIds(db, '', 'recordings', { field: 'title', descending }, { offset: DEEP_OFFSET, limit: 1 });
      for (const sql of Object.values(deepStartSql(descending))) {
        const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('title', 0) as Array<{ detail: string }>;
        expect(
          rows.map((r) => r.detail),
          sql,
        ).toEqual([
          expect.stringMatching(/^SEARCH t USING COVERING INDEX tags_by_key \(key=\?/),
          'USING ROWID SEARCH ON TABLE left_out FOR IN-OPERATOR',
        ]);
      }
    }
  });
});

// A query's free-text words planned by how many files hold them (word-breadth.ts, query-sql.ts: wordPlans):
// a rare word drives (its files looked up), a broad one is checked in each file's folded text rather than
// collected from the index. The answers must be the index's own: every query, in both scopes, as a window
// and whole, gives the same files planned either way; and the plans are what the speed rests on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { libraryQuery } from '../../app/core/library/library-query.ts';
import { checkedInOrderSql, matchingIds } from '../../app/core/library/list.ts';
import {
  compileQuery,
  foldedTextCount,
  isTrigramWord,
  type Scope,
} from '../../app/core/library/query-sql.ts';
import { readyScope } from '../../app/core/library/recordings-scope.ts';
import { broadWords } from '../../app/core/library/word-breadth.ts';
import { groupCopies, syntheticHome } from '../fixtures/synthetic-library.ts';

const QUERIES = [
  'flac',
  'FLAC ber',
  'flac 5',
  'flac 12',
  'ber rock',
  'flac ^jazz',
  'rock , jazz flac',
  'flac ber 99',
  'genre:rock flac',
  'title:a flac',
  '^ber',
  'genre:rock ^flac',
];

describe('free-text words planned by their breadth', () => {
  let db: Db;

  beforeAll(async () => {
    const home = await syntheticHome(1000);
    groupCopies(home);
    db = openDatabase(`${home}/library.db`);
    // Files with no text in either index, as a file that could not be read has none: `^word` keeps them.
    db.exec(`DELETE FROM search WHERE rowid % 13 = 0; DELETE FROM search_folded WHERE file_id % 13 = 0`);
  }, 120_000);

  afterAll(() => db?.close());

  /** Every trigram word of the query, taken as broad; or none. */
  const words = (text: string, broad: boolean) =>
    new Set(
      broad
        ? libraryQuery(db, text)
            .groups.flat()
            .filter(isTrigramWord)
            .map((t) => (t.op as { value: string }).value)
        : [],
    );

  const run = (text: string, scope: Scope, broad: boolean, window: boolean) => {
    readyScope(db, scope);
    const q = compileQuery(libraryQuery(db, text), scope, { perRow: window, broadWords: words(text, broad) });
    const sql = `SELECT f.id FROM files f WHERE ${q.where} ORDER BY ${q.orderBy}${window ? ' LIMIT 100' : ''}`;
    return {
      ids: db
        .prepare(sql)
        .pluck()
        .all(...q.whereParams, ...q.orderParams) as number[],
      plan: (
        db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...q.whereParams, ...q.orderParams) as Array<{
          detail: string;
        }>
      )
        .map((r) => r.detail)
        .join(' | '),
    };
  };

  it('finds the files the index finds, in both scopes, as a window and whole', () => {
    for (const text of QUERIES)
      for (const scope of ['library', 'recordings'] as const)
        for (const window of [true, false]) {
          const asSets = run(text, scope, false, window).ids;
          expect(asSets.length, text).toBeGreaterThan(0);
          expect(
            run(text, scope, true, window).ids,
            `${text} (${scope}, ${window ? 'window' : 'whole'})`,
          ).toEqual(asSets);
        }
  });

  it('tells the words apart by asking the index, no further than its limit', () => {
    const query = libraryQuery(db, 'flac rock falcon');
    expect(broadWords(db, query, 500)).toEqual(new Set(['flac']));
    expect(broadWords(db, query, 5000)).toEqual(new Set());
  });

  it("collects no broad word's files from the index: a window walks the files, a rare word drives", () => {
    // One broad word: the walk in path order checks each file's text; nothing is read from the index.
    const alone = run('flac', 'library', true, true).plan;
    expect(alone).toMatch(/^SCAN f USING COVERING INDEX files_by_path_status/);
    expect(alone).not.toMatch(/VIRTUAL TABLE/);
    // A rare word beside it: its files are looked up (no walk), the broad one checked in each.
    const driven = run('flac falcon', 'library', false, true);
    const mixed = compileQuery(libraryQuery(db, 'flac falcon'), 'library', {
      perRow: true,
      broadWords: new Set(['flac']),
    });
    const plan = (
      db
        .prepare(`EXPLAIN QUERY PLAN SELECT f.id FROM files f WHERE ${mixed.where} ORDER BY ${mixed.orderBy}`)
        .all(...mixed.whereParams, ...mixed.orderParams) as Array<{ detail: string }>
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/SEARCH f USING INTEGER PRIMARY KEY/);
    expect(plan).not.toMatch(/\bSCAN f\b/);
    expect(plan.match(/VIRTUAL TABLE/g)).toHaveLength(1); // the rare word's lookup alone
    expect(driven.ids.length).toBeGreaterThan(0);
  });

  it("a rare word's window checks the other words' text in its files' order, until the window is full", () => {
    const windowOf = (
      text: string,
      offset: number,
      limit: number,
      defer: boolean,
      scope: Scope = 'library',
    ) => {
      const parsed = libraryQuery(db, text);
      const q = compileQuery(parsed, scope, {
        perRow: true,
        broadWords: broadWords(db, parsed),
        deferTextChecks: defer,
      });
      return { q, ids: () => matchingIds(db, text, scope, null, { offset, limit }) };
    };
    // What a window was before: every condition checked on every file the driver holds, then sorted.
    const checkedFirst = (text: string, offset: number, limit: number, scope: Scope) => {
      const { q } = windowOf(text, offset, limit, false, scope);
      return db
        .prepare(`SELECT f.id FROM files f WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
        .pluck()
        .all(...q.whereParams, ...q.orderParams, limit, offset) as number[];
    };
    for (const scope of ['library', 'recordings'] as const) {
      readyScope(db, scope);
      for (const text of [...QUERIES, 'flac 1 ^2', 'ber ^99 rock'])
        for (const [offset, limit] of [
          [0, 100],
          [0, 3],
          [7, 5],
        ] as const)
          expect(
            windowOf(text, offset, limit, true, scope).ids(),
            `${text} @${offset}+${limit} (${scope})`,
          ).toEqual(checkedFirst(text, offset, limit, scope));
    }
    // In the recordings scope the copies' check is made in order too, on every condition of the query.
    expect(windowOf('flac 5', 0, 10, true, 'recordings').q.afterOrder?.where).toMatch(
      /copy_place[\s\S]*search_folded/,
    );
    // "flac 5": "flac" drives (nothing is broad in 1,000 files), "5" is too short for the index.
    const { q } = windowOf('flac 5', 0, 10, true);
    expect(q.afterOrder?.where).toMatch(/search_folded/);
    expect(q.where).not.toMatch(/search_folded/);
    const plan = (
      db
        .prepare(`EXPLAIN QUERY PLAN ${checkedInOrderSql(q)}`)
        .all(...q.whereParams, ...(q.afterOrder?.params ?? []), 10, 0) as Array<{ detail: string }>
    ).map((r) => r.detail);
    // The driver's files sorted once, in a co-routine; the text read for the sorted files as they come.
    expect(plan[0]).toBe('CO-ROUTINE f');
    expect(plan.filter((d) => /TEMP B-TREE/.test(d))).toHaveLength(1);
    expect(plan.slice(plan.indexOf('SCAN f')).join(' | ')).toMatch(/SEARCH search_folded/);
  });

  it('counts a query of broad or short words alone in one pass over the folded text, as the index counts', () => {
    // Files no list shows, and missing copies (of recordings with a present one, and of others).
    const was = db.prepare('SELECT id, status, error FROM files').all();
    db.exec(`UPDATE files SET status = 'error', error = 'unreadable' WHERE id % 17 = 0;
      UPDATE files SET status = 'missing' WHERE id % 11 = 0 AND status = 'ok'`);
    try {
      const counted = (text: string, scope: Scope) => {
        const q = compileQuery(libraryQuery(db, text), scope, { broadWords: words(text, false) });
        return db
          .prepare(`SELECT count(*) FROM files f WHERE ${q.where}`)
          .pluck()
          .get(...q.whereParams) as number;
      };
      for (const scope of ['library', 'recordings'] as const)
        for (const text of ['flac', 'FLAC ber', 'flac 5', 'ber rock', '5', 'a 1', 'flac 12']) {
          readyScope(db, scope);
          const scan = foldedTextCount(libraryQuery(db, text), scope, words(text, true));
          expect(scan, text).not.toBeNull();
          const n = db
            .prepare(scan!.sql)
            .pluck()
            .get(...scan!.params);
          expect(n, `${text} (${scope})`).toBe(counted(text, scope));
          expect(n, text).toBeGreaterThan(0);
          const plan = (
            db.prepare(`EXPLAIN QUERY PLAN ${scan!.sql}`).all(...scan!.params) as Array<{
              detail: string;
            }>
          ).map((r) => r.detail);
          expect(plan, text).toContain('SCAN s');
          expect(plan.join(' | '), text).not.toMatch(/SCAN (files|f)\b|VIRTUAL TABLE/);
        }
      // Some files are left out of the recordings' count, or the test would not tell the scopes apart.
      expect(counted('flac', 'recordings')).toBeLessThan(counted('flac', 'library'));
      // A rare word drives instead; a field, a negation, another group or scope: counted as they list.
      for (const [text, scope] of [
        ['flac falcon', 'library'],
        ['genre:rock flac', 'library'],
        ['flac ^jazz', 'library'],
        ['rock , jazz', 'library'],
        ['flac', 'errors'],
      ] as const)
        expect(
          foldedTextCount(libraryQuery(db, text), scope, new Set(['flac', 'rock', 'jazz'])),
          text,
        ).toBeNull();
    } finally {
      const back = db.prepare('UPDATE files SET status = @status, error = @error WHERE id = @id');
      db.transaction(() => {
        for (const row of was) back.run(row);
      })();
    }
  });
});

// Windows over a sorted query after edits: the order of the version before is patched (a few files taken
// out and put back where SQL's order places them), never sorted again whole, and it is the order a full
// sort gives — for sorts by a tag either way, the default order, and a query the edits move files into
// and out of.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { matchingIds } from '../../app/core/library/list.ts';
import { TrackWindows } from '../../app/core/library/track-window.ts';
import type { QuerySort } from '../../app/shared/query.ts';
import { prng } from '../fixtures/music.ts';
import { setField, syntheticDb } from '../fixtures/synthetic-library.ts';

const TRACKS = 3000;

describe('a sorted order after edits', () => {
  let db: Db;
  beforeAll(async () => {
    db = await syntheticDb(TRACKS);
  }, 120_000);
  afterAll(() => db?.close());

  const edit = (ids: readonly number[], key: string, value: string) => setField(db, ids, key, [value]);
  /** The whole order, as deep windows read it (past the rows read straight from SQL). */
  const whole = (w: TrackWindows, query: string, sort: QuerySort | null) =>
    w.window(query, sort, 0, TRACKS + 1).ids;

  const orders: Array<[string, QuerySort | null]> = [
    ['', { field: 'title', descending: false }],
    ['', { field: 'artist', descending: true }],
    ['', null],
    ['genre:Rock', { field: 'date', descending: false }],
  ];

  it('is patched for a few changed files, and is what sorting every file gives', () => {
    const windows = new TrackWindows(db);
    for (const [query, sort] of orders) whole(windows, query, sort);
    expect(windows.fullSorts).toBe(orders.length);
    const r = prng(3);
    // One track a round (an edit also changes what its album's tracks derive: a few files in all).
    const changes: Array<[string, (round: number) => string]> = [
      ['title', (round) => `${['Aa', 'Mm', 'Zz'][round % 3]} edited ${round}`],
      ['artist', (round) => `Artist ${round}`],
      ['genre', (round) => (round % 2 ? 'Rock' : 'Jazz')], // into the query's matches and out of them
      ['date', (round) => String(1950 + round)],
    ];
    for (let round = 0; round < 12; round++) {
      const [key, value] = changes[round % changes.length]!;
      edit([1 + Math.floor(r() * TRACKS)], key, value(round));
      for (const [query, sort] of orders)
        expect(whole(windows, query, sort), `${query} by ${JSON.stringify(sort)}, round ${round}`).toEqual(
          matchingIds(db, query, 'library', sort),
        );
    }
    expect(windows.fullSorts).toBe(orders.length);
  });

  it('finds a deep window of the whole library sorted by a tag in its index, sorting nothing whole', () => {
    const windows = new TrackWindows(db);
    for (const sort of [
      { field: 'title', descending: false },
      { field: 'album', descending: true },
    ]) {
      const all = matchingIds(db, '', 'recordings', sort);
      for (const offset of [1000, 1777, TRACKS - 100])
        expect(windows.window('', sort, offset, 100, 'recordings').ids, `${sort.field} @${offset}`).toEqual(
          all.slice(offset, offset + 100),
        );
    }
    expect(windows.fullSorts).toBe(0);
    // A window reaching past the last file is the whole order's end: that is sorted whole, once.
    windows.window('', orders[0]![1], TRACKS - 50, 100);
    expect(windows.fullSorts).toBe(1);
  });

  it('sorts again whole when more files changed than a patch takes', () => {
    const windows = new TrackWindows(db);
    const [query, sort] = orders[0]!;
    whole(windows, query, sort);
    edit(
      Array.from({ length: 40 }, (_, i) => 1 + i * 7),
      'title',
      'Many',
    );
    expect(whole(windows, query, sort)).toEqual(matchingIds(db, query, 'library', sort));
    expect(windows.fullSorts).toBe(2);
  });
});

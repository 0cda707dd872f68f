// beets' `added` and `mtime` in queries: when the library first found a file and its modification time,
// to the precision typed (a year, month, day or time, local time), a range of them, open on either side;
// and as sorts.
import { describe, expect, it } from 'vitest';
import { matchingIds } from '../../app/core/library/list.ts';
import { parseQuery } from '../../app/shared/query.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const at = (...p: [number, number, number, number?, number?]) =>
  new Date(p[0], p[1] - 1, p[2], p[3] ?? 0, p[4] ?? 0).getTime();

describe('file dates in queries', () => {
  it('parse to the span of local time typed', () => {
    const op = (q: string) => parseQuery(q).groups[0]![0]!.op;
    expect(op('added:2026')).toEqual({ kind: 'date', from: at(2026, 1, 1), below: at(2027, 1, 1) });
    expect(op('added:2026-11')).toEqual({ kind: 'date', from: at(2026, 11, 1), below: at(2026, 12, 1) });
    expect(op('mtime:2026-12-31')).toEqual({ kind: 'date', from: at(2026, 12, 31), below: at(2027, 1, 1) });
    expect(op('added:2026-11-05T14:30')).toEqual({
      kind: 'date',
      from: at(2026, 11, 5, 14, 30),
      below: at(2026, 11, 5, 14, 31),
    });
    // A range runs from the start of its first date to the end of its last.
    expect(op('mtime:2026-01..2026-06')).toEqual({
      kind: 'date',
      from: at(2026, 1, 1),
      below: at(2026, 7, 1),
    });
    expect(op('added:2026..')).toEqual({ kind: 'date', from: at(2026, 1, 1), below: null });
    expect(op('added:..2025')).toEqual({ kind: 'date', from: null, below: at(2026, 1, 1) });
    expect(op('added:')).toEqual({ kind: 'present' });
  });

  it.each([
    ['added:yesterday', /added is a date: write added:2026, added:2026-11/],
    ['added:2026-13', /added is a date/],
    ['mtime:2026-02-30', /mtime is a date/],
    ['added:-1w..', /added is a date/],
    ['added:..', /added is a date/],
    ['added:2026-06..2026-01', /2026-06\.\.2026-01 ends before it starts/],
  ])('refuses %s, saying how dates are written', (query, message) => {
    expect(() => parseQuery(query)).toThrow(message);
  });

  it('match the files found, or modified, then', () => {
    const { db, ids } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['A'] } },
      { path: '/music/b.flac', tags: { title: ['B'] } },
      { path: '/music/c.flac', tags: { title: ['C'] } },
    ]);
    const [a, b, c] = ids;
    const set = db.prepare('UPDATE files SET added_at = ?, mtime_ms = ? WHERE id = ?');
    set.run(at(2025, 12, 31, 23, 59), at(2019, 5, 1) + 0.5, a);
    set.run(at(2026, 1, 1), at(2020, 7, 14), b);
    set.run(at(2026, 11, 5, 14, 30), at(2026, 11, 1), c);
    const find = (q: string) => matchingIds(db, q);
    expect(find('added:2026')).toEqual([b, c]);
    expect(find('added:2025-12')).toEqual([a]);
    expect(find('added:2026-11-05')).toEqual([c]);
    expect(find('added:..2026-01-01')).toEqual([a, b]);
    expect(find('mtime:2019..2020-07')).toEqual([a, b]);
    expect(find('^mtime:2026')).toEqual([a, b]);
    expect(find('added:')).toEqual([a, b, c]);
    expect(find('added-')).toEqual([c, b, a]);
    expect(find('mtime+')).toEqual([a, b, c]);
    // A near miss of either is still an unknown field, with the suggestion.
    expect(() => find('addde:2026')).toThrow(/unknown field "addde": did you mean added\?/);
    db.close();
  });
});

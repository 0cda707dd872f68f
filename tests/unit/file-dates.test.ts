// beets' `added` and `mtime` in queries: when the library first found a file and its modification time,
// to the precision typed (a year, month, day or time, local time), a range of them, open on either side;
// and as sorts.
import { describe, expect, it, vi } from 'vitest';
import { matchingIds } from '../../app/core/library/list.ts';
import { TrackWindows } from '../../app/core/library/track-window.ts';
import { parseQuery } from '../../app/shared/query.ts';
import { queryKey, readsClock } from '../../app/shared/query-clock.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const DAY = 86_400_000;
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

  it('parse a date from now as beets does: d, w, m (30 days) or y (365 days), no sign the future', () => {
    const now = at(2026, 12, 5, 12);
    const op = (q: string) => parseQuery(q, now).groups[0]![0]!.op;
    expect(op('added:-1w..')).toEqual({ kind: 'date', from: now - 7 * DAY, below: null, relative: true });
    // An end is the second it names (beets' precision of a relative date), through its end.
    expect(op('added:..-2d')).toEqual({
      kind: 'date',
      from: null,
      below: now - 2 * DAY + 1000,
      relative: true,
    });
    expect(op('mtime:-1y..-1m')).toEqual({
      kind: 'date',
      from: now - 365 * DAY,
      below: now - 30 * DAY + 1000,
      relative: true,
    });
    expect(op('added:2026-01..+3d')).toEqual({
      kind: 'date',
      from: at(2026, 1, 1),
      below: now + 3 * DAY + 1000,
      relative: true,
    });
    expect(readsClock(parseQuery('added:-1w..', now))).toBe(true);
    expect(readsClock(parseQuery('added:2026.. title:-1w', now))).toBe(false);
  });

  it("keep a result of a query from now for its minute only (the app's caches, the mount's playlists)", () => {
    const now = at(2026, 12, 5, 12, 30);
    expect(queryKey('added:-1w..', now)).toBe(queryKey('added:-1w..', now + 59_999));
    expect(queryKey('added:-1w..', now)).not.toBe(queryKey('added:-1w..', now + 60_000));
    expect(queryKey('added:2026.. title:x', now)).toBe('added:2026.. title:x');
    expect(queryKey('added:-1x..', now)).toBe('added:-1x..');
  });

  it("are counted again as time passes, the library unchanged (the app's cached windows and counts)", () => {
    const { db, ids } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'] } }]);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = at(2026, 12, 5, 12);
      vi.setSystemTime(start);
      db.prepare('UPDATE files SET added_at = ? WHERE id = ?').run(start - 7 * DAY + 90_000, ids[0]);
      const windows = new TrackWindows(db);
      expect([windows.count('added:-1w..'), windows.window('added:-1w..', null, 0, 10).ids]).toEqual([
        1,
        ids,
      ]);
      vi.setSystemTime(start + 30_000); // the same minute: as counted
      expect(windows.count('added:-1w..')).toBe(1);
      vi.setSystemTime(start + 120_000); // the file is now older than a week
      expect([windows.count('added:-1w..'), windows.window('added:-1w..', null, 0, 10)]).toEqual([
        0,
        { total: 0, ids: [] },
      ]);
    } finally {
      vi.useRealTimers();
      db.close();
    }
  });

  it.each([
    ['added:yesterday', /added is a date: write added:2026, added:2026-11/],
    ['added:2026-13', /added is a date/],
    ['mtime:2026-02-30', /mtime is a date/],
    ['added:2026-01-01x12', /added is a date/],
    ['added:-1x..', /or one from now, added:-2w\.\. \(d, w, m or y: days, weeks, months of 30 days/],
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
    set.run(Date.now() - 10 * DAY, 0, a);
    set.run(Date.now() - 3 * DAY, 0, b);
    expect(find('added:-1w..')).toEqual([b]);
    expect(find('added:-2w..-1w')).toEqual([a]);
    expect(find('^added:-1w..')).toEqual([a, c]);
    expect(find('mtime+')).toEqual([a, b, c]);
    // A near miss of either is still an unknown field, with the suggestion.
    expect(() => find('addde:2026')).toThrow(/unknown field "addde": did you mean added\?/);
    db.close();
  });
});

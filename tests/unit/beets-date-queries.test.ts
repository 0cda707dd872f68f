// beets' date queries, as beets' own tests expect them (test/dbcore/test_datequery.py of beetbox/beets at
// 07f39c5): each interval's pattern against the instants it must and must not hold, relative dates from
// now, a range given back to front read forward, the separators of a time, and the patterns refused. Times
// are local, as beets' are. Not here: beets' own objects (DateInterval, Period), whose results these are.
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/shared/query.ts';

/** A local time written as ISO 8601 without a zone (years below 100 too), in ms. */
function local(iso: string): number {
  const [day, time = '00:00:00'] = iso.split('T') as [string, string?];
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number];
  const at = new Date(2000, mo - 1, d, h, mi, Math.floor(s));
  at.setFullYear(y);
  return at.getTime();
}

/** Whether `added:pattern`, read at `now`, holds the instant `at`. */
function holds(pattern: string, at: number, now = NOW): boolean {
  const op = parseQuery(`added:${pattern}`, now).groups[0]![0]!.op;
  if (op.kind === 'present') return true;
  if (op.kind !== 'date') throw new Error(`${pattern} is no date: ${op.kind}`);
  return (op.from === null || at >= op.from) && (op.below === null || at < op.below);
}

// test_datequery.py's `now`: the minute it runs in.
const NOW = local('2026-12-05T12:30:00');
const now = '2026-12-05T12:30:00';

describe("beets' date intervals (TestDateInterval.test_intervals)", () => {
  it.each([
    // year precision
    ['2000..2001', '2000-01-01T00:00:00', true],
    ['2000..2001', '2001-06-20T14:15:16', true],
    ['2000..2001', '2001-12-31T23:59:59', true],
    ['2000..2001', '1999-12-31T23:59:59', false],
    ['2000..2001', '2002-01-01T00:00:00', false],
    ['2000..', '2000-01-01T00:00:00', true],
    ['2000..', '2099-10-11T00:00:00', true],
    ['2000..', '1999-12-31T23:59:59', false],
    ['..2001', '2001-12-31T23:59:59', true],
    ['..2001', '2002-01-01T00:00:00', false],
    ['-1d..1d', now, true],
    ['-2d..-1d', now, false],
    // month precision
    ['2000-06-20..2000-06-20', '2000-06-20T00:00:00', true],
    ['2000-06-20..2000-06-20', '2000-06-20T10:20:30', true],
    ['2000-06-20..2000-06-20', '2000-06-20T23:59:59', true],
    ['2000-06-20..2000-06-20', '2000-06-19T23:59:59', false],
    ['2000-06-20..2000-06-20', '2000-06-21T00:00:00', false],
    // day precision
    ['1999-12..2000-02', '1999-12-01T00:00:00', true],
    ['1999-12..2000-02', '2000-02-15T05:06:07', true],
    ['1999-12..2000-02', '2000-02-29T23:59:59', true],
    ['1999-12..2000-02', '1999-11-30T23:59:59', false],
    ['1999-12..2000-02', '2000-03-01T00:00:00', false],
    // hour precision with 'T' separator
    ['2000-01-01T12..2000-01-01T13', '2000-01-01T11:59:59', false],
    ['2000-01-01T12..2000-01-01T13', '2000-01-01T12:00:00', true],
    ['2000-01-01T12..2000-01-01T13', '2000-01-01T12:30:00', true],
    ['2000-01-01T12..2000-01-01T13', '2000-01-01T13:30:00', true],
    ['2000-01-01T12..2000-01-01T13', '2000-01-01T13:59:59', true],
    ['2000-01-01T12..2000-01-01T13', '2000-01-01T14:00:00', false],
    ['2000-01-01T12..2000-01-01T13', '2000-01-01T14:30:00', false],
    // hour precision non-range query
    ['2008-12-01T22', '2008-12-01T22:30:00', true],
    ['2008-12-01T22', '2008-12-01T23:30:00', false],
    // minute precision
    ['2000-01-01T12:30..2000-01-01T12:31', '2000-01-01T12:29:59', false],
    ['2000-01-01T12:30..2000-01-01T12:31', '2000-01-01T12:30:00', true],
    ['2000-01-01T12:30..2000-01-01T12:31', '2000-01-01T12:30:30', true],
    ['2000-01-01T12:30..2000-01-01T12:31', '2000-01-01T12:31:59', true],
    ['2000-01-01T12:30..2000-01-01T12:31', '2000-01-01T12:32:00', false],
    // second precision
    ['2000-01-01T12:30:50..2000-01-01T12:30:55', '2000-01-01T12:30:49', false],
    ['2000-01-01T12:30:50..2000-01-01T12:30:55', '2000-01-01T12:30:50', true],
    ['2000-01-01T12:30:50..2000-01-01T12:30:55', '2000-01-01T12:30:55', true],
    ['2000-01-01T12:30:50..2000-01-01T12:30:55', '2000-01-01T12:30:56', false],
    // unbounded
    ['..', '9999-12-31T23:59:59', true],
    ['..', '0001-01-01T00:00:00', true],
    ['..', '1000-01-01T00:00:00', true],
  ] as const)('%s holds %s: %s', (pattern, at, include) => {
    expect(holds(pattern, local(at))).toBe(include);
  });

  it.each([
    ['2001..2000', '2000..2001'],
    ['2000-02..1999-12', '1999-12..2000-02'],
    ['2000-01-01T13..2000-01-01T12', '2000-01-01T12..2000-01-01T13'],
    ['2001..2000-06', '2000-06..2001'],
  ])('reads %s, given back to front, as %s (test_reversed_interval_is_normalised)', (reversed, forward) => {
    expect(parseQuery(`added:${reversed}`)).toEqual(parseQuery(`added:${forward}`));
  });
});

describe("beets' dates from now (DateQueryTestRelativeMore)", () => {
  // The item was added in the minute the test runs.
  const added = NOW;
  it.each(['d', 'w', 'm', 'y'])('%s', (unit) => {
    expect(holds(`-4${unit}..+4${unit}`, added)).toBe(true);
    expect(holds(`-2${unit}..-1${unit}`, added)).toBe(false);
    expect(holds(`-4${unit}..`, added)).toBe(true);
    expect(holds(`4${unit}..`, added)).toBe(false);
    expect(holds(`..+4${unit}`, added)).toBe(true);
    expect(holds(`..-4${unit}`, added)).toBe(false);
    expect(holds(`+4${unit}..-4${unit}`, added)).toBe(true); // read forward
  });
});

describe("beets' dates of an item added 2013-03-30 22:21 (DateQueryTest, DateQueryTestRelative)", () => {
  it('matches its month and day, and not the next; a range back to front as forward', () => {
    const added = local('2013-03-30T22:21:00');
    expect(
      ['2013-03', '2013-04', '2013-03-30', '2013-03-31', '2014..2013', '2012..2011'].map((p) =>
        holds(p, added),
      ),
    ).toEqual([true, false, true, false, true, false]);
    // Near a month's and a year's end (the relative test's 2017-12-31 22:55).
    const late = local('2017-12-31T22:55:00');
    expect(['2017-12', '2018-01', '2017-12-31', '2018-01-01'].map((p) => holds(p, late))).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});

describe("beets' date patterns (DateQueryConstructTest)", () => {
  it.each([
    '1409830085..1412422089',
    '12-34-56-78',
    '2001-01-0a',
    '2001-0a',
    '200a',
    '2001-01-01..2001-01-0a',
    '2001-0a..2001-01',
    '200a..2002',
    '20aa..',
    '..2aa',
    '2000|2001',
    '1|',
    '5|3d',
    '2000-01-01x12',
  ])('refuses %s', (pattern) => {
    expect(() => parseQuery(`added:${pattern}`)).toThrow(/added is a date/);
  });

  it('reads a range back to front forward: 2024..2020 from 2020 to the end of 2024', () => {
    expect(parseQuery('added:2024..2020').groups[0]![0]!.op).toEqual({
      kind: 'date',
      from: local('2020-01-01T00:00:00'),
      below: local('2025-01-01T00:00:00'),
    });
  });

  it.each(['added:2000-01-01T12', 'added:2000-01-01t12', 'added:"2000-01-01 12"'])(
    'reads %s as the hour from 12:00',
    (query) => {
      expect(parseQuery(query).groups[0]![0]!.op).toEqual({
        kind: 'date',
        from: local('2000-01-01T12:00:00'),
        below: local('2000-01-01T13:00:00'),
      });
    },
  );
});

import { describe, expect, test } from 'vitest';
import { FilterError, whereFilter } from '../../../app/core/similar/where-filter.ts';
import { parseQuery } from '../../../app/shared/query.ts';

const where = (q: string) => whereFilter(parseQuery(q));

describe('--where → LanceDB condition', () => {
  test('field terms on the stored columns', () => {
    expect(where('genre:Jazz')).toBe("contains(genre, 'jazz')");
    expect(where('artist:="Miles Davis"')).toBe("array_has(string_to_array(artist, chr(10)), 'miles davis')");
    expect(where('album:/^kind of/i')).toBe("regexp_like(album, '(?mi)^kind of')");
    // Stored values are folded, so every match is case-insensitive.
    expect(where('album:/^Kind/')).toBe("regexp_like(album, '(?mi)^Kind')");
    expect(where('year:1955..1965 duration:..300')).toBe(
      '(year >= 1955 AND year <= 1965) AND (duration <= 300)',
    );
    expect(where('genre:')).toBe("genre != ''");
    expect(where('year:1959')).toBe('(year >= 1959 AND year < 1960)');
  });

  test('negation keeps tracks without the field', () => {
    expect(where('^year:1990..')).toBe('NOT coalesce((year >= 1990), false)');
    expect(where('^genre:rock')).toBe("NOT coalesce(contains(genre, 'rock'), false)");
  });

  test('a bare word looks in every text column; quotes are escaped', () => {
    expect(where('"rock\'n\'roll"')).toBe(
      `(${['title', 'artist', 'albumartist', 'album', 'genre', 'format'].map((c) => `contains(${c}, 'rock''n''roll')`).join(' OR ')})`,
    );
  });

  test('what the table cannot answer is a clear error', () => {
    expect(() => where('path:foo')).toThrow(FilterError);
    expect(() => where('path:foo')).toThrow(/--where can filter on title, artist, .*; not on path/);
    expect(() => where('genre:1..2')).toThrow(/genre is text/);
    expect(() => where('year:/19/')).toThrow(/year is a number: use a range/);
    expect(() => where('year:nineteen')).toThrow(/year is a number/);
    expect(() => where('year+')).toThrow(/cannot sort/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseQuery, QuerySyntaxError } from '../../app/shared/query.ts';

describe('parseQuery', () => {
  it('parses bare words as any-field substring terms', () => {
    expect(parseQuery('love  song')).toEqual({
      groups: [
        [
          { field: null, negate: false, op: { kind: 'contains', value: 'love' } },
          { field: null, negate: false, op: { kind: 'contains', value: 'song' } },
        ],
      ],
      sorts: [],
    });
  });

  it('parses field terms: contains, exact, regex, present, lower-casing the field', () => {
    const q = parseQuery('Artist:beat album:=Help! title:/^Yes.*day$/i genre:');
    expect(q.groups[0]!).toEqual([
      { field: 'artist', negate: false, op: { kind: 'contains', value: 'beat' } },
      { field: 'album', negate: false, op: { kind: 'exact', value: 'Help!' } },
      { field: 'title', negate: false, op: { kind: 'regex', source: '^Yes.*day$', flags: 'i' } },
      { field: 'genre', negate: false, op: { kind: 'present' } },
    ]);
  });

  it('reads several values as the table shows them ("Rock; Indie") as each contained', () => {
    const contains = (value: string) => ({ kind: 'contains', value });
    expect(parseQuery('genre:"Rock; Indie" "Ada North; Mira"').groups[0]!).toEqual([
      { field: 'genre', negate: false, op: contains('Rock') },
      { field: 'genre', negate: false, op: contains('Indie') },
      { field: null, negate: false, op: contains('Ada North') },
      { field: null, negate: false, op: contains('Mira') },
    ]);
    // Where parts would narrow it, whole: an exact value, a negation; a lone separator is text.
    expect(parseQuery('genre:="Rock; Indie" ^genre:"Rock; Indie" "; "').groups[0]!.map((t) => t.op)).toEqual([
      { kind: 'exact', value: 'Rock; Indie' },
      contains('Rock; Indie'),
      contains('; '),
    ]);
  });

  it('parses numeric ranges, open on either side', () => {
    expect(parseQuery('year:1990..1999 bpm:120.. duration:..60.5').groups[0]!.map((t) => t.op)).toEqual([
      { kind: 'range', min: 1990, max: 1999 },
      { kind: 'range', min: 120, max: null },
      { kind: 'range', min: null, max: 60.5 },
    ]);
  });

  it('treats non-numeric ranges and bare ranges as text', () => {
    expect(parseQuery('title:a..b').groups[0]![0]!.op).toEqual({ kind: 'contains', value: 'a..b' });
    expect(parseQuery('1990..1999').groups[0]![0]!.op).toEqual({ kind: 'contains', value: '1990..1999' });
  });

  it('negates with ^ and sorts with field+ / field-', () => {
    const q = parseQuery('^genre:pop ^live year- Title+');
    expect(q.groups[0]!).toEqual([
      { field: 'genre', negate: true, op: { kind: 'contains', value: 'pop' } },
      { field: null, negate: true, op: { kind: 'contains', value: 'live' } },
    ]);
    expect(q.sorts).toEqual([
      { field: 'year', descending: true },
      { field: 'title', descending: false },
    ]);
  });

  it("negates with beets' dash too, never a quoted dash or a dash alone", () => {
    expect(parseQuery('-genre:pop -artist:"pink floyd" -live "-x:y" - genre-').groups[0]).toEqual([
      { field: 'genre', negate: true, op: { kind: 'contains', value: 'pop' } },
      { field: 'artist', negate: true, op: { kind: 'contains', value: 'pink floyd' } },
      { field: null, negate: true, op: { kind: 'contains', value: 'live' } },
      { field: null, negate: false, op: { kind: 'contains', value: '-x:y' } },
      { field: null, negate: false, op: { kind: 'contains', value: '-' } },
    ]);
  });

  it("reads beets' escaped colon as the word's (test_queryparse.py: test_escaped_colon)", () => {
    expect(parseQuery('test\\:val title:a\\:b album:=c\\:d "e\\:f"').groups[0]).toEqual([
      { field: null, negate: false, op: { kind: 'contains', value: 'test:val' } },
      { field: 'title', negate: false, op: { kind: 'contains', value: 'a:b' } },
      { field: 'album', negate: false, op: { kind: 'exact', value: 'c:d' } },
      { field: null, negate: false, op: { kind: 'contains', value: 'e\\:f' } },
    ]);
    expect(parseQuery(':test\\:regexp').groups[0]![0]!.op).toEqual({
      kind: 'regex',
      source: 'test\\:regexp',
      flags: '',
    });
  });

  it("reads beets' singleton:true as a track on no album, singleton:false as one on an album", () => {
    const album = (negate: boolean) => ({ field: 'album', negate, op: { kind: 'present' } });
    expect(parseQuery('singleton:true singleton:0 ^singleton:yes -singleton:false').groups[0]).toEqual([
      album(true),
      album(false),
      album(false),
      album(true),
    ]);
    expect(() => parseQuery('singleton:maybe')).toThrow(/singleton is true \(a track on no album\)/);
  });

  it('groups quoted values, including spaces, and never reads a quoted token as a sort', () => {
    const q = parseQuery(`artist:"pink floyd" 'dark side' "c+"`);
    expect(q.groups[0]!.map((t) => [t.field, t.op])).toEqual([
      ['artist', { kind: 'contains', value: 'pink floyd' }],
      [null, { kind: 'contains', value: 'dark side' }],
      [null, { kind: 'contains', value: 'c+' }],
    ]);
    expect(q.sorts).toEqual([]);
  });

  it("reads an apostrophe inside a word as the word's, a quote where a value begins", () => {
    const words = (query: string) => parseQuery(query).groups[0]!.map((t) => [t.field, t.op]);
    expect(words("l'hymne don't Guns N' Roses")).toEqual(
      ["l'hymne", "don't", 'Guns', "N'", 'Roses'].map((w) => [null, { kind: 'contains', value: w }]),
    );
    expect(words("title:'the end' ^'live at'")).toEqual([
      ['title', { kind: 'contains', value: 'the end' }],
      [null, { kind: 'contains', value: 'live at' }],
    ]);
    expect(() => parseQuery("title:'open")).toThrow("unclosed ' quote");
  });

  it('keeps spaces inside a regular expression', () => {
    expect(parseQuery('title:/a b/ x').groups[0]!.map((t) => t.op)).toEqual([
      { kind: 'regex', source: 'a b', flags: '' },
      { kind: 'contains', value: 'x' },
    ]);
  });

  it.each([
    ['artist:"open', 'unclosed " quote', 7],
    ['title:/abc', 'unclosed regular expression', 6],
    ['title:/a(/', 'invalid regular expression', 6],
    ['title:/a/x', 'flags i, m, s or u', 6],
    ['path:/tmp/music/A', 'quote it: path:"/tmp/music/A"', 5],
    [
      '^path:/tmp x',
      'unclosed regular expression; to match text that begins with "/", quote it: ^path:"/tmp"',
      6,
    ],
    ['foo ^', '^ must be followed by a term', 4],
    ['title:a\u0000b', 'control characters (U+0000)', 7],
    ['x\u001b[31m', 'control characters (U+001B)', 1],
  ])('reports %s as a syntax error with its position', (input, message, position) => {
    let error: unknown;
    try {
      parseQuery(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect((error as QuerySyntaxError).message).toContain(message);
    expect((error as QuerySyntaxError).position).toBe(position);
  });

  it('reads numbers for numeric fields to the precision typed, and quoted values as literal text', () => {
    expect(parseQuery('id:1 duration:2.5 year:1999').groups[0]!.map((t) => t.op)).toEqual([
      { kind: 'number', from: 1, below: 2 },
      { kind: 'number', from: 2.5, below: 2.6 },
      { kind: 'number', from: 1999, below: 2000 },
    ]);
    expect(parseQuery('title:1').groups[0]![0]!.op).toEqual({ kind: 'contains', value: '1' });
    expect(parseQuery('path:"/music/a b"').groups[0]![0]!.op).toEqual({
      kind: 'contains',
      value: '/music/a b',
    });
    expect(() => parseQuery('tracknumber:two')).toThrow(/tracknumber is a number/);
  });

  it("reads beets' names of fields as Sleeve's, in terms and sorts", () => {
    const q = parseQuery('track:7 Comp:1 mb_albumid:x albumtype:live disc- length+');
    expect(q.groups[0]!.map((t) => t.field)).toEqual([
      'tracknumber',
      'compilation',
      'musicbrainz_albumid',
      'releasetype',
    ]);
    expect(q.sorts.map((s) => s.field)).toEqual(['discnumber', 'duration']);
  });

  it("reads a duration typed as a player shows it, M:SS or H:MM:SS (beets' length:..4:30), in seconds", () => {
    const ops = parseQuery('length:3:00..4:30 duration:4:30 length:1:02:03.. length:..90').groups[0]!;
    expect(ops.map((t) => [t.field, t.op])).toEqual([
      ['duration', { kind: 'range', min: 180, max: 270 }],
      ['duration', { kind: 'number', from: 270, below: 271 }],
      ['duration', { kind: 'range', min: 3723, max: null }],
      ['duration', { kind: 'range', min: null, max: 90 }],
    ]);
    // Not a time (seconds past 59, one digit of them): said as a duration's error, with a time's example.
    expect(() => parseQuery('length:4:75')).toThrow('duration is a number of seconds, or a time as 4:30');
    expect(() => parseQuery('length:4:3')).toThrow('duration is a number of seconds, or a time as 4:30');
    expect(() => parseQuery('length:a..4:30')).toThrow(
      '"a..4:30" is not a range of numbers: write duration:3:00..4:30, duration:3:00..',
    );
    expect(parseQuery('length:=4:30 length::^4').groups[0]!.map((t) => t.op.kind)).toEqual([
      'exact',
      'regex',
    ]);
    // A time in another field is not a number of seconds.
    expect(() => parseQuery('bpm:1:30')).toThrow(/bpm is a number: write/);
  });
});

describe('alternatives and the errors a user makes', () => {
  it('splits on a standalone comma or OR (beets’ alternatives), each side a query of its own', () => {
    const q = parseQuery('artist:ada year:1999 , artist:mira OR genre:jazz title+');
    expect(q.groups.map((g) => g.map((t) => t.field))).toEqual([['artist', 'year'], ['artist'], ['genre']]);
    expect(q.sorts).toEqual([{ field: 'title', descending: false }]);
    // Quoted, or in lower case, they are words to find.
    expect(parseQuery('"OR" or ","').groups).toHaveLength(1);
    expect(parseQuery('title:a,b').groups).toHaveLength(1);
    // A comma closing a word separates too, as beets reads "a, b"; quoted, it is text.
    const closing = parseQuery('genre:chanson, genre:rock year:1999');
    expect(closing.groups.map((g) => g.map((t) => [t.field, t.op]))).toEqual([
      [['genre', { kind: 'contains', value: 'chanson' }]],
      [
        ['genre', { kind: 'contains', value: 'rock' }],
        ['year', expect.objectContaining({ kind: 'number' })],
      ],
    ]);
    expect(parseQuery('artist:"crosby," stills').groups).toHaveLength(1);
    expect(parseQuery('artist:crosby"," stills').groups[0]![0]!.op).toEqual({
      kind: 'contains',
      value: 'crosby,',
    });
  });

  it('says where an alternative is missing its other side', () => {
    for (const [text, column] of [
      ['OR x', 1],
      ['x ,', 3],
      ['x , , y', 5],
      ['genre:chanson,', 14],
    ] as const) {
      const err = (() => {
        try {
          parseQuery(text);
        } catch (e) {
          return e as QuerySyntaxError;
        }
      })();
      expect(err?.message).toMatch(/needs a query on each side/);
      expect(err?.position).toBe(column - 1);
    }
  });

  it('explains comparison operators and malformed ranges on numbers, with their position', () => {
    expect(() => parseQuery('bitrate:>300')).toThrow(
      '">" is not an operator here: at least 300 is written bitrate:300.. (a range includes its ends) (at column 9)',
    );
    expect(() => parseQuery('year:<=1999')).toThrow(/at most 1999 is written year:\.\.1999/);
    expect(() => parseQuery('x year:abc..def')).toThrow(
      '"abc..def" is not a range of numbers: write year:1990..1999, year:1990.. or year:..1999 (at column 8)',
    );
  });
});

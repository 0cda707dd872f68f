// beets' query language, as beets' own tests expect it (test/dbcore/test_query.py of beetbox/beets at
// 07f39c5: TestGet's library, its queries and their titles, and its negations), over the same three items
// as tags. Where Sleeve reads otherwise by design, the case says what it gives instead:
// - a free word or `:regex` looks in every tag and the path below the library folder, where beets looks
//   in a few fields (the third's artists hold "one": `:one` and `oNE` find it too);
// - a field no file has and Sleeve does not know is an error, not an empty list (`xyzzy:nonsense`);
// - a singleton is a track whose album is not named (beets: one not added as an album's, whatever its
//   album field says): the third has no album here;
// - `=rock` (exact, in any field) names no field: Sleeve asks for one. beets 2's list fields are read as
//   Picard's (`genres` as `genre`, `composers` as `composer`), `artists` is Sleeve's own.
import { describe, expect, it } from 'vitest';
import { matchingIds } from '../../app/core/library/list.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const TITLES = ['first', 'second', 'third'];

describe("beets' queries (TestGet)", () => {
  const { db, ids } = taggedLibrary([
    {
      path: '/music/1.flac',
      tags: {
        title: ['first'],
        artist: ['one'],
        artists: ['one', 'eleven'],
        album: ['baz'],
        date: ['2001'],
        compilation: ['1'],
        genre: ['rock'],
        composer: ['composer'],
      },
    },
    {
      path: '/music/2.flac',
      tags: {
        title: ['second'],
        artist: ['two'],
        artists: ['two', 'twelve'],
        album: ['baz'],
        date: ['2002'],
        compilation: ['1'],
        genre: ['Rock'],
      },
    },
    {
      path: '/music/3.flac',
      tags: {
        title: ['third'],
        artist: ['three'],
        artists: ['three', 'one'],
        date: ['2003'],
        compilation: ['0'],
        genre: ['Hard Rock'],
        comment: ['caf\u00e9'],
        Flex_Attr: ['flex'],
      },
    },
  ]);
  const titles = (q: string) => matchingIds(db, q).map((id) => TITLES[ids.indexOf(id)]);

  it.each([
    ['', TITLES],
    [':oNE', []],
    [':one', ['first', 'third']], // beets: first (its artists are no search field)
    [':sec :ond', ['second']],
    [':second', ['second']],
    [':t$', ['first']],
    ['oNE', ['first', 'third']], // beets: first
    ['baz', ['first', 'second']],
    ['sec ond', ['second']],
    ['three', ['third']],
    ['artist::t.+r', ['third']],
    ['artist:thrEE', ['third']],
    ['artists::eleven', ['first']],
    ['artists::one', ['first', 'third']],
    ['ArTiST:three', ['third']],
    ['comments:caf\u00e9', ['third']],
    ['comp:true', ['first', 'second']],
    ['comp:false', ['third']],
    ['flex_attr:flex', ['third']],
    ['Flex_Attr:flex', ['third']],
    ['genres:=rock', ['first']],
    ['genres:=Rock', ['second']],
    ['genres:="Hard Rock"', ['third']],
    ['genres:=~"hard rock"', ['third']],
    ['genres:=~rock', ['first', 'second']],
    ['genres:="hard rock"', []],
    ['genres:=~"rock.*"', []],
    ['popebear', []],
    ['singleton:true', ['third']],
    ['singleton:1', ['third']],
    ['singleton:false', ['first', 'second']],
    ['singleton:0', ['first', 'second']],
    ['title:ond', ['second']],
    ['title::sec', ['second']],
    ['year:2001', ['first']],
    ['year:2000..2002', ['first', 'second']],
  ])('%s', (q, expected) => {
    expect(titles(q)).toEqual(expected);
  });

  it.each([
    ['-artist::t.+r', ['first', 'second']],
    ['-:t$', ['second', 'third']],
    ['sec -bar', ['second']],
    ['sec -title:bar', ['second']],
    ['-ond', ['first', 'third']],
    ['^ond', ['first', 'third']],
    ['^title:sec', ['first', 'third']],
    ['-title:sec', ['first', 'third']],
  ])('negates %s (test_negation_prefix)', (q, expected) => {
    expect(titles(q)).toEqual(expected);
  });

  it.each(['genres::rock', 'genre::rock', 'composers::composer', 'composer::composer'])(
    'reads a list field by either of beets 2 names: %s (test_legacy_field)',
    (q) => {
      expect(titles(q)).toEqual(['first']);
    },
  );

  it('says a field no file has and Sleeve does not know is unknown (beets: no match)', () => {
    expect(() => titles('xyzzy:nonsense')).toThrow(/unknown field "xyzzy"/);
    expect(() => titles('pope:bear')).toThrow(/unknown field "pope"/);
    expect(() => titles('=rock')).toThrow(/an exact match names its field: write title:=rock/);
    expect(() => titles('=~"hard rock"')).toThrow(/an exact match names its field/);
  });
});

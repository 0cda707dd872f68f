// beets' path functions, against beets' own expectations (test/test_library.py, TestDestinationFunction):
// each case's format rendered over the item its tests make (title "the title", artist "the artist", album
// "the album"), with the fields a case sets. Not here: %asciify (needs unidecode's tables), %aunique,
// %sunique and %time (docs/guide/cli-and-queries.md says so), and beets' leaving an unknown function as
// text (Sleeve says it is unknown).
import { describe, expect, it } from 'vitest';
import { checkedPathTemplate } from '../../app/core/library/checked-template.ts';
import { PathTemplate } from '../../app/core/served/path-template.ts';
import { Template } from '../../app/shared/template.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const ITEM = { title: 'the title', artist: 'the artist', album: 'the album' };

const CASES: Array<[format: string, expected: string, extra?: Record<string, string>]> = [
  ['%upper{foo}', 'FOO'],
  ['%upper{$title}', 'THE TITLE'],
  ['%capitalize{$title}', 'The title'],
  ['%title{$title}', 'The Title'],
  ["%title{I can't}", "I Can't"],
  ['%left{$title, 3}', 'the'],
  ['%right{$title,3}', 'tle'],
  ['x%if{,foo}', 'x'],
  ['x%if{false,foo}', 'x'],
  ['%if{bar,foo}', 'foo'],
  ['%if{,foo,baz}', 'baz'],
  ['%if{false,foo,baz}', 'baz'],
  ['%if{0,foo,baz}', 'baz'],
  ['%ifdef{bar}', '3', { bar: '3' }],
  [' %ifdef{bar}/$artist', ' /the artist'],
  ['$artist/%ifdef{bar}', 'the artist/'],
  ['%ifdef{artist,cool}', 'cool'],
  ['%ifdef{series,$series Series,Albums}/$album', 'Now Series/the album', { series: 'Now' }],
  ['%ifdef{plays,$plays,not_played}', 'not_played'],
];

describe("beets' path functions, as beets' tests expect them", () => {
  it.each(CASES)('%s', (format, expected, extra = {}) => {
    const fields: Record<string, string> = { ...ITEM, ...extra };
    expect(new Template(format).render((name) => fields[name.toLowerCase()] ?? '')).toBe(expected);
  });

  it('reads the fields %ifdef asks about for a mount path, and takes one no track has', () => {
    const source = '%ifdef{series,$series/}$album/$title';
    expect(new PathTemplate(source).tagKeys()).toContain('series');
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['a'], album: ['b'] } }]);
    expect(checkedPathTemplate(db, source).source).toBe(source);
    expect(() => checkedPathTemplate(db, '$series/$title')).toThrow(/unknown field \$series/);
  });
});

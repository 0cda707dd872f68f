// beets' path functions, against beets' own expectations (test/test_library.py, TestDestinationFunction):
// each case's format rendered over the item its tests make (title "the title", artist "the artist", album
// "the album"), with the fields a case sets; %asciify against what Python's unidecode (beets') makes of
// the same text. Not here: beets' leaving an unknown function as text (Sleeve says it is unknown); the
// expectations of %aunique and %sunique are in album-years.test.ts, as the library derives what they show
// (their arguments here), %time's in beets-time.test.ts.
import { describe, expect, it } from 'vitest';
import { checkedPathTemplate } from '../../app/core/library/checked-template.ts';
import { RENDER_HELPERS } from '../../app/core/served/asciify.ts';
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

  it("transliterates with %asciify as beets' unidecode does, keeping the path's folders", () => {
    // Python's unidecode, beets' own: Motorhead/AEro, Ellada, Del'fin, Dong Jing Shi Bian , ss, ---...
    const fields: Record<string, string> = {
      artist: 'Motörhead/Ærø',
      album: 'Ελλάδα Дельфин',
      title: '東京事変 ß –—…',
    };
    const render = (format: string) =>
      new Template(format).render((name) => fields[name] ?? '', ', ', RENDER_HELPERS);
    expect(render('%asciify{$artist/$album}')).toBe("Motorhead/AEro/Ellada Del'fin");
    expect(render('%asciify{$title}')).toBe('Dong Jing Shi Bian  ss ---...');
    // Where a symbol's ASCII holds a "/", beets' path_sep_replace: "_" (Python's newer tables say " 1/2").
    expect(render('%asciify{a½b}')).toBe('a1_2b');
    // Two characters that look like one in UTF-8 (the package reads bytes), a styled letter, an emoji.
    expect(render('%asciify{É« 𝐁old 🎵}')).toBe('E<< Bold ');
  });

  it('reads the fields %ifdef asks about for a mount path, and takes one no track has', () => {
    const source = '%ifdef{series,$series/}$album/$title';
    expect(new PathTemplate(source).tagKeys()).toContain('series');
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['a'], album: ['b'] } }]);
    expect(checkedPathTemplate(db, source).source).toBe(source);
    expect(() => checkedPathTemplate(db, '$series/$title')).toThrow(/unknown field \$series/);
  });

  it("takes %aunique's keys and disambiguators as beets' defaults only, and its brackets", () => {
    const fields: Record<string, string> = { albumunique: '2001' };
    const render = (format: string) => new Template(format).render((name) => fields[name] ?? '');
    expect(render('a%aunique{}')).toBe('a [2001]');
    expect(render('a%aunique{albumartist  album,albumtype year label catalognum,()}')).toBe('a (2001)');
    expect(render('a%aunique{,,}')).toBe('a 2001');
    expect(render('a%aunique{,,|}')).toBe('a 2001'); // beets: brackets are two characters, else none
    expect(new Template('%aunique{}').fields()).toEqual(new Set(['albumunique']));
    expect(() => new Template('%aunique{year}')).toThrow(/by album artist and album only/);
    expect(() => new Template('%aunique{,label year}')).toThrow(/leave its disambiguators empty/);
    fields.albumunique = '';
    expect(render('a%aunique{}')).toBe('a');
  });
});

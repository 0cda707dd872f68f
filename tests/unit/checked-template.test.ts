// One field vocabulary: a mount template and an `ls -f` template know the fields a query knows (Picard's
// tags, the file properties, any tag some file has), and render the properties as `ls -f` does.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Sleeve templates, not JavaScript ones
import { afterAll, describe, expect, it } from 'vitest';
import { formatItem } from '../../app/cli/format.ts';
import { checkedPathTemplate, checkedTemplate } from '../../app/core/library/checked-template.ts';
import { libraryQuery } from '../../app/core/library/library-query.ts';
import { filesByIds } from '../../app/core/library/list.ts';
import { pathSource } from '../../app/core/served/path-source.ts';
import { BEETS_FIELD_NAMES, KNOWN_FIELDS } from '../../app/shared/fields.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe('template fields', () => {
  const { db, ids } = taggedLibrary([
    {
      path: '/music/a/01 x.flac',
      tags: {
        artist: ['Ada'],
        album: ['Harbour'],
        title: ['Low Tide'],
        date: ['1999-02-03'],
        mood_x: ['calm'],
        tracknumber: ['7'],
        discnumber: ['2'],
        compilation: ['1'],
        releasetype: ['live'],
      },
    },
  ]);
  afterAll(() => db.close());
  const [file] = filesByIds(db, ids);
  const mounted = (source: string) =>
    checkedPathTemplate(db, source)
      .components(pathSource(file!, Object.entries(file!.tags)))
      .join('/');

  it('renders the file properties in a mount path: $format, $bitrate in kbps as a plain number', () => {
    expect(mounted('$artist/$album/$title ($format)')).toBe('Ada/Harbour/Low Tide (flac).flac');
    expect(mounted('$title $bitrate $samplerate $channels $bitdepth $codec $year')).toBe(
      'Low Tide 900 44100 2 16 FLAC 1999.flac',
    );
    expect(mounted('${mood_x}/%num{$id,4}')).toBe(`calm/${String(file!.id).padStart(4, '0')}.flac`);
  });

  it("renders them in `ls -f` alike, beets' names as Sleeve's ($length as $duration)", () => {
    expect(formatItem(checkedTemplate(db, '$title ($format) $bitrate $duration $length'), file!)).toBe(
      'Low Tide (flac) 900 3:00 3:00',
    );
    expect(formatItem(checkedTemplate(db, '$track|$disc|$comp|$albumtype'), file!)).toBe('7|2|1|live');
    // %ifdef asks of a field by beets' name too (a beets config's formats are read so, untranslated).
    expect(
      formatItem(checkedTemplate(db, '%ifdef{track}|%ifdef{comp,yes,no}|%ifdef{mb_albumid,x,none}'), file!),
    ).toBe('7|yes|none');
  });

  it('shows the artist for an album artist the file lacks, as a mount path and beets do', () => {
    expect(formatItem(checkedTemplate(db, '$albumartist - $album'), file!)).toBe('Ada - Harbour');
    expect(mounted('$albumartist/$album')).toBe('Ada/Harbour.flac');
  });

  it('knows every field a query knows, and no other', () => {
    // A beets name is read as Sleeve's everywhere: none may be a name Sleeve knows as another field.
    expect(KNOWN_FIELDS.filter((name) => BEETS_FIELD_NAMES.has(name))).toEqual([]);
    for (const name of [...KNOWN_FIELDS, ...BEETS_FIELD_NAMES.keys()]) {
      expect(() => checkedPathTemplate(db, `$${name}`), name).not.toThrow();
      expect(() => checkedTemplate(db, `$${name}`), name).not.toThrow();
      expect(() => libraryQuery(db, `${name}:`), name).not.toThrow();
    }
    expect(() => checkedPathTemplate(db, '$artist/$formt')).toThrow(
      'unknown field $formt at position 9 of the template: did you mean $format?',
    );
    expect(() => checkedTemplate(db, '$title $bitrat')).toThrow(
      /unknown field \$bitrat .*did you mean \$bitrate/,
    );
    expect(() => libraryQuery(db, 'formt:flac')).toThrow(/did you mean format/);
  });
});

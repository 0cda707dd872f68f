// A query judged per track from what its path is made of (track-match.ts, for beets' path formats) gives
// the library's own answer (the SQL of `sleeve ls`), query by query, over one library: fields with every
// operation, numbers and ranges (a vinyl side's "A1" read as SQLite reads it), beets' bits per second,
// years, OR, negation; the terms a path cannot answer are refused by name.
import { afterAll, describe, expect, it } from 'vitest';
import { filesByIds, matchingIds } from '../../app/core/library/list.ts';
import { pathSource } from '../../app/core/served/path-source.ts';
import { matchesQuery, unsupportedTerm } from '../../app/core/served/track-match.ts';
import { parseQuery } from '../../app/shared/query.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const QUERIES = [
  '',
  'genre:jazz',
  'genre:=Jazz',
  'genre:=jazz',
  '^genre:jazz',
  'genre:',
  '^genre:',
  'releasetype:soundtrack',
  'compilation:1',
  '^album:',
  'album:',
  'tracknumber:4',
  'tracknumber:2..5',
  'tracknumber:..3',
  'year:1969',
  'year:1970..1990',
  'date:1982',
  'artist:/^miles/i',
  'artist::^Miles',
  'title::sun$',
  'format:flac',
  'bitrate:900',
  'bitrate:800..',
  'bitrate:..900000',
  'duration:180',
  'samplerate:44100',
  'genre:jazz , releasetype:soundtrack',
  'genre:jazz artist:miles',
  'artist:"the beatles"',
  '^artist:beatles ^genre:jazz',
  'tracknumber:..1',
  'tracknumber:=A1',
  'genre:"Modal Jazz; Jazz"',
];

describe('a query judged per track', () => {
  const { db, ids } = taggedLibrary([
    {
      path: '/music/a/01 sun.flac',
      tags: {
        artist: ['The Beatles'],
        album: ['Abbey Road'],
        title: ['Here Comes the Sun'],
        tracknumber: ['7'],
        date: ['1969-09-26'],
        genre: ['Rock'],
      },
    },
    {
      path: '/music/b/blue.flac',
      tags: {
        artist: ['Miles Davis'],
        album: ['Kind of Blue'],
        title: ['So What'],
        tracknumber: ['1'],
        genre: ['Modal Jazz', 'Jazz'],
        date: ['1959'],
      },
    },
    {
      path: '/music/c/titles.flac',
      tags: {
        artist: ['Vangelis'],
        album: ['Blade Runner'],
        title: ['Main Titles'],
        tracknumber: ['4'],
        releasetype: ['soundtrack'],
        date: ['1982'],
      },
    },
    { path: '/music/d/alone.flac', tags: { artist: ['Loner'], title: ['Alone'], tracknumber: ['A1'] } },
    {
      path: '/music/e/hit.flac',
      tags: {
        artist: ['Someone'],
        album: ['Now 10'],
        title: ['A Hit'],
        tracknumber: ['3'],
        compilation: ['1'],
        genre: ['jazz-pop'],
      },
    },
  ]);
  afterAll(() => db.close());
  const files = filesByIds(db, ids);

  it.each(QUERIES)('%s: the same tracks as the library lists', (text) => {
    const query = parseQuery(text);
    expect(unsupportedTerm(query)).toBeUndefined();
    const byJs = files
      .filter((f) => matchesQuery(query, pathSource(f, Object.entries(f.tags))))
      .map((f) => f.id);
    expect(byJs).toEqual(matchingIds(db, text, 'library').sort((a, b) => a - b));
  });

  it('finds a track by its values as the table shows them, joined by "; "', () => {
    expect(matchingIds(db, 'genre:"Modal Jazz; Jazz"', 'library')).toEqual([ids[1]]);
    expect(matchingIds(db, 'genre:"Rock; Jazz"', 'library')).toEqual([]);
  });

  it('refuses terms on what a path is not made of, naming them', () => {
    const refused = (text: string) => unsupportedTerm(parseQuery(text));
    expect(refused('genre:rock jazz')).toBe('a word in any field: name the field it is in (genre:jazz)');
    expect(refused('month:5')).toBe('month: is no field Sleeve knows');
    expect(refused('added:2026')).toBe('added: is a date of the file, which a path is not made of');
    expect(refused('genre:jazz lossycut:')).toBe(
      'lossycut: is measured from the copies, which a path is not made of',
    );
    expect(refused('albumyear:1969')).toBe(
      "albumyear: is derived from other tracks, which a path's query cannot ask",
    );
    expect(refused('replaygain_track_gain:-3')).toBe(
      "replaygain_track_gain: may be a measured gain, which a path's query cannot ask",
    );
  });
});

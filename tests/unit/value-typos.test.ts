// "Did you mean" for a query's values (value-typos.ts): a field's text that no value holds is matched,
// within a typo or two, against the library's values of that field, and the query given back with the
// closest put in its place, a word in any field as the field's term whose value is closest; what is no
// typo (a value or a file holds it, a pattern, an exact value, a negation, a field the editor does not
// suggest) is left as typed.
import { afterAll, describe, expect, it } from 'vitest';
import { closerQuery, closestValues, editsToPart } from '../../app/core/library/value-typos.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe('edits to a part of a value', () => {
  it('counts the fewest edits that make the text a part of the value, anywhere in it', () => {
    expect(editsToPart('beatles', 'the beatles', 2)).toBe(0);
    expect(editsToPart('beatels', 'the beatles', 2)).toBe(1); // two letters swapped: one edit
    expect(editsToPart('alhpa', 'alpha', 2)).toBe(1);
    expect(editsToPart('beatels', 'the beat', 3)).toBe(3);
    expect(editsToPart('rokc', 'rock', 2)).toBe(1);
    expect(editsToPart('jaz', 'modal jazz', 2)).toBe(0);
    expect(editsToPart('jazs', 'modal jazz', 2)).toBe(1);
    expect(editsToPart('polka', 'rock', 1)).toBe(2); // past `most`: stops, answering one more
  });
});

describe('a query put right', () => {
  const { db } = taggedLibrary([
    { path: '/m/a.flac', tags: { artist: ['The Beatles'], genre: ['Rock'], title: ['Here Comes the Sun'] } },
    { path: '/m/b.flac', tags: { artist: ['The Beatles'], genre: ['Rock'], title: ['Something'] } },
    {
      path: '/m/c.flac',
      tags: { artist: ['The Beat'], genre: ['Ska', 'Rocksteady'], title: ['Mirror in the Bathroom'] },
    },
    { path: '/m/d.flac', tags: { artist: ['Miles Davis'], genre: ['Modal Jazz'], title: ['So What'] } },
    { path: '/m/e.flac', tags: { label: [`${'liner notes '.repeat(50)}Warp Records`, 'Ninja Tune'] } },
    { path: '/m/f.flac', tags: { title: ['Smooth Rokc Anthem'] } },
    ...[1, 2, 3, 4].map((n) => ({ path: `/m/g${n}.flac`, tags: { album: [`Album ${n}`] } })),
    // One name in four fields: one value, no ambiguity.
    {
      path: '/m/h.flac',
      tags: {
        artist: ['Aphex Twin'],
        albumartist: ['Aphex Twin'],
        composer: ['Aphex Twin'],
        lyricist: ['Aphex Twin'],
      },
    },
  ]);
  afterAll(() => db.close());

  it('offers the values holding the text within a typo, the closest and most used first', () => {
    expect(closestValues(db, 'genre', 'rokc')).toEqual(['Rock', 'Rocksteady']); // Rock on two tracks
    expect(closestValues(db, 'artist', 'beatels')).toEqual(['The Beatles']); // The Beat: three edits
    expect(closestValues(db, 'artist', 'mles dvis')).toEqual(['Miles Davis']);
    expect(closestValues(db, 'genre', 'Modal Jaz')).toEqual([]); // a value holds it: no typo
    expect(closestValues(db, 'genre', 'polka')).toEqual([]); // nothing near
    expect(closestValues(db, 'genre', 'sk')).toEqual([]); // too short to tell
    expect(closestValues(db, 'title', 'somthing')).toEqual([]); // titles are not suggested
    // A value past 500 characters is not compared; a short one is.
    expect(closestValues(db, 'label', 'warp recrods')).toEqual([]);
    expect(closestValues(db, 'label', 'ninja tnue')).toEqual(['Ninja Tune']);
  });

  it('gives the query back with each mistyped value put right, as typed elsewhere', () => {
    expect(closerQuery(db, 'genre:rokc year:1969..')).toEqual({
      query: 'genre:"Rock" year:1969..',
      changes: [{ field: 'genre', typed: 'rokc', value: 'Rock' }],
    });
    expect(closerQuery(db, 'Artist:"beatels" genre:rokc')?.query).toBe('Artist:"The Beatles" genre:"Rock"');
    for (const asIs of ['genre:rock', 'genre:=rokc', 'genre:/rokc/', '^genre:rokc', 'genre:"unclosed'])
      expect(closerQuery(db, asIs), asIs).toBeNull();
  });

  it('puts a word in any field right as the term of the field holding the closest value', () => {
    expect(closerQuery(db, 'beatels')).toEqual({
      query: 'artist:"The Beatles"',
      changes: [{ field: 'artist', typed: 'beatels', value: 'The Beatles' }],
    });
    expect(closerQuery(db, 'beatels something')?.query).toBe('artist:"The Beatles" something');
    expect(closerQuery(db, '"mles dvis" year+')?.query).toBe('artist:"Miles Davis" year+');
    expect(closerQuery(db, 'aphx')?.query).toBe('artist:"Aphex Twin"');
    for (const asIs of [
      'rokc', // a title holds it: no typo, though a genre is a letter from it
      'somthing', // near a title only: titles are not suggested
      'beatles', // a value holds it
      'albim', // as near four albums: a word they share, no one of them
      '1969',
      'OR',
      'sk',
    ])
      expect(closerQuery(db, asIs), asIs).toBeNull();
  });
});

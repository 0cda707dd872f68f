// An edit naming a field Sleeve does not know says which known field was meant, as a query does
// (closestFields: the one helper), and lists the fields only when none is close.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { validateChanges } from '../../app/core/library/edits.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

/** What an edit of `key` is refused with, in this library; undefined when it is taken. */
const refusal = (db: Db) => (key: string) => {
  try {
    validateChanges(db, [{ key, values: ['x'] }]);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('an edit of an unknown field', () => {
  it('suggests the closest tag field, as a query does', () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'] } }]);
    const refused = refusal(db);
    expect(refused('titel')).toBe(
      'unknown field "titel": did you mean title? (or any field already present in the library)',
    );
    // Only fields an edit can set are suggested: not the file's properties (path, format…).
    expect(refused('Paths')).not.toMatch(/path\b/);
    expect(refused('colour')).toMatch(/^unknown field "colour". Known fields: title, artist, /);
    db.close();
  });

  it('says why a field Sleeve knows but keeps no tag of cannot be set, and what to set instead', () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'] } }]);
    const refused = refusal(db);
    // beets' `modify year=…`: Sleeve's year is the date's.
    expect(refused('Year')).toBe(
      '"year" is read from the date: set date=2004 (or a whole date, date=2004-05-01)',
    );
    // With the year given, that one.
    expect(() => validateChanges(db, [{ key: 'year', values: ['1999'] }])).toThrow(
      '"year" is read from the date: set date=1999 (or a whole date, date=1999-05-01)',
    );
    expect(refused('length')).toBe('"length" is what Sleeve reads of the file, not a tag: it cannot be set');
    expect(refused('added')).toBe('"added" is what Sleeve reads of the file, not a tag: it cannot be set');
    expect(refused('albumyear')).toBe(
      '"albumyear" is worked out from the album\'s tracks, not a tag: it cannot be set',
    );
    expect(refused('transcodedfrom')).toBe(
      '"transcodedfrom" is worked out from the recording\'s other copies, not a tag: it cannot be set',
    );
    db.close();
  });
});

describe("an edit in beets' words", () => {
  it("reads beets' names as Sleeve's fields (`modify track=5 comp=yes`)", () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'] } }]);
    expect(
      validateChanges(db, [
        { key: 'track', values: ['5'] },
        { key: 'MB_AlbumId', values: ['x'] },
        { key: 'comp', values: ['yes'] },
      ]),
    ).toEqual([
      { key: 'tracknumber', values: ['5'] },
      { key: 'musicbrainz_albumid', values: ['x'] },
      { key: 'compilation', values: ['1'] },
    ]);
    // One field under both its names is given twice.
    expect(() =>
      validateChanges(db, [
        { key: 'track', values: ['5'] },
        { key: 'tracknumber', values: ['6'] },
      ]),
    ).toThrow('field "tracknumber" is given twice');
    db.close();
  });

  it("reads a flag's words as 1 or 0, and refuses any other", () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'] } }]);
    const flag = (value: string) => validateChanges(db, [{ key: 'compilation', values: [value] }])[0]!.values;
    expect(['1', 'True', 't', 'YES', 'y', 'on'].map(flag)).toEqual(Array(6).fill(['1']));
    expect(['0', 'false', 'F', 'no', 'n', 'Off'].map(flag)).toEqual(Array(6).fill(['0']));
    expect(() => flag('maybe')).toThrow(
      'compilation must be 1 or 0 (or true or false, yes or no), got "maybe"',
    );
    db.close();
  });
});

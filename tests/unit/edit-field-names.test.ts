// An edit naming a field Sleeve does not know says which known field was meant, as a query does
// (closestFields: the one helper), and lists the fields only when none is close.
import { describe, expect, it } from 'vitest';
import { validateChanges } from '../../app/core/library/edits.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe('an edit of an unknown field', () => {
  it('suggests the closest tag field, as a query does', () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'] } }]);
    const refused = (key: string) => {
      try {
        validateChanges(db, [{ key, values: ['x'] }]);
      } catch (err) {
        return (err as Error).message;
      }
      return undefined;
    };
    expect(refused('titel')).toBe(
      'unknown field "titel": did you mean title? (or any field already present in the library)',
    );
    // Only fields an edit can set are suggested: not the file's properties (path, format…).
    expect(refused('Paths')).not.toMatch(/path\b/);
    expect(refused('colour')).toMatch(/^unknown field "colour". Known fields: title, artist, /);
    db.close();
  });
});

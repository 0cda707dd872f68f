// Sorting by track number (the table's "#", `tracknumber+` in a query) is play order: by disc first (a
// track with no disc number, or an empty one, on disc 1), then by track, so disc 2's first track comes after disc 1's last.
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { matchingIds } from '../../app/core/library/list.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

it('sorts by track number within each disc, a disc at a time', () => {
  const track = (name: string, n: string, disc?: string) => ({
    path: `/music/${name}.flac`,
    tags: { title: [name], tracknumber: [n], ...(disc ? { discnumber: [disc] } : {}) },
  });
  const { db } = taggedLibrary([
    track('b2', '2', '2'),
    track('a1', '1', '1'),
    track('b1', '1', '2'),
    track('a2', '2', ''),
    track('a3', '3', '1'),
  ]);
  open.push(db);
  const titles = (ids: number[]) =>
    ids.map((id) => db.prepare("SELECT value FROM tags WHERE file_id = ? AND key = 'title'").pluck().get(id));
  expect(titles(matchingIds(db, '', 'library', { field: 'tracknumber', descending: false }))).toEqual([
    'a1',
    'a2',
    'a3',
    'b1',
    'b2',
  ]);
  expect(titles(matchingIds(db, '', 'library', { field: 'tracknumber', descending: true }))).toEqual([
    'b2',
    'b1',
    'a3',
    'a2',
    'a1',
  ]);
  expect(titles(matchingIds(db, 'tracknumber+'))).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
});

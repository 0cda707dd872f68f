// A library read before beets' second names of the numbers and the date's year were read as their fields
// (reader 12), and before its INITIALKEY was read as the key (reader 13): only the files that hold one of
// them are read again at the next scan (migrations 60 and 69).
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { olderFiles, olderLibrary } from '../fixtures/older-library.ts';

it('reads again only the files that hold TRACK, TRACKC, DISC, DISCC, YEAR or INITIALKEY', () => {
  const { file, old } = olderLibrary(59);
  const files = [
    { id: 1, reader_version: 11, key: 'TRACK' },
    { id: 2, reader_version: 11, key: 'year' },
    { id: 3, reader_version: 11, key: 'title' },
    { id: 4, reader_version: 10, key: 'title' },
    { id: 5, reader_version: 12, key: 'INITIALKEY' },
    { id: 6, reader_version: 12, key: 'title' },
  ];
  olderFiles(
    old,
    files.map(({ id, reader_version }) => ({ id, reader_version })),
  );
  const tag = old.prepare('INSERT INTO file_tags (file_id, key, idx, value) VALUES (?, ?, 0, ?)');
  for (const { id, key } of files) tag.run(id, key, '1');
  old.close();
  const db = openDatabase(file);
  expect(db.prepare('SELECT reader_version FROM files ORDER BY id').pluck().all()).toEqual([
    11, 11, 13, 10, 12, 13,
  ]);
  db.close();
});

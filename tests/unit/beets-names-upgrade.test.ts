// A library read before beets' second names of the numbers and the date's year were read as their fields
// (reader 12): only the files that hold one of them are read again at the next scan (migration 60).
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { olderLibrary } from '../fixtures/older-library.ts';

it('reads again only the files that hold TRACK, TRACKC, DISC, DISCC or YEAR', () => {
  const { file, old } = olderLibrary(59);
  old.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)`);
  const insert = old.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at, reader_version)
     VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0, ?)`,
  );
  const tag = old.prepare('INSERT INTO file_tags (file_id, key, idx, value) VALUES (?, ?, 0, ?)');
  for (const [id, version, key] of [
    [1, 11, 'TRACK'],
    [2, 11, 'year'],
    [3, 11, 'title'],
    [4, 10, 'title'],
  ] as const) {
    insert.run(id, `/music/${id}.flac`, id, version);
    tag.run(id, key, '1');
  }
  old.close();
  const db = openDatabase(file);
  expect(db.prepare('SELECT reader_version FROM files ORDER BY id').pluck().all()).toEqual([11, 11, 12, 10]);
  db.close();
});

// Migration 21 on a library grouped by the old rule (any overlap made a partial copy, judged in scan
// order): groups holding a partial copy are grouped again by the next scan; the others are kept.
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { ungroupedFiles } from '../../app/core/fingerprint/recording-groups.ts';
import { olderLibrary } from '../fixtures/older-library.ts';

it('frees the files of groups holding a partial copy for grouping again, and keeps the other groups', () => {
  const { file, old } = olderLibrary(20);
  old.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)`);
  for (let id = 1; id <= 4; id++) {
    old
      .prepare(
        `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
         VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0)`,
      )
      .run(id, `/music/${id}.flac`, id);
    old
      .prepare(
        `INSERT INTO fingerprints (file_id, size, mtime_ms, status, computed_at, data) VALUES (?, 1, 0, 'ok', 5, x'00')`,
      )
      .run(id);
  }
  // Group 1: a 10:48 extended version and the 3:00 track inside it, called its partial copy. Group 2: two
  // full copies.
  const member = old.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, ?, ?, 5)',
  );
  member.run(1, 1, null);
  member.run(2, 1, 130);
  member.run(3, 2, null);
  member.run(4, 2, null);
  old.close();

  const db = openDatabase(file);
  expect(db.prepare('SELECT file_id FROM recording_members ORDER BY file_id').pluck().all()).toEqual([3, 4]);
  expect(ungroupedFiles(db)).toBe(2);
  expect(db.prepare('SELECT count(*) FROM recording_relations').pluck().get()).toBe(0);
  db.close();
});

// Migration 79 on a library grouped before a short copy could join its recording on ≈ 10 s agreeing
// almost bit for bit: a short file grouped alone is grouped again by the next scan; the others are kept.
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { groupingWork } from '../../app/core/fingerprint/recording-groups.ts';
import { olderLibrary } from '../fixtures/older-library.ts';

it('marks a short file grouped alone as changed, and keeps the other groups', () => {
  const { file, old } = olderLibrary(78);
  old.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)`);
  // 1: a 3:27 track; 2: its first 21 s, grouped alone; 3 and 4: a 20 s sting and its copy; 5: a long
  // track alone.
  const seconds = [120, 21.3, 20, 20, 120];
  seconds.forEach((s, i) => {
    old
      .prepare(
        `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
         VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0)`,
      )
      .run(i + 1, `/music/${i + 1}.ogg`, i + 1);
    old
      .prepare(
        `INSERT INTO fingerprints (file_id, size, mtime_ms, status, seconds, computed_at, data)
         VALUES (?, 1, 0, 'ok', ?, 5, x'00')`,
      )
      .run(i + 1, s);
  });
  const member = old.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, ?, NULL, 5)',
  );
  for (const [id, group] of [
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 3],
    [5, 4],
  ])
    member.run(id, group);
  old.close();

  const db = openDatabase(file);
  expect(
    db
      .prepare('SELECT file_id FROM recording_members WHERE fingerprint_at <> 5 ORDER BY file_id')
      .pluck()
      .all(),
  ).toEqual([2]);
  expect(groupingWork(db, null)).toBe(1);
  db.close();
});

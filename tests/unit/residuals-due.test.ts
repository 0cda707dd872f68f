// Which recordings' pairs of copies a scan compares again (transcode-residuals.ts): those a file joined
// beside another, or whose member was measured again, never every recording of the library.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { RESIDUAL_PAIRS } from '../../app/core/fingerprint/copy-rank.ts';
import { measureTranscodeResiduals, residualsDue } from '../../app/core/scan/transcode-residuals.ts';
import { tempDir } from '../helpers.ts';

test('a recording is due when a copy joins it, becomes full or is measured again, and the pairs read only those due', async () => {
  const db = openDatabase(join(tempDir(), 'library.db'));
  db.exec("INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)");
  const file = db.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, format, status, scanned_at, added_at)
     VALUES (?, 1, ?, 1, 0, ?, 'mp3', 'ok', 0, 0)`,
  );
  for (const id of [1, 2, 3, 4]) file.run(id, `/music/${id}.mp3`, id);
  const member = db.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, ?, NULL, 0)',
  );
  const measure = db.prepare(
    `INSERT OR REPLACE INTO loudness (file_id, size, mtime_ms, version, status, integrated, histogram, computed_at)
     VALUES (?, 1, 0, 1, 'ok', -14, x'00', 0)`,
  );
  const due = () => db.prepare('SELECT group_id FROM residual_groups_due').pluck().all();

  member.run(1, 10);
  member.run(3, 20);
  expect(due()).toEqual([]); // each alone in its recording
  member.run(2, 10);
  expect(due()).toEqual([10]);
  // Nothing to compare (no loudness): no worker started, the recording no longer due.
  expect(await measureTranscodeResiduals(db)).toMatchObject({ measured: 0, transcodes: 0, moved: [] });
  expect(residualsDue(db)).toBe(false);

  measure.run(3);
  expect(due()).toEqual([]);
  measure.run(1);
  expect(due()).toEqual([10]);
  db.exec('DELETE FROM residual_groups_due');
  // A partial copy becoming a full one (a longer copy left): its recording is due.
  member.run(4, 20);
  db.exec('DELETE FROM residual_groups_due');
  db.exec('UPDATE recording_members SET partial_offset = 3 WHERE file_id = 4');
  expect(due()).toEqual([]);
  db.exec('UPDATE recording_members SET partial_offset = NULL WHERE file_id = 4');
  expect(due()).toEqual([20]);

  // Planned from the recordings due: the library's members are looked up by group, never scanned.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS residual_groups (group_id INTEGER PRIMARY KEY)');
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${RESIDUAL_PAIRS}`).all() as Array<{ detail: string }>).map(
    (r) => r.detail,
  );
  expect(plan[0]).toMatch(/^SCAN g\b/);
  expect(plan.filter((d) => d.startsWith('SCAN') || d.includes('files_by_status'))).toEqual([plan[0]]);
});

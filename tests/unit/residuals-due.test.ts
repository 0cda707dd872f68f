// Which recordings' pairs of copies a scan compares again (transcode-residuals.ts): those a file joined
// beside another, or whose member was measured again, never every recording of the library.
import { writeFileSync } from 'node:fs';
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

  // A measure of a pair no longer one recording's goes when its copy's recording is next looked at.
  db.prepare(
    `INSERT INTO copy_residuals (copy_id, source_id, copy_lufs, source_lufs, db, note, computed_at)
     VALUES (2, 3, -14, -14, 40, NULL, 0), (2, 1, -14, -14, 40, NULL, 0)`,
  ).run();
  db.exec('INSERT INTO residual_groups_due VALUES (10)');
  await measureTranscodeResiduals(db);
  expect(db.prepare('SELECT source_id FROM copy_residuals').pluck().all()).toEqual([1]);
  db.exec('DELETE FROM copy_residuals');
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

test('a pair that does not decode is noted and left; one whose file the system cannot open stays due', async () => {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'library.db'));
  db.exec("INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)");
  const notAudio = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, 'this is text, not an MPEG stream\n'.repeat(200));
    return path;
  };
  const file = db.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, format, status, scanned_at, added_at, lossless, bitrate)
     VALUES (?, 1, ?, 1, 0, ?, 'mp3', 'ok', 0, 0, 0, ?)`,
  );
  const measure = db.prepare(
    `INSERT INTO loudness (file_id, size, mtime_ms, version, status, integrated, histogram, computed_at, bandwidth)
     VALUES (?, 1, 0, 1, 'ok', ?, x'00', 0, 16000)`,
  );
  const member = db.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, ?, NULL, 0)',
  );
  // Recording 10: its source's bytes are no audio. Recording 20: its source's file is gone.
  for (const [id, path, bitrate, lufs, group] of [
    [1, notAudio('a.mp3'), 96_000, -14, 10],
    [2, notAudio('b.mp3'), 256_000, -14.05, 10],
    [3, join(dir, 'gone.mp3'), 96_000, -14, 20],
    [4, join(dir, 'gone-too.mp3'), 256_000, -14.05, 20],
  ] as const) {
    file.run(id, path, id, bitrate);
    measure.run(id, lufs);
    member.run(id, group);
  }
  const result = await measureTranscodeResiduals(db);
  expect(result).toMatchObject({ measured: 0, transcodes: 0, moved: [] });
  const rows = db.prepare('SELECT copy_id, source_id, db, note FROM copy_residuals').all() as Array<{
    note: string;
  }>;
  expect(rows).toEqual([{ copy_id: 2, source_id: 1, db: null, note: expect.any(String) }]);
  expect(rows[0]!.note).not.toMatch(/No such file/);
  expect(db.prepare('SELECT group_id FROM residual_groups_due').pluck().all()).toEqual([20]);
  // Asked again: the noted pair is not decoded again; the gone one is tried again, and stays due.
  expect(await measureTranscodeResiduals(db)).toMatchObject({ measured: 0 });
  expect(db.prepare('SELECT count(*) FROM copy_residuals').pluck().get()).toBe(1);
  expect(db.prepare('SELECT group_id FROM residual_groups_due').pluck().all()).toEqual([20]);
});

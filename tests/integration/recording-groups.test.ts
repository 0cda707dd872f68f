// Grouping across several batches (the engine works on the next one while this thread groups the current
// one), and an abort part-way: what was indexed but never grouped must leave the index. An index that
// fails part-way still leaves no group held together by a member that left it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { compressFingerprint } from '../../app/core/fingerprint/fingerprint-codec.ts';
import {
  groupingWork,
  oneBatch,
  RECORDINGS_INDEX,
  updateRecordingGroups,
} from '../../app/core/fingerprint/recording-groups.ts';
import { IndexEngine } from '../../index-engine/engine-client.ts';
import { lcg, tempDir } from '../helpers.ts';

const RECORDINGS = 150;
const COPIES = 4;
const FILES = RECORDINGS * COPIES; // over two batches of 256
const ITEMS = 950; // ≈ 2 minutes

/** Random items per recording; each copy flips a few bits here and there, as re-encoding does. */
function fillLibrary(db: Db): void {
  const rand = lcg(7);
  db.prepare("INSERT INTO roots (id, path, added_at) VALUES (1, '/synthetic', 0)").run();
  const file = db.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, format, duration, status, scanned_at, added_at)
     VALUES (?, 1, ?, 1, 0, ?, 'flac', 130, 'ok', 0, 0)`,
  );
  const fingerprint = db.prepare(
    `INSERT INTO fingerprints (file_id, size, mtime_ms, status, seconds, data, computed_at)
     VALUES (?, 1, 0, 'ok', 120, ?, 1)`,
  );
  db.transaction(() => {
    for (let r = 0; r < RECORDINGS; r++) {
      const base = Uint32Array.from({ length: ITEMS }, rand);
      for (let c = 0; c < COPIES; c++) {
        const id = r * COPIES + c + 1;
        const raw = base.map((v) => (rand() % 100 < 30 ? v ^ (1 << (rand() & 31)) : v) >>> 0);
        file.run(id, `/synthetic/${id}.flac`, id);
        fingerprint.run(id, compressFingerprint(raw));
      }
    }
  })();
}

describe('recording groups over several batches', () => {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'library.db'));
  fillLibrary(db);
  let engine: IndexEngine;
  afterAll(async () => {
    await engine?.close();
    db.close();
  });
  const members = () => db.prepare('SELECT count(*) FROM recording_members').pluck().get() as number;
  const docs = async () => (await engine.info(RECORDINGS_INDEX)).stats.num_docs;

  const work = () => groupingWork(db, join(dir, 'indexes'));

  test('an abort after the first batch keeps its groups and leaves nothing else in the index', async () => {
    // Counted up to one past a batch: more than the caller's thread hosts the engine for.
    expect([work(), oneBatch(work())]).toEqual([257, false]);
    engine = await IndexEngine.open(join(dir, 'indexes'));
    const abort = new AbortController();
    const summary = await updateRecordingGroups(db, engine, {
      signal: abort.signal,
      onProgress: () => abort.abort(), // the second batch is already being indexed by now
    });
    expect(summary.grouped).toBe(256);
    expect(members()).toBe(256);
    const afterAbort = await docs();
    expect(afterAbort).toBeGreaterThan(0);

    const rest = await updateRecordingGroups(db, engine);
    expect(rest.grouped).toBe(FILES - 256);
    // Every file has as many windows as any other, so the first 256 files held 256/600 of them.
    expect(afterAbort * FILES).toBe((await docs()) * 256);
    expect(work()).toBe(0);
    // The groups without their index (or its manifest): every fingerprint goes through it again.
    expect(groupingWork(db, join(dir, 'elsewhere'))).toBe(257);
    const bare = tempDir();
    mkdirSync(join(bare, RECORDINGS_INDEX));
    expect(groupingWork(db, bare)).toBe(257);
  });

  test('every copy is in its recording’s group and no two recordings share one', () => {
    const rows = db.prepare('SELECT file_id AS id, group_id AS g FROM recording_members').all() as {
      id: number;
      g: number;
    }[];
    expect(rows).toHaveLength(FILES);
    const groupOf = new Map(rows.map((r) => [r.id, r.g]));
    const seen = new Set<number>();
    for (let r = 0; r < RECORDINGS; r++) {
      const g = groupOf.get(r * COPIES + 1)!;
      for (let c = 1; c < COPIES; c++) expect(groupOf.get(r * COPIES + c + 1)).toBe(g);
      expect(seen.has(g)).toBe(false);
      seen.add(g);
    }
  });

  test('a member that left splits its group even when the index then fails (a remote gone)', async () => {
    const groupOf = (id: number) =>
      db.prepare('SELECT group_id FROM recording_members WHERE file_id = ?').pluck().get(id) as number;
    // Recordings 0 and 1 in one group, as if file 1 had bridged them; file 1 then goes missing.
    db.prepare('UPDATE recording_members SET group_id = ? WHERE group_id = ?').run(groupOf(1), groupOf(5));
    db.prepare("UPDATE files SET status = 'missing' WHERE id = 1").run();
    // A new copy of recording 2 waits to be grouped; the index fails when it is searched for.
    db.prepare(
      `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, format, duration, status, scanned_at, added_at)
       SELECT ${FILES + 1}, 1, '/synthetic/new.flac', 1, 0, ${FILES + 1}, 'flac', 130, 'ok', 0, 0`,
    ).run();
    db.prepare(
      `INSERT INTO fingerprints (file_id, size, mtime_ms, status, seconds, data, computed_at)
       SELECT ${FILES + 1}, size, mtime_ms, status, seconds, data, 2 FROM fingerprints WHERE file_id = 9`,
    ).run();
    // One member to remove and one file to add: a batch the scan's own thread hosts the engine for.
    expect([work(), oneBatch(work())]).toEqual([2, true]);
    const gone = {
      health: (n: string) => engine.health(n),
      createIndex: (n: string) => engine.createIndex(n),
      deleteIndex: (n: string) => engine.deleteIndex(n),
      update: (n: string, r: Parameters<IndexEngine['update']>[1]) => engine.update(n, r),
      searchMany: () => Promise.reject(new Error('the index went away')),
    };
    await expect(updateRecordingGroups(db, gone)).rejects.toThrow('the index went away');
    expect(groupOf(2)).not.toBe(groupOf(5));
    expect([groupOf(3), groupOf(4)]).toEqual([groupOf(2), groupOf(2)]);
    // Back, the index groups the new copy with its recording.
    await updateRecordingGroups(db, engine);
    expect(groupOf(FILES + 1)).toBe(groupOf(9));
    // No fingerprint left to group by, the index gone too: the members that are left still have to go.
    db.prepare("UPDATE fingerprints SET status = 'silent'").run();
    expect(groupingWork(db, join(dir, 'elsewhere'))).toBe(257);
  });
});

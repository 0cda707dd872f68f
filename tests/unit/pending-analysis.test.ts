// The analysis reads its pending files a page at a time: every readable file without a current
// fingerprint comes once, in id order, even when results are saved between pages.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { fingerprintSaver } from '../../app/core/fingerprint/fingerprint-store.ts';
import { pendingAnalysis } from '../../app/core/scan/analysis.ts';
import { tempDir } from '../helpers.ts';

/** A pending file as a fingerprint is saved for it. */
const FILE = {
  size: 1,
  mtimeMs: 0,
  format: 'mp3',
  audioStart: null,
  audioEnd: null,
  sampleRate: null,
  channels: null,
};

test('pages through the pending files, each once, while results are saved', () => {
  const db = openDatabase(join(tempDir(), 'library.db'));
  db.exec("INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)");
  const file = db.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, format, status, error, scanned_at, added_at)
     VALUES (?, 1, ?, 1, 0, ?, 'mp3', ?, ?, 0, 0)`,
  );
  for (const id of [2, 3, 5, 8, 9, 11, 12, 20])
    file.run(id, `/music/${id}.mp3`, id, id === 9 ? 'error' : 'ok', id === 9 ? 'unreadable' : null);
  const saveFingerprints = fingerprintSaver(db);
  const file3 = { ...FILE, id: 3, path: '/music/3.mp3' };
  saveFingerprints([{ file: file3, outcome: { status: 'error', error: 'done before' } }]);

  const seen: number[] = [];
  for (const task of pendingAnalysis(db, { fingerprint: true, embed: false, loudness: false }, 2)) {
    seen.push(task.id);
    expect(task).toMatchObject({ fingerprint: true, embed: false, path: `/music/${task.id}.mp3` });
    // Saved before the next page is read, as the analysis does.
    saveFingerprints([{ file: task, outcome: { status: 'error', error: 'analysed' } }]);
  }
  expect(seen).toEqual([2, 5, 8, 11, 12, 20]);
  expect([...pendingAnalysis(db, { fingerprint: true, embed: false, loudness: false }, 2)]).toEqual([]);
});

test('pages through what a look wrote since a time, by scan time then id, each file once', () => {
  const db = openDatabase(join(tempDir(), 'library.db'));
  db.exec("INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)");
  const file = db.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, format, status, scanned_at, added_at)
     VALUES (?, 1, ?, 1, 0, ?, 'mp3', ?, ?, 0)`,
  );
  // Written before the look (10); by it at 20 (more files than a page), then at 40 and 30, in an order
  // the ids do not follow; one at 20 that is gone, one at 20 analysed already.
  const writtenAt: Array<[number, number, string?]> = [
    [1, 10],
    [2, 20],
    [3, 40],
    [4, 20],
    [5, 20],
    [6, 10],
    [7, 20],
    [8, 30],
    [9, 20],
    [10, 20, 'missing'],
    [11, 20],
  ];
  for (const [id, at, status] of writtenAt) file.run(id, `/music/${id}.mp3`, id, status ?? 'ok', at);
  fingerprintSaver(db)([
    { file: { ...FILE, id: 11, path: '/music/11.mp3' }, outcome: { status: 'error', error: 'analysed' } },
  ]);
  const want = { fingerprint: true, embed: false, loudness: false, scope: { scannedSince: 20 } };
  // At most 20 taken: a paging that goes back would otherwise never end.
  const taken = (pageSize: number) => {
    const ids: number[] = [];
    for (const task of pendingAnalysis(db, want, pageSize)) if (ids.push(task.id) >= 20) break;
    return ids;
  };
  for (const pageSize of [1, 2, 3, 100])
    expect(taken(pageSize), `pages of ${pageSize}`).toEqual([2, 4, 5, 7, 9, 8, 3]);
});

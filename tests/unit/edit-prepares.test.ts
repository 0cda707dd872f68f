// An edit of a few files derives what they show (effective tags, album years, loudness) with statements
// prepared once a connection (app/core/db/per-connection.ts): prepared anew for each edit, they were nine
// tenths of its time. Counted: what a second edit, its undo and redo on the same connection prepare.
import { afterAll, expect, test, vi } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { resolveHome } from '../../app/core/home.ts';
import { applyEdit, redoBatch, undoBatch } from '../../app/core/library/edits.ts';
import { tempDir } from '../helpers.ts';

const db = openDatabase(resolveHome(tempDir()).database);
db.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0);
  INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
    VALUES (1, 1, '/music/1.flac', 1, 0, 1, 'ok', 0, 0), (2, 1, '/music/2.flac', 1, 0, 2, 'ok', 0, 0);
  INSERT INTO file_tags (file_id, key, idx, value) VALUES (1, 'album', 0, 'A'), (2, 'album', 0, 'A');
  INSERT INTO tags (file_id, key, idx, value, fold) SELECT file_id, key, idx, value, value FROM file_tags`);
afterAll(() => db.close());

const edit = (value: string) =>
  applyEdit(db, [{ fileId: 1, key: 'genre', before: [], after: [value] }], {
    description: value,
    origin: 'cli',
  })!;

/** The statements `fn` prepares. */
function prepared(fn: () => void): string[] {
  const spy = vi.spyOn(db, 'prepare');
  try {
    fn();
    return spy.mock.calls.map(([sql]) => sql.replace(/\s+/g, ' ').trim().slice(0, 60));
  } finally {
    spy.mockRestore();
  }
}

test('a second edit, its undo and redo prepare none of the derivation’s statements again', () => {
  const first = prepared(() => edit('Folk'));
  let batch = 0;
  const second = prepared(() => {
    batch = edit('Jazz');
  });
  // The first edit prepared its batch's rows and the derivation's statements; the second its rows alone.
  expect(second).toEqual([
    expect.stringMatching(/^INSERT INTO edit_batches /),
    expect.stringMatching(/^INSERT INTO edits /),
    expect.stringMatching(/^INSERT INTO art_edits /),
  ]);
  const derivation = new Set(first.slice(second.length));
  expect(derivation.size).toBeGreaterThan(50);
  const later = [...prepared(() => undoBatch(db, batch)), ...prepared(() => redoBatch(db, batch))];
  expect(later.filter((sql) => derivation.has(sql))).toEqual([]);
  expect(db.prepare("SELECT value FROM tags WHERE key = 'genre'").pluck().all()).toEqual(['Jazz']);
});

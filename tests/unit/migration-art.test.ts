// Migration 25 on a library that already holds pictures and art edits: the places edits name each picture
// are counted, and every stored picture is looked at once by the collection, a day after the upgrade.
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { ART_GRACE_MS, collectArt } from '../../app/core/library/art-collect.ts';
import { olderLibrary } from '../fixtures/older-library.ts';

it('counts the pictures edits name and collects the stored ones nothing names, a day later', async () => {
  const { file, old } = olderLibrary(24);
  old.exec(`
    INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0);
    INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
      VALUES (1, 1, '/music/a.flac', 1, 0, 1, 'ok', 0, 0);
    INSERT INTO art (hash, mime, bytes, data) VALUES
      ('held', 'image/png', 1, x'00'), ('edited', 'image/png', 1, x'00'), ('undone', 'image/png', 1, x'00'),
      ('orphan', 'image/png', 1, x'00');
    INSERT INTO file_art (file_id, idx, hash, picture_type, description) VALUES (1, 0, 'held', 3, '');
    INSERT INTO edit_batches (id, created_at, description, undone_at) VALUES (1, 0, 'set', NULL), (2, 0, 'set', 5);
    INSERT INTO art_edits (batch_id, file_id, pictures) VALUES
      (1, 1, '[{"hash":"edited","type":3,"description":""},{"hash":"held","type":4,"description":""}]'),
      (2, 1, '[{"hash":"undone","type":3,"description":""},{"hash":"undone","type":4,"description":""}]');
  `);
  old.close();

  const db = openDatabase(file);
  expect(db.prepare('SELECT hash, n FROM art_edit_refs ORDER BY hash').raw().all()).toEqual([
    ['edited', 1],
    ['held', 1],
    ['undone', 2],
  ]);
  // The counts hold only while what they count never changes.
  expect(() => db.prepare(`UPDATE art_edits SET pictures = '[]'`).run()).toThrow(
    'art_edits rows are never updated',
  );
  expect(await collectArt(db, Date.now())).toBe(0);
  expect(await collectArt(db, Date.now() + ART_GRACE_MS + 1000)).toBe(1);
  expect(db.prepare('SELECT hash FROM art ORDER BY hash').pluck().all()).toEqual([
    'edited',
    'held',
    'undone',
  ]);
  expect(db.prepare('SELECT count(*) FROM art_released').pluck().get()).toBe(0);
  db.close();
});

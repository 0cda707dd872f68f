// Removing a library folder (`sleeve forget`) as a user who scanned a wrong folder: shown before it is
// made, its tracks leave the lists, the duplicates and a live mount; its edits stay; scanning it again
// brings everything back. Also: the schema migration that made room for it keeps every row of an older
// library (it rebuilds the files table, which must cascade nowhere).
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { MIGRATIONS } from '../../app/core/db/migrations.ts';
import { resolveHome } from '../../app/core/home.ts';
import { afterScan, removeFiles } from '../../app/core/library/library-folders.ts';
import { ExclusiveLock } from '../../kit/exclusive-lock.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { olderLibrary } from '../fixtures/older-library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';
import { servedNames, unmountChecked, waitFor } from '../mount-helpers.ts';

describe('sleeve forget', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const keep = join(music, 'keep');
  const wrong = join(music, 'wrong');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  let originals: Map<string, string>;
  const titles = () => sleeveHere(home, ['ls', '-f', '$title']).stdout.trim().split('\n').sort();
  const dupGroups = () => sleeveHereJson<unknown[]>(home, ['dup', '--json']).length;

  beforeAll(() => {
    mkdirSync(keep, { recursive: true });
    mkdirSync(wrong, { recursive: true });
    writeWav(join(keep, 'first.wav'), synthesizePiece(1, 20));
    writeWav(join(keep, 'second.wav'), synthesizePiece(2, 20));
    writeWav(join(wrong, 'third.wav'), synthesizePiece(3, 20));
    copyFileSync(join(keep, 'first.wav'), join(wrong, 'first copy.wav'));
    originals = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', keep, wrong]).status).toBe(0);
    expect(sleeveHere(home, ['set', 'path:third', 'title=Edited Third', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).stderr).toBe('');
  });

  afterAll(() => {
    if (existsSync(mnt)) unmountChecked(home, mnt, music, originals);
  });

  it('starts with both folders listed, grouped and mounted', () => {
    expect(titles()).toEqual(['Edited Third', 'first', 'second']);
    expect(dupGroups()).toBe(1);
    expect(servedNames(mnt, '.wav')).toHaveLength(3);
  });

  it('says what it would remove and removes nothing unconfirmed; refuses what is no library folder', () => {
    const shown = sleeveHere(home, ['forget', wrong]);
    expect(shown.status).toBe(1);
    expect(shown.stderr).toContain(`not forgetting ${wrong}: 2 track(s) leave the library`);
    expect(shown.stderr).toContain('pass -y');
    const inside = sleeveHere(home, ['forget', join(wrong, 'sub'), '-y']);
    expect(inside.stderr).toContain(`is inside the library folder ${wrong}`);
    const unknown = sleeveHere(home, ['forget', join(dir, 'elsewhere'), '-y']);
    expect(unknown.stderr).toContain(`is not a library folder (they are: ${keep}, ${wrong})`);
    expect(titles()).toHaveLength(3);
  });

  it('waits for no scan: refused while one holds the library', () => {
    const lock = ExclusiveLock.tryAcquire(join(home, 'scan.lock'));
    if (!(lock instanceof ExclusiveLock)) throw new Error('scan lock busy');
    try {
      const r = sleeveHere(home, ['forget', wrong, '-y']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('a scan is running');
    } finally {
      lock.release();
    }
    expect(titles()).toHaveLength(3);
  });

  it('in the app, waits for a scan that ends in a moment (a watcher pass), and refuses one that does not', async () => {
    const db = openDatabase(join(home, 'library.db'));
    const nothing = (held: ExclusiveLock) =>
      removeFiles(db, resolveHome(home), held, () => ({
        path: wrong,
        files: 0,
        where: { sql: '0', params: [] },
      }));
    const lock = ExclusiveLock.tryAcquire(join(home, 'scan.lock'));
    if (!(lock instanceof ExclusiveLock)) throw new Error('scan lock busy');
    try {
      await expect(afterScan(resolveHome(home), nothing, 300)).rejects.toThrow(/a scan is running/);
      const ended = new Promise((resolve) => setTimeout(resolve, 300)).then(() => lock.release());
      expect(await afterScan(resolveHome(home), nothing)).toEqual({ path: wrong, files: 0 });
      await ended;
    } finally {
      lock.release();
      db.close();
    }
  });

  it("takes the folder's tracks out of the lists, the duplicates and the live mount; keeps its edits", async () => {
    const r = sleeveHere(home, ['forget', wrong, '-y']);
    expect(r.stdout).toContain(`forgot ${wrong}: 2 track(s) left the library`);
    expect(r.stderr).toContain(`"sleeve scan ${wrong}" brings them back`);
    expect(titles()).toEqual(['first', 'second']);
    expect(sleeveHere(home, ['ls', '--all-copies', 'path:wrong']).stderr).toContain('no tracks match');
    expect(dupGroups()).toBe(0);
    expect(sleeveHereJson<{ roots: string[] }>(home, ['stats', '--json']).roots).toEqual([keep]);
    expect(sleeveHere(home, ['history']).stdout).toContain('Set title to "Edited Third"');
    await waitFor(
      'the mount to drop the folder',
      () => (servedNames(mnt, '.wav').length === 2 ? true : undefined),
      10_000,
    );
    expect(servedNames(mnt, '.wav').some((n) => n.includes('Edited Third'))).toBe(false);
    // A second forget finds no such folder any more.
    expect(sleeveHere(home, ['forget', wrong, '-y']).stderr).toContain('is not a library folder');
  });

  it('brings the folder back, edits and groups included, when it is scanned again', async () => {
    const r = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', wrong]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/0 added, 0 updated, 2 unchanged/);
    expect(titles()).toEqual(['Edited Third', 'first', 'second']);
    expect(dupGroups()).toBe(1);
    await waitFor(
      'the mount to serve the folder again',
      () => (servedNames(mnt, '.wav').length === 3 ? true : undefined),
      10_000,
    );
    expect(hashTree(music)).toEqual(originals);
  });
});

describe('a removed folder and the folders around it', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const inner = join(music, 'inner');
  const home = join(dir, 'home');
  const listed = () =>
    sleeveHere(home, ['ls', '--all-copies', '-f', '$path']).stdout.trim().split('\n').filter(Boolean);

  it('takes in what a scan of a folder above finds, leaves the rest removed, and refuses an inner folder', () => {
    mkdirSync(inner, { recursive: true });
    writeWav(join(inner, 'kept.wav'), synthesizePiece(5, 3));
    writeWav(join(inner, 'gone.wav'), synthesizePiece(6, 3));
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', inner]).status,
    ).toBe(0);
    expect(sleeveHere(home, ['forget', inner, '-y']).status).toBe(0);
    rmSync(join(inner, 'gone.wav'));
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    // kept.wav is under the folder scanned: back; gone.wav is not on disk: still removed, not missing.
    expect(listed()).toEqual([join(inner, 'kept.wav')]);
    expect(sleeveHereJson<{ files: { missing: number } }>(home, ['stats', '--json']).files.missing).toBe(0);
    expect(sleeveHereJson<{ roots: string[] }>(home, ['stats', '--json']).roots).toEqual([music]);
    // The inner folder cannot leave on its own now: the next scan of music would bring it back.
    const r = sleeveHere(home, ['forget', inner, '-y']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`is inside the library folder ${music}`);
  });
});

describe('schema migration 18 (files may be removed)', () => {
  it('rebuilds the files table of a version 17 library without losing a row that refers to it', () => {
    const { file, old } = olderLibrary(17, { foreignKeys: true });
    old.exec(`
      INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0);
      INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at, change_seq)
        VALUES (7, 1, '/music/a.flac', 10, 0, 1, 'ok', 0, 0, 3);
      INSERT INTO file_tags (file_id, key, idx, value) VALUES (7, 'title', 0, 'A');
      INSERT INTO edit_batches (id, created_at, description) VALUES (1, 0, 'Set title');
      INSERT INTO edits (batch_id, file_id, key, vals) VALUES (1, 7, 'title', '["B"]');
      INSERT INTO recording_members (file_id, group_id, fingerprint_at) VALUES (7, 1, 0);
      INSERT INTO preferred_copies (file_id, chosen_at) VALUES (7, 0);
      INSERT INTO playlists (id, name, created_at, changed_at) VALUES (1, 'List', 0, 0);
      INSERT INTO playlist_entries (playlist_id, position, file_id) VALUES (1, 0, 7);
    `);
    const schemaOfFiles = (db: Database.Database) =>
      db.prepare("SELECT type, name FROM sqlite_master WHERE tbl_name = 'files' ORDER BY type, name").all();
    const schemaBefore = schemaOfFiles(old);
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // Every index and trigger of the table came back with it, and the later migrations' are there: the
      // table as a library made now has it.
      expect(schemaOfFiles(db)).toEqual(expect.arrayContaining(schemaBefore));
      const fresh = openDatabase(join(tempDir(), 'fresh.db'));
      expect(schemaOfFiles(db)).toEqual(schemaOfFiles(fresh));
      fresh.close();
      for (const table of ['file_tags', 'edits', 'recording_members', 'preferred_copies', 'playlist_entries'])
        expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(1);
      expect(db.prepare('SELECT change_seq FROM files WHERE id = 7').pluck().get()).toBe(3);
      db.prepare("UPDATE files SET status = 'removed' WHERE id = 7").run();
      expect(() => db.prepare("UPDATE files SET status = 'gone' WHERE id = 7").run()).toThrow(/CHECK/);
      // The kept-copy trigger came back with the table.
      const seq = () => db.prepare('SELECT seq FROM copies_state').pluck().get() as number;
      const before = seq();
      db.prepare("UPDATE files SET status = 'ok' WHERE id = 7").run();
      expect(seq()).toBe(before + 1);
    } finally {
      db.close();
    }
  });
});

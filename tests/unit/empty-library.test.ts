// A new library is a copy of the empty one at this schema (app/core/db/empty-library.ts), not migrated
// again: opening it writes nothing, and it holds what one migrated from nothing holds — its schema and
// version, its page settings and every row the migrations write — but for its own id, drawn anew.
import { copyFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { emptyLibraryFile, pruneEmptyLibraries } from '../../app/core/db/empty-library.ts';
import { walBytes } from '../../app/core/db/wal.ts';
import { tempDir } from '../helpers.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const opened = (file: string) => {
  const db = openDatabase(file);
  open.push(db);
  return db;
};

const idOf = (db: Db) => db.prepare('SELECT library_id FROM library_identity').pluck().get() as string;

/** Everything a library holds: settings, schema, and each table's rows (its own id apart). */
function contents(db: Db): unknown {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'library_identity' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return {
    version: db.pragma('user_version', { simple: true }),
    autoVacuum: db.pragma('auto_vacuum', { simple: true }),
    pageSize: db.pragma('page_size', { simple: true }),
    journal: db.pragma('journal_mode', { simple: true }),
    schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all(),
    rows: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()])),
  };
}

it('starts a new library as a copy of the empty one: opening it runs no migration, writes nothing', () => {
  opened(join(tempDir(), 'first.db')); // makes the empty one, if this schema has none yet
  const db = opened(join(tempDir(), 'library.db'));
  // Migrated, its hundreds of KB of tables would be in its WAL until the first checkpoint.
  expect(walBytes(db)).toBe(0);
});

it('holds what a library migrated from nothing holds, with an id of its own', () => {
  const copied = opened(join(tempDir(), 'library.db'));
  const another = opened(join(tempDir(), 'library.db'));
  // A file there already (empty) is opened and migrated as it is, never replaced by a copy.
  const file = join(tempDir(), 'library.db');
  writeFileSync(file, '');
  const migrated = opened(file);
  expect(walBytes(migrated)).toBeGreaterThan(0);
  expect(contents(copied)).toEqual(contents(migrated));
  // Read from a copy: a connection leaves its -shm beside the file it opens.
  const kept = join(tempDir(), 'empty.db');
  copyFileSync(emptyLibraryFile(), kept);
  const empty = new Database(kept, { readonly: true, fileMustExist: true });
  open.push(empty);
  const ids = new Set([copied, another, migrated, empty].map(idOf));
  expect(ids.size).toBe(4);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
});

it('keeps one empty library: those of other schemas go, and scratch files left an hour ago', () => {
  const folder = tempDir();
  const names = ['schema-60-0123456789ab.db', 'schema-60-ba9876543210.db', 'schema-59-0123456789ab.db'];
  for (const name of [...names, 'a.db.new-1-1-ab', 'b.db.new-2-1-cd']) writeFileSync(join(folder, name), '');
  const hourAgo = new Date(Date.now() - 61 * 60 * 1000);
  utimesSync(join(folder, 'b.db.new-2-1-cd'), hourAgo, hourAgo);
  pruneEmptyLibraries(folder, join(folder, names[0]!));
  expect(readdirSync(folder).sort()).toEqual(['a.db.new-1-1-ab', names[0]]);
});

// A new library starts as a copy of an empty one at this Sleeve's schema. Migrating a new file runs every
// migration, each in a transaction of its own: 25–35 ms of a first scan, and of every test that makes a
// library; a copy takes about 2 ms. The empty library is kept once per schema, made apart the first time
// a library is new, in node_modules/.cache beside the packages' bundles (the install's own folder,
// never one other users write), named by the schema's version and a digest of its migrations and of the
// file settings that precede them, so that no other schema is ever started from it. Where it cannot be
// kept (a read-only install), each new library is migrated as before.
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { MIGRATIONS, NEW_LIBRARY_ID } from './migrations.ts';

/** How a new library gives freed pages back (vacuum.ts): set before its first table, the only time it can
 *  be, so the empty library carries it too. */
export const NEW_LIBRARY_AUTO_VACUUM = 'INCREMENTAL';

const FOLDER = fileURLToPath(new URL('../../../node_modules/.cache/sleeve-libraries/', import.meta.url));

/** Where the empty library at this schema is, or would be. */
export function emptyLibraryFile(): string {
  const digest = createHash('sha256')
    .update(JSON.stringify({ autoVacuum: NEW_LIBRARY_AUTO_VACUUM, migrations: MIGRATIONS }))
    .digest('hex')
    .slice(0, 12);
  return join(FOLDER, `schema-${MIGRATIONS.length}-${digest}.db`);
}

/**
 * Makes `file`, a library not made yet, a copy of the empty one, made first when there is none (`make`
 * makes a library at the path it is given, migrated from nothing, and closes it). False when it did not
 * (the empty one could not be kept, `file` was made meanwhile, or this file system has no hard links):
 * the caller opens `file` as before. The copy is linked into place whole, so no other process opens a
 * half-copied file, and never over one made meanwhile. A WAL or rollback journal left without its
 * library is not given a new file to be read into.
 */
export function startFromEmptyLibrary(file: string, make: (file: string) => void): boolean {
  if ([file, `${file}-wal`, `${file}-journal`].some((f) => existsSync(f))) return false;
  const empty = emptyLibraryFile();
  if (!existsSync(empty)) keepEmptyLibrary(empty, make);
  const part = `${file}.new-${scratchName()}`;
  try {
    // Written, not copied with the empty one's mode: the new file's mode follows the umask, as SQLite's.
    writeFileSync(part, readFileSync(empty), { flag: 'wx', mode: 0o644 });
    // What makes each library itself (its journals' and a shared fingerprint index's name for it) is
    // drawn anew before any process can open it; closed, the change is folded into the one file.
    const copy = new Database(part);
    copy.exec(`UPDATE library_identity SET library_id = ${NEW_LIBRARY_ID}`);
    copy.close();
    if (existsSync(`${part}-wal`)) return false; // its id not folded in
    linkSync(part, file);
    return true;
  } catch {
    return false;
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${part}${suffix}`, { force: true });
  }
}

/** A name for this thread's scratch file: processes, and threads of one (each opens libraries), apart. */
const scratchName = () => `${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`;

/** A scratch file a process left when it stopped midway, older than this, is removed. */
const LEFT_MS = 60 * 60 * 1000;

/** Makes the empty library at `empty`: apart, never taken from a user's library (another process may
 *  be writing into one already); closed, its WAL folded in, one file. Nothing when it cannot be written
 *  there (a read-only install). */
function keepEmptyLibrary(empty: string, make: (file: string) => void): void {
  const part = `${empty}.${scratchName()}`;
  try {
    mkdirSync(dirname(empty), { recursive: true });
    make(part);
    if (existsSync(`${part}-wal`)) return; // not folded in: not one whole file to copy
    renameSync(part, empty);
    pruneEmptyLibraries(FOLDER, empty);
  } catch {
    // Not kept: this library is migrated, as each is where the folder cannot be written.
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${part}${suffix}`, { force: true });
  }
}

/** Removes from `folder` every empty library but `keep` (this install's code is one schema: another is an
 *  older one's, or a migration's since edited), and scratch files a stopped process left long ago. */
export function pruneEmptyLibraries(folder: string, keep: string): void {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    const other = name.endsWith('.db') && path !== keep;
    if (other || (!name.endsWith('.db') && Date.now() - statSync(path).mtimeMs > LEFT_MS))
      rmSync(path, { force: true });
  }
}

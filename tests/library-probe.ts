// What `sleeve ls --json` and `sleeve dup` would say, read in the test's own process through the core's own
// queries on a read-only connection. A test waiting for the library to reach a state polls it every few
// milliseconds; each look used to start the CLI (a Node process, about 0.15 s of CPU).
import Database from 'better-sqlite3';
import type { Db } from '../app/core/db/database.ts';
import { openReader } from '../app/core/db/database.ts';
import { duplicateGroupIds } from '../app/core/fingerprint/duplicates.ts';
import { resolveHome } from '../app/core/home.ts';
import { type FileItem, listFiles } from '../app/core/library/list.ts';
import type { Scope } from '../app/core/library/query-sql.ts';

/** `read` on a read-only connection to the library in `home`, closed after. */
export function readLibrary<T>(home: string, read: (db: Db) => T): T {
  const db = openReader(resolveHome(home).database);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** `sleeve ls --all-copies --json [QUERY]` (scope 'recordings': without --all-copies). */
export function listed(home: string, query = '', scope: Scope = 'library'): FileItem[] {
  return readLibrary(home, (db) => listFiles(db, query, { scope }));
}

/** The listed file whose path ends in /`name`. */
export function byName(home: string, name: string): FileItem | undefined {
  return listed(home).find((t) => t.path.endsWith(`/${name}`));
}

/** How many recordings have more than one copy present (`sleeve dup --json`'s length). */
export async function groupCount(home: string): Promise<number> {
  const db = openReader(resolveHome(home).database);
  try {
    return (await duplicateGroupIds(db)).length;
  } finally {
    db.close();
  }
}

/** The paths of each recording's present copies, for recordings with more than one. */
export function groupMembers(home: string): string[][] {
  return readLibrary(home, (db) => {
    const rows = db
      .prepare(
        `SELECT m.group_id AS g, f.path FROM recording_members m
         JOIN files f ON f.id = m.file_id AND f.status = 'ok' ORDER BY m.group_id, f.id`,
      )
      .all() as Array<{ g: number; path: string }>;
    const groups = new Map<number, string[]>();
    for (const r of rows) groups.set(r.g, [...(groups.get(r.g) ?? []), r.path]);
    return [...groups.values()].filter((paths) => paths.length > 1);
  });
}

/** Holds the library's write lock, as a long edit does, until the caller ends the transaction
 *  (ROLLBACK, or COMMIT of what it wrote meanwhile) and closes the connection. */
export function holdLibrary(database: string): Database.Database {
  const db = new Database(database);
  db.exec('BEGIN IMMEDIATE');
  return db;
}

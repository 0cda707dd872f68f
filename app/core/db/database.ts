import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../../../kit/user-error.ts';
import { whenNeeded } from '../../../kit/when-needed.ts';
import { imageSize } from '../../shared/image-size.ts';
import { migrationNotice } from '../../shared/migration-notice.ts';
import { canonicalName } from './canonical-name.ts';
import { NEW_LIBRARY_AUTO_VACUUM, startFromEmptyLibrary } from './empty-library.ts';
import { fold } from './fold.ts';
import { MIGRATIONS } from './migrations.ts';
import { searchedPath } from './searched-path.ts';
import { loadStablePlans } from './stable-plans.ts';
import { WAL_LIMIT_BYTES } from './wal.ts';
import { whenFree } from './write-lock.ts';

export type Db = Database.Database;

// SQLite reads a library on read-only media only through an immutable URI (openLibraryReadOnly).
// better-sqlite3 reads this switch from the process's environment when its addon loads, at the first
// connection, which these functions open after this module ran on the main thread (a worker's process.env
// does not reach the addon). Library paths are absolute, so none is ever taken for a URI.
process.env.SQLITE_USE_URI ??= '1';

export class DatabaseVersionError extends UserError {
  override name = 'DatabaseVersionError';
  constructor(message: string) {
    super('conflict', message);
  }
}

/** How long a writer waits for the write lock before it gives up (SQLITE_BUSY). */
const BUSY_MS = 5000;

/** Migrations over a library file at least this large are announced before they run: at a million
 *  tracks (1.3 GB) one may take a minute, and a command said nothing meanwhile. */
const ANNOUNCED_MIGRATION_BYTES = 100 * 1024 * 1024;

export interface OpenOptions {
  /** Told before migrations run over a large library, in a sentence for the user. */
  readonly onMigrate?: (message: string) => void;
}

/** Opens the library database as its one writer: WAL, foreign keys, migrations applied. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  // SQLite's in-memory database is no file to start from (it had made one named ":memory:").
  if (file !== ':memory:') startFromEmptyLibrary(file, (empty) => openMigrated(empty).close());
  return openMigrated(file, options);
}

/** `file` opened and brought to this Sleeve's schema. */
function openMigrated(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, { timeout: BUSY_MS });
  // Before the first table (and the WAL's header), the only time it can be set: a new library gives freed
  // pages back (vacuum.ts); one made before is converted by the upkeep.
  if (db.pragma('page_count', { simple: true }) === 0) db.pragma(`auto_vacuum = ${NEW_LIBRARY_AUTO_VACUUM}`);
  loadStablePlans(db);
  whenFree(() => db.pragma('journal_mode = WAL'), BUSY_MS);
  db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`); // the WAL never keeps its peak (wal.ts)
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -32000');
  registerFunctions(db);
  migrate(db, options.onMigrate);
  return db;
}

/**
 * The library in a folder that cannot be written (`why`: "/m is on a read-only file system"): read,
 * never written (a write fails with SQLITE_READONLY), never migrated. A library closed cleanly has no
 * -wal file (or an empty one), and SQLite opens a WAL-mode database without one only as immutable
 * (nothing changes it meanwhile: read-only media); with its -wal and -shm there, it is read as any
 * reader reads it.
 */
export function openLibraryReadOnly(file: string, why: string): Db {
  if (!existsSync(file)) throw new UserError('unavailable', `there is no library yet: ${why}`);
  const uri = `file:${file.replace(/[%?#]/g, encodeURIComponent)}?immutable=1`;
  const db = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size
    ? new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_MS })
    : new Database(uri, { readonly: true, fileMustExist: true });
  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_CANTOPEN') throw err;
    throw new UserError(
      'unavailable',
      `the library cannot be read: ${why}, and its last changes wait in ${basename(file)}-wal (a Sleeve stopped before it folded them in), which SQLite reads there only beside ${basename(file)}-shm; open the library once where it can be written`,
    );
  }
  if (version !== MIGRATIONS.length) {
    db.close();
    throw version > MIGRATIONS.length
      ? newerSchema(version)
      : new DatabaseVersionError(
          `the library database is at schema version ${version}, older than this Sleeve's (${MIGRATIONS.length}), and cannot be brought up to date: ${why}`,
        );
  }
  loadStablePlans(db);
  db.pragma('cache_size = -32000');
  registerFunctions(db);
  return db;
}

/**
 * A read-only connection to a library the writer has opened (and migrated): for reading off the writer's
 * thread. WAL lets it read while the writer writes; it never takes a write lock.
 */
export function openReader(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_MS });
  loadStablePlans(db);
  db.pragma('cache_size = -32000');
  registerFunctions(db);
  return db;
}

/** One row's part of a stamp: a 32-bit FNV-1a hash of its text from `seed`. */
function rowHash(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Loaded at the first call of the SQL function that needs them: a process that runs no regular
 *  expression and no migration 73, a scan among them, does without the query language and RE2's engine. */
const earlierReading = whenNeeded<typeof import('../../shared/query-earlier-reading.ts')>(
  import.meta.url,
  '../../shared/query-earlier-reading.ts',
);
const regex = whenNeeded<typeof import('../../shared/regex.ts')>(import.meta.url, '../../shared/regex.ts');

/** fold() (fold.ts: what every folded column holds), nfc() (canonical-name.ts), image_depth() (a
 *  picture's bits a pixel: image-size.ts), query_as_before() (a saved query from before schema 73:
 *  query-earlier-reading.ts), re_match() (RE2's
 *  linear-time engine) and stamp(), which SQLite's built-ins lack. */
export function registerFunctions(db: Db): void {
  // stamp(a, b): a digest of a set of rows, in any order (two 32-bit sums of row hashes): what a save
  // compares to know whether a field changed since it was loaded (app/core/library/loaded-fields.ts).
  db.aggregate('stamp', {
    start: () => [0, 0],
    // Two arguments: SQLite takes a function's arity from its length, and the typings know of one.
    step: ((sums: number[], a: unknown, b: unknown) => {
      if (b === null) return sums;
      const row = `${String(a)}\u0000${String(b)}`;
      return [(sums[0]! + rowHash(row, 0x811c9dc5)) >>> 0, (sums[1]! + rowHash(row, 0x9747b28c)) >>> 0];
    }) as (sums: number[], a: unknown) => number[],
    result: (sums: number[]) => `${sums[0]!.toString(36)}.${sums[1]!.toString(36)}`,
  });
  db.function('fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? fold(v) : v));
  db.function('nfc', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? canonicalName(v) : v));
  db.function('image_depth', { deterministic: true }, (data: unknown) =>
    data instanceof Uint8Array ? (imageSize(data)?.depth ?? null) : null,
  );
  db.function('query_as_before', { deterministic: true }, (query: unknown) =>
    typeof query === 'string' ? earlierReading().queryAsBefore(query) : query,
  );
  db.function('searched_path', { deterministic: true }, (path: unknown, folder: unknown) =>
    typeof path === 'string' ? searchedPath(path, typeof folder === 'string' ? folder : null) : path,
  );
  const cache = new Map<string, ReturnType<ReturnType<typeof regex>['compileRegex']>>();
  db.function('re_match', { deterministic: true }, (source: unknown, flags: unknown, value: unknown) => {
    if (typeof value !== 'string') return 0;
    const key = `${flags}/${source}`;
    let re = cache.get(key);
    if (!re) {
      re = regex().compileRegex(String(source), String(flags)); // linear time: no query can stall the library
      if (cache.size > 64) cache.clear();
      cache.set(key, re);
    }
    return re.test(value) ? 1 : 0;
  });
}

const newerSchema = (version: number) =>
  new DatabaseVersionError(
    `the library database is at schema version ${version}, newer than this Sleeve (${MIGRATIONS.length}); upgrade Sleeve`,
  );

/** Whether a migration's SQL may move rows (a table rebuilt, rows copied, changed or dropped), triggers'
 *  bodies included: over-counted, the check only costs time. */
const movesRows = (sql: string) => /\b(DROP|RENAME|INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);

function migrate(db: Db, onMigrate: OpenOptions['onMigrate']): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    db.close();
    throw newerSchema(current);
  }
  const bytes =
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number);
  if (current > 0 && current < MIGRATIONS.length && bytes >= ANNOUNCED_MIGRATION_BYTES)
    onMigrate?.(migrationNotice(Math.round(bytes / 1024 ** 2), current, MIGRATIONS.length));
  // Foreign keys off while migrating (SQLite's way to rebuild a table: dropping the old one must not
  // cascade), checked before each migration commits; the pragma is ignored inside a transaction.
  db.pragma('foreign_keys = OFF');
  try {
    for (let v = current; v < MIGRATIONS.length; v++) {
      // IMMEDIATE, and the version read again inside: another process may have migrated meanwhile.
      whenFree(
        () =>
          db
            .transaction(() => {
              if ((db.pragma('user_version', { simple: true }) as number) !== v) return;
              db.exec(MIGRATIONS[v]!);
              // Only a migration that moves rows can break a reference: the check reads every table
              // (seconds each at a million tracks), wasted on one that only adds a column or an index.
              const broken = movesRows(MIGRATIONS[v]!) ? (db.pragma('foreign_key_check') as unknown[]) : [];
              if (broken.length > 0)
                throw new Error(
                  `schema migration ${v + 1} left ${broken.length} rows with broken references`,
                );
              db.pragma(`user_version = ${v + 1}`);
            })
            .immediate(),
        BUSY_MS,
      );
    }
  } catch (err) {
    db.close();
    throw err;
  }
  db.pragma('foreign_keys = ON');
}

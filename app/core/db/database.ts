import Database from 'better-sqlite3';
import { UserError } from '../../../kit/user-error.ts';
import { compileRegex } from '../../shared/regex.ts';
import { fold } from './fold.ts';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

export class DatabaseVersionError extends UserError {
  override name = 'DatabaseVersionError';
  constructor(message: string) {
    super('conflict', message);
  }
}

const BUSY_MS = 5000;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `fn` again while another process holds a lock it needs: two processes opening a new library at
 * once (two scans, the app and the CLI) both switch it to WAL and migrate it, and SQLite answers the
 * second at once with SQLITE_BUSY for those, without waiting.
 */
function whenFree<T>(fn: () => T): T {
  const deadline = Date.now() + BUSY_MS;
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(PAUSE, 0, 0, 10);
    }
  }
}

/** How long a long job pauses between its write transactions (see giveWay). */
const GIVE_WAY_MS = 20;

/**
 * Pauses this thread between two write transactions of a long job (a large edit written or derived in
 * chunks). Other writers wait in SQLite's busy handler, which sleeps and tries again (up to 100 ms apart):
 * transactions back to back would leave them a window too short to be found, and they would wait for the
 * whole job. Call only off an event loop that serves others (a worker, a CLI command).
 */
export function giveWay(): void {
  Atomics.wait(PAUSE, 0, 0, GIVE_WAY_MS);
}

/** giveWay for a job on an event loop that serves others (a scan in the app's backend): the same pause,
 *  the loop free meanwhile. */
export function giveWayAsync(): Promise<void> {
  return new Promise((resume) => setTimeout(resume, GIVE_WAY_MS));
}

/** Opens the library database as its one writer: WAL, foreign keys, migrations applied. */
export function openDatabase(file: string): Db {
  const db = new Database(file, { timeout: BUSY_MS });
  whenFree(() => db.pragma('journal_mode = WAL'));
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -32000');
  registerFunctions(db);
  migrate(db);
  return db;
}

/**
 * A read-only connection to a library the writer has opened (and migrated): for reading off the writer's
 * thread. WAL lets it read while the writer writes; it never takes a write lock.
 */
export function openReader(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_MS });
  db.pragma('cache_size = -32000');
  registerFunctions(db);
  return db;
}

/** fold() (fold.ts: what every folded column holds) and re_match() (RE2's linear-time engine), which SQLite's
 *  built-ins lack. */
function registerFunctions(db: Db): void {
  db.function('fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? fold(v) : v));
  const cache = new Map<string, ReturnType<typeof compileRegex>>();
  db.function('re_match', { deterministic: true }, (source: unknown, flags: unknown, value: unknown) => {
    if (typeof value !== 'string') return 0;
    const key = `${flags}/${source}`;
    let re = cache.get(key);
    if (!re) {
      re = compileRegex(String(source), String(flags)); // linear time: no query can stall the library
      if (cache.size > 64) cache.clear();
      cache.set(key, re);
    }
    return re.test(value) ? 1 : 0;
  });
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    db.close();
    throw new DatabaseVersionError(
      `the library database is at schema version ${current}, newer than this Sleeve (${MIGRATIONS.length}); upgrade Sleeve`,
    );
  }
  // Foreign keys off while migrating (SQLite's way to rebuild a table: dropping the old one must not
  // cascade), checked before each migration commits; the pragma is ignored inside a transaction.
  db.pragma('foreign_keys = OFF');
  try {
    for (let v = current; v < MIGRATIONS.length; v++) {
      // IMMEDIATE, and the version read again inside: another process may have migrated meanwhile.
      whenFree(() =>
        db
          .transaction(() => {
            if ((db.pragma('user_version', { simple: true }) as number) !== v) return;
            db.exec(MIGRATIONS[v]!);
            const broken = db.pragma('foreign_key_check') as unknown[];
            if (broken.length > 0)
              throw new Error(`schema migration ${v + 1} left ${broken.length} rows with broken references`);
            db.pragma(`user_version = ${v + 1}`);
          })
          .immediate(),
      );
    }
  } catch (err) {
    db.close();
    throw err;
  }
  db.pragma('foreign_keys = ON');
}

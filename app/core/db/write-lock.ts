// How the library's writers share its one write lock (WAL: one writer at a time, readers never wait).
// Long jobs (a large edit written, derived) hold it in short transactions and pause between them
// (giveWay); every writer takes it with writeTransaction, which tries again each millisecond while it is
// held. SQLite's own busy handler backs off to 100 ms between tries: a pause of a few milliseconds between
// two chunks of a long job was mostly missed, and a one-row save waited for chunk after chunk (up to
// 1.6 s behind 40 ms chunks at 100k tracks).
import type Database from 'better-sqlite3';

/** A library connection (database.ts's Db; named here so the two modules do not import each other). */
type Db = Database.Database;

const PAUSE = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number) => Atomics.wait(PAUSE, 0, 0, ms);

export const isBusy = (err: unknown) => (err as { code?: string }).code === 'SQLITE_BUSY';

/** How long a long job pauses between its write transactions (see giveWay). */
const GIVE_WAY_MS = 20;

/**
 * Pauses this thread between two write transactions of a long job, so a writer waiting meanwhile gets the
 * lock (and a writer another Sleeve started, whose tries back off, has a window it can find). Call only
 * off an event loop that serves others (a worker, a CLI command).
 */
export function giveWay(): void {
  sleepMs(GIVE_WAY_MS);
}

/** giveWay for a job on an event loop that serves others (a scan in the app's backend): the same pause,
 *  the loop free meanwhile. */
export function giveWayAsync(): Promise<void> {
  return new Promise((resume) => setTimeout(resume, GIVE_WAY_MS));
}

/**
 * Runs `fn` again while another process holds a lock it needs, for up to `waitMs`: two processes opening
 * a new library at once (two scans, the app and the CLI) both switch it to WAL and migrate it, and SQLite
 * answers the second at once with SQLITE_BUSY for those, without waiting.
 */
export function whenFree<T>(fn: () => T, waitMs: number): T {
  const deadline = performance.now() + waitMs;
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || performance.now() > deadline) throw err;
      sleepMs(10);
    }
  }
}

/** BEGIN IMMEDIATE, tried each millisecond for up to `waitMs`. */
function beginImmediate(db: Db, waitMs: number): void {
  const was = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const deadline = performance.now() + waitMs;
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isBusy(err) || performance.now() > deadline) throw err;
        sleepMs(1);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${was}`);
  }
}

/**
 * Runs `fn` in a write transaction: committed if it returns, rolled back if it throws. Inside another
 * transaction, it is a savepoint of that one. Throws SQLITE_BUSY (nothing written) when the lock stays
 * held past `waitMs`: the connection's busy timeout, unless a thread that serves others would rather try
 * again later.
 */
export function writeTransaction<T>(db: Db, fn: () => T, waitMs?: number): T {
  if (db.inTransaction) return db.transaction(fn)();
  beginImmediate(db, waitMs ?? (db.pragma('busy_timeout', { simple: true }) as number));
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

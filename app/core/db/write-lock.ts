// How the library's writers share its one write lock (WAL: one writer at a time, readers never wait).
// Long jobs (a large edit written, derived) hold it in short transactions and pause between them
// (giveWay); every writer takes it with writeTransaction, which tries again each millisecond while it is
// held. SQLite's own busy handler backs off to 100 ms between tries: a pause of a few milliseconds between
// two chunks of a long job was mostly missed, and a one-row save waited for chunk after chunk (up to
// 1.6 s behind 40 ms chunks at 100k tracks). A writer kept waiting says so with a mark beside the library
// (its modification time, touched while it waits), and a long job pauses long only while one is fresh:
// pausing long after every transaction with nobody waiting took about a third of a large retag's time.
import { appendFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** A library connection (database.ts's Db; named here so the two modules do not import each other). */
type Db = Database.Database;

const PAUSE = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number) => Atomics.wait(PAUSE, 0, 0, ms);

export const isBusy = (err: unknown) => (err as { code?: string }).code === 'SQLITE_BUSY';

/** How long one transaction of a long job (a derivation, a large edit's rows, an upkeep's step) may hold the
 *  write lock, about: each goes by the clock, so a slow machine or pages read from disk make more of them,
 *  not longer ones. */
export const HOLD_MS = 40;

/** How long a long job pauses between its write transactions while a writer waits (see giveWay): on two
 *  busy cores a writer polling each millisecond was not always run within 5 or 10 ms (BENCHMARKS.md). */
const GIVE_WAY_MS = 20;
/** …and while none does: a moment for the scheduler, not a window anyone needs. */
const BRIEF_MS = 2;
/** A waiting writer touches its mark this often; a mark counts this long after its last touch (a writer
 *  stopped while it waited leaves its mark behind). */
const MARK_TOUCH_MS = 100;
const MARK_FRESH_MS = 500;

/** The mark a writer kept waiting for `db`'s lock leaves beside the library. */
const waitingMark = (db: Db) => `${db.name}-waiting`;

/** Whether a writer has said, lately (before `at`), that it waits for the lock of `db`'s library. */
export function writerWaiting(db: Db, at = Date.now()): boolean {
  if (db.memory) return false;
  try {
    return at - statSync(waitingMark(db)).mtimeMs < MARK_FRESH_MS;
  } catch {
    return false;
  }
}

/** Says that a writer waits for the lock of `db`'s library (a library in memory has no other writer). */
function markWaiting(db: Db): void {
  if (db.memory) return;
  const mark = waitingMark(db);
  const now = new Date();
  try {
    utimesSync(mark, now, now);
  } catch {
    try {
      writeFileSync(mark, '');
    } catch {
      // A folder it cannot write to: the long job pauses briefly, and the tries each millisecond go on.
    }
  }
}

/** How long a long job on `db` pauses now: long while a writer waits, else briefly. */
const pauseMs = (db: Db) => (writerWaiting(db) ? GIVE_WAY_MS : BRIEF_MS);

/**
 * Pauses this thread between two write transactions of a long job on `db`, so a writer waiting meanwhile
 * gets the lock. Call only off an event loop that serves others (a worker, a CLI command).
 */
export function giveWay(db: Db): void {
  sleepMs(pauseMs(db));
}

/** giveWay for a job on an event loop that serves others (the upkeep in the app's backend and in a mount
 *  daemon): always the long pause, whoever waits, for it is the loop's time too (the requests it serves). */
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
    let touched = Number.NEGATIVE_INFINITY;
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        const now = performance.now();
        if (!isBusy(err) || now > deadline) throw err;
        if (now - touched >= MARK_TOUCH_MS) {
          markWaiting(db);
          touched = now;
        }
        sleepMs(1);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${was}`);
  }
}

/** Holds of the lock longer than this are told to the hold log. */
const HOLD_LOGGED_MS = 60;

/** Appends a hold of `ms` and where the transaction was taken (its callers) to the file SLEEVE_HOLD_LOG
 *  names, one JSON line each: how the edit benchmark says who kept the other writers waiting. */
function logHold(file: string, ms: number): void {
  const at = new Error().stack
    ?.split('\n')
    .slice(3, 6)
    .map((line) => line.trim().replace(/^at /, ''));
  try {
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, ms: Math.round(ms), at })}\n`);
  } catch {
    // A log that cannot be written is no reason to fail a write.
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
  const holdLog = process.env.SLEEVE_HOLD_LOG;
  const began = holdLog ? performance.now() : 0;
  try {
    const result = fn();
    db.exec('COMMIT');
    const held = holdLog ? performance.now() - began : 0;
    if (held > HOLD_LOGGED_MS) logHold(holdLog!, held);
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

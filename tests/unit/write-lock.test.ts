// writeTransaction: how every writer takes the library's one write lock (real SQLite files; the other
// writer is a thread of its own, as it is a process of its own in use).
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writerWaiting, writeTransaction } from '../../app/core/db/write-lock.ts';
import { tempDir } from '../helpers.ts';

function library(): { file: string; db: Database.Database } {
  const file = join(tempDir(), 'library.db');
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT NOT NULL)');
  return { file, db };
}

const rows = (db: Database.Database) => db.prepare('SELECT who FROM t ORDER BY id').pluck().all();

/** A writer on its own thread that takes the lock, and commits when released or after `commitAfterMs`. */
async function holder(file: string, commitAfterMs?: number): Promise<{ release(): Promise<void> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const db = new (require(workerData.driver))(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     db.prepare("INSERT INTO t (who) VALUES ('holder')").run();
     const commit = () => { db.exec('COMMIT'); db.close(); parentPort.postMessage('done'); };
     if (workerData.commitAfterMs === undefined) parentPort.once('message', commit);
     else setTimeout(commit, workerData.commitAfterMs);
     parentPort.postMessage('holding');`,
    {
      eval: true,
      workerData: { file, commitAfterMs, driver: fileURLToPath(import.meta.resolve('better-sqlite3')) },
    },
  );
  const done = once(worker, 'exit');
  await once(worker, 'message');
  return {
    async release() {
      worker.postMessage('commit');
      await once(worker, 'message');
      await worker.terminate();
      await done;
    },
  };
}

/** A write of `who` tried while another thread holds the lock, past a busy timeout of 50 ms: refused with
 *  SQLITE_BUSY; `meanwhile` runs before the holder lets go. */
async function refusedWhileHeld(file: string, db: Database.Database, who: string, meanwhile = () => {}) {
  db.pragma('busy_timeout = 50');
  const other = await holder(file);
  try {
    expect(() => writeTransaction(db, () => db.prepare('INSERT INTO t (who) VALUES (?)').run(who))).toThrow(
      expect.objectContaining({ code: 'SQLITE_BUSY' }),
    );
    meanwhile();
  } finally {
    await other.release();
  }
}

describe('writeTransaction', () => {
  it('commits what it wrote, and rolls all of it back when it throws', () => {
    const { db } = library();
    const add = db.prepare('INSERT INTO t (who) VALUES (?)');
    expect(writeTransaction(db, () => add.run('kept').changes)).toBe(1);
    expect(() =>
      writeTransaction(db, () => {
        add.run('lost');
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(rows(db)).toEqual(['kept']);
    expect(db.inTransaction).toBe(false);
  });

  it('inside another transaction is a part of it: rolled back with it', () => {
    const { db } = library();
    const add = db.prepare('INSERT INTO t (who) VALUES (?)');
    expect(() =>
      writeTransaction(db, () => {
        writeTransaction(db, () => add.run('inner'));
        throw new Error('outer refused');
      }),
    ).toThrow('outer refused');
    expect(rows(db)).toEqual([]);
  });

  it('waits while another writer holds the lock, and writes after it', async () => {
    const { file, db } = library();
    // The holder commits on its own thread, on its own timer, while this thread waits in writeTransaction.
    await holder(file, 100);
    writeTransaction(db, () => db.prepare("INSERT INTO t (who) VALUES ('waiter')").run());
    expect(rows(db)).toEqual(['holder', 'waiter']);
  });

  it('gives up with SQLITE_BUSY after the busy timeout, having written nothing, the timeout kept', async () => {
    const { file, db } = library();
    await refusedWhileHeld(file, db, 'waiter', () => {
      expect(db.pragma('busy_timeout', { simple: true })).toBe(50);
      expect(db.inTransaction).toBe(false);
    });
    expect(rows(db)).toEqual(['holder']);
  });

  it('says so beside the library while it waits, and a long job sees that only for half a second after', async () => {
    const { file, db } = library();
    writeTransaction(db, () => db.prepare("INSERT INTO t (who) VALUES ('at once')").run());
    // Taken at once: nobody was kept waiting, nothing said.
    expect(existsSync(`${file}-waiting`)).toBe(false);
    expect(writerWaiting(db)).toBe(false);
    await refusedWhileHeld(file, db, 'kept');
    // Made while it waited (there was none before), and seen for half a second from its last touch.
    const said = statSync(`${file}-waiting`).mtimeMs;
    expect(writerWaiting(db, said + 499)).toBe(true);
    expect(writerWaiting(db, said + 501)).toBe(false);
  });

  it('tells the hold log (SLEEVE_HOLD_LOG) a hold of the lock over 60 ms and who took it, and no other', () => {
    const { db } = library();
    const log = join(tempDir(), 'holds.log');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const holdFor = (ms: number) => writeTransaction(db, () => Atomics.wait(pause, 0, 0, ms));
    process.env.SLEEVE_HOLD_LOG = log;
    try {
      holdFor(0);
      expect(existsSync(log)).toBe(false);
      (function aLongJob() {
        holdFor(80);
      })();
    } finally {
      delete process.env.SLEEVE_HOLD_LOG;
    }
    holdFor(80); // no log asked for
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0].ms).toBeGreaterThanOrEqual(80);
    expect(lines[0].pid).toBe(process.pid);
    expect(lines[0].at[0]).toMatch(/^holdFor /);
    expect(lines[0].at[1]).toMatch(/^aLongJob /);
  });
});

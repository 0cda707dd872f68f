// The mount daemon learns of another process's commits from the watch on the database's folder, not by
// asking SQLite every few milliseconds; the poll is only a net, and checks stay a minimum gap apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommitWatch } from '../../app/core/db/commit-watch.ts';

const HOUR = 3_600_000;
/** Timings whose poll never comes within a test, and one that polls each second. */
const NO_POLL = { minGapMs: 10, pollMs: HOUR, settleMs: 50 };
const POLLED = { minGapMs: 10, pollMs: 1000, settleMs: 50 };
let dir: string;
const watches: CommitWatch[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sleeve-commit-watch-'));
});
afterEach(() => {
  for (const w of watches.splice(0)) w.close();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** Timers and the clock the watch reads, faked (performance.now included: it spaces the checks). */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
}

function walDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  return db;
}

function watching(
  file: string,
  check: () => void,
  timing = NO_POLL,
  onWatchError: (err: Error) => void = (err) => {
    throw err;
  },
): CommitWatch {
  const w = new CommitWatch(file, check, onWatchError, timing);
  watches.push(w);
  return w;
}

describe('CommitWatch', () => {
  it("calls the check when another connection commits, with no poll that could have (the watch's doing)", async () => {
    const file = join(dir, 'library.db');
    const reader = walDatabase(file);
    const writer = walDatabase(file);
    writer.exec('CREATE TABLE t (x)');
    const seen = reader.prepare('PRAGMA data_version').pluck();
    const before = seen.get();
    // Only the watch can call it before the test's timeout: the poll is an hour away. A check that comes
    // before the commit is visible does not count: one must come that finds it.
    const found = new Promise<void>((done) =>
      watching(file, () => {
        if (seen.get() !== before) done(); // the commit the check is there to find
      }),
    );
    writer.prepare('INSERT INTO t VALUES (1)').run();
    await found;
    expect(seen.get()).not.toBe(before);
    reader.close();
    writer.close();
  });

  it('runs one check for many nudges, and the next one no sooner than the minimum gap', () => {
    fakeClock();
    let checks = 0;
    const w = watching(join(dir, 'library.db'), () => checks++);
    for (let i = 0; i < 5; i++) w.nudge();
    expect(checks).toBe(0); // never synchronously: the caller may be inside a transaction
    vi.advanceTimersByTime(0);
    expect(checks).toBe(1);
    w.nudge();
    vi.advanceTimersByTime(9);
    expect(checks).toBe(1);
    vi.advanceTimersByTime(1);
    expect(checks).toBe(2);
  });

  it('checks once more a moment after the last of a burst of writes, when its commit is surely visible', () => {
    fakeClock();
    const at: number[] = [];
    const w = watching(join(dir, 'library.db'), () => at.push(performance.now()));
    w.written();
    vi.advanceTimersByTime(45);
    w.written();
    vi.advanceTimersByTime(4);
    w.written(); // the last write, at 49 ms
    vi.advanceTimersByTime(200);
    expect(at.at(-1)).toBeGreaterThanOrEqual(99);
  });

  it('checks once more a moment after a write, when the commit it belongs to is surely visible', () => {
    fakeClock();
    let checks = 0;
    const w = watching(join(dir, 'library.db'), () => checks++);
    for (let i = 0; i < 3; i++) w.written();
    vi.advanceTimersByTime(0);
    expect(checks).toBe(1);
    vi.advanceTimersByTime(49);
    expect(checks).toBe(1);
    vi.advanceTimersByTime(2);
    expect(checks).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(checks).toBe(2); // nothing written since: no poll within the hour
  });

  it('still checks at the poll when the watch sees nothing', () => {
    fakeClock();
    let checks = 0;
    watching(join(dir, 'library.db'), () => checks++, POLLED);
    vi.advanceTimersByTime(999);
    expect(checks).toBe(0);
    vi.advanceTimersByTime(2); // a timeout set inside a timer's callback runs a millisecond later, as in Node
    expect(checks).toBe(1);
    vi.advanceTimersByTime(2000);
    expect(checks).toBe(3);
  });

  it('says when its folder cannot be watched, and keeps to the poll', () => {
    fakeClock();
    const errors: string[] = [];
    let checks = 0;
    watching(
      join(dir, 'gone', 'library.db'),
      () => checks++,
      POLLED,
      (err) => errors.push((err as NodeJS.ErrnoException).code ?? err.message),
    );
    expect(errors).toEqual(['ENOENT']);
    vi.advanceTimersByTime(1001);
    expect(checks).toBe(1);
  });

  it('checks nothing once closed', () => {
    fakeClock();
    let checks = 0;
    const w = watching(join(dir, 'library.db'), () => checks++, POLLED);
    w.written();
    w.close();
    w.written();
    vi.advanceTimersByTime(5000);
    expect(checks).toBe(0);
  });
});

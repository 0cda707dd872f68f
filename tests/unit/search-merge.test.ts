// The full-text index merged in bounded steps (migration 24 turned FTS5's automatic merging off).
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { ftsTrigrams } from '../../app/core/library/query-sql.ts';
import {
  mergeSearchDown,
  mergeSearchStep,
  mergeSearchUntil,
  searchMergeDue,
  searchSegments,
} from '../../app/core/library/search-merge.ts';
import { Upkeep } from '../../app/core/library/upkeep.ts';
import { tempDir } from '../helpers.ts';

/** A library whose full-text index 15 small transactions wrote: a segment each (16 on a level would
 *  make FTS5 merge them itself). */
function fragmented() {
  const db = openDatabase(join(tempDir(), 'library.db'));
  const add = db.prepare('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)');
  for (let t = 0; t < 15; t++)
    db.transaction(() => {
      for (let i = 0; i < 25; i++)
        add.run(t * 25 + i + 1, `/music/${t}/${i}.flac`, `Title ${t} ${i}\nZydeco`);
    })();
  return db;
}

const found = (db: ReturnType<typeof fragmented>) =>
  db.prepare('SELECT count(*) FROM search WHERE search MATCH ?').pluck().get(ftsTrigrams('zydeco'));

describe('mergeSearchStep', () => {
  it('merges what small transactions left until nothing is left, and every row is still found', () => {
    const db = fragmented();
    const pages = db.prepare('SELECT count(*) FROM search_data').pluck();
    const unmerged = pages.get() as number;
    let steps = 0;
    while (db.transaction(() => mergeSearchStep(db))()) steps++;
    expect(steps).toBeGreaterThan(0);
    expect(pages.get()).toBeLessThan(unmerged);
    expect(db.transaction(() => mergeSearchStep(db))()).toBe(false);
    expect(found(db)).toBe(375);
  });
});

describe('mergeSearchUntil', () => {
  it('takes one step once its time is up, and steps until nothing is left while it is not', () => {
    const stepsTaken = (deadline: () => number) => {
      const db = fragmented();
      const exec = db.exec.bind(db);
      let steps = 0;
      vi.spyOn(db, 'exec').mockImplementation((sql: string) => {
        if (sql.includes("'merge'")) steps++;
        return exec(sql);
      });
      const { merged, more } = db.transaction(() => mergeSearchUntil(db, deadline()))();
      vi.restoreAllMocks();
      expect(found(db)).toBe(375);
      return { steps, merged, more };
    };
    expect(stepsTaken(() => performance.now() - 1)).toEqual({ steps: 1, merged: 1, more: true });
    // Until a step finds nothing left: each step but that one merged.
    const all = stepsTaken(() => Number.POSITIVE_INFINITY);
    expect(all.more).toBe(false);
    expect(all.merged).toBeGreaterThan(0);
    expect(all.steps).toBe(all.merged + 1);
  });
});

describe('mergeSearchDown', () => {
  it('merges an index of many segments down until it is not due, every row still found', async () => {
    const db = fragmented();
    expect(searchSegments(db)).toBeGreaterThan(12);
    expect(searchMergeDue(db)).toBe(true);
    const steps = await mergeSearchDown(db, 100, () => false);
    expect(steps).toBeGreaterThan(0);
    expect(searchSegments(db)).toBeLessThanOrEqual(12);
    expect(searchMergeDue(db)).toBe(false);
    expect(found(db)).toBe(375);
    expect(await mergeSearchDown(db, 100, () => false)).toBe(0);
  });

  it('stops when told', async () => {
    const db = fragmented();
    expect(await mergeSearchDown(db, 100, () => true)).toBe(0);
    expect(searchMergeDue(db)).toBe(true);
  });
});

describe('the rows an edit replaced', () => {
  /** A library whose index is one merged segment of 2,000 files, a third of them since deleted. */
  function withDeletions() {
    const db = openDatabase(join(tempDir(), 'library.db'));
    const add = db.prepare('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 2000; i++) add.run(i, `/music/${i}.flac`, `Title ${i}\nZydeco`);
    })();
    db.exec("INSERT INTO search(search) VALUES ('optimize')");
    const drop = db.prepare('DELETE FROM search WHERE rowid = ?');
    db.transaction(() => {
      for (let i = 3; i <= 2000; i += 3) drop.run(i);
    })();
    return db;
  }
  const pages = (db: ReturnType<typeof withDeletions>) =>
    db.prepare('SELECT count(*) FROM search_data').pluck().get() as number;

  it("are left in place by a long job's steps, and dropped by the merge-down", async () => {
    const db = withDeletions();
    const before = pages(db);
    // FTS5's default would rewrite the segment here, a third of its rows deleted.
    expect(db.transaction(() => mergeSearchStep(db))()).toBe(false);
    expect(pages(db)).toBe(before);
    expect(await mergeSearchDown(db, 100, () => false)).toBeGreaterThan(0);
    expect(pages(db)).toBeLessThan(before);
    expect(found(db)).toBe(1334);
    // …and the index is left without such merges for the steps after it.
    expect(db.transaction(() => mergeSearchStep(db))()).toBe(false);
    expect(db.prepare("SELECT v FROM search_config WHERE k = 'deletemerge'").pluck().get()).toBe(0);
  });
});

describe("a long-running writer's upkeep", () => {
  it('merges the full-text index down at its check each minute, and not before', async () => {
    vi.useFakeTimers();
    const db = fragmented();
    const problems: string[] = [];
    const upkeep = new Upkeep(db, { batches: 1000, days: 365 }, (line) => problems.push(line));
    try {
      await vi.advanceTimersByTimeAsync(59_000);
      expect(searchMergeDue(db)).toBe(true);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(searchMergeDue(db)).toBe(false);
      expect(found(db)).toBe(375);
      expect(problems).toEqual([]);
    } finally {
      upkeep.close();
      vi.useRealTimers();
    }
  });
});

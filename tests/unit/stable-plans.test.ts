// Every library connection plans a statement once: SQLite's query planner stability guarantee is on for
// the writer and for readers (app/core/db/stable-plans.ts says why it matters: 5-20x per query).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, openReader } from '../../app/core/db/database.ts';
import { loadStablePlans, stablePlansProblem } from '../../app/core/db/stable-plans.ts';
import { tempDir } from '../helpers.ts';

describe('library connections', () => {
  it('keep their query plans whatever values are bound (the writer and a reader)', () => {
    const file = join(tempDir(), 'library.db');
    const writer = openDatabase(file);
    const reader = openReader(file);
    for (const db of [writer, reader]) expect(db.prepare('SELECT stable_plans()').pluck().get()).toBe(1);
    // The guarantee in SQLite's own terms: a LIKE over a bound pattern is not turned into a range that
    // depends on the value (which is what marks a statement to be prepared again).
    writer.exec('CREATE TABLE t (x TEXT COLLATE NOCASE); CREATE INDEX t_x ON t (x)');
    const plan = writer.prepare('EXPLAIN QUERY PLAN SELECT x FROM t WHERE x LIKE ?').all('abc%') as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join()).not.toMatch(/x>\? AND x<\?/);
    reader.close();
    writer.close();
  });
});

describe('a connection without the extension (not built: no C compiler)', () => {
  it('still works, and the process can say why it is slower', () => {
    const db = new Database(':memory:');
    loadStablePlans(db, join(tempDir(), 'missing.so'));
    expect(db.prepare('SELECT 1 + 1').pluck().get()).toBe(2);
    expect(stablePlansProblem()).toMatch(/stable-plans extension did not load \(it is not built\)/);
    db.close();
  });
});

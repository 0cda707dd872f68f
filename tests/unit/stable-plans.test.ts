// Every library connection plans a statement once: SQLite's query planner stability guarantee is on for
// the writer and for readers (app/core/db/stable-plans.ts says why it matters: 5-20x per query).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, openReader } from '../../app/core/db/database.ts';
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

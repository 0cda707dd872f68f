// The full-text index merged in bounded steps (migration 24 turned FTS5's automatic merging off).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { mergeSearchStep } from '../../app/core/library/search-merge.ts';
import { tempDir } from '../helpers.ts';

describe('mergeSearchStep', () => {
  it('merges what small transactions left until nothing is left, and every row is still found', () => {
    const db = openDatabase(join(tempDir(), 'library.db'));
    const add = db.prepare('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)');
    const pages = db.prepare('SELECT count(*) FROM search_data').pluck();
    for (let t = 0; t < 40; t++)
      db.transaction(() => {
        for (let i = 0; i < 25; i++)
          add.run(t * 25 + i + 1, `/music/${t}/${i}.flac`, `Title ${t} ${i}\nZydeco`);
      })();
    const unmerged = pages.get() as number;
    let steps = 0;
    while (db.transaction(() => mergeSearchStep(db))()) steps++;
    expect(steps).toBeGreaterThan(0);
    expect(pages.get()).toBeLessThan(unmerged);
    expect(db.transaction(() => mergeSearchStep(db))()).toBe(false);
    expect(db.prepare("SELECT count(*) FROM search WHERE search MATCH 'Zydeco'").pluck().get()).toBe(1000);
  });
});

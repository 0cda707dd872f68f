// A file's effective tags: each key takes its newest edit that is not undone, over the file's own tag; a
// key no edit sets keeps the file's values. Undoing the newest brings back the one before it, redoing it
// brings it back, and undoing every edit of a key brings back what the file says.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { applyEdit, planEdit, redoBatch, undoBatch } from '../../app/core/library/edits.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe("a file's effective tags", () => {
  it('take the newest edit of each key not undone', () => {
    const { db, ids } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['File title'], genre: ['File genre'], album: ['Album'] } },
    ]);
    open.push(db);
    const id = ids[0]!;
    const edit = (key: string, value: string) =>
      applyEdit(db, planEdit(db, [id], [{ key, values: [value] }]), { description: key, origin: 'cli' })!;
    const tags = () =>
      Object.fromEntries(
        (
          db
            .prepare("SELECT key, group_concat(value, '|') AS v FROM tags WHERE file_id = ? GROUP BY key")
            .all(id) as { key: string; v: string }[]
        ).map((r) => [r.key, r.v]),
      );
    const first = edit('title', 'First');
    edit('genre', 'Edited genre');
    const third = edit('title', 'Third');
    expect(tags()).toMatchObject({ title: 'Third', genre: 'Edited genre', album: 'Album' });
    undoBatch(db, third);
    expect(tags()).toMatchObject({ title: 'First', genre: 'Edited genre', album: 'Album' });
    redoBatch(db, third);
    expect(tags()).toMatchObject({ title: 'Third' });
    undoBatch(db, third);
    undoBatch(db, first);
    expect(tags()).toMatchObject({ title: 'File title', genre: 'Edited genre', album: 'Album' });
  });
});

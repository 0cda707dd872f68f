// The time the mount shows a file is its original's, or the last time an edit batch made or undid an edit
// of its tags or pictures, whichever is later: each file's as the former query (a UNION of its batches)
// read it, over files with tag edits, picture edits, both, undone batches and none.
import { describe, expect, it } from 'vitest';
import { LibraryView } from '../../app/core/mounted/library-view.ts';
import { PathTemplate } from '../../app/core/served/path-template.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

/** The last batch time of file `f`, as the view read it before (one UNION of its batches per file). */
const FORMER = `SELECT f.id, (SELECT max(max(b.created_at, coalesce(b.undone_at, 0))) FROM edit_batches b
   WHERE b.id IN (SELECT batch_id FROM edits WHERE file_id = f.id
                  UNION SELECT batch_id FROM art_edits WHERE file_id = f.id)) AS editedAt, f.mtime_ms AS mtime
  FROM files f ORDER BY f.id`;

describe("the mount's time of an edited file", () => {
  it('is the latest of its original and the batches that made or undid its edits', () => {
    const { db, ids } = taggedLibrary(
      ['a', 'b', 'c', 'd', 'e'].map((n) => ({ path: `/music/${n}.flac`, tags: { title: [n] } })),
    );
    const [a, b, c, d] = ids as [number, number, number, number];
    const now = Date.now();
    const batch = db.prepare(
      'INSERT INTO edit_batches (created_at, description, undone_at) VALUES (?, ?, ?)',
    );
    const edit = db.prepare(
      `INSERT INTO edits (batch_id, file_id, key, vals) VALUES (?, ?, 'title', '["x"]')`,
    );
    const art = db.prepare(`INSERT INTO art_edits (batch_id, file_id, pictures) VALUES (?, ?, '[]')`);
    const made = (at: number, undone: number | null = null) =>
      Number(batch.run(at, 'test', undone).lastInsertRowid);
    const first = made(now + 1000);
    const undone = made(now + 2000, now + 9000);
    const pictures = made(now + 3000);
    const later = made(now + 4000);
    edit.run(first, a);
    edit.run(undone, b); // undone later than any batch was made
    art.run(pictures, c);
    edit.run(first, d);
    art.run(later, d); // a picture edit after a tag edit
    const view = new LibraryView(db, new PathTemplate());
    const rows = db.prepare(FORMER).all() as Array<{ id: number; editedAt: number | null; mtime: number }>;
    const shown = rows.map((r) => view.record(r.id)?.shownMtimeMs);
    expect(shown).toEqual(rows.map((r) => Math.max(r.mtime, r.editedAt ?? 0)));
    expect(rows.map((r) => r.editedAt)).toEqual([now + 1000, now + 9000, now + 3000, now + 4000, null]);
    // A first load reads the times a table at a time; a later refresh, by file: the same either way.
    const e = ids[4]!;
    edit.run(made(now + 5000), e);
    db.prepare('UPDATE files SET change_seq = (SELECT max(change_seq) + 1 FROM files) WHERE id = ?').run(e);
    expect(view.refresh(true)).toContain(e);
    expect(view.record(e)?.shownMtimeMs).toBe(now + 5000);
    db.close();
  });

  it('shows a version made within the second of the last one a second later, as watchers compare seconds', () => {
    const { db, ids } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['a'] } }]);
    const [a] = ids as [number];
    const view = new LibraryView(db, new PathTemplate());
    const second = Math.floor(Date.now() / 1000) * 1000 + 60_000;
    const editAt = (at: number) => {
      const batch = db
        .prepare('INSERT INTO edit_batches (created_at, description) VALUES (?, ?)')
        .run(at, 'test').lastInsertRowid;
      db.prepare(`INSERT INTO edits (batch_id, file_id, key, vals) VALUES (?, ?, 'title', '["x"]')`).run(
        batch,
        a,
      );
      db.prepare('UPDATE files SET change_seq = (SELECT max(change_seq) + 1 FROM files) WHERE id = ?').run(a);
      view.refresh(true);
      return view.record(a)!.shownMtimeMs;
    };
    expect(editAt(second + 100)).toBe(second + 100);
    expect(editAt(second + 400)).toBe(second + 1000);
    expect(editAt(second + 700)).toBe(second + 2000);
    expect(editAt(second + 5000)).toBe(second + 5000); // later than any shown: its own time
    db.close();
  });
});

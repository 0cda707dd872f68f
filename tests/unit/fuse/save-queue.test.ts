// The mount's saves on their way into the library, on a real library file: applied at once when it is
// free; journalled and applied in order once another connection lets go of the write lock; replayed
// exactly once from the journal of a daemon that died, whether or not it had applied them.
import { appendFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../../../app/core/db/database.ts';
import { resolveHome } from '../../../app/core/home.ts';
import {
  acceptedSave,
  adoptOrphans,
  applySave,
  forgetUnheld,
  type NewSave,
  orphanedSaves,
  SaveJournal,
} from '../../../app/core/library/save-journal.ts';
import { SaveQueue } from '../../../fuse/save-queue.ts';
import { tempDir } from '../../helpers.ts';
import { holdLibrary } from '../../library-probe.ts';

const home = () => resolveHome(tempDir());

function library(h: ReturnType<typeof resolveHome>): Db {
  const db = openDatabase(h.database);
  db.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0);
    INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
      VALUES (1, 1, '/music/a.flac', 1, 0, 1, 'ok', 0, 0)`);
  return db;
}

const genre = (value: string): NewSave => ({
  path: 'Artist/Album/a.flac',
  description: `written through the mount: a.flac (${value})`,
  changes: [{ fileId: 1, key: 'genre', before: [], after: [value] }],
  art: [],
  images: [],
});

const batches = (db: Db) =>
  db.prepare('SELECT description FROM edit_batches ORDER BY id').pluck().all() as string[];

function queue(db: Db, h: ReturnType<typeof resolveHome>) {
  let settle: () => void = () => {};
  const q = new SaveQueue(db, SaveJournal.create(h), {
    applied: async () => {
      if (q.pending === 0) settle();
    },
    pending: () => {},
    problem: (line) => {
      throw new Error(line);
    },
  });
  const drained = () =>
    new Promise<void>((resolve) => {
      if (q.pending === 0) resolve();
      else settle = resolve;
    });
  return { q, drained };
}

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

describe('SaveQueue', () => {
  test('applies a save at once while the library is free', () => {
    const h = home();
    const db = library(h);
    const { q } = queue(db, h);
    open.push(q, db);
    expect(q.accept(genre('Jazz'))).toEqual({ batch: 1 });
    expect(batches(db)).toEqual(['written through the mount: a.flac (Jazz)']);
  });

  test('journals saves while another connection holds the library, then applies them in order', async () => {
    const h = home();
    const db = library(h);
    const { q, drained } = queue(db, h);
    open.push(q, db);
    const other = holdLibrary(h.database);
    expect(q.accept(genre('first'))).toEqual({ waiting: 1 });
    expect(q.accept(genre('second'))).toEqual({ waiting: 2 });
    expect(orphanedSaves(h, db)).toBe(0); // its daemon (this queue) is alive
    other.exec('ROLLBACK');
    other.close();
    await drained();
    expect(batches(db)).toEqual([
      'written through the mount: a.flac (first)',
      'written through the mount: a.flac (second)',
    ]);
    expect(db.prepare('SELECT count(*) FROM applied_saves').pluck().get()).toBe(0);
  });

  test('a dead daemon’s journal is replayed once: what it applied is skipped, a torn last line dropped', async () => {
    const h = home();
    const db = library(h);
    open.push(db);
    const dead = SaveJournal.create(h);
    const [applied, waiting] = [acceptedSave(genre('applied')), acceptedSave(genre('waiting'))];
    dead.append(applied, 0);
    dead.append(waiting, 1);
    applySave(db, applied, true); // applied, then the daemon died before emptying its journal
    dead.close(); // the OS frees a dead daemon's lock; its journal stays
    // Named after a process that is gone (above any pid Linux gives), as a dead daemon's journal is.
    const saves = join(h.dir, 'saves');
    const [file] = readdirSync(saves).filter((n) => n.endsWith('.journal'));
    const base = file!.slice(0, -'.journal'.length);
    const gone = `4194305-${base.split('-').slice(1).join('-')}`;
    for (const ext of ['.journal', '.lock']) renameSync(join(saves, base + ext), join(saves, gone + ext));
    appendFileSync(join(saves, `${gone}.journal`), '{"id":"torn'); // killed mid-append: never acknowledged
    expect(orphanedSaves(h, db)).toBe(1);

    const { q, drained } = queue(db, h);
    open.push(q);
    q.adopt(adoptOrphans(h, (line) => expect.fail(line)));
    await drained();
    expect(batches(db)).toEqual([
      'written through the mount: a.flac (applied)',
      'written through the mount: a.flac (waiting)',
    ]);
    expect(readdirSync(join(h.dir, 'saves')).filter((n) => n.endsWith('.journal'))).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM applied_saves').pluck().get()).toBe(0);
  });

  test('an edit made while a save waited keeps its value; saves that waited apply in the order taken', async () => {
    const h = home();
    const db = library(h);
    const { q, drained } = queue(db, h);
    open.push(q, db);
    const other = holdLibrary(h.database);
    q.accept(genre('first save'));
    q.accept({
      ...genre('second save'),
      changes: [{ fileId: 1, key: 'genre', before: [], after: ['second'] }],
    });
    q.accept({ ...genre('mood'), changes: [{ fileId: 1, key: 'mood', before: [], after: ['calm'] }] });
    // The app's edit of the genre wins the lock first, after the saves were taken.
    other.exec(`INSERT INTO edit_batches (created_at, description) VALUES (${Date.now() + 1}, 'the app');
      INSERT INTO edits (batch_id, file_id, key, vals) VALUES (last_insert_rowid(), 1, 'genre', '["from the app"]')`);
    other.exec('COMMIT');
    other.close();
    await drained();
    const edits = db
      .prepare('SELECT e.key, e.vals FROM edits e JOIN edit_batches b ON b.id = e.batch_id ORDER BY b.id')
      .all();
    expect(edits).toEqual([
      { key: 'genre', vals: '["from the app"]' },
      { key: 'mood', vals: '["calm"]' },
    ]);
  });

  test('a lock file without a journal (a daemon starting) is never adopted nor removed', () => {
    const h = home();
    const starting = SaveJournal.create(h);
    open.push(starting);
    expect(adoptOrphans(h, () => {})).toEqual([]);
    expect(readdirSync(join(h.dir, 'saves')).filter((n) => n.endsWith('.lock'))).toHaveLength(1);
  });

  test('records of applied saves no journal holds are forgotten; those a journal holds are kept', () => {
    const h = home();
    const db = library(h);
    const journal = SaveJournal.create(h);
    open.push(journal, db);
    const [held, loose] = [acceptedSave(genre('held')), acceptedSave(genre('loose'))];
    journal.append(held, 0);
    applySave(db, held, true);
    applySave(db, loose, true); // its journal was emptied, but the row could not be deleted then
    forgetUnheld(h, db);
    expect(db.prepare('SELECT id FROM applied_saves').pluck().all()).toEqual([held.id]);
  });
});

// The mount's saves on their way into the library, on a real library file: applied at once when it is
// free; journalled and applied in order once another connection lets go of the write lock; replayed
// exactly once from the journal of a daemon that died, whether or not it had applied them.
import { appendFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../../../app/core/db/database.ts';
import { resolveHome } from '../../../app/core/home.ts';
import { journalLine } from '../../../app/core/library/journal-line.ts';
import {
  acceptedSave,
  adoptOrphans,
  applySave,
  forgetUnheld,
  heldSaveIds,
  type NewSave,
  orphanedSaves,
  SaveJournal,
} from '../../../app/core/library/save-journal.ts';
import {
  discardAllSetAside,
  discardSetAside,
  INLINE_ENTRY_BYTES,
  libraryId,
  retrySetAside,
  setAsideDir,
  setAsideIds,
  setAsideSaves,
} from '../../../app/core/library/set-aside-saves.ts';
import { SaveQueue } from '../../../app/core/mounted/save-queue.ts';
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
  const problems: string[] = [];
  const q = new SaveQueue(db, SaveJournal.create(h, db), {
    applied: async () => {
      if (q.pending === 0) settle();
    },
    pending: (n) => {
      if (n === 0) settle();
    },
    problem: (line) => problems.push(line),
  });
  const drained = () =>
    new Promise<void>((resolve) => {
      if (q.pending === 0) resolve();
      else settle = resolve;
    });
  return { q, drained, problems };
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
    expect(q.accept(acceptedSave(genre('Jazz')))).toMatchObject({ batch: 1, conflicts: [] });
    expect(batches(db)).toEqual(['written through the mount: a.flac (Jazz)']);
  });

  test('journals saves while another connection holds the library, then applies them in order', async () => {
    const h = home();
    const db = library(h);
    const { q, drained } = queue(db, h);
    open.push(q, db);
    const other = holdLibrary(h.database);
    expect(q.accept(acceptedSave(genre('first')))).toEqual({ waiting: 1 });
    expect(q.accept(acceptedSave(genre('second')))).toEqual({ waiting: 2 });
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

  test('a dead daemon’s journal is replayed once: what it applied is skipped, a torn last line set aside', async () => {
    const h = home();
    const db = library(h);
    open.push(db);
    const dead = SaveJournal.create(h, db);
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
    expect(orphanedSaves(h, db)).toBe(2);

    const { q, drained, problems } = queue(db, h);
    open.push(q);
    q.adopt(adoptOrphans(h, db, (line) => expect.fail(line)));
    await drained();
    expect(problems).toEqual([
      'a save journal entry is set aside (sleeve saves): torn: its last 11 bytes end without a line break (a crash while writing it)',
    ]);
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
    q.accept(acceptedSave(genre('first save')));
    q.accept(
      acceptedSave({
        ...genre('second save'),
        changes: [{ fileId: 1, key: 'genre', before: [], after: ['second'] }],
      }),
    );
    q.accept(
      acceptedSave({ ...genre('mood'), changes: [{ fileId: 1, key: 'mood', before: [], after: ['calm'] }] }),
    );
    // The app's edit of the genre wins the lock first, after the saves were taken.
    other.exec(`INSERT INTO edit_batches (created_at, description) VALUES (${Date.now() + 1}, 'the app');
      INSERT INTO edits (batch_id, file_id, key, vals) VALUES (last_insert_rowid(), 1, 'genre', '["from the app"]');
      INSERT INTO tags (file_id, key, idx, value, fold) VALUES (1, 'genre', 0, 'from the app', 'from the app')`);
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
    const db = library(h);
    const starting = SaveJournal.create(h, db);
    open.push(starting, db);
    expect(adoptOrphans(h, db, () => {})).toEqual([]);
    expect(readdirSync(join(h.dir, 'saves')).filter((n) => n.endsWith('.lock'))).toHaveLength(1);
  });

  test('records of applied saves no journal holds are forgotten; those a journal holds are kept', () => {
    const h = home();
    const db = library(h);
    const journal = SaveJournal.create(h, db);
    open.push(journal, db);
    const [held, loose] = [acceptedSave(genre('held')), acceptedSave(genre('loose'))];
    journal.append(held, 0);
    applySave(db, held, true);
    applySave(db, loose, true); // its journal was emptied, but the row could not be deleted then
    forgetUnheld(db, () => heldSaveIds(h, db));
    expect(db.prepare('SELECT id FROM applied_saves').pluck().all()).toEqual([held.id]);
  });
});

/** A dead daemon's journal holding `lines` (each written as it is, a newline after it). */
function deadJournal(h: ReturnType<typeof resolveHome>, lines: readonly (string | Buffer)[]): string {
  mkdirSync(join(h.dir, 'saves'), { recursive: true });
  const file = join(h.dir, 'saves', '4194305-dead.journal');
  writeFileSync(file, Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')])));
  return file;
}

const setAsideReasons = (db: Db) =>
  db.prepare('SELECT reason FROM set_aside_saves ORDER BY reason').pluck().all() as string[];

describe('journal entries that cannot be applied', () => {
  test('damaged, another library’s, unchecked or with an invalid key: set aside with the reason, and the saves after them land', async () => {
    const h = home();
    const db = library(h);
    open.push(db);
    const lib = libraryId(db);
    const line = (s: NewSave, library = lib) => journalLine(acceptedSave(s), library).subarray(0, -1);
    const flipped = Buffer.from(line(genre('flipped')));
    const at = flipped.indexOf('"fileId":1') + '"fileId":'.length;
    flipped[at]! ^= 0x02; // one bit: file 1 becomes file 3
    const emptyKey = { ...genre('no key'), changes: [{ fileId: 1, key: '', before: [], after: ['x'] }] };
    deadJournal(h, [
      line(genre('first')),
      flipped,
      line(genre('elsewhere'), 'another-library'),
      JSON.stringify(acceptedSave(genre('older'))),
      line(emptyKey),
      line(genre('last')),
    ]);
    const { q, drained, problems } = queue(db, h);
    open.push(q);
    q.adopt(adoptOrphans(h, db, (l) => expect.fail(l)));
    await drained();
    expect(batches(db)).toEqual([
      'written through the mount: a.flac (first)',
      'written through the mount: a.flac (last)',
    ]);
    expect(setAsideReasons(db)).toEqual([
      `accepted for another library (another-library; this one is ${lib})`,
      'damaged: its checksum does not match its contents',
      'not a valid save (changes.0.key: an invalid field name)',
      'written without a checksum by an older Sleeve',
    ]);
    // The four in a row are set aside in one write, said once.
    expect(problems).toEqual([
      expect.stringMatching(
        /^a save journal entry \(and 3 more entries after it\) is set aside \(sleeve saves\): damaged/,
      ),
    ]);
    expect(setAsideSaves(db).count).toBe(4);
  });

  test('20,000 damaged entries: set aside 2,000 to a write, the save after them lands; discard --all takes them all', async () => {
    const h = home();
    const db = library(h);
    open.push(db);
    const lib = libraryId(db);
    const damaged = Array.from({ length: 20_000 }, (_, i) => `S2 00000000 {"damaged": ${i}}`);
    deadJournal(h, [...damaged, journalLine(acceptedSave(genre('after them')), lib).subarray(0, -1)]);
    const { q, drained, problems } = queue(db, h);
    open.push(q);
    q.adopt(adoptOrphans(h, db, (l) => expect.fail(l)));
    await drained();
    expect(batches(db)).toEqual(['written through the mount: a.flac (after them)']);
    expect(setAsideSaves(db).count).toBe(20_000);
    expect(problems).toHaveLength(10); // one a write
    expect(setAsideIds(db)).toHaveLength(20_000); // --all is every one, not the hundred listed
    expect(discardAllSetAside(db, setAsideDir(h.dir))).toBe(20_000);
    expect(setAsideSaves(db).count).toBe(0);
    expect(db.prepare('SELECT count(*) FROM applied_saves WHERE batch_id IS NULL').pluck().get()).toBe(
      20_000,
    );
  });

  test('a save whose file is gone is set aside, never holding back the next; applied once it can be, or discarded', async () => {
    const h = home();
    const db = library(h);
    db.exec(`INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
      VALUES (2, 1, '/music/b.flac', 1, 0, 2, 'ok', 0, 0)`);
    const { q, drained, problems } = queue(db, h);
    open.push(q, db);
    const other = holdLibrary(h.database);
    const onB = (v: string): NewSave => ({
      ...genre(v),
      changes: [{ fileId: 2, key: 'genre', before: [], after: [v] }],
    });
    q.accept(acceptedSave(onB('b first')));
    q.accept(acceptedSave(onB('b second')));
    q.accept(acceptedSave(genre('a after')));
    other.exec('DELETE FROM files WHERE id = 2'); // removed (forgotten) while the saves waited
    other.exec('COMMIT');
    other.close();
    await drained();
    expect(batches(db)).toEqual(['written through the mount: a.flac (a after)']);
    expect(setAsideReasons(db)).toEqual([
      'the library refused it: its file 2 is no longer in the library',
      'the library refused it: its file 2 is no longer in the library',
    ]);
    expect(problems[0]).toMatch(
      /^a save of Artist\/Album\/a\.flac is set aside \(sleeve saves\): the library refused/,
    );
    // Applied while the file is still gone: refused, saying so plainly.
    const dir = setAsideDir(h.dir);
    expect(() =>
      retrySetAside(db, dir, setAsideSaves(db).listed[0]!.id, (s) => applySave(db, s, true)),
    ).toThrow(
      /of Artist\/Album\/a\.flac cannot be applied: its file 2 is no longer in the library\. Scan its folder once the file is back, or discard the save$/,
    );
    // The file comes back (scanned again): the user applies one, and discards the other.
    db.exec(`INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
      VALUES (2, 1, '/music/b.flac', 1, 0, 2, 'ok', 0, 0)`);
    const [first, second] = setAsideSaves(db).listed;
    retrySetAside(db, dir, first!.id, (s) => applySave(db, s, true));
    discardSetAside(db, dir, second!.id);
    expect(batches(db)).toHaveLength(2);
    expect(setAsideSaves(db).count).toBe(0);
    // A discarded save is recorded as applied: a journal replayed later skips it.
    expect(db.prepare('SELECT batch_id FROM applied_saves WHERE id = ?').get(second!.id)).toEqual({
      batch_id: null,
    });
  });

  test('a large save set aside is kept by reference: its line in a file of its own, not in the library', async () => {
    const h = home();
    const db = library(h);
    db.exec(`INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
      VALUES (2, 1, '/music/b.flac', 1, 0, 2, 'ok', 0, 0)`);
    const { q, drained } = queue(db, h);
    open.push(q, db);
    const other = holdLibrary(h.database);
    const notes = (c: string) => c.repeat(INLINE_ENTRY_BYTES * 4);
    const onB = (v: string): NewSave => ({
      ...genre(v.slice(0, 5)),
      changes: [{ fileId: 2, key: 'comment', before: [], after: [v] }],
    });
    for (const v of [notes('x'), notes('y'), 'small']) q.accept(acceptedSave(onB(v)));
    other.exec('DELETE FROM files WHERE id = 2');
    other.exec('COMMIT');
    other.close();
    await drained();
    const rows = db
      .prepare(
        `SELECT id, length(entry) AS inLibrary, entry_file AS file FROM set_aside_saves
         ORDER BY accepted_at, id`,
      )
      .all() as Array<{ id: string; inLibrary: number; file: string | null }>;
    expect(rows.map((r) => [r.inLibrary, r.file !== null])).toEqual([
      [0, true],
      [0, true],
      [expect.any(Number), false],
    ]);
    const dir = setAsideDir(h.dir);
    expect(readdirSync(dir).sort()).toEqual([rows[0]!.file, rows[1]!.file].sort());
    expect(statSync(join(dir, rows[0]!.file!)).size).toBeGreaterThan(INLINE_ENTRY_BYTES * 4);
    // A kept line that is gone (a home restored in part) says so; it can still be discarded.
    rmSync(join(dir, rows[1]!.file!));
    expect(() => retrySetAside(db, dir, rows[1]!.id, (s) => applySave(db, s, true))).toThrow(
      /cannot be applied: its line, kept in .*, cannot be read \(ENOENT\)/,
    );
    // The file back: the large one applies from its file, which then goes.
    db.exec(`INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
      VALUES (2, 1, '/music/b.flac', 1, 0, 2, 'ok', 0, 0)`);
    retrySetAside(db, dir, rows[0]!.id, (s) => applySave(db, s, true));
    expect(db.prepare("SELECT value FROM tags WHERE file_id = 2 AND key = 'comment'").pluck().get()).toBe(
      notes('x'),
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(discardAllSetAside(db, dir)).toBe(2);
  });

  test('a save whose file is gone is refused at once when nothing waits: the tagger hears it', () => {
    const h = home();
    const db = library(h);
    const { q } = queue(db, h);
    open.push(q, db);
    expect(() =>
      q.accept(
        acceptedSave({ ...genre('x'), changes: [{ fileId: 9, key: 'genre', before: [], after: ['x'] }] }),
      ),
    ).toThrow('its file 9 is no longer in the library');
  });

  test('an unreadable journal (a folder in its place) is reported and left, and nothing is forgotten meanwhile', () => {
    const h = home();
    const db = library(h);
    open.push(db);
    mkdirSync(join(h.dir, 'saves', '4194305-odd.journal'), { recursive: true });
    applySave(db, acceptedSave(genre('applied')), true);
    const problems: string[] = [];
    expect(adoptOrphans(h, db, (l) => problems.push(l))).toEqual([]);
    expect(problems[0]).toMatch(
      /^save journal .*4194305-odd\.journal cannot be read \(EISDIR.*: left as it is$/,
    );
    forgetUnheld(db, () => heldSaveIds(h, db));
    expect(db.prepare('SELECT count(*) FROM applied_saves').pluck().get()).toBe(1);
    expect(orphanedSaves(h, db)).toBe(0);
  });

  test('the lock files of a daemon killed before it journalled are removed at the next start', () => {
    const h = home();
    const db = library(h);
    const live = SaveJournal.create(h, db);
    open.push(live, db);
    const saves = join(h.dir, 'saves');
    for (const ext of ['.lock', '.lock.holder', '.lock-journal'])
      writeFileSync(join(saves, `4194305-gone${ext}`), '');
    adoptOrphans(h, db, () => {});
    expect(readdirSync(saves).filter((n) => n.startsWith('4194305'))).toEqual([]);
    const mine = readdirSync(saves).filter((n) => n.startsWith(`${process.pid}-`) && n.endsWith('.lock'));
    expect(mine).toHaveLength(1); // the live daemon's, kept
  });
});

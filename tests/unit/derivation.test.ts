// Commit the truth, derive the rest (app/core/library/derivation.ts), on real library databases: a large
// edit commits only its source rows and queues its files; derived a chunk at a time, its files end up
// showing exactly what an edit refreshed at once shows; undo, a dead writer and a preview taken while an
// edit still derives are handled; and what is queued survives the process that queued it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { HOLD_MS, writeTransaction } from '../../app/core/db/write-lock.ts';
import { feedPosition } from '../../app/core/library/change-feed.ts';
import { catchUp, Derivation, derivationLag, INLINE_FILES } from '../../app/core/library/derivation.ts';
import {
  applyEdit,
  history,
  type PlannedChange,
  planEdit,
  redoBatch,
  undoBatch,
} from '../../app/core/library/edits.ts';
import { fieldsChangedSince, valuesAt } from '../../app/core/library/fields-since.ts';
import { applyPreviewed, checkPreview, OutdatedPreviewError } from '../../app/core/library/previewed.ts';
import { ftsTrigrams } from '../../app/core/library/query-sql.ts';
import { type AcceptedSave, applySave } from '../../app/core/library/save-journal.ts';
import { openedCopy, syntheticLibrary } from '../fixtures/synthetic-library.ts';
import { tempDir } from '../helpers.ts';

const TRACKS = 300;
let made: string;
const open: Db[] = [];

/** A copy of the synthetic library, opened. */
const library = (): Db => openedCopy(made, open);

beforeAll(() => {
  const dir = tempDir();
  syntheticLibrary(dir, TRACKS);
  made = join(dir, 'library.db');
}, 60_000); // a fresh clone draws the covers first (ffmpeg): seconds, more on a busy machine

afterEach(() => {
  vi.useRealTimers();
  for (const db of open.splice(0)) db.close();
});

const ids = (db: Db): number[] => db.prepare('SELECT id FROM files ORDER BY id').pluck().all() as number[];
const retag = (db: Db, files: readonly number[]): PlannedChange[] =>
  planEdit(db, files, [{ key: 'genre', values: ['Zydeco Drone'] }]);

/** Everything derived from the truth, as rows to compare. */
function derived(db: Db) {
  return {
    tags: db
      .prepare('SELECT file_id, key, idx, value, fold FROM tags ORDER BY file_id, key, idx')
      .raw()
      .all(),
    // Lines in any order: a scan writes them as read, a refresh in the tags' order.
    folded: (db.prepare('SELECT text FROM search_folded ORDER BY file_id').pluck().all() as string[]).map(
      (t) => t.split('\n').sort(),
    ),
    served: db.prepare('SELECT id, served_size, served_path FROM files ORDER BY id').raw().all(),
    found: db
      .prepare('SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid')
      .pluck()
      .all(ftsTrigrams('zydeco drone')),
  };
}

describe('a large edit', () => {
  it('commits only its truth, then derives its files in chunks to what an edit refreshed at once shows', () => {
    const db = library();
    const before = derived(db);
    const position = feedPosition(db);
    const batch = applyEdit(db, retag(db, ids(db)), { description: 'retag everything', origin: 'cli' })!;
    // The truth is saved and counts (history, undo); what it derives is not there yet.
    expect(history(db, 1)[0]).toMatchObject({ id: batch, undoneAt: null, files: TRACKS });
    expect(derived(db)).toEqual(before);
    expect(feedPosition(db)).toBe(position); // nothing the mount follows moved yet
    expect(derivationLag(db)).toBe(TRACKS);

    const derivation = new Derivation(db);
    expect(derivation.chunk(0)).toBe(1); // a chunk ends when its time is up, with at least one file
    expect(derivationLag(db)).toBe(TRACKS - 1);
    expect(catchUp(db)).toBe(TRACKS - 1);
    expect(derivationLag(db)).toBe(0);
    expect(derivation.chunk()).toBe(0);

    // The same edit in batches small enough to be refreshed inside their own transactions.
    const twin = library();
    const all = ids(twin);
    for (let i = 0; i < all.length; i += INLINE_FILES)
      applyEdit(twin, retag(twin, all.slice(i, i + INLINE_FILES)), {
        description: 'retag a part',
        origin: 'cli',
      });
    expect(derivationLag(twin)).toBe(0);
    const after = derived(db);
    expect(after).toEqual(derived(twin));
    expect(after.found).toHaveLength(TRACKS);
    expect(feedPosition(db)).toBeGreaterThan(position);
  });

  it('writes its rows in transactions that end by the clock (at least a row each)', () => {
    const db = library();
    const commits = () => {
      let n = 0;
      const exec = db.exec.bind(db);
      vi.spyOn(db, 'exec').mockImplementation((sql: string) => {
        if (sql === 'COMMIT') n++;
        return exec(sql);
      });
      return () => n;
    };
    const fast = commits();
    applyEdit(db, retag(db, ids(db)), { description: 'retag everything', origin: 'cli' });
    const inTime = fast();
    vi.restoreAllMocks();
    // Each row as if the pages it touched were read from disk: the clock past every deadline at once.
    const slow = commits();
    let now = performance.now();
    vi.spyOn(performance, 'now').mockImplementation(() => (now += HOLD_MS));
    const batch = applyEdit(db, planEdit(db, ids(db), [{ key: 'mood', values: ['Slow'] }]), {
      description: 'retag slowly',
      origin: 'cli',
    })!;
    // A transaction a row, where in time one had written all 300.
    expect(slow() - inTime).toBe(TRACKS - 1);
    vi.restoreAllMocks();
    expect(db.prepare('SELECT count(*) FROM edits WHERE batch_id = ?').pluck().get(batch)).toBe(TRACKS);
  });

  it('is undone the same way; an undo while the edit still derives starts its files over', () => {
    const db = library();
    const before = derived(db);
    const batch = applyEdit(db, retag(db, ids(db)), { description: 'retag everything', origin: 'cli' })!;
    const derivation = new Derivation(db);
    for (let i = 0; i < 10; i++) derivation.chunk(0);
    expect(derived(db).found).toHaveLength(10);
    undoBatch(db, batch);
    expect(derivationLag(db)).toBe(TRACKS); // the ten shown new are shown old again, too
    catchUp(db);
    expect(derived(db)).toMatchObject({ tags: before.tags, folded: before.folded, found: [] });
  });

  it('keeps when it was first seen through the derivations of its undo and redo', () => {
    const db = library();
    const batch = applyEdit(db, retag(db, ids(db)), { description: 'retag everything', origin: 'cli' })!;
    catchUp(db);
    const countedAt = () =>
      db.prepare('SELECT counted_at FROM edit_batches WHERE id = ?').pluck().get(batch) as number;
    // Seen a minute ago; a tagger read a file half a minute ago (fields-since.ts): the batch counted then,
    // and still does for that read after its undo and redo, each derived.
    db.prepare(
      'UPDATE edit_batches SET created_at = created_at - 60000, counted_at = counted_at - 60000 WHERE id = ?',
    ).run(batch);
    const seen = countedAt();
    const read = seen + 30000;
    undoBatch(db, batch);
    catchUp(db);
    redoBatch(db, batch);
    catchUp(db);
    expect(countedAt()).toBe(seen);
    expect(valuesAt(db, ids(db)[0]!, ['genre'], read).get('genre')).toEqual(['Zydeco Drone']);
  });

  it('is a change since a read made while it derived, until its derivation has reached every file', () => {
    const db = library();
    const last = ids(db).at(-1)!;
    const genreSince = (at: number) => fieldsChangedSince(db, last, at, []).has('genre');
    const batch = applyEdit(db, retag(db, ids(db)), { description: 'retag everything', origin: 'cli' })!;
    expect(genreSince(Date.now() + 1)).toBe(true); // queued: the last file still shows the genre before it
    catchUp(db);
    undoBatch(db, batch);
    catchUp(db);
    redoBatch(db, batch);
    // Made a minute ago and undone; redone half a minute ago, and a tagger read the last file since, before
    // the redo's derivation reached it: the redo is a change since that read (a save of what the tagger
    // read takes nothing back), while it derives and after.
    db.prepare(
      `UPDATE edit_batches SET created_at = created_at - 60000, counted_at = counted_at - 60000,
         undone_at = undone_at - 60000, redone_at = redone_at - 30000,
         redo_cleared_undo_at = redo_cleared_undo_at - 60000, settled_at = settled_at - 60000 WHERE id = ?`,
    ).run(batch);
    const read = Date.now() - 20000;
    expect(genreSince(read)).toBe(true);
    catchUp(db);
    expect(genreSince(read)).toBe(true);
    const settled = db
      .prepare('SELECT settled_at FROM edit_batches WHERE id = ?')
      .pluck()
      .get(batch) as number;
    expect(genreSince(settled)).toBe(true); // read in the millisecond the derivation ended: maybe before
    expect(genreSince(settled + 1)).toBe(false); // read once every file showed it
  });

  it.each([
    ['redo', redoBatch],
    ['undo', undoBatch],
  ])("takes nothing back from a %s by a tagger's save of what it read while that derived", (_, act) => {
    const db = library();
    const all = ids(db);
    const last = all.at(-1)!;
    const genre = () =>
      db.prepare("SELECT value FROM tags WHERE file_id = ? AND key = 'genre' ORDER BY idx").pluck().all(last);
    const batch = applyEdit(db, retag(db, all), { description: 'retag everything', origin: 'cli' })!;
    catchUp(db);
    if (act === redoBatch) {
      undoBatch(db, batch);
      catchUp(db);
    }
    const served = genre(); // what the last file shows until the action's derivation reaches it
    act(db, batch);
    // The tagger reads the file after the action: a read in its millisecond may have come before it
    // (fields-since.ts), so the clock moves on first.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 1000);
    const read = Date.now();
    expect(genre()).toEqual(served);
    // What the mount compares a save with (reader-base.ts): the history's value at the read, not the
    // served one. The tagger wrote back what it was served, and a comment of its own.
    const then = valuesAt(db, last, ['genre'], read).get('genre')!;
    expect(then).not.toEqual(served);
    let n = 0;
    const save = (genreAfter: string[]): AcceptedSave => ({
      id: `save ${++n}`,
      at: Date.now(),
      path: 'Artist/Album/last.flac',
      description: 'a tagger',
      changes: [
        { fileId: last, key: 'genre', before: then, after: genreAfter },
        // Its own change, made once (the next saves are of other processes, reading before it).
        ...(n === 1 ? [{ fileId: last, key: 'comment', before: [], after: ['Mine'] }] : []),
      ],
      art: [],
      images: [],
      readAt: read,
      own: [],
    });
    expect(applySave(db, save(served as string[]), false).conflicts).toEqual([]); // the file not reached
    catchUp(db);
    const truth = genre();
    expect(truth).toEqual(then);
    expect(applySave(db, save(served as string[]), false).conflicts).toEqual([]); // every file reached
    expect(genre()).toEqual(truth);
    // A value of the tagger's own is a conflict: the library's kept, the tagger's waiting.
    const own = applySave(db, save(['Tagger Genre']), false).conflicts;
    expect(own.map((c) => [c.key, c.library, c.tagger])).toEqual([['genre', truth, ['Tagger Genre']]]);
    expect(genre()).toEqual(truth);
    expect(
      db.prepare("SELECT value FROM tags WHERE file_id = ? AND key = 'comment'").pluck().all(last),
    ).toEqual(['Mine']);
  });

  it('is refused whole when its check fails after its rows were written: nothing of it remains', () => {
    const db = library();
    const plan = retag(db, ids(db));
    expect(() =>
      applyEdit(db, plan, { description: 'refused', origin: 'cli' }, [], Date.now(), () => {
        throw new Error('changed meanwhile');
      }),
    ).toThrow('changed meanwhile');
    expect(db.prepare('SELECT count(*) FROM edits').pluck().get()).toBe(0);
    expect(history(db, 5)).toEqual([]);
  });
});

describe('a batch whose writer died while writing it', () => {
  it('counts nowhere, and the next process to catch up deletes it', () => {
    const db = library();
    const before = derived(db);
    const dead = spawnSync('true').pid!;
    const batch = Number(
      db
        .prepare(
          'INSERT INTO edit_batches (created_at, description, undone_at, writing_pid) VALUES (1, ?, 1, ?)',
        )
        .run('cut short', dead).lastInsertRowid,
    );
    db.prepare(
      `INSERT INTO edits (batch_id, file_id, key, vals) SELECT ?, id, 'genre', '["Zydeco Drone"]' FROM files`,
    ).run(batch);
    // A small edit of one of its files, refreshed at once, does not take its value up either.
    applyEdit(db, [{ fileId: 1, key: 'title', before: [], after: ['One'] }], {
      description: 'a small edit',
      origin: 'cli',
    });
    expect(derived(db).found).toEqual([]);
    expect(history(db, 5).map((b) => b.description)).toEqual(['a small edit']);
    catchUp(db);
    expect(db.prepare('SELECT count(*) FROM edit_batches WHERE id = ?').pluck().get(batch)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM edits WHERE batch_id = ?').pluck().get(batch)).toBe(0);
    expect(derived(db).tags).not.toEqual(before.tags); // the small edit's title, and only that
  });
});

describe('a preview', () => {
  it('is refused while an earlier edit still derives its files, and saved once they are derived', () => {
    const db = library();
    const files = ids(db);
    applyEdit(db, retag(db, files), { description: 'retag everything', origin: 'cli' });
    const title = [{ key: 'title', values: ['Same For All'] }];
    const previewed = { ids: files.slice(0, 3), version: feedPosition(db) };
    expect(() =>
      applyPreviewed(db, previewed, planEdit(db, previewed.ids, title), {
        description: 'titles',
        origin: 'cli',
      }),
    ).toThrow(OutdatedPreviewError);
    catchUp(db);
    const again = { ids: files.slice(0, 3), version: feedPosition(db) };
    expect(
      applyPreviewed(db, again, planEdit(db, again.ids, title), { description: 'titles', origin: 'cli' }),
    ).toBeTypeOf('number');
  });

  /** A second connection to `db`'s library that lists every statement it runs in `ran`. */
  function traced(db: Db, ran: string[]): Db {
    const connection = new Database(db.name, { verbose: (sql) => ran.push(String(sql)) });
    open.push(connection);
    return connection;
  }
  const title = (db: Db, files: readonly number[], value: string) =>
    applyEdit(db, planEdit(db, files, [{ key: 'title', values: [value] }]), {
      description: 'a title elsewhere',
      origin: 'cli',
    });
  /** The statements that passed over the preview's ids (handed to SQLite as a JSON list). */
  const overIds = (ran: readonly string[]) => ran.filter((sql) => sql.includes('json_each'));

  it('is checked over its files before the write lock; the saving transaction reads only what changed since', () => {
    const db = library();
    const files = ids(db);
    const ran: string[] = [];
    const saver = traced(db, ran);
    const previewed = { ids: files.slice(0, 200), version: feedPosition(db) };
    const stillHolds = checkPreview(saver, previewed);
    expect(overIds(ran)).not.toEqual([]); // every file looked at once, first
    ran.length = 0;
    title(db, [files[250]!], 'Not Previewed'); // a file outside the preview changed meanwhile
    writeTransaction(saver, stillHolds);
    expect(overIds(ran)).toEqual([]);
    title(db, [files[7]!], 'Changed Elsewhere');
    expect(() => writeTransaction(saver, stillHolds)).toThrow(OutdatedPreviewError);
  });

  it('is checked again when an undo queued its files anew, though none has moved yet', () => {
    const db = library();
    const files = ids(db);
    const batch = applyEdit(db, retag(db, files), { description: 'retag everything', origin: 'cli' })!;
    catchUp(db);
    const ran: string[] = [];
    const saver = traced(db, ran);
    const stillHolds = checkPreview(saver, { ids: files.slice(0, 3), version: feedPosition(db) });
    undoBatch(db, batch); // queued again from its first file, derived later
    ran.length = 0;
    expect(() => writeTransaction(saver, stillHolds)).toThrow(OutdatedPreviewError);
    expect(overIds(ran)).not.toEqual([]);
  });
});

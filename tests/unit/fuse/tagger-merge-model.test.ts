// Saves through the mount merged by field, under every interleaving of editors and long-lived taggers
// (issue 80): steps drawn at random from a seed on one real library — the app edits a field (or clears
// it), undoes or redoes a batch; a tagger loads the file once and saves its loaded copy with a field or
// two changed, again and again. A model says what each step must leave: a field a tagger did not change
// keeps the library's value; a field it changed is taken in unless another writer changed it since the
// tagger read the file, and then the library's value stays and the conflict is recorded with the
// tagger's value (unless both agree). After every step the library's fields and its open conflicts are
// the model's, exactly: no acknowledged edit is lost, no tagger change is dropped.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { type Db, openDatabase } from '../../../app/core/db/database.ts';
import { resolveHome } from '../../../app/core/home.ts';
import { applyEdit, redoBatch, undoBatch } from '../../../app/core/library/edits.ts';
import { openConflicts } from '../../../app/core/library/save-conflicts.ts';
import { acceptedSave, applySave } from '../../../app/core/library/save-journal.ts';
import { ReaderBase, type ReadState, writerOf } from '../../../app/core/mounted/reader-base.ts';
import type { TagList } from '../../../app/core/tags/normalize.ts';
import { mulberry32 as random, tempDir } from '../../helpers.ts';

const KEYS = ['genre', 'mood', 'comment', 'grouping'];
const FILE = 1;
type Fields = Record<string, string[]>;

function library(): Db {
  const db = openDatabase(resolveHome(tempDir()).database);
  // The merge is the subject, not the disk: a commit waits for no fsync, which under a full run's I/O
  // made one seed's 150 steps take 20 s where they take 1.5 s.
  db.pragma('synchronous = OFF');
  db.exec("INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)");
  db.exec(`INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
           VALUES (${FILE}, 1, '/music/a.flac', 1, 0, 1, 'ok', 0, 0)`);
  // What the file says: two of the fields.
  db.exec(`INSERT INTO file_tags (file_id, key, idx, value) VALUES (${FILE}, 'genre', 0, 'Folk'), (${FILE}, 'mood', 0, 'calm');
           INSERT INTO tags (file_id, key, idx, value, fold) SELECT file_id, key, idx, value, value FROM file_tags`);
  return db;
}

interface Batch {
  readonly id: number;
  readonly fields: Fields;
  readonly at: number;
  /** The tagger whose save it is. */
  readonly by?: number;
  undoneAt: number | null;
  redoneAt: number | null;
}

interface Tagger {
  readonly process: number;
  readAt: number;
  /** Its loaded copy: what it read, with what it changed since. */
  view: Fields;
}

const same = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** What the mount serves of the file: `genre`, and the mood the file says. */
const served = (genre: string[]) => ({
  tags: [
    ['genre', genre],
    ['mood', ['calm']],
  ] as TagList,
  pictures: [],
});

/** A tagger's save of its copy `written`, as the daemon makes and applies it: the changes relative to
 *  what it read (ReaderBase), merged where applied. */
function saveCopy(db: Db, read: ReadState, written: Fields, description = 'tagger') {
  const before = Object.fromEntries(read.tags) as Fields;
  const changes = [...new Set([...Object.keys(before), ...Object.keys(written)])]
    .filter((k) => !same(before[k], written[k]))
    .map((key) => ({ fileId: FILE, key, before: before[key] ?? [], after: written[key] ?? [] }));
  const { readAt, readUntil, own } = read;
  const save = acceptedSave({
    ...{ path: 'a.flac', description, changes, art: [], images: [], readAt, own: [...own] },
    ...(readUntil === undefined ? {} : { readUntil }),
  });
  return { before, changes, save, applied: applySave(db, save, false) };
}

class Model {
  readonly db = library();
  readonly bases = new ReaderBase(this.db);
  readonly batches: Batch[] = [];
  readonly conflicts: Array<[string, string[], string[]]> = [];
  readonly own: Fields = { genre: ['Folk'], mood: ['calm'] };
  now = 1_000_000;

  /** The fields as the library shows them: the newest active batch of each, else the file's own. */
  effective(): Fields {
    const out: Fields = { ...this.own };
    for (const b of this.batches) if (b.undoneAt === null) Object.assign(out, b.fields);
    for (const k of Object.keys(out)) if (out[k]!.length === 0) delete out[k];
    return out;
  }

  /** Whether a writer other than `t` changed `key` since `t` read the file (in its millisecond too). */
  touched(t: Tagger, key: string): boolean {
    return this.batches.some(
      (b) =>
        key in b.fields &&
        ((b.at >= t.readAt && b.by !== t.process) ||
          (b.undoneAt ?? 0) >= t.readAt ||
          (b.redoneAt ?? 0) >= t.readAt),
    );
  }

  tick(): void {
    this.now += 10;
    vi.setSystemTime(this.now);
  }

  edit(key: string, values: string[]): void {
    const id = applyEdit(this.db, [{ fileId: FILE, key, before: [], after: values }], {
      description: `edit ${key}`,
      origin: 'app',
    })!;
    this.batches.push({ id, fields: { [key]: values }, at: this.now, undoneAt: null, redoneAt: null });
  }

  undo(b: Batch): void {
    undoBatch(this.db, b.id);
    b.undoneAt = this.now;
  }

  redo(b: Batch): void {
    redoBatch(this.db, b.id);
    b.undoneAt = null;
    b.redoneAt = this.now;
  }

  load(process: number): Tagger {
    return { process, readAt: this.now, view: this.effective() };
  }

  /** The tagger saves its copy with `changes`: through ReaderBase and applySave, as the daemon does. */
  save(t: Tagger, changes: Fields): void {
    const written: Fields = { ...t.view, ...changes };
    for (const k of Object.keys(written)) if (written[k]!.length === 0) delete written[k];
    // The model's word, from the tagger's view before this save.
    const taken: Fields = {};
    for (const key of new Set([...Object.keys(t.view), ...Object.keys(written)])) {
      const mine = written[key] ?? [];
      if (same(mine, t.view[key])) continue;
      const library = this.effective()[key];
      // Untouched since the read, or changed back to what the tagger read: the tagger's value is taken.
      if (!this.touched(t, key) || same(library, t.view[key])) taken[key] = mine;
      else if (!same(library, mine)) this.conflicts.push([key, library ?? [], mine]);
    }
    // The daemon's way: what the process read, the changes relative to it, the save merged where applied.
    const tags = (f: Fields): TagList => Object.entries(f).map(([k, v]) => [k, [...v]]);
    const reader = { process: t.process, readAt: t.readAt };
    const read = this.bases.read(FILE, reader, { tags: tags(this.effective()), pictures: [] });
    const { save, applied } = saveCopy(this.db, read, written, `tagger ${t.process}`);
    const { batch } = applied;
    this.bases.saved(FILE, reader, { tags: tags(written), pictures: [] }, save);
    if (batch !== undefined)
      this.batches.push({
        id: batch,
        fields: taken,
        at: save.at,
        by: t.process,
        undoneAt: null,
        redoneAt: null,
      });
    // No batch: whatever the model takes, the library has already.
    else for (const [k, v] of Object.entries(taken)) expect(this.effective()[k] ?? [], k).toEqual(v);
    t.view = written;
  }

  check(step: string): void {
    const rows = this.db
      .prepare(
        `SELECT key, json_group_array(value) AS vals FROM (SELECT key, value FROM tags WHERE file_id = ${FILE} ORDER BY key, idx) GROUP BY key`,
      )
      .all() as Array<{ key: string; vals: string }>;
    const library = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.vals) as string[]]));
    expect(library, step).toEqual(this.effective());
    // Of one save, in any order.
    const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
    const open = openConflicts(this.db).listed.map((c) => [c.key, c.library, c.tagger]);
    expect(sorted(open), step).toEqual(sorted(this.conflicts));
  }
}

describe('saves through the mount merged by field, editors and taggers interleaved', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    test(`seed ${seed}: no acknowledged edit lost, no tagger change dropped`, () => {
      const rnd = random(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const m = new Model();
      m.tick();
      const taggers = [m.load(101), m.load(102)];
      for (let step = 0; step < 150; step++) {
        m.tick();
        const r = rnd();
        let said: string;
        if (r < 0.3) {
          const key = pick(KEYS);
          const values = rnd() < 0.15 ? [] : [`e${step}`];
          m.edit(key, values);
          said = `edit ${key}=${values}`;
        } else if (r < 0.4 && m.batches.some((b) => b.undoneAt === null)) {
          const b = pick(m.batches.filter((x) => x.undoneAt === null));
          m.undo(b);
          said = `undo ${b.id}`;
        } else if (r < 0.47 && m.batches.some((b) => b.undoneAt !== null)) {
          const b = pick(m.batches.filter((x) => x.undoneAt !== null));
          m.redo(b);
          said = `redo ${b.id}`;
        } else if (r < 0.52) {
          const i = Math.floor(rnd() * taggers.length);
          taggers[i] = m.load(taggers[i]!.process + 10); // a new tagger process loads the file
          said = `tagger ${taggers[i]!.process} loads`;
        } else {
          const t = pick(taggers);
          const changes: Fields = {};
          for (let n = 1 + Math.floor(rnd() * 2); n > 0; n--)
            changes[pick(KEYS)] =
              rnd() < 0.1 ? [] : rnd() < 0.2 ? (m.effective()[KEYS[0]!] ?? []) : [`t${step}`];
          m.save(t, changes);
          said = `tagger ${t.process} saves ${JSON.stringify(changes)}`;
        }
        m.check(`seed ${seed} step ${step}: ${said}`);
      }
      m.db.close();
      // A seed takes about 1 s alone (1–3 s beside three busy loops), but 8–21 s in some full runs, in the
      // unit project's shared workers: the unit default (20 s) cut one off. What slows it there is not
      // known yet; the assertions are the model's, not a time.
    }, 60_000);
  }

  test('a save that waited in the journal counts from when it was applied: a tagger that read the file before then does not take it back', () => {
    const db = library();
    const bases = new ReaderBase(db);
    const tags = (): TagList =>
      (
        db
          .prepare(
            `SELECT key, json_group_array(value) AS vals FROM tags WHERE file_id = ${FILE} GROUP BY key`,
          )
          .all() as Array<{ key: string; vals: string }>
      ).map((r) => [r.key, JSON.parse(r.vals) as string[]]);
    vi.setSystemTime(1000); // tagger A's save is accepted, and waits: another process holds the library
    const waiting = acceptedSave({
      path: 'a.flac',
      description: 'tagger A',
      changes: [{ fileId: FILE, key: 'genre', before: ['Folk'], after: ['Jazz'] }],
      art: [],
      images: [],
      readAt: 500,
      own: [],
    });
    vi.setSystemTime(2000); // tagger B opens the file: still served without A's save
    const b = { process: 202, readAt: 2000 };
    vi.setSystemTime(3000);
    applySave(db, waiting, true);
    vi.setSystemTime(4000); // B saves its copy, the genre as it read it, the mood its own change
    const read = bases.read(FILE, b, { tags: tags(), pictures: [] });
    const { before, changes } = saveCopy(db, read, { genre: ['Folk'], mood: ['tense'] }, 'tagger B');
    expect(before.genre).toEqual(['Folk']);
    expect(changes.map((c) => c.key)).toEqual(['mood']);
    expect(Object.fromEntries(tags())).toEqual({ genre: ['Jazz'], mood: ['tense'] });
    db.close();
  });

  test("a tagger that read the file in an undo's millisecond takes back no undo", () => {
    const db = library();
    const field = db.prepare('SELECT value FROM tags WHERE file_id = ? AND key = ?').pluck();
    vi.setSystemTime(1000); // the app sets the genre
    const batch = applyEdit(db, [{ fileId: FILE, key: 'genre', before: ['Folk'], after: ['Jazz'] }], {
      description: 'app',
      origin: 'app',
    })!;
    vi.setSystemTime(2000); // the tagger reads the file (Jazz), and the app undoes the edit, both in one ms
    const reader = { process: 303, readAt: 2000 };
    undoBatch(db, batch);
    vi.setSystemTime(3000); // the tagger saves its copy: the genre as it read it, its own mood
    const read = new ReaderBase(db).read(FILE, reader, served(['Folk']));
    const { changes, applied } = saveCopy(db, read, { genre: ['Jazz'], mood: ['tense'] });
    expect(changes.map((c) => c.key)).toEqual(['mood']);
    expect(applied.conflicts).toEqual([]);
    expect(field.all(FILE, 'genre')).toEqual(['Folk']);
    expect(field.all(FILE, 'mood')).toEqual(['tense']);
    db.close();
  });

  test('a tagger older than the mount (restarted while it kept the file loaded) takes back no edit made before', () => {
    const db = library();
    const genre = () => db.prepare('SELECT value FROM tags WHERE file_id = ? AND key = ?').pluck();
    // The clock's time, not the test's: the tagger is this process, started before it.
    const now = performance.timeOrigin + performance.now();
    vi.setSystemTime(now); // the tagger has the file loaded (genre Folk); the app sets the genre
    applyEdit(db, [{ fileId: FILE, key: 'genre', before: ['Folk'], after: ['Jazz'] }], {
      description: 'app',
      origin: 'app',
    });
    vi.setSystemTime(now + 1000);
    // The mount restarted: the new daemon never saw the tagger's read, only that one served before.
    const bases = new ReaderBase(db, { since: now - 60_000, until: now + 1000 });
    vi.setSystemTime(now + 2000); // the tagger saves: its first open through this daemon
    const read = bases.read(FILE, { process: process.pid, readAt: now + 2000 }, served(['Jazz']));
    const { before, changes } = saveCopy(db, read, { genre: ['Folk'], mood: ['tense'] });
    expect(before.genre).toEqual(['Folk']);
    expect(changes.map((c) => c.key)).toEqual(['mood']);
    expect(genre().all(FILE, 'genre')).toEqual(['Jazz']);
    expect(genre().all(FILE, 'mood')).toEqual(['tense']);
    db.close();
  });

  test('a tagger older than the mount that read the file after the restart takes back no undo made since', () => {
    const db = library();
    const field = db.prepare('SELECT value FROM tags WHERE file_id = ? AND key = ?').pluck();
    const now = performance.timeOrigin + performance.now();
    vi.setSystemTime(now + 1000);
    const bases = new ReaderBase(db, { since: now - 60_000, until: now + 1000 }); // the mount restarted
    vi.setSystemTime(now + 2000); // the app sets the genre; the tagger then reads the file (Jazz)
    const batch = applyEdit(db, [{ fileId: FILE, key: 'genre', before: ['Folk'], after: ['Jazz'] }], {
      description: 'app',
      origin: 'app',
    })!;
    vi.setSystemTime(now + 4000);
    undoBatch(db, batch); // Folk again
    vi.setSystemTime(now + 5000); // the tagger saves its copy: the genre as it read it, its own mood
    const read = bases.read(FILE, { process: process.pid, readAt: now + 3000 }, served(['Folk']));
    expect(read.readUntil).toBe(now + 3000); // only a bound is known of its read
    const { conflicts } = saveCopy(db, read, { genre: ['Jazz'], mood: ['tense'] }).applied;
    expect(conflicts).toEqual([]); // Jazz is what it may have read
    expect(field.all(FILE, 'genre')).toEqual(['Folk']);
    expect(field.all(FILE, 'mood')).toEqual(['tense']);
    db.close();
  });

  test('a tagger older than the mount may have read the file between an undo and its redo: that value is no change of its own', () => {
    const db = library();
    const field = db.prepare('SELECT value FROM tags WHERE file_id = ? AND key = ?').pluck();
    const now = performance.timeOrigin + performance.now();
    const edit = (from: string, to: string) =>
      applyEdit(db, [{ fileId: FILE, key: 'genre', before: [from], after: [to] }], {
        description: 'app',
        origin: 'app',
      })!;
    vi.setSystemTime(performance.timeOrigin - 20_000); // before the tagger started: Jazz, then Rock
    edit('Folk', 'Jazz');
    vi.setSystemTime(performance.timeOrigin - 10_000);
    const rock = edit('Jazz', 'Rock');
    vi.setSystemTime(now + 1000);
    const bases = new ReaderBase(db, { since: now - 60_000, until: now + 1000 }); // the mount restarted
    vi.setSystemTime(now + 2000);
    undoBatch(db, rock); // Jazz for a while
    vi.setSystemTime(now + 3000);
    redoBatch(db, rock); // Rock again
    vi.setSystemTime(now + 4000); // the tagger saves its copy: the genre as it may have read it, its own mood
    const read = bases.read(FILE, { process: process.pid, readAt: now + 4000 }, served(['Rock']));
    expect(read.readUntil).toBe(now + 4000);
    const { changes, applied } = saveCopy(db, read, { genre: ['Jazz'], mood: ['tense'] });
    expect(changes.map((c) => c.key).sort()).toEqual(['genre', 'mood']);
    expect(applied.conflicts).toEqual([]); // Jazz is what it may have read
    expect(field.all(FILE, 'genre')).toEqual(['Rock']);
    expect(field.all(FILE, 'mood')).toEqual(['tense']);
    db.close();
  });

  test("a tagger's saves through the daemon before the restart stay its own, the first save after it and the next", () => {
    const db = library();
    const now = Math.floor(performance.timeOrigin + performance.now());
    vi.setSystemTime(now); // this process saved the mood through the daemon before, another file's too
    const mine = { description: 'a save', origin: 'mount', writer: writerOf(process.pid) } as const;
    applyEdit(db, [{ fileId: FILE, key: 'mood', before: ['calm'], after: ['tense'] }], mine);
    expect(mine.writer).toMatch(/^[0-9a-f-]{36}:\d+@\d+$/);
    vi.setSystemTime(now + 1000);
    const bases = new ReaderBase(db, { since: now - 60_000, until: now + 1000 }); // the mount restarted
    const reader = { process: process.pid, readAt: now + 2000 };
    vi.setSystemTime(now + 3000); // it saves the mood again: its own value before, so taken
    const first = saveCopy(db, bases.read(FILE, reader, served(['Folk'])), {
      genre: ['Folk'],
      mood: ['slow'],
    });
    expect(first.save.own).toEqual([now]);
    expect(first.applied.conflicts).toEqual([]);
    bases.saved(FILE, reader, { tags: [['mood', ['slow']]], pictures: [] }, first.save);
    vi.setSystemTime(now + 4000); // and again: both earlier saves its own
    const second = saveCopy(db, bases.read(FILE, reader, served(['Folk'])), { mood: ['calm'] });
    expect(second.save.own).toEqual([now, now + 3000]);
    expect(second.applied.conflicts).toEqual([]);
    expect(db.prepare("SELECT value FROM tags WHERE file_id = ? AND key = 'mood'").pluck().all(FILE)).toEqual(
      ['calm'],
    );
    db.close();
  });
});

// The save journal exact under every interleaving of two mount daemons (issue 66): each daemon a SaveQueue
// on its own connection to one real library, steps drawn at random from a seed — saves (applied at once
// or journalled while a third connection holds the library), kills, starts that adopt the dead daemons'
// journals and forget the applied records no journal holds (with the other daemon journalling and
// applying a save in the middle of that forget), undo, and settling. At the end one daemon adopts what is
// left: every acknowledged save is in the library exactly once, and an undone one never comes back.
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../../../app/core/db/database.ts';
import { type Home, resolveHome } from '../../../app/core/home.ts';
import { undoBatch } from '../../../app/core/library/edits.ts';
import {
  type AcceptedSave,
  acceptedSave,
  adoptOrphans,
  applySave,
  forgetUnheld,
  heldSaveIds,
  type NewSave,
  SaveJournal,
} from '../../../app/core/library/save-journal.ts';
import { SaveQueue } from '../../../app/core/mounted/save-queue.ts';
import { mulberry32 as random, tempDir } from '../../helpers.ts';
import { holdLibrary } from '../../library-probe.ts';
import { waitFor } from '../../mount-helpers.ts';

const FILES = 400;

function library(h: Home): Db {
  const db = openDatabase(h.database);
  db.exec("INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)");
  const file = db.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
       VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0)`,
  );
  for (let id = 1; id <= FILES; id++) file.run(id, `/music/${id}.flac`, id);
  return db;
}

/** Save number n: file n's genre (one file each, so no save supersedes another). */
const save = (n: number): NewSave => ({
  path: `${n}.flac`,
  description: `save ${n}`,
  changes: [{ fileId: n, key: 'genre', before: [], after: [`g${n}`] }],
  art: [],
  images: [],
});

interface Daemon {
  readonly db: Db;
  readonly journal: SaveJournal;
  readonly queue: SaveQueue;
  /** Its journal's name in saves/, without the extension. */
  readonly base: string;
  readonly problems: string[];
}

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0).reverse()) o.close();
});

const busy = (err: unknown) => (err as { code?: string }).code === 'SQLITE_BUSY';

class Model {
  readonly h = resolveHome(tempDir());
  readonly db: Db;
  readonly live: Daemon[] = [];
  readonly acked = new Set<number>();
  readonly undone = new Set<number>();
  hold: ReturnType<typeof holdLibrary> | undefined;
  next = 1;
  dead = 4194305; // above any pid Linux gives: a dead daemon's

  constructor() {
    this.db = library(this.h);
    open.push(this.db);
  }

  /** A daemon starts: a journal of its own, the orphans adopted, unheld records forgotten — while
   *  `racer` (another daemon) journals a save and applies it between this one's read of the journals and
   *  its delete, if the library lets it. */
  start(racer?: Daemon): Daemon {
    const db = openDatabase(this.h.database);
    db.pragma('busy_timeout = 0');
    const saves = join(this.h.dir, 'saves');
    const before = new Set(existsSync(saves) ? readdirSync(saves) : []);
    const journal = SaveJournal.create(this.h, db);
    const lock = readdirSync(saves).find((n) => n.endsWith('.lock') && !before.has(n))!;
    const problems: string[] = [];
    const queue = new SaveQueue(db, journal, {
      applied: async () => {},
      pending: () => {},
      problem: (line) => problems.push(line),
    });
    queue.adopt(adoptOrphans(this.h, db, (line) => problems.push(line)));
    let raced: AcceptedSave | undefined;
    const race = () => {
      if (!racer || this.hold) return; // while held, the racer's save would wait in its queue, not race
      raced = acceptedSave(save(this.next++));
      racer.journal.append(raced, 0);
      this.acked.add(this.next - 1);
      try {
        applySave(racer.db, raced, true);
        raced = undefined;
      } catch (err) {
        if (!busy(err)) throw err;
      }
    };
    try {
      forgetUnheld(db, () => {
        const held = heldSaveIds(this.h, db);
        race();
        return held;
      });
    } catch (err) {
      if (!busy(err)) throw err; // the library is held: left for the next start
      race();
    }
    // The racer's queue applies it once the lock is free (or, killed first, its adopter does).
    if (raced) applySave(racer!.db, raced, true);
    const daemon = { db, journal, queue, base: lock.slice(0, -'.lock'.length), problems };
    this.live.push(daemon);
    return daemon;
  }

  /** A daemon is killed: its lock freed, its journal left under a dead process's number. */
  kill(d: Daemon): void {
    d.queue.close();
    d.db.close();
    this.live.splice(this.live.indexOf(d), 1);
    const saves = join(this.h.dir, 'saves');
    const dead = `${this.dead++}-${d.base.split('-').slice(1).join('-')}`;
    for (const name of readdirSync(saves).filter((n) => n.startsWith(d.base)))
      renameSync(join(saves, name), join(saves, dead + name.slice(d.base.length)));
  }

  /** A save taken by daemon `d`: acknowledged once accept returns. */
  save(d: Daemon): void {
    d.queue.accept(acceptedSave(save(this.next)));
    this.acked.add(this.next++);
  }

  /** The newest save still active is undone, as `sleeve undo` would. */
  undo(): void {
    const row = this.db
      .prepare('SELECT id, description FROM edit_batches WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1')
      .get() as { id: number; description: string } | undefined;
    if (!row) return;
    undoBatch(this.db, row.id);
    this.undone.add(Number(row.description.slice('save '.length)));
  }

  async settle(): Promise<void> {
    for (const d of this.live)
      await waitFor('the saves to be applied', () => (d.queue.pending === 0 ? true : undefined));
  }

  /** Every acknowledged save active exactly once, unless undone: then never active again. */
  check(): void {
    const active = new Map<number, number>();
    const descriptions = this.db
      .prepare('SELECT description FROM edit_batches WHERE undone_at IS NULL')
      .pluck()
      .all() as string[];
    for (const d of descriptions) {
      const n = Number(d.slice('save '.length));
      active.set(n, (active.get(n) ?? 0) + 1);
    }
    const wrong = [...this.acked].filter((n) => (active.get(n) ?? 0) !== (this.undone.has(n) ? 0 : 1));
    expect(
      wrong.map((n) => `save ${n}: active ${active.get(n) ?? 0}×${this.undone.has(n) ? ' (undone)' : ''}`),
    ).toEqual([]);
  }
}

/** One run of `steps` random steps from `seed`, then everything adopted by one last daemon. */
async function run(seed: number, steps: number): Promise<Model> {
  const rnd = random(seed);
  const m = new Model();
  const pick = () => m.live[Math.floor(rnd() * m.live.length)]!;
  m.start();
  for (let i = 0; i < steps; i++) {
    const r = rnd();
    if (r < 0.35 && m.live.length > 0) m.save(pick());
    else if (r < 0.45) {
      if (m.hold) {
        m.hold.exec('ROLLBACK');
        m.hold.close();
        m.hold = undefined;
      } else m.hold = holdLibrary(m.h.database);
    } else if (r < 0.6 && m.live.length > 0) m.kill(pick());
    else if (r < 0.75 && m.live.length < 2) m.start(m.live.length > 0 && rnd() < 0.7 ? pick() : undefined);
    else if (r < 0.85 && !m.hold) {
      await m.settle();
      m.undo();
    } else if (!m.hold) await m.settle();
  }
  if (m.hold) {
    m.hold.exec('ROLLBACK');
    m.hold.close();
  }
  m.hold = undefined;
  await m.settle();
  for (const d of [...m.live]) m.kill(d);
  m.start();
  await m.settle();
  for (const d of [...m.live]) m.kill(d);
  return m;
}

describe('the save journal under two daemons, kills and undo', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %i: every acknowledged save exactly once, an undone one never back',
    async (seed) => {
      const m = await run(seed, 80);
      expect(m.acked.size).toBeGreaterThan(10);
      m.check();
    },
  );
});

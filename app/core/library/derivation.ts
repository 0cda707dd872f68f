// Commit the truth, derive the rest. An edit, undo or redo commits its source rows (edit_batches, edits,
// art_edits); what is derived from them for each file (effective tags, full-text and folded search, the
// served size and path, the copy ranking: EffectiveTags.refresh) follows. A small batch refreshes its files
// in its own transaction. A large one is queued in derive_batches and derived a chunk per short
// transaction, so no writer waits long for the library (the mount's saves, a scan, another edit); the
// queue's cursor is committed with each chunk, so a process killed at any point leaves the rest to the
// next one. change_seq moves when a file's derived rows do: the mount and the caches that follow it see a
// file's new version once it is derived. Once no batch waits, a new default source of ReplayGain reaches
// the files it moves (gain-source.ts), then the album years (album-years.ts) and the album loudness figures
// (album-loudness.ts) follow the files that changed, in the same short transactions.
import type Database from 'better-sqlite3';
import { processAlive } from '../../../kit/process-alive.ts';
import type { Db } from '../db/database.ts';
import { giveWay, HOLD_MS, writeTransaction } from '../db/write-lock.ts';
import { AlbumLoudness, albumLoudnessBehind } from './album-loudness.ts';
import { AlbumYears, albumYearsBehind } from './album-years.ts';
import { EffectiveTags } from './effective.ts';
import { GainSources, gainDefaultPending } from './gain-source.ts';
import { mergeSearchStep } from './search-merge.ts';

/** Files a batch refreshes inside its own transaction (about half a millisecond each); past this many it
 *  is derived afterwards, in chunks. */
export const INLINE_FILES = 100;

/** The files a batch touches (tags or pictures, its own or carried from it to other copies: edit-counts.ts),
 *  in id order, from `after` on: what deriving it, its undo or its redo covers. */
const BATCH_FILES = `SELECT file_id FROM edits WHERE batch_id = :batch AND file_id > :after
  UNION SELECT file_id FROM art_edits WHERE batch_id = :batch AND file_id > :after
  UNION SELECT file_id FROM edits WHERE carried_from = :batch AND file_id > :after
  UNION SELECT file_id FROM art_edits WHERE carried_from = :batch AND file_id > :after ORDER BY 1`;

export function batchFileCount(db: Db, batchId: number): number {
  return db
    .prepare(`SELECT count(*) FROM (${BATCH_FILES})`)
    .pluck()
    .get({ batch: batchId, after: 0 }) as number;
}

/** The files a batch touches, as BATCH_FILES says: a few (what a batch refreshed at once has). */
export function batchFiles(db: Db, batchId: number): number[] {
  return db.prepare(BATCH_FILES).pluck().all({ batch: batchId, after: 0 }) as number[];
}

/** Queues a batch's `files` for derivation (again from the first, if it was queued: an undo while its edit
 *  is still being derived changes what the files derived so far show). Call in the batch's transaction. */
export function queueDerivation(db: Db, batchId: number, files: number): void {
  db.prepare(
    `INSERT INTO derive_batches (batch_id, next_file, remaining) VALUES (?, 0, ?)
     ON CONFLICT (batch_id) DO UPDATE SET next_file = 0, remaining = excluded.remaining`,
  ).run(batchId, files);
}

/** The derivation queue: each queued batch's next file. */
export function deriveQueue(db: Db): Map<number, number> {
  const rows = db.prepare('SELECT batch_id, next_file FROM derive_batches').raw().all() as [number, number][];
  return new Map(rows);
}

/** Whether the queue took a batch in, or one back to its start (an undo while it derived), since it was
 *  `before`: a file derived then may be underived now without having moved in the change feed. A queue that
 *  only went forward leaves no file underived that was derived before. */
export function queueWentBack(db: Db, before: ReadonlyMap<number, number>): boolean {
  for (const [batch, next] of deriveQueue(db)) {
    const was = before.get(batch);
    if (was === undefined || next < was) return true;
  }
  return false;
}

/** Whether anything waits: a batch queued for derivation, or one being written (its writer may be dead),
 *  a new default source of ReplayGain, or album years or figures behind the files. */
export function queuedDerivation(db: Db): boolean {
  return (
    Boolean(
      db
        .prepare(
          'SELECT 1 FROM derive_batches UNION ALL SELECT 1 FROM edit_batches WHERE writing_pid IS NOT NULL LIMIT 1',
        )
        .get(),
    ) ||
    gainDefaultPending(db) ||
    albumYearsBehind(db) ||
    albumLoudnessBehind(db)
  );
}

/** Files still to be derived (a file queued by two batches counts twice). */
export function derivationLag(db: Db): number {
  return db.prepare('SELECT coalesce(sum(remaining), 0) FROM derive_batches').pluck().get() as number;
}

/** Of `ids`, the files a queued batch has not derived yet: what they show may be behind what they are. */
export function underivedAmong(db: Db, ids: readonly number[]): number[] {
  if (!db.prepare('SELECT 1 FROM derive_batches LIMIT 1').get()) return [];
  return db
    .prepare(
      `SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM derive_batches d
         WHERE j.value > d.next_file AND (
           EXISTS (SELECT 1 FROM edits e WHERE e.batch_id = d.batch_id AND e.file_id = j.value)
           OR EXISTS (SELECT 1 FROM art_edits a WHERE a.batch_id = d.batch_id AND a.file_id = j.value)
           OR EXISTS (SELECT 1 FROM edits e WHERE e.carried_from = d.batch_id AND e.file_id = j.value)
           OR EXISTS (SELECT 1 FROM art_edits a WHERE a.carried_from = d.batch_id AND a.file_id = j.value)))
       ORDER BY j.key`,
    )
    .pluck()
    .all(JSON.stringify(ids)) as number[];
}

/** Derives queued files in chunks of about `budgetMs`, one write transaction each. */
export class Derivation {
  readonly #db: Db;
  readonly #effective: EffectiveTags;
  readonly #albums: AlbumLoudness;
  readonly #years: AlbumYears;
  readonly #gains: GainSources;
  readonly #next: Database.Statement;
  readonly #files: Database.Statement;
  readonly #advance: Database.Statement;
  readonly #done: Database.Statement;
  readonly #counted: Database.Statement;
  /** How long the last chunk took after its files (its full-text writes and merge step). */
  #tailMs = 0;

  constructor(db: Db) {
    this.#db = db;
    this.#effective = new EffectiveTags(db);
    this.#albums = new AlbumLoudness(db);
    this.#years = new AlbumYears(db, this.#effective.served);
    this.#gains = new GainSources(db);
    this.#next = db.prepare(
      'SELECT batch_id AS batch, next_file AS after FROM derive_batches ORDER BY batch_id LIMIT 1',
    );
    this.#files = db.prepare(`${BATCH_FILES} LIMIT 64`).pluck();
    this.#advance = db.prepare(
      'UPDATE derive_batches SET next_file = ?, remaining = remaining - 1 WHERE batch_id = ?',
    );
    this.#done = db.prepare('DELETE FROM derive_batches WHERE batch_id = ?');
    // A large batch's change (made, undone, redone) has reached every file once its last file is derived:
    // a file read before then may have shown it or not (settled_at, fields-since.ts). It counts from the
    // end of its first derivation (counted_at, kept through its undo's and redo's: a tagger that read a
    // file before the undo read it with the batch).
    this.#counted = db.prepare(
      `UPDATE edit_batches SET settled_at = @now,
         counted_at = CASE WHEN undone_at IS NULL AND redone_at IS NULL THEN @now ELSE counted_at END
       WHERE id = @id`,
    );
  }

  /** One chunk (at least one file, however small the budget); the files derived, 0 when none were queued. */
  chunk(budgetMs = HOLD_MS): number {
    return writeTransaction(this.#db, () => {
      let derivedAt = 0;
      const derived = this.#effective.batch(() => {
        // The chunk's full-text writes and merge step come after its files: their time, as the last
        // chunk's took, is taken out of the budget (at most half of it), so the whole chunk keeps to it.
        const n = this.#derive(budgetMs - Math.min(this.#tailMs, budgetMs / 2));
        derivedAt = performance.now();
        return n;
      });
      // What the chunk wrote to the full-text index, merged a step (search-merge.ts says why).
      if (derived > 0) {
        mergeSearchStep(this.#db);
        this.#tailMs = performance.now() - derivedAt;
      }
      return derived;
    });
  }

  /** One round of album loudness in its own transaction; the changed files it passed, 0 when none. */
  albumRound(): number {
    return writeTransaction(this.#db, () => this.#albums.round());
  }

  /** One round of album years in its own transaction; the changed files it passed, 0 when none. */
  albumYearRound(): number {
    return writeTransaction(this.#db, () => this.#years.round());
  }

  /** A chunk of what edits queued, else of a new default source of ReplayGain, else an album years round,
   *  else an album loudness round: what a process that follows the queue does next. */
  step(): number {
    return this.chunk() || this.#gains.defaultChunk() || this.albumYearRound() || this.albumRound();
  }

  #derive(budgetMs: number): number {
    const start = performance.now();
    let derived = 0;
    for (;;) {
      const queued = this.#next.get() as { batch: number; after: number } | undefined;
      if (!queued) return derived;
      const files = this.#files.all(queued) as number[];
      if (files.length === 0) {
        this.#done.run(queued.batch);
        this.#counted.run({ now: Date.now(), id: queued.batch });
        continue;
      }
      for (const id of files) {
        this.#effective.refresh(id);
        derived++;
        this.#advance.run(id, queued.batch);
        if (performance.now() - start >= budgetMs) return derived;
      }
    }
  }

  /** Derives everything queued, then brings album loudness up to date, giving way to other writers between
   *  transactions; the files derived. */
  all(): number {
    let total = 0;
    for (let n = this.chunk(); n > 0; n = this.chunk()) {
      total += n;
      giveWay(this.#db);
    }
    while (this.#gains.defaultChunk() > 0) giveWay(this.#db);
    while (this.albumYearRound() > 0 && albumYearsBehind(this.#db)) giveWay(this.#db);
    // No pause after the last round: nothing is left to make way for.
    while (this.albumRound() > 0 && albumLoudnessBehind(this.#db)) giveWay(this.#db);
    return total;
  }
}

/** Deletes batches whose writer died before their last transaction (held undone, never shown). */
export function dropAbandonedBatches(db: Db): void {
  const writing = db
    .prepare('SELECT id, writing_pid AS pid FROM edit_batches WHERE writing_pid IS NOT NULL')
    .all() as Array<{ id: number; pid: number }>;
  for (const { id, pid } of writing) if (!processAlive(pid)) deleteBatch(db, id);
}

/** Rows deleted per transaction when a batch is deleted. */
const DELETE_CHUNK = 2000;

/** Deletes a batch that never counted (abandoned, or refused when made to count), its rows a chunk per
 *  transaction: a large one whole would hold the library for seconds. */
export function deleteBatch(db: Db, batchId: number): void {
  for (const table of ['edits', 'art_edits']) {
    const chunk = db.prepare(
      `DELETE FROM ${table} WHERE batch_id = ? AND file_id IN
         (SELECT file_id FROM ${table} WHERE batch_id = ? LIMIT ${DELETE_CHUNK})`,
    );
    while (chunk.run(batchId, batchId).changes > 0) giveWay(db);
  }
  db.prepare('DELETE FROM edit_batches WHERE id = ?').run(batchId);
}

/** What a process does when it opens a library another may have left mid-way: drops abandoned batches and
 *  derives what is queued. The files derived. */
export function catchUp(db: Db): number {
  dropAbandonedBatches(db);
  // Most opens find nothing queued: no write transaction, no statements prepared.
  if (
    !db.prepare('SELECT 1 FROM derive_batches LIMIT 1').get() &&
    !gainDefaultPending(db) &&
    !albumYearsBehind(db) &&
    !albumLoudnessBehind(db)
  )
    return 0;
  return new Derivation(db).all();
}

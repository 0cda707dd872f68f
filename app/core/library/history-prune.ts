// The edit history bounded by the user's rule (config.json's history): at most `batches` batches, none
// made more than `days` days ago. A batch past it is pruned: no longer listed, undone or redone. Pruning
// goes in id order, so the history is always the batches above one id (history_pruned.through), and an
// undo that reaches below it is told so, with the rule.
//
// What the pruned batches hold that still shows is kept, so pruning changes nothing the library shows: an
// undone batch is deleted whole, with the rows carried from it to other copies (edit-counts.ts); of an
// active one, each row a later pruned batch replaced (the same field of the same file, a file's pictures,
// a pair's copy decision) is deleted, since no undo can bring it back any more, and a batch left holding
// nothing is deleted. Past the history the library keeps at most what it shows: one value list per
// edited field, one picture list per file. The pictures only deleted rows named are let go
// (art_released), for art-collect to delete a day later.
//
// The work goes in short write transactions (the app, `sleeve` commands and mount daemons share the
// library), oldest batch first, `folded` saying how far it is done; a deletion done twice does nothing, so
// a run cut short (or two processes at once) resumes where it stopped. A batch still being written or
// derived is never pruned, nor anything after it.
import type Database from 'better-sqlite3';
import { formatCount } from '../../shared/count-words.ts';
import type { Db } from '../db/database.ts';
import { giveWayAsync, HOLD_MS, writeTransaction } from '../db/write-lock.ts';
import { editAge } from './edit-counts.ts';

/** The history kept (config.json's history). */
export interface HistoryRetention {
  readonly batches: number;
  readonly days: number;
}

/** Where the history was last pruned, and by which rule. */
export interface PrunedHistory {
  /** Batches up to this id are past the history. */
  readonly through: number;
  readonly batches: number;
  readonly days: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** SQL: whether batch :id holds nothing (no edit, picture edit, copy decision or copy kept). */
const HOLDS_NOTHING = `(NOT EXISTS (SELECT 1 FROM edits WHERE batch_id = :id)
  AND NOT EXISTS (SELECT 1 FROM art_edits WHERE batch_id = :id)
  AND NOT EXISTS (SELECT 1 FROM copy_decisions WHERE batch_id = :id)
  AND NOT EXISTS (SELECT 1 FROM copy_keeps WHERE batch_id = :id))`;

/** Rows of one batch looked at per step, between checks of the time. */
const STEP_ROWS = 200;

/** The id at or below which batches are past the history (0: none are). */
export function historyFloor(db: Db): number {
  return db.prepare('SELECT through FROM history_pruned').pluck().get() as number;
}

/** Where the history was pruned, or null if it never was. */
export function prunedHistory(db: Db): PrunedHistory | null {
  const row = db.prepare('SELECT through, batches, days FROM history_pruned').get() as
    | { through: number; batches: number | null; days: number | null }
    | undefined;
  if (!row || row.through === 0 || row.batches === null || row.days === null) return null;
  return { through: row.through, batches: row.batches, days: row.days };
}

/** The pruning said plainly, for an undo, a redo or a look that reaches past it. */
export function prunedWords({ through, batches, days }: PrunedHistory): string {
  return (
    `the history was pruned up to edit batch ${through}: it keeps the newest ` +
    `${formatCount(batches, 'batch', 'batches')} from the last ${formatCount(days, 'day')} ` +
    '(history.batches and history.days in config.json)'
  );
}

/** The newest batch the rule puts past the history, if any; capped below a batch still being written or
 *  derived (pruning must not fold rows whose state a writer has yet to settle). */
function newFloor(db: Db, retention: HistoryRetention, now: number): number {
  const byCount = db
    .prepare('SELECT id FROM edit_batches WHERE writing_pid IS NULL ORDER BY id DESC LIMIT 1 OFFSET ?')
    .pluck()
    .get(retention.batches) as number | undefined;
  const byAge = db
    .prepare(
      `SELECT max(id) FROM edit_batches WHERE id > (SELECT through FROM history_pruned)
         AND created_at < ? AND writing_pid IS NULL`,
    )
    .pluck()
    .get(now - retention.days * DAY_MS) as number | null;
  const busy = db
    .prepare(
      `SELECT min(id) FROM (SELECT batch_id AS id FROM derive_batches
         UNION ALL SELECT id FROM edit_batches WHERE writing_pid IS NOT NULL)`,
    )
    .pluck()
    .get() as number | null;
  const floor = Math.max(byCount ?? 0, byAge ?? 0);
  return busy === null ? floor : Math.min(floor, busy - 1);
}

/** Whether pruning has anything to do: the rule reaches past the history, or pruned batches are still
 *  to fold. A few index lookups. */
export function pruneDue(db: Db, retention: HistoryRetention, now = Date.now()): boolean {
  const { through, folded } = db.prepare('SELECT through, folded FROM history_pruned').get() as {
    through: number;
    folded: number;
  };
  return folded < through || newFloor(db, retention, now) > through;
}

/**
 * Prunes the history to `retention` as of `now`, in write transactions of about HOLD_MS, giving way to
 * other writers between them. Returns how many batches it moved past the history. `waitMs`: how long each
 * transaction waits for the write lock (writeTransaction's).
 */
export async function pruneHistory(
  db: Db,
  retention: HistoryRetention,
  now = Date.now(),
  waitMs?: number,
): Promise<number> {
  if (!pruneDue(db, retention, now)) return 0; // the usual case: nothing written
  const moved = writeTransaction(
    db,
    () => {
      const through = historyFloor(db);
      const floor = newFloor(db, retention, now);
      if (floor <= through) return 0;
      db.prepare('UPDATE history_pruned SET through = ?, at = ?, batches = ?, days = ?').run(
        floor,
        now,
        retention.batches,
        retention.days,
      );
      return db
        .prepare('SELECT count(*) FROM edit_batches WHERE id > ? AND id <= ? AND writing_pid IS NULL')
        .pluck()
        .get(through, floor) as number;
    },
    waitMs,
  );
  const folding = new Folding(db);
  while (writeTransaction(db, () => folding.step(performance.now() + HOLD_MS), waitMs)) await giveWayAsync();
  return moved;
}

/** Folds pruned batches, oldest first: the statements, and how far into the current batch it got. */
class Folding {
  readonly #state: Database.Statement;
  readonly #next: Database.Statement;
  readonly #setFolded: Database.Statement;
  readonly #edits: Database.Statement;
  readonly #dropOlderEdits: Database.Statement;
  readonly #dropReplacedEdit: Database.Statement;
  readonly #dropReplacedArt: Database.Statement;
  readonly #art: Database.Statement;
  readonly #dropOlderArt: Database.Statement;
  readonly #dropOlderDecisions: Database.Statement;
  readonly #dropEdits: Database.Statement;
  readonly #dropArt: Database.Statement;
  readonly #dropCarriedEdits: Database.Statement;
  readonly #dropCarriedArt: Database.Statement;
  readonly #dropEmptyCarry: Database.Statement;
  readonly #dropDecisions: Database.Statement;
  readonly #dropKeep: Database.Statement;
  readonly #empty: Database.Statement;
  readonly #dropBatch: Database.Statement;
  /** The batch being folded and, for an active one, the last of its edits (file, key) and pictures (file)
   *  done: a batch of 100k rows takes several transactions. */
  #at: { batch: number; file: number; key: string; artFile: number } | undefined;

  constructor(db: Db) {
    this.#state = db.prepare('SELECT through, folded FROM history_pruned');
    this.#next = db.prepare(
      'SELECT id, undone_at IS NOT NULL AS undone FROM edit_batches WHERE id > ? AND id <= ? ORDER BY id LIMIT 1',
    );
    this.#setFolded = db.prepare('UPDATE history_pruned SET folded = max(folded, ?)');
    this.#edits = db
      .prepare(
        `SELECT file_id, key FROM edits WHERE batch_id = ? AND (file_id, key) > (?, ?)
         ORDER BY file_id, key LIMIT ${STEP_ROWS}`,
      )
      .raw();
    // An older row of the same field (older by editAge: a carried row is as old as the edit it carries),
    // in a batch below this one: every one is folded, so an active pruned one. Else, when such a row is
    // newer, this row is what it replaced (a carry made while the user's later edit was undone, which a
    // redo brought back).
    const age = (table: string) =>
      `(SELECT ${editAge('r')} FROM ${table} r WHERE r.batch_id = @batch AND r.file_id = @file${table === 'edits' ? ' AND r.key = @key' : ''})`;
    const newestOlder = (table: string) =>
      `(SELECT max(${editAge('o')}) FROM ${table} o WHERE o.file_id = @file${table === 'edits' ? ' AND o.key = @key' : ''} AND o.batch_id < @batch)`;
    this.#dropOlderEdits = db
      .prepare(
        `DELETE FROM edits WHERE file_id = @file AND key = @key AND batch_id < @batch
           AND ${editAge('edits')} < ${age('edits')} RETURNING batch_id`,
      )
      .pluck();
    this.#dropReplacedEdit = db.prepare(
      `DELETE FROM edits WHERE batch_id = @batch AND file_id = @file AND key = @key
         AND ${editAge('edits')} < ${newestOlder('edits')}`,
    );
    this.#art = db
      .prepare(
        `SELECT file_id FROM art_edits WHERE batch_id = ? AND file_id > ? ORDER BY file_id LIMIT ${STEP_ROWS}`,
      )
      .pluck();
    this.#dropOlderArt = db
      .prepare(
        `DELETE FROM art_edits WHERE file_id = @file AND batch_id < @batch
           AND ${editAge('art_edits')} < ${age('art_edits')} RETURNING batch_id`,
      )
      .pluck();
    this.#dropReplacedArt = db.prepare(
      `DELETE FROM art_edits WHERE batch_id = @batch AND file_id = @file
         AND ${editAge('art_edits')} < ${newestOlder('art_edits')}`,
    );
    this.#dropOlderDecisions = db
      .prepare(
        `DELETE FROM copy_decisions WHERE batch_id < :batch
           AND (a, b) IN (SELECT a, b FROM copy_decisions WHERE batch_id = :batch) RETURNING batch_id`,
      )
      .pluck();
    // An undone batch's rows, a step at a time (art_edits' triggers count each picture let go).
    this.#dropEdits = db.prepare(
      `DELETE FROM edits WHERE (batch_id, file_id, key) IN
         (SELECT batch_id, file_id, key FROM edits WHERE batch_id = ? LIMIT ${STEP_ROWS})`,
    );
    this.#dropArt = db.prepare(
      `DELETE FROM art_edits WHERE (batch_id, file_id) IN
         (SELECT batch_id, file_id FROM art_edits WHERE batch_id = ? LIMIT ${STEP_ROWS})`,
    );
    // What was carried from an undone batch to other copies counted only while it was active
    // (edit-counts.ts): it never will again.
    this.#dropCarriedEdits = db
      .prepare(
        `DELETE FROM edits WHERE (batch_id, file_id, key) IN
           (SELECT batch_id, file_id, key FROM edits WHERE carried_from = ? LIMIT ${STEP_ROWS}) RETURNING batch_id`,
      )
      .pluck();
    this.#dropCarriedArt = db
      .prepare(
        `DELETE FROM art_edits WHERE (batch_id, file_id) IN
           (SELECT batch_id, file_id FROM art_edits WHERE carried_from = ? LIMIT ${STEP_ROWS}) RETURNING batch_id`,
      )
      .pluck();
    // A carry left holding nothing goes from the history (not one still being written or derived, nor the
    // newest batch: its id would be given again to the next, which the carry's notice names).
    this.#dropEmptyCarry = db.prepare(
      `DELETE FROM edit_batches WHERE id = :id AND writing_pid IS NULL
         AND id < (SELECT max(id) FROM edit_batches)
         AND NOT EXISTS (SELECT 1 FROM derive_batches WHERE batch_id = :id) AND ${HOLDS_NOTHING}`,
    );
    this.#dropDecisions = db.prepare('DELETE FROM copy_decisions WHERE batch_id = ?');
    // A copy kept, past the history, is only the choice in force (preferred_copies): nothing to undo.
    this.#dropKeep = db.prepare('DELETE FROM copy_keeps WHERE batch_id = ?');
    this.#empty = db.prepare(`SELECT ${HOLDS_NOTHING}`).pluck();
    this.#dropBatch = db.prepare('DELETE FROM edit_batches WHERE id = ?');
  }

  /** Folds until `deadline` (at least one step); whether pruned batches are left to fold. */
  step(deadline: number): boolean {
    const { through, folded } = this.#state.get() as { through: number; folded: number };
    let from = folded;
    for (;;) {
      const batch = this.#next.get(from, through) as { id: number; undone: number } | undefined;
      if (!batch) {
        this.#setFolded.run(through);
        return false;
      }
      const done = batch.undone ? this.#dropUndone(batch.id, deadline) : this.#foldActive(batch.id, deadline);
      if (!done) return true;
      this.#setFolded.run(batch.id);
      this.#at = undefined;
      from = batch.id;
      if (performance.now() >= deadline) return true;
    }
  }

  /** Deletes an undone batch, its rows and those carried from it first; whether it is gone. */
  #dropUndone(id: number, deadline: number): boolean {
    while (this.#dropEdits.run(id).changes > 0) if (performance.now() >= deadline) return false;
    while (this.#dropArt.run(id).changes > 0) if (performance.now() >= deadline) return false;
    for (const carried of [this.#dropCarriedEdits, this.#dropCarriedArt])
      for (
        let carries = carried.all(id) as number[];
        carries.length > 0;
        carries = carried.all(id) as number[]
      ) {
        for (const carry of new Set(carries)) this.#dropEmptyCarry.run({ id: carry });
        if (performance.now() >= deadline) return false;
      }
    this.#dropDecisions.run(id);
    this.#dropBatch.run(id);
    return true;
  }

  /** Deletes the rows of older pruned batches that this active one replaced, and those batches once they
   *  hold nothing; whether it is done. */
  #foldActive(id: number, deadline: number): boolean {
    if (this.#at?.batch !== id) this.#at = { batch: id, file: 0, key: '', artFile: 0 };
    const at = this.#at;
    // The older batches rows were deleted from: each is deleted too once it holds nothing.
    const touched = new Set<number>();
    const note = (batches: number[]) => {
      for (const b of batches) touched.add(b);
    };
    const fold = (): boolean => {
      for (;;) {
        const rows = this.#edits.all(id, at.file, at.key) as Array<[number, string]>;
        for (const [file, key] of rows) {
          note(this.#dropOlderEdits.all({ file, key, batch: id }) as number[]);
          this.#dropReplacedEdit.run({ file, key, batch: id });
        }
        if (rows.length > 0) [at.file, at.key] = rows.at(-1)!;
        if (rows.length < STEP_ROWS) break;
        if (performance.now() >= deadline) return false;
      }
      for (;;) {
        const files = this.#art.all(id, at.artFile) as number[];
        for (const file of files) {
          note(this.#dropOlderArt.all({ file, batch: id }) as number[]);
          this.#dropReplacedArt.run({ file, batch: id });
        }
        if (files.length > 0) at.artFile = files.at(-1)!;
        if (files.length < STEP_ROWS) break;
        if (performance.now() >= deadline) return false;
      }
      note(this.#dropOlderDecisions.all({ batch: id }) as number[]);
      this.#dropKeep.run(id);
      touched.add(id); // a batch that held nothing to begin with
      return true;
    };
    const finished = fold();
    for (const b of touched) if (this.#empty.get({ id: b })) this.#dropBatch.run(b);
    return finished;
  }
}

// User edits: a layer over the file tags, grouped in batches. Nothing here touches audio files.

import type Database from 'better-sqlite3';
import { UserError } from '../../../kit/user-error.ts';
import { formatList } from '../../shared/count-words.ts';
import {
  flagValue,
  isFlagField,
  isKnownTagField,
  isValidTagKey,
  notATag,
  sleeveFieldName,
  TAG_FIELDS,
  validateFieldValue,
} from '../../shared/fields.ts';
import { storedNumbers } from '../../shared/track-numbers.ts';
import { NEW_BATCH_ID } from '../db/batch-ids.ts';
import type { Db } from '../db/database.ts';
import { perConnection } from '../db/per-connection.ts';
import { giveWay, HOLD_MS, writeTransaction } from '../db/write-lock.ts';
import { replayKeep } from '../fingerprint/copy-keeps.ts';
import { regroupDecided } from '../fingerprint/split-join.ts';
import { AlbumLoudness } from './album-loudness.ts';
import { type PictureRef, pictureRefs } from './art.ts';
import { batchFileCount, batchFiles, deleteBatch, INLINE_FILES, queueDerivation } from './derivation.ts';
import { editAge, editCounts } from './edit-counts.ts';
import { EffectiveTags } from './effective.ts';
import { historyFloor, prunedHistory, prunedWords } from './history-prune.ts';
import { closestFields } from './library-query.ts';
import { type Tags, tagsFor } from './list.ts';

/** A field set to values; an empty list clears it. */
export interface FieldChange {
  readonly key: string;
  readonly values: readonly string[];
}

export class EditError extends UserError {
  override name = 'EditError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

const TAG_FIELDS_NAMES = TAG_FIELDS.map((f) => f.name);

/** Rejects unknown fields (the closest known ones, as a query does, else the list of them) and invalid
 *  values, before anything is written. */
export function validateChanges(db: Db, changes: readonly FieldChange[]): FieldChange[] {
  const exists = db.prepare('SELECT 1 FROM tags WHERE key = ? LIMIT 1').pluck();
  const seen = new Set<string>();
  return changes.map((c) => {
    const lower = c.key.toLowerCase();
    // beets' names (`modify track=5 comp=yes`) are read as Sleeve's, as in a query.
    const named = sleeveFieldName(lower);
    const key = isKnownTagField(named) ? named : c.key;
    if (!isKnownTagField(key) && !(isValidTagKey(key) && exists.get(key))) {
      const why = notATag(lower, c.values[0]);
      if (why) throw new EditError(why);
      const near = closestFields(lower, TAG_FIELDS_NAMES);
      throw new EditError(
        near.length > 0
          ? `unknown field "${c.key}": did you mean ${near.join(', ')}? (or any field already present in the library)`
          : `unknown field "${c.key}". Known fields: ${TAG_FIELDS_NAMES.join(', ')}` +
              ' (or any field already present in the library)',
      );
    }
    if (seen.has(key.toLowerCase()))
      throw new EditError(`field "${key}" is given twice; repeat key=value pairs for several values`);
    seen.add(key.toLowerCase());
    const values = isFlagField(key) ? c.values.map((v) => flagValue(v) ?? v) : c.values;
    for (const v of values) {
      const problem = validateFieldValue(key, v);
      if (problem) throw new EditError(problem);
    }
    return { key, values: [...values] };
  });
}

/**
 * An edit as typed (the CLI's `set`, the app's `tags.edit`): validated, and its track and disc numbers read
 * as the library stores them (app/shared/track-numbers.ts: "05" is 5, "2/9" also sets totaltracks, in the
 * same batch); a value that reads as no number is kept as typed, with a warning.
 */
export function readEdit(
  db: Db,
  changes: readonly FieldChange[],
): { changes: FieldChange[]; warnings: string[] } {
  const { fields, warnings } = storedNumbers(validateChanges(db, changes));
  return { changes: fields, warnings };
}

export interface PlannedChange {
  readonly fileId: number;
  readonly key: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** Of an edit carried from another copy, the batch the user made it in (edit-counts.ts). */
  readonly carriedFrom?: number;
}

/** A file's tags by lower-cased key, built once per file: a lookup per key stays constant-time however
 *  many distinct keys a file carries (a crafted file may hold 50,000). */
function byLowerKey(tags: Tags): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(tags)) {
    const lower = k.toLowerCase();
    if (!out.has(lower)) out.set(lower, v);
  }
  return out;
}

export function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The changes that would really alter something (files already at the new value are left out). */
export function planEdit(
  db: Db,
  fileIds: readonly number[],
  changes: readonly FieldChange[],
): PlannedChange[] {
  const plan: PlannedChange[] = [];
  const CHUNK = 500;
  for (let i = 0; i < fileIds.length; i += CHUNK) {
    const tags = tagsFor(db, fileIds.slice(i, i + CHUNK));
    for (const [fileId, t] of tags) {
      const current = byLowerKey(t);
      for (const c of changes) {
        const before = current.get(c.key.toLowerCase()) ?? [];
        if (!sameValues(before, c.values)) plan.push({ fileId, key: c.key, before, after: c.values });
      }
    }
  }
  return plan;
}

/** An edit in words, for the history: `Set composer to "Daniel Roux" and clear lyrics on 5 tracks`. Only
 *  the fields `plan` changes are named: one typed back to the value every file has is no part of it. */
export function describeEdit(
  changes: readonly FieldChange[],
  scope: string,
  plan?: readonly PlannedChange[],
): string {
  if (!plan) return describeChanges(changes, scope);
  const planned = new Set(plan.map((p) => p.key.toLowerCase()));
  return describeChanges(
    changes.filter((c) => planned.has(c.key.toLowerCase())),
    scope,
  );
}

function describeChanges(changes: readonly FieldChange[], scope: string): string {
  const quoted = (v: string) => `"${v.length > 40 ? `${v.slice(0, 39)}…` : v}"`;
  const sets = changes
    .filter((c) => c.values.length > 0)
    .map((c) => `${c.key} to ${c.values.map(quoted).join(' and ')}`);
  const clears = changes.filter((c) => c.values.length === 0).map((c) => c.key);
  const words = [
    ...(sets.length > 0 ? [`set ${formatList(sets)}`] : []),
    ...(clears.length > 0 ? [`clear ${formatList(clears)}`] : []),
  ].join(' and ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${scope ? ` ${scope}` : ''}`;
}

/** Who made an edit batch, said when a save is refused for a field changed since it was loaded. */
export type EditOrigin = 'app' | 'cli' | 'mount';

/** An edit batch in the history: what it did in words, and who made it. */
export interface BatchLabel {
  readonly description: string;
  readonly origin: EditOrigin;
  /** The process that saved it through a mount (app/core/mounted/reader-base.ts: writerOf). */
  readonly writer?: string;
}

/** A file's pictures replaced (an empty list removes them); the images must already be in `art`. */
export interface PlannedArt {
  readonly fileId: number;
  readonly pictures: readonly PictureRef[];
  /** Of pictures carried from another copy, the batch the user gave them in (edit-counts.ts). */
  readonly carriedFrom?: number;
}

/** Rows written per transaction while a large batch is written, at most: a few milliseconds each with the
 *  pages they touch in memory. Each transaction also ends after HOLD_MS: read from disk, the index pages of
 *  2,000 rows held the write lock 844 ms at a million tracks. */
const WRITE_CHUNK = 2000;

/**
 * Applies a plan as one batch; returns the batch id (undefined when there was nothing to change).
 * `madeAt`: when the user made the edit, if not now (a save through the mount that waited). `check` runs
 * in the transaction that makes the batch count, before it does (given its id, to write what goes with
 * it): a throw there saves nothing.
 *
 * A batch of up to INLINE_FILES files refreshes what they show in the same transaction. A larger one, unless
 * the caller holds a transaction, is written in short transactions while held undone, made to count in a
 * last one, and its files queued for derivation (derivation.ts): the caller derives them, or leaves them
 * to the process that follows the queue (the app's derivation worker, the next `sleeve` command).
 */
export function applyEdit(
  db: Db,
  plan: readonly PlannedChange[],
  label: BatchLabel,
  art: readonly PlannedArt[] = [],
  madeAt = Date.now(),
  check: (batchId: number) => void = () => {},
): number | undefined {
  if (plan.length === 0 && art.length === 0) return undefined;
  const files = new Set([...plan.map((c) => c.fileId), ...art.map((a) => a.fileId)]);
  const rows = new BatchRows(db);
  if (files.size > INLINE_FILES && !db.inTransaction)
    return writeLarge(db, rows, { plan, art, files: files.size }, label, madeAt, check);
  const derive = files.size > INLINE_FILES ? undefined : inlineDerivation(db);
  return writeTransaction(db, () => {
    const batchId = rows.open(madeAt, label, null);
    check(batchId);
    rows.write(batchId, plan, art);
    if (derive) refreshAtOnce(derive, files);
    else queueDerivation(db, batchId, files.size);
    return batchId;
  });
}

/** A batch that holds no tag edit, only what `write` puts in it (a copy kept: copy-keeps.ts); in one
 *  transaction. */
export function openBatch(db: Db, label: BatchLabel, write: (batchId: number) => void): number {
  return writeTransaction(db, () => {
    const batchId = new BatchRows(db).open(Date.now(), label, null);
    write(batchId);
    return batchId;
  });
}

/**
 * What a few files' edit, undo or redo changes, in its own transaction: their effective tags, and their
 * albums' loudness, so that the mount serves one version of each (a version recorded with the old album's
 * figures, which a round then changed, would be sized apart from the header built after that round) and a
 * save through the mount serves it with no other process running.
 */
function refreshAtOnce({ effective, loudness }: InlineDerivation, files: Iterable<number>): void {
  const ids = [...files];
  effective.batch(() => {
    for (const id of ids) effective.refresh(id);
  });
  loudness.refreshAlbumsOf(ids);
}

/** What a few files' edit is derived with at once: made once for the connection (per-connection.ts). */
interface InlineDerivation {
  readonly effective: EffectiveTags;
  readonly loudness: AlbumLoudness;
}

const inlineDerivation = perConnection(
  (db): InlineDerivation => ({ effective: new EffectiveTags(db), loudness: new AlbumLoudness(db) }),
);

/** A large batch in short transactions: held undone (with this process's pid) until the last one. */
function writeLarge(
  db: Db,
  rows: BatchRows,
  { plan, art, files }: { plan: readonly PlannedChange[]; art: readonly PlannedArt[]; files: number },
  label: BatchLabel,
  madeAt: number,
  check: (batchId: number) => void,
): number {
  const batchId = writeTransaction(db, () => rows.open(madeAt, label, process.pid));
  try {
    for (let i = 0; i < plan.length; ) {
      giveWay(db);
      const from = i;
      i = writeTransaction(db, () => rows.writeEdits(batchId, plan, from, performance.now() + HOLD_MS));
    }
    for (let i = 0; i < art.length; i += WRITE_CHUNK) {
      giveWay(db);
      writeTransaction(db, () => rows.write(batchId, [], art.slice(i, i + WRITE_CHUNK)));
    }
    giveWay(db);
    writeTransaction(db, () => {
      check(batchId);
      db.prepare(
        'UPDATE edit_batches SET undone_at = NULL, writing_pid = NULL, counted_at = ? WHERE id = ?',
      ).run(Date.now(), batchId);
      queueDerivation(db, batchId, files);
    });
    return batchId;
  } catch (err) {
    deleteBatch(db, batchId);
    throw err;
  }
}

/** An edit batch's source rows. */
class BatchRows {
  readonly #batch: Database.Statement;
  readonly #edit: Database.Statement;
  readonly #art: Database.Statement;

  constructor(db: Db) {
    this.#batch = db.prepare(
      `INSERT INTO edit_batches (id, created_at, description, origin, undone_at, writing_pid, counted_at, writer)
       VALUES (${NEW_BATCH_ID}, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#edit = db.prepare(
      'INSERT INTO edits (batch_id, file_id, key, vals, carried_from) VALUES (?, ?, ?, ?, ?)',
    );
    // All of a call's rows in one statement: inside a caller's transaction, every statement that fires a
    // trigger (art_edits' count of the pictures it names) journals what it changes, 20 µs a statement.
    this.#art = db.prepare(
      `INSERT INTO art_edits (batch_id, file_id, pictures, carried_from)
       SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
       FROM json_each(?)`,
    );
  }

  /** A new batch; `writingPid`: held undone while that process writes it (it counts from its last write). */
  open(madeAt: number, { description, origin, writer }: BatchLabel, writingPid: number | null): number {
    const undoneAt = writingPid === null ? null : madeAt;
    const countedAt = writingPid === null ? Date.now() : null;
    const row = [madeAt, description, origin, undoneAt, writingPid, countedAt, writer ?? null];
    return Number(this.#batch.run(...row).lastInsertRowid);
  }

  /** `plan`'s rows from `from` on, WRITE_CHUNK at most, until `deadline` (at least one); the next row's
   *  index. */
  writeEdits(batchId: number, plan: readonly PlannedChange[], from: number, deadline: number): number {
    const end = Math.min(plan.length, from + WRITE_CHUNK);
    let i = from;
    do this.#editRow(batchId, plan[i++]!);
    while (i < end && performance.now() < deadline);
    return i;
  }

  #editRow(batchId: number, c: PlannedChange): void {
    this.#edit.run(batchId, c.fileId, c.key, JSON.stringify(c.after), c.carriedFrom ?? null);
  }

  write(batchId: number, plan: readonly PlannedChange[], art: readonly PlannedArt[]): void {
    for (const c of plan) this.#editRow(batchId, c);
    if (art.length === 0) return;
    const rows = art.map((a) => {
      return [a.fileId, JSON.stringify(pictureRefs(a.pictures)), a.carriedFrom ?? null];
    });
    this.#art.run(batchId, JSON.stringify(rows));
  }
}

/**
 * Adds pictures to a batch made earlier and still active (identify saves its tags at once and its covers
 * once fetched: one undo still takes back both). `plan` runs in the transaction, only once the batch is
 * known to be active (it may store the images it uses). The files given pictures; undefined, and nothing
 * planned, when the batch was undone meanwhile. A file the batch already gave pictures keeps them.
 */
export function addArtToBatch(
  db: Db,
  batchId: number,
  plan: () => readonly PlannedArt[],
): number | undefined {
  const { effective } = inlineDerivation(db);
  return writeTransaction(db, () => {
    const active = db
      .prepare('SELECT 1 FROM edit_batches WHERE id = ? AND undone_at IS NULL')
      .pluck()
      .get(batchId);
    if (!active) return undefined;
    const insert = db.prepare(
      'INSERT OR IGNORE INTO art_edits (batch_id, file_id, pictures) VALUES (?, ?, ?)',
    );
    return effective.batch(() => {
      let files = 0;
      for (const a of plan()) {
        if (insert.run(batchId, a.fileId, JSON.stringify(pictureRefs(a.pictures))).changes === 0) continue;
        effective.refresh(a.fileId);
        files++;
      }
      return files;
    });
  });
}

/** How a batch that replaced pictures lists them among its fields. */
const PICTURES_FIELD = '(pictures)';
/** How a batch that split or joined copies (copy_decisions) lists that among its fields. */
const RECORDING_FIELD = '(recording)';
/** How a batch that kept a copy of a recording (copy_keeps) lists that among its fields. */
export const KEPT_FIELD = '(kept copy)';

export interface BatchSummary {
  readonly id: number;
  readonly createdAt: number;
  readonly description: string;
  readonly undoneAt: number | null;
  readonly files: number;
  /** Other copies its edits were carried to, by a carry not undone: they go with it (edit-counts.ts). */
  readonly carriedTo: number;
  readonly fields: string[];
}

/** Newest batches first, down to where the history was pruned; `upTo` starts the list at that batch id
 *  (so `history(db, 1, id)` is one batch). */
export function history(db: Db, limit = 50, upTo = Number.MAX_SAFE_INTEGER): BatchSummary[] {
  const rows = db
    .prepare(
      `SELECT b.id, b.created_at AS createdAt, b.description, b.undone_at AS undoneAt,
         (SELECT count(*) FROM (SELECT file_id FROM edits WHERE batch_id = b.id
                                UNION SELECT file_id FROM art_edits WHERE batch_id = b.id
                                UNION SELECT a FROM copy_decisions WHERE batch_id = b.id
                                UNION SELECT b FROM copy_decisions WHERE batch_id = b.id
                                UNION SELECT file_id FROM copy_keeps WHERE batch_id = b.id)) AS files,
         (SELECT count(*) FROM (SELECT e.file_id FROM edits e JOIN edit_batches c ON c.id = e.batch_id
                                  WHERE e.carried_from = b.id AND c.undone_at IS NULL
                                UNION SELECT a.file_id FROM art_edits a JOIN edit_batches c ON c.id = a.batch_id
                                  WHERE a.carried_from = b.id AND c.undone_at IS NULL)) AS carriedTo,
         (SELECT json_group_array(DISTINCT key) FROM edits WHERE batch_id = b.id) AS fields,
         EXISTS (SELECT 1 FROM art_edits WHERE batch_id = b.id) AS art,
         EXISTS (SELECT 1 FROM copy_decisions WHERE batch_id = b.id) AS copies,
         EXISTS (SELECT 1 FROM copy_keeps WHERE batch_id = b.id) AS keeps
       FROM edit_batches b WHERE b.id <= ? AND b.id > (SELECT through FROM history_pruned)
         AND b.writing_pid IS NULL ORDER BY b.id DESC LIMIT ?`,
    )
    .all(upTo, limit) as Array<
    Omit<BatchSummary, 'fields'> & { fields: string; art: number; copies: number; keeps: number }
  >;
  return rows.map(({ art, copies, keeps, ...r }) => ({
    ...r,
    fields: [
      ...(JSON.parse(r.fields) as string[]),
      ...(art ? [PICTURES_FIELD] : []),
      ...(copies ? [RECORDING_FIELD] : []),
      ...(keeps ? [KEPT_FIELD] : []),
    ],
  }));
}

/** Undoes a batch (default: the newest one still active); the fields fall back to older edits or the file. */
export function undoBatch(db: Db, batchId?: number): BatchSummary {
  const id =
    batchId ??
    (db
      .prepare(
        'SELECT max(id) FROM edit_batches WHERE undone_at IS NULL AND id > (SELECT through FROM history_pruned)',
      )
      .pluck()
      .get() as number | null);
  if (id === null || id === undefined) {
    const anySaved = db
      .prepare('SELECT 1 FROM edit_batches WHERE id > (SELECT through FROM history_pruned) LIMIT 1')
      .get();
    throw new EditError(
      `nothing to undo: ${anySaved ? 'every edit is undone already' : 'no edit is saved'}${pruned(db)}`,
    );
  }
  const batch = existing(db, id, 'undone');
  if (batch.undoneAt !== null) throw new EditError(`edit batch ${id} is already undone`);
  return setUndone(db, id, true);
}

/** " (…)" saying where the history was pruned, or nothing if it never was. */
function pruned(db: Db): string {
  const p = prunedHistory(db);
  return p ? ` (${prunedWords(p)})` : '';
}

/** A batch in the history, or why it is not: past it, or never made. */
function existing(db: Db, id: number, verb: 'undone' | 'redone'): { undoneAt: number | null } {
  const p = prunedHistory(db);
  if (p && id <= p.through)
    throw new EditError(`edit batch ${id} can no longer be ${verb}: ${prunedWords(p)}`);
  const batch = db
    .prepare('SELECT undone_at AS undoneAt FROM edit_batches WHERE id = ? AND writing_pid IS NULL')
    .get(id) as { undoneAt: number | null } | undefined;
  if (!batch) throw new EditError(`there is no edit batch ${id}`);
  return batch;
}

/** Marks a batch undone or active again (`undo` false: a redo), dated inside the transaction that makes
 *  it count, and refreshes what its files show (their tags, and their recording groups when it split or
 *  joined copies): at once for a few files, else by derivation. */
function setUndone(db: Db, id: number, undo: boolean): BatchSummary {
  const files = batchFileCount(db, id);
  const inline = files <= INLINE_FILES;
  // Made before the write lock is taken (the first time on this connection, its statements are prepared).
  const derive = inlineDerivation(db);
  writeTransaction(db, () => {
    // Checked again where it counts: the history may have been pruned past it since (another process).
    if (id <= historyFloor(db)) existing(db, id, undo ? 'undone' : 'redone');
    // A redo is dated too: a tagger that read the file before it must not take it back (fields-since.ts).
    if (!undo)
      db.prepare(
        'UPDATE edit_batches SET redone_at = ?, redo_cleared_undo_at = undone_at, undone_at = NULL WHERE id = ?',
      ).run(Date.now(), id);
    else db.prepare('UPDATE edit_batches SET undone_at = ? WHERE id = ?').run(Date.now(), id);
    if (inline) {
      refreshAtOnce(derive, batchFiles(db, id));
    } else queueDerivation(db, id, files);
    regroupDecided(db, id);
    replayKeep(db, id);
  });
  return history(db, 1, id)[0]!;
}

/** Makes an undone batch active again (default: the one undone last); its edits count in their place by
 *  batch order, so a newer batch still wins where both edited a field. */
export function redoBatch(db: Db, batchId?: number): BatchSummary {
  const id =
    batchId ??
    (db
      .prepare(
        `SELECT id FROM edit_batches WHERE undone_at IS NOT NULL AND writing_pid IS NULL
           AND id > (SELECT through FROM history_pruned) ORDER BY undone_at DESC, id DESC LIMIT 1`,
      )
      .pluck()
      .get() as number | undefined);
  if (id === undefined) throw new EditError(`nothing to redo: no edit batch is undone${pruned(db)}`);
  const batch = existing(db, id, 'redone');
  if (batch.undoneAt === null) throw new EditError(`edit batch ${id} is not undone`);
  return setUndone(db, id, false);
}

/** Per file, the fields (lower case) an edit that is not undone sets (what the user set in Sleeve): one
 *  query for them all. `differing`: only those whose values now differ from the file's (what the track
 *  table marks: an edit that set what the file says, as a tagger's save of an unchanged field may, shows
 *  nothing other than the file). */
export function editedFields(
  db: Db,
  ids: readonly number[],
  { differing = false } = {},
): Map<number, string[]> {
  const valuesOf = (table: string) =>
    `(SELECT json_group_array(t.value ORDER BY t.idx) FROM ${table} t
       WHERE t.file_id = e.file_id AND lower(t.key) = lower(e.key))`;
  const rows = db
    .prepare(
      `SELECT DISTINCT e.file_id, lower(e.key) FROM json_each(?) j
       JOIN edits e ON e.file_id = j.value JOIN edit_batches b ON b.id = e.batch_id AND ${editCounts('e', 'b')}
       ${differing ? `WHERE ${valuesOf('tags')} IS NOT ${valuesOf('file_tags')}` : ''}`,
    )
    .raw()
    .all(JSON.stringify(ids)) as Array<[number, string]>;
  const out = new Map<number, string[]>();
  for (const [id, key] of rows) {
    const keys = out.get(id);
    if (keys) keys.push(key);
    else out.set(id, [key]);
  }
  return out;
}

export interface FieldDetail {
  readonly key: string;
  readonly file: string[];
  /** The newest active edit's values ([] = cleared), or null when the field is not edited. */
  readonly edited: string[] | null;
  readonly effective: string[];
}

/** Every field of one file: what the file says, what the user edited, and what the library shows. */
export function fieldDetails(db: Db, fileId: number): FieldDetail[] {
  const file = db
    .prepare('SELECT key, value FROM file_tags WHERE file_id = ? ORDER BY key, idx')
    .all(fileId) as Array<{
    key: string;
    value: string;
  }>;
  const edits = db
    .prepare(
      `SELECT e.key, e.vals FROM edits e JOIN edit_batches b ON b.id = e.batch_id
       WHERE e.file_id = ? AND ${editCounts('e', 'b')} ORDER BY ${editAge('e')}`,
    )
    .all(fileId) as Array<{ key: string; vals: string }>;
  const effective = tagsFor(db, [fileId]).get(fileId)!;
  const details = new Map<string, { key: string; file: string[]; edited: string[] | null }>();
  const entry = (key: string) => {
    const k = key.toLowerCase();
    let d = details.get(k);
    if (!d) {
      d = { key, file: [], edited: null };
      details.set(k, d);
    }
    return d;
  };
  for (const r of file) entry(r.key).file.push(r.value);
  for (const e of edits) entry(e.key).edited = JSON.parse(e.vals) as string[];
  const current = byLowerKey(effective);
  return [...details.values()]
    .map((d) => ({ ...d, effective: current.get(d.key.toLowerCase()) ?? [] }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

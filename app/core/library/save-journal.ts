// Saves a mount accepted but could not yet write to the library (another writer held it): appended to a
// journal file in the home and fsync'd before the tagger is told the save succeeded, applied in order once
// the library is free, and applied by the next daemon if this one dies first. One journal per daemon, each
// guarded by an exclusive lock the OS frees when the daemon exits: a journal whose lock is free is an
// orphan, adopted by whichever daemon starts next. Whether an entry was applied is recorded in the library
// (applied_saves) in the same transaction as its edit, so a journal replayed after a crash applies each
// save exactly once.
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ExclusiveLock } from '../../../kit/exclusive-lock.ts';
import { fsyncDir, truncateDurably } from '../../../kit/fs-durable.ts';
import { processAlive } from '../../../kit/process-alive.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import type { Home } from '../home.ts';
import { applyEdit } from './edits.ts';
import { GainSources } from './gain-source.ts';
import { isGainKey } from './served-tags.ts';

const ChangeSchema = z.object({
  fileId: z.number().int().positive(),
  key: z.string(),
  before: z.array(z.string()),
  after: z.array(z.string()),
});

const PictureRefSchema = z.object({ hash: z.string(), type: z.number().int(), description: z.string() });

/** An image the save brings (stored in `art` when the save is applied); bytes in base64 in the journal. */
const ImageSchema = z.object({
  hash: z.string(),
  mime: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  bytes: z.number().int().nonnegative(),
  data: z.string(),
});

const SaveSchema = z.object({
  id: z.string(),
  /** When the mount accepted it (ms since the epoch). */
  at: z.number(),
  /** The served path, for what the daemon says. */
  path: z.string(),
  description: z.string(),
  changes: z.array(ChangeSchema),
  art: z.array(z.object({ fileId: z.number().int().positive(), pictures: z.array(PictureRefSchema) })),
  images: z.array(ImageSchema),
});

/** One save as the mount accepted it: the tagger's changes, ready to apply as one edit batch. */
export type AcceptedSave = z.infer<typeof SaveSchema>;

export type NewSave = Omit<AcceptedSave, 'id' | 'at'>;

export function acceptedSave(save: NewSave): AcceptedSave {
  return { id: randomUUID(), at: Date.now(), ...save };
}

/** More than this waiting and a save is refused: the library has been held for a very long time. */
const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;

export class JournalFull extends UserError {
  override name = 'JournalFull';
  constructor(pending: number) {
    super(
      'conflict',
      `${pending} saves already wait for the library, which another process has held all along (over ${MAX_JOURNAL_BYTES / 1024 / 1024} MiB of them): this one is refused`,
    );
  }
}

const savesDir = (home: Home) => join(home.dir, 'saves');

/** The saves of one file, in order; a torn last line (a crash while appending, never acknowledged) is
 *  dropped, and so is anything unreadable, with its reason. */
function readSaves(file: string, problem: (line: string) => void): AcceptedSave[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  // Whatever follows the last newline (nothing, or a torn append) was never acknowledged.
  const complete = text.split('\n').slice(0, -1);
  const saves: AcceptedSave[] = [];
  complete.forEach((line, i) => {
    const parsed = SaveSchema.safeParse(safeJson(line));
    if (parsed.success) saves.push(parsed.data);
    else problem(`save journal ${file}, entry ${i + 1}, cannot be read and is skipped`);
  });
  return saves;
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** This daemon's journal: appended durably, emptied once everything in it is in the library. */
export class SaveJournal {
  readonly #file: string;
  readonly #lock: ExclusiveLock;
  #bytes = 0;

  private constructor(file: string, lock: ExclusiveLock) {
    this.#file = file;
    this.#lock = lock;
  }

  static create(home: Home): SaveJournal {
    if (!existsQuiet(savesDir(home))) {
      mkdirSync(savesDir(home), { recursive: true });
      fsyncDir(home.dir);
    }
    const name = join(savesDir(home), `${process.pid}-${randomUUID()}`);
    const lock = ExclusiveLock.tryAcquire(`${name}.lock`);
    if (!(lock instanceof ExclusiveLock)) throw new Error(`the new save journal ${name} is locked`);
    return new SaveJournal(`${name}.journal`, lock);
  }

  /** Appends a save and makes it durable; throws (nothing written) when the journal is full. */
  append(save: AcceptedSave, pending: number): void {
    const line = Buffer.from(`${JSON.stringify(save)}\n`);
    if (this.#bytes + line.length > MAX_JOURNAL_BYTES) throw new JournalFull(pending);
    const created = this.#bytes === 0 && !existsQuiet(this.#file);
    const fd = openSync(this.#file, 'a');
    try {
      appendFileSync(fd, line);
      fdatasyncSync(fd);
    } catch (err) {
      // A failed append (a full disk) leaves no fragment for the next save's line to be glued to.
      ftruncateSync(fd, this.#bytes);
      fdatasyncSync(fd);
      throw err;
    } finally {
      closeSync(fd);
    }
    if (created) fsyncDir(dirname(this.#file));
    this.#bytes += line.length;
  }

  /** Everything appended is in the library: the journal starts empty again. */
  clear(): void {
    if (this.#bytes === 0) return;
    truncateDurably(this.#file, 0);
    this.#bytes = 0;
  }

  /** The daemon stops: an empty journal and its lock go; one with saves stays, for the next daemon. */
  close(): void {
    if (this.#bytes === 0) rmSync(this.#file, { force: true });
    this.#lock.release();
    if (this.#bytes === 0) rmSync(this.#lock.path, { force: true });
  }
}

function existsQuiet(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A journal whose daemon is gone, taken over: its saves, and a way to remove it once they are applied. */
export interface AdoptedJournal {
  readonly file: string;
  readonly saves: readonly AcceptedSave[];
  /** Deletes it and frees its lock. */
  remove(): void;
}

/** The journals of daemons that stopped with saves still in them (their locks are free), oldest first.
 *  Journals are what is listed: a lock file without one is a daemon starting, never touched. */
export function adoptOrphans(home: Home, problem: (line: string) => void): AdoptedJournal[] {
  const adopted: Array<AdoptedJournal & { mtime: number }> = [];
  for (const base of journalBases(home)) {
    const lock = ExclusiveLock.tryAcquire(`${base}.lock`);
    if (!(lock instanceof ExclusiveLock)) continue; // its daemon is alive, or another is adopting it
    const file = `${base}.journal`;
    adopted.push({
      file,
      saves: readSaves(file, problem),
      mtime: existsQuiet(file) ? statSync(file).mtimeMs : 0,
      remove: () => {
        rmSync(file, { force: true });
        lock.release();
        rmSync(lock.path, { force: true });
      },
    });
  }
  return adopted.sort((a, b) => a.mtime - b.mtime);
}

/** Every journal in the home, as its path without the extension. */
function journalBases(home: Home): string[] {
  try {
    return readdirSync(savesDir(home))
      .filter((n) => n.endsWith('.journal'))
      .map((n) => join(savesDir(home), n.slice(0, -'.journal'.length)));
  } catch {
    return [];
  }
}

/**
 * How many saves wait in journals whose daemon is gone (it died with saves not yet applied). Asked by
 * the Mount view every few seconds: it takes no lock (a daemon starting must find the orphans free to
 * adopt), judging a journal's daemon by the process id its name starts with.
 */
export function orphanedSaves(home: Home, db: Db): number {
  const waiting = journalBases(home)
    .filter((base) => !processAlive(Number.parseInt(basename(base), 10)))
    .flatMap((base) => readSaves(`${base}.journal`, () => {}).map((s) => s.id));
  if (waiting.length === 0) return 0;
  return db
    .prepare('SELECT count(*) FROM json_each(?) WHERE value NOT IN (SELECT id FROM applied_saves)')
    .pluck()
    .get(JSON.stringify(waiting)) as number;
}

/** What applying a save did: its batch (undefined when nothing changed or it was applied before), and the
 *  fields it left alone because an edit made after the save was accepted set them since. */
export interface AppliedSave {
  readonly batch: number | undefined;
  readonly superseded: readonly string[];
}

/**
 * Applies one save as an edit batch. A journalled save records that it was applied in the same
 * transaction, and one applied before (a journal replayed after a crash) is skipped; a field an edit set
 * after the save was accepted (the app or the CLI won the lock first) keeps that later value. Throws
 * SQLITE_BUSY when the library is held (nothing written).
 */
export function applySave(db: Db, save: AcceptedSave, journalled: boolean): AppliedSave {
  return writeTransaction(db, (): AppliedSave => {
    if (journalled && db.prepare('SELECT 1 FROM applied_saves WHERE id = ?').get(save.id))
      return { batch: undefined, superseded: [] };
    const later = db.prepare(
      `SELECT 1 FROM edits e JOIN edit_batches b ON b.id = e.batch_id
         WHERE e.file_id = ? AND lower(e.key) = lower(?) AND b.undone_at IS NULL AND b.created_at > ? LIMIT 1`,
    );
    const superseded = journalled ? save.changes.filter((c) => later.get(c.fileId, c.key, save.at)) : [];
    const changes = save.changes.filter((c) => !superseded.includes(c));
    const store = db.prepare(
      'INSERT OR IGNORE INTO art (hash, mime, width, height, bytes, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const i of save.images)
      store.run(i.hash, i.mime, i.width, i.height, i.bytes, Buffer.from(i.data, 'base64'));
    // A tagger that writes or removes ReplayGain says what the file's gain is: the file follows its own
    // from then on (were it to follow the measured, the tagger's save would seem lost). Chosen first, so
    // the edit's own refresh sizes the file with it.
    const gainFiles = [...new Set(changes.filter((c) => isGainKey(c.key)).map((c) => c.fileId))];
    if (gainFiles.length > 0) new GainSources(db).chooseWithin(gainFiles, 'own');
    // Dated when the tagger saved: the next waiting save (accepted later) is not superseded by it.
    const batch = applyEdit(
      db,
      changes,
      { description: save.description, origin: 'mount' },
      save.art,
      save.at,
    );
    if (journalled)
      db.prepare('INSERT INTO applied_saves (id, batch_id) VALUES (?, ?)').run(save.id, batch ?? null);
    return { batch, superseded: superseded.map((c) => c.key) };
  });
}

/**
 * Forgets every applied save no journal holds any more: rows a daemon could not delete when it emptied
 * its journal (the library was busy) or left when it died between the two. Journals of live daemons
 * count as held, so nothing they may still replay is forgotten.
 */
export function forgetUnheld(home: Home, db: Db): void {
  const held = journalBases(home).flatMap((base) => readSaves(`${base}.journal`, () => {}).map((s) => s.id));
  db.prepare('DELETE FROM applied_saves WHERE id NOT IN (SELECT value FROM json_each(?))').run(
    JSON.stringify(held),
  );
}

/** Forgets that these saves were applied: their journal is gone, nothing will replay them. */
export function forgetApplied(db: Db, ids: readonly string[]): void {
  const drop = db.prepare('DELETE FROM applied_saves WHERE id = ?');
  writeTransaction(db, () => {
    for (const id of ids) drop.run(id);
  });
}

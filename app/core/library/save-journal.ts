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
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ExclusiveLock } from '../../../kit/exclusive-lock.ts';
import { fsyncDir, truncateDurably } from '../../../kit/fs-durable.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import type { Home } from '../home.ts';
import { applyEdit } from './edits.ts';

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
    mkdirSync(savesDir(home), { recursive: true });
    const name = join(savesDir(home), `${process.pid}-${randomUUID()}`);
    const lock = ExclusiveLock.tryAcquire(`${name}.lock`);
    if (!(lock instanceof ExclusiveLock)) throw new Error(`the new save journal ${name} is locked`);
    return new SaveJournal(`${name}.journal`, lock);
  }

  /** Appends a save and makes it durable; throws (nothing written) when the journal is full. */
  append(save: AcceptedSave, pending: number): void {
    const line = `${JSON.stringify(save)}\n`;
    if (this.#bytes + line.length > MAX_JOURNAL_BYTES) throw new JournalFull(pending);
    const created = this.#bytes === 0 && !existsQuiet(this.#file);
    const fd = openSync(this.#file, 'a');
    try {
      appendFileSync(fd, line);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (created) fsyncDir(join(this.#file, '..'));
    this.#bytes += Buffer.byteLength(line);
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

/** The journals of daemons that stopped with saves still in them (their locks are free), oldest first. */
export function adoptOrphans(home: Home, problem: (line: string) => void): AdoptedJournal[] {
  let names: string[];
  try {
    names = readdirSync(savesDir(home));
  } catch {
    return [];
  }
  const adopted: Array<AdoptedJournal & { mtime: number }> = [];
  for (const name of names.filter((n) => n.endsWith('.lock'))) {
    const base = join(savesDir(home), name.slice(0, -'.lock'.length));
    const lock = ExclusiveLock.tryAcquire(`${base}.lock`);
    if (!(lock instanceof ExclusiveLock)) continue; // its daemon is alive
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

/** How many saves wait in journals no daemon holds (a daemon that died with saves not yet applied). */
export function orphanedSaves(home: Home, db: Db): number {
  let names: string[];
  try {
    names = readdirSync(savesDir(home)).filter((n) => n.endsWith('.journal'));
  } catch {
    return 0;
  }
  const applied = db.prepare('SELECT 1 FROM applied_saves WHERE id = ?').pluck();
  let count = 0;
  for (const name of names) {
    const base = join(savesDir(home), name.slice(0, -'.journal'.length));
    const lock = ExclusiveLock.tryAcquire(`${base}.lock`);
    if (!(lock instanceof ExclusiveLock)) continue;
    try {
      count += readSaves(`${base}.journal`, () => {}).filter((s) => !applied.get(s.id)).length;
    } finally {
      lock.release();
    }
  }
  return count;
}

/**
 * Applies one save as an edit batch. A journalled save records that it was applied in the same
 * transaction, and one applied before (a journal replayed after a crash) is skipped. Throws SQLITE_BUSY
 * when the library is held (nothing written). Returns the batch id, or undefined when it changed nothing
 * or was applied before.
 */
export function applySave(db: Db, save: AcceptedSave, journalled: boolean): number | undefined {
  return db
    .transaction(() => {
      if (journalled && db.prepare('SELECT 1 FROM applied_saves WHERE id = ?').get(save.id)) return undefined;
      const store = db.prepare(
        'INSERT OR IGNORE INTO art (hash, mime, width, height, bytes, data) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const i of save.images)
        store.run(i.hash, i.mime, i.width, i.height, i.bytes, Buffer.from(i.data, 'base64'));
      const batch = applyEdit(db, save.changes, save.description, save.art);
      if (journalled)
        db.prepare('INSERT INTO applied_saves (id, batch_id) VALUES (?, ?)').run(save.id, batch ?? null);
      return batch;
    })
    .immediate();
}

/** Forgets that these saves were applied: their journal is gone, nothing will replay them. */
export function forgetApplied(db: Db, ids: readonly string[]): void {
  const drop = db.prepare('DELETE FROM applied_saves WHERE id = ?');
  db.transaction(() => {
    for (const id of ids) drop.run(id);
  }).immediate();
}

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
import { ExclusiveLock } from '../../../kit/exclusive-lock.ts';
import { fsyncDir, truncateDurably } from '../../../kit/fs-durable.ts';
import { processAlive } from '../../../kit/process-alive.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import type { Home } from '../home.ts';
import { INSERT_ART } from './art.ts';
import { applyEdit } from './edits.ts';
import { GainSources } from './gain-source.ts';
import { type AcceptedSave, journalLine, type ReadLine, readJournal } from './journal-line.ts';
import { type NewConflict, recordConflicts } from './save-conflicts.ts';
import { mergeSave } from './save-merge.ts';
import { isGainKey } from './served-tags.ts';
import { libraryId, setAsideDir } from './set-aside-saves.ts';

export type { AcceptedSave } from './journal-line.ts';

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

/** The entries of one journal, in order (a torn end as one set aside); undefined, with the reason said,
 *  when it cannot be read at all (a folder in its place): it is then left as it is. */
function readEntries(file: string, library: string, problem: (line: string) => void): ReadLine[] | undefined {
  try {
    return readJournal(readFileSync(file), library);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    problem(`save journal ${file} cannot be read (${(err as Error).message}): left as it is`);
    return undefined;
  }
}

const entryId = (e: ReadLine) => ('save' in e ? e.save.id : e.unreadable.id);

/** This daemon's journal: appended durably, emptied once everything in it is in the library. */
export class SaveJournal {
  readonly #file: string;
  readonly #lock: ExclusiveLock;
  readonly #library: string;
  #bytes = 0;

  /** Where the entries this journal's saves leave set aside are kept when large (set-aside-saves.ts). */
  readonly setAsideDir: string;

  private constructor(file: string, lock: ExclusiveLock, library: string, setAside: string) {
    this.setAsideDir = setAside;
    this.#file = file;
    this.#lock = lock;
    this.#library = library;
  }

  /** A new journal in `home` for the library `db` (whose identity each line carries). */
  static create(home: Home, db: Db): SaveJournal {
    if (!existsQuiet(savesDir(home))) {
      mkdirSync(savesDir(home), { recursive: true });
      fsyncDir(home.dir);
    }
    const name = join(savesDir(home), `${process.pid}-${randomUUID()}`);
    const lock = ExclusiveLock.tryAcquire(`${name}.lock`);
    if (!(lock instanceof ExclusiveLock)) throw new Error(`the new save journal ${name} is locked`);
    return new SaveJournal(`${name}.journal`, lock, libraryId(db), setAsideDir(home.dir));
  }

  /** Appends a save and makes it durable; throws (nothing written) when the journal is full. */
  append(save: AcceptedSave, pending: number): void {
    const line = journalLine(save, this.#library);
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
    if (this.#bytes === 0) {
      rmSync(this.#file, { force: true });
      removeLock(this.#lock);
    } else this.#lock.release();
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

/** A journal whose daemon is gone, taken over: its entries, and a way to remove it once they are in the
 *  library or set aside. */
export interface AdoptedJournal {
  readonly file: string;
  readonly entries: readonly ReadLine[];
  /** Deletes it and frees its lock. */
  remove(): void;
  /** Frees its lock, leaving it for the next daemon (this one stops before applying it all). */
  release(): void;
}

/** The journals of daemons that stopped with saves still in them (their locks are free), oldest first;
 *  the lock files of daemons that died before journalling anything are removed. A lock file without a
 *  journal whose daemon is alive is a daemon starting, never touched. */
export function adoptOrphans(home: Home, db: Db, problem: (line: string) => void): AdoptedJournal[] {
  const library = libraryId(db);
  const adopted: Array<AdoptedJournal & { mtime: number }> = [];
  for (const base of journalBases(home)) {
    const lock = ExclusiveLock.tryAcquire(`${base}.lock`);
    if (!(lock instanceof ExclusiveLock)) continue; // its daemon is alive, or another is adopting it
    const file = `${base}.journal`;
    const entries = readEntries(file, library, problem);
    const remove = () => {
      rmSync(file, { force: true });
      removeLock(lock);
    };
    const release = () => lock.release();
    if (entries === undefined) release();
    else {
      const mtime = existsQuiet(file) ? statSync(file).mtimeMs : 0;
      adopted.push({ file, entries, mtime, remove, release });
    }
  }
  removeDeadLocks(home);
  return adopted.sort((a, b) => a.mtime - b.mtime);
}

function removeLock(lock: ExclusiveLock): void {
  lock.release();
  for (const f of [lock.path, `${lock.path}.holder`, `${lock.path}-journal`]) rmSync(f, { force: true });
}

/** Lock files left by daemons killed before they journalled (no journal beside them): removed when their
 *  process is gone and their lock is free. */
function removeDeadLocks(home: Home): void {
  let names: string[];
  try {
    names = readdirSync(savesDir(home));
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.endsWith('.lock'))) {
    const base = join(savesDir(home), name.slice(0, -'.lock'.length));
    if (existsQuiet(`${base}.journal`) || processAlive(Number.parseInt(name, 10))) continue;
    const lock = ExclusiveLock.tryAcquire(`${base}.lock`);
    if (lock instanceof ExclusiveLock) removeLock(lock);
  }
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
  const library = libraryId(db);
  const waiting = journalBases(home)
    .filter((base) => !processAlive(Number.parseInt(basename(base), 10)))
    .flatMap((base) => (readEntries(`${base}.journal`, library, () => {}) ?? []).map(entryId));
  if (waiting.length === 0) return 0;
  return db
    .prepare(
      `SELECT count(*) FROM json_each(?) WHERE value NOT IN (SELECT id FROM applied_saves)
         AND value NOT IN (SELECT id FROM set_aside_saves)`,
    )
    .pluck()
    .get(JSON.stringify(waiting)) as number;
}

/** A save the library refuses for good as it is (not a busy or full library): set aside, never retried
 *  on its own. */
export class SaveNotApplicable extends Error {
  override name = 'SaveNotApplicable';
}

/** What applying a save did: its batch (undefined when nothing changed or it was applied before), and the
 *  fields it left as the library has them because an edit changed them since the tagger read the file
 *  (save-merge.ts): `conflicts` recorded with the tagger's value (save-conflicts.ts), `agreed` already
 *  at it. */
export interface AppliedSave {
  readonly batch: number | undefined;
  readonly conflicts: readonly NewConflict[];
  readonly agreed: number;
}

/**
 * Applies one save as an edit batch, merged by field (save-merge.ts). A journalled save records that it
 * was applied in the same transaction, and one applied before (a journal replayed after a crash) is
 * skipped. Throws SQLITE_BUSY when the library is held (nothing written).
 */
export function applySave(db: Db, save: AcceptedSave, journalled: boolean): AppliedSave {
  return writeTransaction(db, (): AppliedSave => {
    if (journalled && db.prepare('SELECT 1 FROM applied_saves WHERE id = ?').get(save.id))
      return { batch: undefined, conflicts: [], agreed: 0 };
    const known = db.prepare('SELECT 1 FROM files WHERE id = ?');
    const gone = [...new Set([...save.changes, ...save.art].map((c) => c.fileId))].filter(
      (id) => !known.get(id),
    );
    if (gone.length > 0)
      throw new SaveNotApplicable(
        `its file${gone.length > 1 ? 's' : ''} ${gone.join(', ')} ${gone.length > 1 ? 'are' : 'is'} no longer in the library`,
      );
    const { changes, art, conflicts, agreed } = mergeSave(db, save);
    const store = db.prepare(INSERT_ART);
    // A picture in conflict is stored too: taking the tagger's pictures later needs it. (A journal line
    // of an older Sleeve has no depth.)
    for (const i of save.images)
      store.run({ ...i, depth: i.depth ?? null, data: Buffer.from(i.data, 'base64') });
    // A tagger that writes or removes ReplayGain says what the file's gain is: the file follows its own
    // from then on (were it to follow the measured, the tagger's save would seem lost). Chosen first, so
    // the edit's own refresh sizes the file with it.
    const gainFiles = [...new Set(changes.filter((c) => isGainKey(c.key)).map((c) => c.fileId))];
    if (gainFiles.length > 0) new GainSources(db).chooseWithin(gainFiles, 'own');
    const kept = conflicts.map((c) => c.key);
    const description = [
      save.description,
      ...(kept.length > 0
        ? [`kept the library's ${kept.join(', ')}, changed since the tagger read it (sleeve conflicts)`]
        : []),
    ].join('; ');
    // Dated when the tagger saved: the same process's next save knows it as its own (save.own).
    const batch = applyEdit(db, changes, { description, origin: 'mount', writer: save.writer }, art, save.at);
    recordConflicts(db, conflicts, save.at, batch);
    if (journalled)
      db.prepare('INSERT INTO applied_saves (id, batch_id) VALUES (?, ?)').run(save.id, batch ?? null);
    return { batch, conflicts, agreed };
  });
}

/** The ids of every entry the home's journals hold; undefined when one cannot be read (what it holds is
 *  then unknown). */
export function heldSaveIds(home: Home, db: Db): string[] | undefined {
  const library = libraryId(db);
  const held: string[] = [];
  for (const base of journalBases(home)) {
    const entries = readEntries(`${base}.journal`, library, () => {});
    if (entries === undefined) return undefined;
    for (const e of entries) held.push(entryId(e));
  }
  return held;
}

/**
 * Forgets every applied save no journal holds any more: rows a daemon could not delete when it emptied
 * its journal (the library was busy) or left when it died between the two. Journals of live daemons
 * count as held, so nothing they may still replay is forgotten. The journals are read inside the write
 * transaction: a daemon that journals a save after the read applies it only after this commits, so its
 * row is never among those deleted. Nothing is forgotten while a journal cannot be read.
 */
export function forgetUnheld(db: Db, held: () => string[] | undefined): void {
  writeTransaction(db, () => {
    const ids = held();
    if (ids === undefined) return;
    db.prepare('DELETE FROM applied_saves WHERE id NOT IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(ids),
    );
  });
}

/** Forgets that these saves were applied: their journal is gone, nothing will replay them. */
export function forgetApplied(db: Db, ids: readonly string[]): void {
  const drop = db.prepare('DELETE FROM applied_saves WHERE id = ?');
  writeTransaction(db, () => {
    for (const id of ids) drop.run(id);
  });
}

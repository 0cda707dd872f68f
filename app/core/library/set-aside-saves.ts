// Saves a mount accepted but that cannot be applied as they are: a journal line damaged, torn, written
// by an older Sleeve or for another library, or a save the library refuses (its file is gone). Each is
// kept here with its reason — shown by `sleeve mounts`, `sleeve saves` and the Mount view — so that it
// never holds back the saves after it, and stays until the user applies it (when it can be) or discards
// it. Either records the save as applied (applied_saves), so a journal replayed later skips it. A large
// entry (a save with its cover art) is kept by reference: its line in a file of its own beside the
// journals, the library holding its name — tens of MB copied into the library would grow it for good.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFileAtomically } from '../../../kit/fs-durable.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { type AcceptedSave, readJournalLine, SaveSchema, type Unreadable } from './journal-line.ts';

/** A set-aside save as listed. */
export interface SetAsideSave {
  readonly id: string;
  /** The served path it was saved at, when it could be read. */
  readonly path: string | null;
  readonly acceptedAt: number | null;
  readonly setAsideAt: number;
  readonly reason: string;
}

/** How many are listed at most: the count says the rest. */
const LISTED = 100;
/** Entries larger than this (bytes) are kept in a file of their own, not in the library. */
export const INLINE_ENTRY_BYTES = 64 * 1024;

/** Where set-aside entries kept by reference are, in the home: beside the journals. */
export const setAsideDir = (homeDir: string) => join(homeDir, 'saves', 'set-aside');

/** An entry's file name: its id hashed (ids come from journal lines, damaged ones too). */
const fileOf = (id: string) => `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.line`;

export const libraryId = (db: Db): string =>
  db.prepare('SELECT library_id FROM library_identity').pluck().get() as string;

/** Sets entries aside (again, with their latest reasons), but those applied or discarded before, in one
 *  write transaction; a large entry's line is written durably to its file in `dir` first. */
export function setAside(db: Db, dir: string, entries: readonly Unreadable[]): void {
  const applied = db.prepare('SELECT 1 FROM applied_saves WHERE id = ?');
  const kept = entries.filter((e) => !applied.get(e.id));
  const large = kept.filter((e) => e.entry.length > INLINE_ENTRY_BYTES);
  if (large.length > 0) mkdirSync(dir, { recursive: true });
  for (const e of large) replaceFileAtomically(join(dir, fileOf(e.id)), e.entry);
  const insert = db.prepare(
    `INSERT INTO set_aside_saves (id, path, accepted_at, set_aside_at, reason, entry, entry_file)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET reason = excluded.reason`,
  );
  writeTransaction(db, () => {
    const now = Date.now();
    for (const e of kept) {
      const byReference = e.entry.length > INLINE_ENTRY_BYTES;
      insert.run(
        e.id,
        e.save?.path ?? null,
        e.save?.at ?? null,
        now,
        e.reason,
        byReference ? Buffer.alloc(0) : e.entry,
        byReference ? fileOf(e.id) : null,
      );
    }
  });
}

/** A set-aside row's entry: in the library, or in its file (a reason when that is gone). */
function entryOf(dir: string, row: { entry: Buffer; file: string | null }): Buffer | string {
  if (row.file === null) return row.entry;
  try {
    return readFileSync(join(dir, row.file));
  } catch (err) {
    return `its line, kept in ${join(dir, row.file)}, cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

/** Removes the files of entries no longer set aside (after the write that dropped them). */
function removeFiles(dir: string, files: ReadonlyArray<string | null>): void {
  for (const f of files) if (f !== null) rmSync(join(dir, f), { force: true });
}

export function setAsideSaves(db: Db): { readonly count: number; readonly listed: SetAsideSave[] } {
  const count = db.prepare('SELECT count(*) FROM set_aside_saves').pluck().get() as number;
  const listed = db
    .prepare(
      `SELECT id, path, accepted_at AS acceptedAt, set_aside_at AS setAsideAt, reason
         FROM set_aside_saves ORDER BY set_aside_at, id LIMIT ?`,
    )
    .all(LISTED) as SetAsideSave[];
  return { count, listed };
}

/** The save in a set-aside entry, if it may be applied: one for this library, or one written without a
 *  checksum by an older Sleeve (the user's word that it is this library's). */
function applicable(db: Db, entry: Buffer): AcceptedSave | string {
  const read = readJournalLine(entry, libraryId(db));
  if ('save' in read) return read.save;
  if (read.unreadable.reason.includes('older Sleeve')) {
    try {
      const legacy = SaveSchema.safeParse(JSON.parse(entry.toString('utf8')));
      if (legacy.success) return legacy.data;
    } catch {
      // not JSON: said below
    }
  }
  return read.unreadable.reason;
}

/**
 * Applies set-aside save `id` with `apply` (the mount's applySave), in one transaction with its removal
 * from here. Refused with the reason when it cannot be applied (damaged, another library's); a save the
 * library still refuses stays, its reason updated by the caller's error.
 */
export function retrySetAside(db: Db, dir: string, id: string, apply: (save: AcceptedSave) => void): void {
  const file = writeTransaction(db, () => {
    const row = db.prepare('SELECT entry, entry_file AS file FROM set_aside_saves WHERE id = ?').get(id) as
      | { entry: Buffer; file: string | null }
      | undefined;
    if (!row) throw new UserError('not_found', `no save ${id} is set aside (sleeve saves)`);
    const entry = entryOf(dir, row);
    const save = typeof entry === 'string' ? entry : applicable(db, entry);
    if (typeof save === 'string')
      throw new UserError('conflict', `save ${id} cannot be applied: ${save}; it can only be discarded`);
    try {
      apply(save);
    } catch (err) {
      if ((err as Error).name !== 'SaveNotApplicable') throw err;
      throw new UserError(
        'conflict',
        `save ${id} of ${save.path} cannot be applied: ${(err as Error).message}. Scan its folder once the file is back, or discard the save`,
      );
    }
    db.prepare('DELETE FROM set_aside_saves WHERE id = ?').run(id);
    return row.file;
  });
  removeFiles(dir, [file]);
}

/** Every set-aside save's id, oldest first (`--all`: not only the ones listed). */
export function setAsideIds(db: Db): string[] {
  return db.prepare('SELECT id FROM set_aside_saves ORDER BY set_aside_at, id').pluck().all() as string[];
}

/** Discards every set-aside save in one write; how many. */
export function discardAllSetAside(db: Db, dir: string): number {
  const { changes, files } = writeTransaction(db, () => {
    const files = db
      .prepare('SELECT entry_file FROM set_aside_saves WHERE entry_file IS NOT NULL')
      .pluck()
      .all() as string[];
    db.prepare(
      'INSERT OR IGNORE INTO applied_saves (id, batch_id) SELECT id, NULL FROM set_aside_saves',
    ).run();
    return { changes: db.prepare('DELETE FROM set_aside_saves').run().changes, files };
  });
  removeFiles(dir, files);
  return changes;
}

/** Discards set-aside save `id`: gone from here, and recorded as applied so no journal brings it back. */
export function discardSetAside(db: Db, dir: string, id: string): void {
  const file = writeTransaction(db, () => {
    const row = db.prepare('DELETE FROM set_aside_saves WHERE id = ? RETURNING entry_file').get(id) as
      | { entry_file: string | null }
      | undefined;
    if (!row) throw new UserError('not_found', `no save ${id} is set aside (sleeve saves)`);
    db.prepare('INSERT OR IGNORE INTO applied_saves (id, batch_id) VALUES (?, NULL)').run(id);
    return row.entry_file;
  });
  removeFiles(dir, [file]);
}

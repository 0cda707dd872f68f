// Saves a mount accepted but that cannot be applied as they are: a journal line damaged, torn, written
// by an older Sleeve or for another library, or a save the library refuses (its file is gone). Each is
// kept here with its reason — shown by `sleeve mounts`, `sleeve saves` and the Mount view — so that it
// never holds back the saves after it, and stays until the user applies it (when it can be) or discards
// it. Either records the save as applied (applied_saves), so a journal replayed later skips it.

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

export const libraryId = (db: Db): string =>
  db.prepare('SELECT library_id FROM library_identity').pluck().get() as string;

/** Sets entries aside (again, with their latest reasons), but those applied or discarded before, in one
 *  write transaction. */
export function setAside(db: Db, entries: readonly Unreadable[]): void {
  const applied = db.prepare('SELECT 1 FROM applied_saves WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO set_aside_saves (id, path, accepted_at, set_aside_at, reason, entry) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET reason = excluded.reason`,
  );
  writeTransaction(db, () => {
    const now = Date.now();
    for (const e of entries)
      if (!applied.get(e.id))
        insert.run(e.id, e.save?.path ?? null, e.save?.at ?? null, now, e.reason, e.entry);
  });
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
export function retrySetAside(db: Db, id: string, apply: (save: AcceptedSave) => void): void {
  writeTransaction(db, () => {
    const row = db.prepare('SELECT entry FROM set_aside_saves WHERE id = ?').get(id) as
      | { entry: Buffer }
      | undefined;
    if (!row) throw new UserError('not_found', `no save ${id} is set aside (sleeve saves)`);
    const save = applicable(db, row.entry);
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
  });
}

/** Every set-aside save's id, oldest first (`--all`: not only the ones listed). */
export function setAsideIds(db: Db): string[] {
  return db.prepare('SELECT id FROM set_aside_saves ORDER BY set_aside_at, id').pluck().all() as string[];
}

/** Discards every set-aside save in one write; how many. */
export function discardAllSetAside(db: Db): number {
  return writeTransaction(db, () => {
    db.prepare(
      'INSERT OR IGNORE INTO applied_saves (id, batch_id) SELECT id, NULL FROM set_aside_saves',
    ).run();
    return db.prepare('DELETE FROM set_aside_saves').run().changes;
  });
}

/** Discards set-aside save `id`: gone from here, and recorded as applied so no journal brings it back. */
export function discardSetAside(db: Db, id: string): void {
  writeTransaction(db, () => {
    if (db.prepare('DELETE FROM set_aside_saves WHERE id = ?').run(id).changes === 0)
      throw new UserError('not_found', `no save ${id} is set aside (sleeve saves)`);
    db.prepare('INSERT OR IGNORE INTO applied_saves (id, batch_id) VALUES (?, NULL)').run(id);
  });
}

// Saving an edit applies what its preview showed, never a plan made again from the query: the files the
// preview covered (a file the watcher took in since is not among them), planned as they were then. A
// preview notes the library's version before it reads anything; when one of its files changed after that
// (in another window, by a `sleeve` command, a rescan), the preview no longer shows what saving would do,
// and the edit is refused until the user has looked again. The version is the change feed's position
// (change-feed.ts): any change to a file's tags, art, place or presence moves the file past it.
import { basename } from 'node:path';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { changedAfter, feedPosition, shownAfter } from './change-feed.ts';
import { deriveQueue, queueWentBack, underivedAmong } from './derivation.ts';
import { applyEdit, type BatchLabel, type PlannedChange } from './edits.ts';
import { filesByIds } from './list.ts';
import { checkLoaded, type LoadedField } from './loaded-fields.ts';

export interface Previewed {
  /** The files the preview covered, in its order. */
  readonly ids: readonly number[];
  /** The change feed's position when the preview began. */
  readonly version: number;
}

/** Files named in the refusal; the rest are counted. */
const NAMED = 3;

export class OutdatedPreviewError extends UserError {
  override name = 'OutdatedPreviewError';
  constructor(count: number, names: readonly string[]) {
    const more = count > names.length ? ` and ${count - names.length} more` : '';
    super(
      'conflict',
      `${count} ${count === 1 ? 'track' : 'tracks'} changed since the preview: review again (${names.join(', ')}${more})`,
    );
  }
}

/** A preview's reads: `read` runs after the version is taken, so a change landing while it reads counts as
 *  one after the preview (refused when saved) rather than slipping in unseen. */
export function previewing<T>(db: Db, read: () => T): T & { readonly version: number } {
  const version = feedPosition(db);
  return { ...read(), version };
}

/** Refuses (OutdatedPreviewError, naming them) when one of the preview's files changed after it, or shows
 *  what an earlier edit is still deriving (the preview may have read it before). Call in the write
 *  transaction that saves. */
export function refuseIfChanged(db: Db, previewed: Previewed): void {
  const changed = [
    ...new Set([...changedAfter(db, previewed.ids, previewed.version), ...underivedAmong(db, previewed.ids)]),
  ];
  if (changed.length > 0) {
    const names = filesByIds(db, changed.slice(0, NAMED), []).map((f) => basename(f.path));
    throw new OutdatedPreviewError(changed.length, names);
  }
}

/**
 * The preview's checks (checkLoaded's, then refuseIfChanged's) over all its files, in a read transaction,
 * outside the write lock; returns the check to make in the write transaction that saves: the same again
 * only when one of those files moved in the change feed since, or the derivation queue went back, which
 * reads as many rows as changed meanwhile. Made whole in the write transaction, the lookup of each of a
 * retag's 111,100 files at a million held the lock 22–50 ms with their pages in SQLite's cache, 130–180 ms
 * spread over the table, and far longer from disk (another writer is to wait ≤ 100 ms).
 */
export function checkPreview(db: Db, previewed: Previewed, loaded: readonly LoadedField[] = []): () => void {
  const check = () => {
    checkLoaded(db, loaded);
    refuseIfChanged(db, previewed);
  };
  const checked = db.transaction(() => {
    check();
    return { position: feedPosition(db), queue: deriveQueue(db) };
  })();
  // The files' set is made only if a file moved (a million ids are 40 MB).
  const moved = () => {
    let ids: Set<number> | undefined;
    for (const id of shownAfter(db, checked.position)) {
      ids ??= new Set([...previewed.ids, ...loaded.flatMap((f) => f.ids)]);
      if (ids.has(id)) return true;
    }
    return false;
  };
  return () => {
    if (queueWentBack(db, checked.queue) || moved()) check();
  };
}

/**
 * Saves `plan` (made from `previewed`'s files, unchanged since) as one edit batch, unless one of those files
 * changed after the preview (refuseIfChanged). `loaded`: the fields an editor saves, each refused when it
 * changed since the editor loaded it (loaded-fields.ts), which is said first. `alongside` writes what goes
 * with the batch (an import's conflicts). The checks hold in the write transaction that makes the batch
 * count (checkPreview), and `alongside` runs there, so nothing lands between them and the batch counts with
 * all of it or none.
 */
export function applyPreviewed(
  db: Db,
  previewed: Previewed,
  plan: readonly PlannedChange[],
  label: BatchLabel,
  loaded: readonly LoadedField[] = [],
  alongside: (batchId: number) => void = () => {},
): number | undefined {
  const stillHolds = checkPreview(db, previewed, loaded);
  return applyEdit(db, plan, label, [], Date.now(), (batchId) => {
    stillHolds();
    alongside(batchId);
  });
}

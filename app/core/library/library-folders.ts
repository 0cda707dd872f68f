// The folders the library was scanned from, and removing one. A removed folder's files keep their rows,
// edits, fingerprints and playlist entries under the status 'removed' (out of every view and the mount);
// scanning the folder again brings them back as they were (the scanner reads a removed file as a missing
// one that returned).
import { resolve } from 'node:path';
import { describeHolder, ExclusiveLock, type LockHolder } from '../../../kit/exclusive-lock.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { type Home, scanLockPath } from '../home.ts';
import { ChangeFeed } from './change-feed.ts';

export interface LibraryFolder {
  readonly path: string;
  /** Tracks of the folder the lists show (present or missing; unreadable files are listed apart). */
  readonly tracks: number;
}

export interface RemovedFolder {
  readonly path: string;
  /** Tracks that left the library's lists and the mount (present or missing ones). */
  readonly files: number;
}

/** The folders the library was scanned from (and not removed). */
export function libraryRoots(db: Db): string[] {
  return db.prepare('SELECT path FROM roots WHERE removed_at IS NULL').pluck().all() as string[];
}

/** With how many files each. */
export function libraryFolders(db: Db): LibraryFolder[] {
  return db
    .prepare(
      `SELECT r.path, count(f.id) AS tracks FROM roots r
       LEFT JOIN files f ON f.root_id = r.id AND f.status IN ('ok', 'missing')
       WHERE r.removed_at IS NULL GROUP BY r.id ORDER BY r.path`,
    )
    .all() as LibraryFolder[];
}

/** The library folder `folder` names (absolute, or relative to the working directory), or a clear error. */
function findFolder(db: Db, folder: string): { id: number; path: string } {
  const abs = resolve(folder);
  const folders = libraryRoots(db);
  // A folder inside a library folder does not leave as a library folder (the next scan of its parent
  // would bring it back): excluded-folders.ts leaves it out.
  const parent = folders.find((p) => abs.startsWith(`${p}/`));
  if (parent)
    throw new UserError(
      'bad_request',
      `${abs} is inside the library folder ${parent}: "sleeve exclude ${abs}" leaves it out, or remove ${parent}`,
    );
  const row = db.prepare('SELECT id, path FROM roots WHERE path = ? AND removed_at IS NULL').get(abs) as
    | { id: number; path: string }
    | undefined;
  if (row) return row;
  throw new UserError(
    'not_found',
    `${abs} is not a library folder (${folders.length === 0 ? 'the library has none' : `they are: ${folders.sort().join(', ')}`})`,
  );
}

/** How many files removing `folder` takes out of the library: shown before the user confirms. */
export function folderSize(db: Db, folder: string): RemovedFolder {
  const { id, path } = findFolder(db, folder);
  return { path, files: listedTracks(db, id) };
}

function listedTracks(db: Db, rootId: number): number {
  return db
    .prepare("SELECT count(*) FROM files WHERE root_id = ? AND status IN ('ok', 'missing')")
    .pluck()
    .get(rootId) as number;
}

/** The files a removal takes out (`where`: a condition on `files`), and what it reports. */
interface Removal extends RemovedFolder {
  readonly where: { readonly sql: string; readonly params: readonly unknown[] };
}

/**
 * Takes files out of the library, in one write transaction with `plan`'s own writes (which say which):
 * they leave every view, the mount and the duplicates; their edits stay in the history. An unreadable
 * file is marked to be read again when it returns (its error is not kept: the status says removed).
 * `lock`: the scan lock, taken by the caller (afterScan), else here at once; released here. `plan` is
 * given the time it happens at.
 */
export function removeFiles(
  db: Db,
  home: Home,
  lock: ExclusiveLock | undefined,
  plan: (now: number) => Removal,
): RemovedFolder {
  const held = lock ?? scanLockNow(home);
  const now = Date.now();
  const feed = new ChangeFeed(db);
  try {
    return writeTransaction(db, () => {
      const { path, files, where } = plan(now);
      const ids = db
        .prepare(
          `UPDATE files SET status = 'removed', error = NULL, scanned_at = ?,
           reader_version = CASE WHEN status = 'error' THEN 0 ELSE reader_version END
         WHERE ${where.sql} AND status <> 'removed' RETURNING id`,
        )
        .pluck()
        .all(now, ...where.params) as number[];
      for (const fileId of ids) feed.bump(fileId);
      return { path, files };
    });
  } finally {
    held.release();
  }
}

/** A removal's refusal while a scan (in this process or another) may be writing the files. */
const scanRunning = (holder: LockHolder | undefined) =>
  new UserError('conflict', `a scan is running (${describeHolder(holder)}): try again when it has finished`);

/** The scan lock if no scan holds it (the CLI's: it says so at once). */
function scanLockNow(home: Home): ExclusiveLock {
  const lock = ExclusiveLock.tryAcquire(scanLockPath(home));
  if (!(lock instanceof ExclusiveLock)) throw scanRunning(lock.heldBy);
  return lock;
}

/** How long a click in the app waits for a scan to end before it is refused: a watcher's pass over a few
 *  new files holds the library for a moment, which should not fail what the user asked. */
const SCAN_PATIENCE_MS = 10_000;

/** `work` under the scan lock, taken once no scan holds it, waiting up to `patienceMs` (the app's); refused
 *  as removeFiles is after that. */
export async function afterScan<T>(
  home: Home,
  work: (lock: ExclusiveLock) => T,
  patienceMs = SCAN_PATIENCE_MS,
): Promise<T> {
  let holder: LockHolder | undefined;
  const signal = AbortSignal.timeout(patienceMs);
  let lock: ExclusiveLock;
  try {
    lock = await ExclusiveLock.acquire(scanLockPath(home), (h) => (holder = h), signal);
  } catch (err) {
    if (!signal.aborted) throw err;
    throw scanRunning(holder);
  }
  try {
    return work(lock);
  } finally {
    lock.release(); // removeFiles releases it too: twice is harmless
  }
}

/** Takes a library folder out of the library (removeFiles says how). */
export function removeFolder(db: Db, home: Home, folder: string, lock?: ExclusiveLock): RemovedFolder {
  const { id, path } = findFolder(db, folder);
  return removeFiles(db, home, lock, (now) => {
    const files = listedTracks(db, id);
    db.prepare('UPDATE roots SET removed_at = ? WHERE id = ?').run(now, id);
    return { path, files, where: { sql: 'root_id = ?', params: [id] } };
  });
}

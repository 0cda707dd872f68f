// The library's WAL bounded. Every commit is appended to library.db-wal and copied back at checkpoints, but
// SQLite never shrinks the file by itself: once all of it is copied and no reader needs it, the next commit
// writes it again from the top, at whatever size its peak left it. A reader that holds one snapshot for long
// lets it grow past every checkpoint (394 MB beside a 6.5 MB library), and while any connection stays open
// (a mount daemon's) the file is never deleted either. So each writer sets journal_size_limit, which cuts
// the file back to WAL_LIMIT_BYTES whenever it starts again from the top, and the upkeep truncates it
// outright once the readers let it (truncateWal), for a library that then sits idle.
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** What the WAL is cut back to when it restarts: a few checkpoints' worth (SQLite checkpoints at ~4 MiB). */
export const WAL_LIMIT_BYTES = 16 * 1024 * 1024;

/** The size of a connection's WAL file (0 when there is none). */
export function walBytes(db: Database.Database): number {
  try {
    return statSync(`${db.name}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * Copies the WAL back and truncates it to nothing, never waiting: a checkpoint that writers do not wait for
 * (PASSIVE), then, only if it copied everything (no reader holds an older snapshot), a TRUNCATE one, which
 * has nothing left to copy and so holds the write lock a moment at most. Whether the WAL was truncated; if
 * a reader or writer was in the way, nothing waits for it and the next upkeep tries again.
 */
export function truncateWal(db: Database.Database): boolean {
  const waitMs = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    // One row each.
    const [copied] = db.pragma('wal_checkpoint(PASSIVE)') as [Checkpoint];
    if (copied.busy !== 0 || copied.log !== copied.checkpointed) return false;
    const [truncated] = db.pragma('wal_checkpoint(TRUNCATE)') as [Checkpoint];
    return truncated.busy === 0;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${waitMs}`);
  }
}

/** A checkpoint's result: whether it was blocked, the WAL's frames, and how many are copied back. */
interface Checkpoint {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

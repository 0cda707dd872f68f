// What a listener leaves on one device to pick up on another, per user name: the play queue (its songs,
// the one playing and how far into it) and bookmarks (a position in a song, with a comment). Kept in the
// library beside the listening marks; bounded, so a client cannot grow them without end.
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';

/** Most songs a saved queue holds (a library's worth of shuffle is refused, not cut). */
export const MAX_QUEUE = 10_000;
/** Most bookmarks a user keeps. */
export const MAX_BOOKMARKS = 1_000;
/** Longest bookmark comment and client name kept (characters). */
const MAX_TEXT = 1_000;

export interface PlayQueue {
  readonly entries: readonly number[];
  /** Index in entries of the song playing; null: none. */
  readonly current: number | null;
  /** Milliseconds into it. */
  readonly position: number;
  readonly changedAt: number;
  readonly changedBy: string;
}

export interface Bookmark {
  readonly fileId: number;
  readonly position: number;
  readonly comment: string | null;
  readonly createdAt: number;
  readonly changedAt: number;
}

/** Saves a user's queue (an empty one clears it). */
export function saveQueue(db: Db, user: string, queue: Omit<PlayQueue, 'changedAt'>, now = Date.now()): void {
  if (queue.entries.length > MAX_QUEUE)
    throw new UserError('bad_request', `a play queue holds at most ${MAX_QUEUE} songs`);
  if (queue.current !== null && (queue.current < 0 || queue.current >= queue.entries.length))
    throw new UserError(
      'bad_request',
      `the current song's index is not in the queue of ${queue.entries.length}`,
    );
  writeTransaction(db, () => {
    if (queue.entries.length === 0) {
      db.prepare('DELETE FROM play_queues WHERE user = ?').run(user);
      return;
    }
    db.prepare(
      `INSERT INTO play_queues (user, entries, current, position, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user) DO UPDATE SET entries = excluded.entries, current = excluded.current,
         position = excluded.position, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
    ).run(
      user,
      JSON.stringify(queue.entries),
      queue.current,
      queue.position,
      now,
      queue.changedBy.slice(0, MAX_TEXT),
    );
  });
}

/** A user's queue, its songs still in the library (a song gone is left out, the current one kept in
 *  place); undefined when there is none. */
export function savedQueue(db: Db, user: string): PlayQueue | undefined {
  const row = db
    .prepare('SELECT entries, current, position, changed_at, changed_by FROM play_queues WHERE user = ?')
    .get(user) as
    | { entries: string; current: number | null; position: number; changed_at: number; changed_by: string }
    | undefined;
  if (!row) return undefined;
  const saved = JSON.parse(row.entries) as number[];
  const present = new Set(
    db
      .prepare("SELECT f.id FROM json_each(?) j JOIN files f ON f.id = j.value AND f.status = 'ok'")
      .pluck()
      .all(row.entries) as number[],
  );
  const entries = saved.filter((id) => present.has(id));
  const playing = row.current === null ? undefined : saved[row.current];
  // Its place among the songs kept: the songs kept before it (a song queued twice keeps its own place).
  const current =
    playing === undefined || !present.has(playing)
      ? null
      : saved.slice(0, row.current!).filter((id) => present.has(id)).length;
  return {
    entries,
    current,
    position: current === null ? 0 : row.position,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
  };
}

/** Sets (or moves) a user's bookmark in a song. */
export function saveBookmark(
  db: Db,
  user: string,
  fileId: number,
  position: number,
  comment: string | null,
  now = Date.now(),
): void {
  writeTransaction(db, () => {
    const has = db.prepare('SELECT 1 FROM bookmarks WHERE user = ? AND file_id = ?').get(user, fileId);
    const count = db.prepare('SELECT count(*) FROM bookmarks WHERE user = ?').pluck().get(user) as number;
    if (!has && count >= MAX_BOOKMARKS)
      throw new UserError('bad_request', `a user keeps at most ${MAX_BOOKMARKS} bookmarks: delete one first`);
    db.prepare(
      `INSERT INTO bookmarks (user, file_id, position, comment, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user, file_id) DO UPDATE SET position = excluded.position, comment = excluded.comment,
         changed_at = excluded.changed_at`,
    ).run(user, fileId, position, comment?.slice(0, MAX_TEXT) ?? null, now, now);
  });
}

export function deleteBookmark(db: Db, user: string, fileId: number): void {
  writeTransaction(db, () => {
    db.prepare('DELETE FROM bookmarks WHERE user = ? AND file_id = ?').run(user, fileId);
  });
}

/** A user's bookmarks in songs present, the latest changed first. */
export function bookmarksOf(db: Db, user: string): Bookmark[] {
  return db
    .prepare(
      `SELECT b.file_id AS fileId, b.position, b.comment, b.created_at AS createdAt, b.changed_at AS changedAt
       FROM bookmarks b JOIN files f ON f.id = b.file_id AND f.status = 'ok'
       WHERE b.user = ? ORDER BY b.changed_at DESC, b.file_id`,
    )
    .all(user) as Bookmark[];
}

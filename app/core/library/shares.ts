// Shares: a public link to some songs, made by a Subsonic user (createShare) for someone with no login. The
// link's id is its only credential (128 random bits), so a share always expires — 30 days unless asked,
// a year at most — and its maker or the server's owner (`sleeve subsonic shares --revoke`) can revoke it
// at any time. Kept in the library beside the play queues, bounded per user; a share expired for 30 days
// is forgotten when its user makes another.
import { randomBytes } from 'node:crypto';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { isBusy, writeTransaction } from '../db/write-lock.ts';

const DAY_MS = 24 * 3600 * 1000;
/** How long a share lives when its maker names no expiry (or zero). */
export const DEFAULT_SHARE_MS = 30 * DAY_MS;
/** The longest a share lives: a later expiry asked for is brought back to it. */
export const MAX_SHARE_MS = 365 * DAY_MS;
/** How long an expired share is still listed to its maker (saying it expired) before it is forgotten. */
const KEEP_EXPIRED_MS = 30 * DAY_MS;
/** Most shares a user keeps, and most songs a share holds. */
export const MAX_SHARES = 200;
export const MAX_SHARE_SONGS = 1_000;
const MAX_DESCRIPTION = 1_000;

export interface Share {
  readonly id: string;
  readonly user: string;
  readonly description: string | null;
  /** The shared files' ids, in order. */
  readonly entries: readonly number[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastVisited: number | null;
  readonly visitCount: number;
}

interface Row {
  id: string;
  user: string;
  description: string | null;
  entries: string;
  created_at: number;
  expires_at: number;
  last_visited: number | null;
  visit_count: number;
}

const COLUMNS = 'id, user, description, entries, created_at, expires_at, last_visited, visit_count';

function fromRow(r: Row): Share {
  return {
    id: r.id,
    user: r.user,
    description: r.description,
    entries: JSON.parse(r.entries) as number[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastVisited: r.last_visited,
    visitCount: r.visit_count,
  };
}

/** When a share asked to expire at `asked` (ms since 1970; undefined or 0: no date named) expires. */
export function shareExpiry(asked: number | undefined, now: number): number {
  if (asked === undefined || asked === 0) return now + DEFAULT_SHARE_MS;
  if (asked <= now) throw new UserError('bad_request', 'a share cannot expire in the past');
  return Math.min(asked, now + MAX_SHARE_MS);
}

const describe = (text: string | undefined): string | null =>
  text === undefined || text.trim() === '' ? null : text.trim().slice(0, MAX_DESCRIPTION);

/** An id no one can guess: the link's only credential. */
const newId = () => randomBytes(16).toString('base64url');

export function createShare(
  db: Db,
  share: { user: string; entries: readonly number[]; description?: string; expires?: number },
  now = Date.now(),
): Share {
  if (share.entries.length === 0) throw new UserError('bad_request', 'a share holds at least one song');
  if (share.entries.length > MAX_SHARE_SONGS)
    throw new UserError('bad_request', `a share holds at most ${MAX_SHARE_SONGS} songs`);
  const made: Share = {
    id: newId(),
    user: share.user,
    description: describe(share.description),
    entries: [...share.entries],
    createdAt: now,
    expiresAt: shareExpiry(share.expires, now),
    lastVisited: null,
    visitCount: 0,
  };
  writeTransaction(db, () => {
    db.prepare('DELETE FROM shares WHERE user = ? AND expires_at < ?').run(share.user, now - KEEP_EXPIRED_MS);
    const count = db.prepare('SELECT count(*) FROM shares WHERE user = ?').pluck().get(share.user) as number;
    if (count >= MAX_SHARES)
      throw new UserError('conflict', `a user keeps at most ${MAX_SHARES} shares: delete one first`);
    db.prepare(`INSERT INTO shares (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, 0)`).run(
      made.id,
      made.user,
      made.description,
      JSON.stringify(made.entries),
      made.createdAt,
      made.expiresAt,
    );
  });
  return made;
}

/** A user's shares, newest first; every user's for the server's owner (user undefined). */
export function listShares(db: Db, user?: string): Share[] {
  const rows =
    user === undefined
      ? db.prepare(`SELECT ${COLUMNS} FROM shares ORDER BY created_at DESC, id`).all()
      : db.prepare(`SELECT ${COLUMNS} FROM shares WHERE user = ? ORDER BY created_at DESC, id`).all(user);
  return (rows as Row[]).map(fromRow);
}

export function shareById(db: Db, id: string): Share | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM shares WHERE id = ?`).get(id) as Row | undefined;
  return row && fromRow(row);
}

/** Another user's share asked to change: only its maker (or the server's owner) may. */
export class NotYourShare extends UserError {
  constructor(id: string) {
    super('conflict', `share ${id} is another user's: only they can change it`);
  }
}

/** The share `id` as its maker may change it (undefined for the server's owner: any share). */
function owned(db: Db, id: string, user: string | undefined): Share {
  const share = shareById(db, id);
  if (!share) throw new UserError('not_found', `there is no share ${id.slice(0, 30)}`);
  if (user !== undefined && share.user !== user) throw new NotYourShare(id);
  return share;
}

/** A new description and/or expiry (0: the longest a share lives, as none is allowed). */
export function updateShare(
  db: Db,
  id: string,
  user: string | undefined,
  change: { description?: string; expires?: number },
  now = Date.now(),
): void {
  writeTransaction(db, () => {
    const share = owned(db, id, user);
    const description = change.description === undefined ? share.description : describe(change.description);
    const expiresAt =
      change.expires === undefined
        ? share.expiresAt
        : change.expires === 0
          ? now + MAX_SHARE_MS
          : shareExpiry(change.expires, now);
    db.prepare('UPDATE shares SET description = ?, expires_at = ? WHERE id = ?').run(
      description,
      expiresAt,
      id,
    );
  });
}

/** Revokes a share: its link answers nothing from now on. */
export function deleteShare(db: Db, id: string, user: string | undefined): void {
  writeTransaction(db, () => {
    owned(db, id, user);
    db.prepare('DELETE FROM shares WHERE id = ?').run(id);
  });
}

/** A user's shares revoked (the user is removed); how many. */
export function deleteSharesOf(db: Db, user: string): number {
  return writeTransaction(db, () => db.prepare('DELETE FROM shares WHERE user = ?').run(user).changes);
}

/** Visits of shares' pages, by share: how many, and the last one's time. */
export type ShareVisits = Map<string, { count: number; last: number }>;

/**
 * Counts `visits`, unless another writer holds the library: a public page does not wait for it (false:
 * nothing written; the caller keeps them for later).
 */
export function addShareVisits(db: Db, visits: ShareVisits): boolean {
  try {
    writeTransaction(
      db,
      () => {
        const add = db.prepare(
          'UPDATE shares SET visit_count = visit_count + ?, last_visited = max(coalesce(last_visited, 0), ?) WHERE id = ?',
        );
        for (const [id, v] of visits) add.run(v.count, v.last, id);
      },
      0,
    );
    return true;
  } catch (err) {
    if (isBusy(err)) return false;
    throw err;
  }
}

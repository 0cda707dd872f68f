// Playlists: saved lists of tracks in order, and smart playlists (a saved query, ordered by its sort
// terms, over one file per recording, at most N tracks) that follow the library as it changes.

import { UserError } from '../../../kit/user-error.ts';
import { moveEntry } from '../../shared/move-entry.ts';
import { limitProblem, MAX_PLAYLIST_ENTRIES, nameProblem } from '../../shared/playlist-rules.ts';
import { QuerySyntaxError } from '../../shared/query.ts';
import { bothForms, canonicalName } from '../db/canonical-name.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { libraryQuery } from './library-query.ts';
import { matchingIds } from './list.ts';

export interface Playlist {
  readonly id: number;
  readonly name: string;
  /** A smart playlist's query; null for a list of tracks. */
  readonly query: string | null;
  /** A smart playlist's most tracks; null: every match. */
  readonly limit: number | null;
  readonly createdAt: number;
  readonly changedAt: number;
  /** The Subsonic user who made it on a client, who alone changes it there; null: made in Sleeve. */
  readonly owner: string | null;
}

/** Where a new playlist's tracks come from: listed files, or a query kept live (smart). */
export type PlaylistSource =
  | { readonly kind: 'ids'; readonly ids: readonly number[] }
  | { readonly kind: 'smart'; readonly query: string; readonly limit: number | null };

export class PlaylistError extends UserError {
  override name = 'PlaylistError';
}

const COLUMNS =
  'id, name, query, max_tracks AS "limit", created_at AS createdAt, changed_at AS changedAt, owner';
/** How long a removed playlist can still be restored. */
const RESTORABLE_MS = 30 * 24 * 3600 * 1000;

/** A name as stored: trimmed, composed (canonical-name.ts: a name typed either way is one name; one stored
 *  before is found in either form too); any characters but control characters (the mount sanitizes the
 *  file name it makes of it). */
function checkedName(name: string): string {
  const why = nameProblem(name);
  if (why) throw new PlaylistError('bad_request', why);
  return canonicalName(name.trim());
}

function checkedLimit(limit: number | null): number | null {
  const why = limitProblem(limit);
  if (why) throw new PlaylistError('bad_request', why);
  return limit;
}

export function listPlaylists(db: Db): Playlist[] {
  return db
    .prepare(`SELECT ${COLUMNS} FROM playlists WHERE removed_at IS NULL ORDER BY name COLLATE NOCASE`)
    .all() as Playlist[];
}

/** The playlist with this name (in any case); throws when there is none. */
export function playlistNamed(db: Db, name: string): Playlist {
  const found = db
    .prepare(`SELECT ${COLUMNS} FROM playlists WHERE name IN (?, ?) AND removed_at IS NULL`)
    .get(...bothForms(name.trim())) as Playlist | undefined;
  if (!found) throw new PlaylistError('not_found', `no playlist is named “${name.trim()}”`);
  return found;
}

export function playlistById(db: Db, id: number): Playlist {
  const found = db.prepare(`SELECT ${COLUMNS} FROM playlists WHERE id = ? AND removed_at IS NULL`).get(id) as
    | Playlist
    | undefined;
  if (!found) throw new PlaylistError('not_found', `playlist ${id} does not exist`);
  return found;
}

/**
 * Whether `name` is free for the playlist `id` (or a new one): taken by another live playlist, it throws;
 * held by a removed one, that one goes for good (the name is the user's to reuse).
 */
function claimName(db: Db, name: string, id: number | null): void {
  // Both forms: a library from before names were composed may hold the name once in each.
  const others = db
    .prepare('SELECT id, removed_at AS removedAt FROM playlists WHERE name IN (?, ?) AND id IS NOT ?')
    .all(...bothForms(name), id) as Array<{ id: number; removedAt: number | null }>;
  if (others.some((o) => o.removedAt === null))
    throw new PlaylistError('conflict', `a playlist named “${name}” exists already`);
  const drop = db.prepare('DELETE FROM playlists WHERE id = ?');
  for (const o of others) drop.run(o.id);
}

/** `name`, else the first of "name (2)", "name (3)"… no playlist has: a file imported again, named by the
 *  file, is a list of its own beside the first (the user renames either). */
export function freePlaylistName(db: Db, name: string): string {
  const taken = db.prepare('SELECT 1 FROM playlists WHERE name IN (?, ?) AND removed_at IS NULL').pluck();
  const isTaken = (n: string) => taken.get(...bothForms(canonicalName(n.trim()))) !== undefined;
  if (!isTaken(name)) return name;
  for (let i = 2; ; i++) if (!isTaken(`${name} (${i})`)) return `${name} (${i})`;
}

/** Files that exist in the library, of `ids`, in order (unknown ids and files with errors left out). */
function knownFiles(db: Db, ids: readonly number[]): number[] {
  return db
    .prepare(
      // CROSS JOIN: the id list outer, files by key (never the list scanned for each file of an index).
      `SELECT f.id FROM json_each(?) j CROSS JOIN files f ON f.id = j.value WHERE f.status IN ('ok', 'missing') ORDER BY j.key`,
    )
    .pluck()
    .all(JSON.stringify(ids)) as number[];
}

function writeEntries(db: Db, playlistId: number, ids: readonly number[]): void {
  if (ids.length > MAX_PLAYLIST_ENTRIES)
    throw new PlaylistError(
      'bad_request',
      `a playlist holds at most ${MAX_PLAYLIST_ENTRIES.toLocaleString('en')} tracks`,
    );
  db.prepare('DELETE FROM playlist_entries WHERE playlist_id = ?').run(playlistId);
  db.prepare(
    `INSERT INTO playlist_entries (playlist_id, position, file_id)
     SELECT ?, CAST(j.key AS INTEGER), j.value FROM json_each(?) j`,
  ).run(playlistId, JSON.stringify(knownFiles(db, ids)));
}

/** A new playlist; its name must be free (in any case). A smart playlist's query is checked first.
 *  `owner`: the Subsonic user making it on a client (none: made in Sleeve). */
export function createPlaylist(
  db: Db,
  name: string,
  source: PlaylistSource,
  owner: string | null = null,
): Playlist {
  const stored = checkedName(name);
  // Checked as the library runs it: a syntax error or an unknown field, with its position.
  if (source.kind === 'smart') libraryQuery(db, source.query);
  const limit = source.kind === 'smart' ? checkedLimit(source.limit) : null;
  return writeTransaction(db, () => {
    claimName(db, stored, null);
    const now = Date.now();
    const id = Number(
      db
        .prepare(
          'INSERT INTO playlists (name, query, max_tracks, created_at, changed_at, owner) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(stored, source.kind === 'smart' ? source.query : null, limit, now, now, owner).lastInsertRowid,
    );
    if (source.kind === 'ids') writeEntries(db, id, source.ids);
    return playlistById(db, id);
  });
}

/** Makes the playlists of a Subsonic user who is removed the library's, as those made in Sleeve are: every
 *  user may change them then (left theirs, nobody could). Returns how many. */
export function releasePlaylistsOf(db: Db, owner: string): number {
  return writeTransaction(
    db,
    () => db.prepare('UPDATE playlists SET owner = NULL WHERE owner = ?').run(owner).changes,
  );
}

/** The list `id`, or an error saying it is a smart playlist (whose query chooses and orders its tracks). */
function listById(db: Db, id: number): Playlist {
  const p = playlistById(db, id);
  if (p.query !== null)
    throw new PlaylistError('bad_request', `“${p.name}” is a smart playlist: its query chooses its tracks`);
  return p;
}

/** Replaces a list's tracks (adding, removing and reordering are all this); a smart one has none. */
export function setPlaylistTracks(db: Db, id: number, ids: readonly number[]): Playlist {
  return writeTransaction(db, () => {
    listById(db, id);
    writeEntries(db, id, ids);
    db.prepare('UPDATE playlists SET changed_at = ? WHERE id = ?').run(Date.now(), id);
    return playlistById(db, id);
  });
}

/** Moves a list's track at place `from` to place `to` (0-based, as the list shows them), in one
 *  transaction: what reordering by buttons, keys, a drag or the CLI is. */
export function movePlaylistTrack(db: Db, id: number, from: number, to: number): Playlist {
  return writeTransaction(db, () => {
    const { name } = listById(db, id);
    const entries = playlistEntries(db, id);
    const place = (n: number) => Number.isInteger(n) && n >= 0 && n < entries.length;
    if (!place(from) || !place(to))
      throw new PlaylistError(
        'bad_request',
        `a place in “${name}” is from 1 to ${entries.length}, not ${place(from) ? to + 1 : from + 1}`,
      );
    return setPlaylistTracks(db, id, moveEntry(entries, from, to));
  });
}

/** Appends files to a list. */
/** Adds `ids` at the end of a list (a track there already is listed again, as taggers' playlists do);
 *  `alreadyThere`: how many of them were in it before, for the caller to say. */
export function appendToPlaylist(
  db: Db,
  id: number,
  ids: readonly number[],
): { playlist: Playlist; alreadyThere: number } {
  return writeTransaction(db, () => {
    const before = playlistEntries(db, id);
    const listed = new Set(before);
    return {
      playlist: setPlaylistTracks(db, id, [...before, ...ids]),
      alreadyThere: ids.filter((t) => listed.has(t)).length,
    };
  });
}

export function renamePlaylist(db: Db, id: number, name: string): Playlist {
  const stored = checkedName(name);
  return writeTransaction(db, () => {
    playlistById(db, id);
    claimName(db, stored, id);
    db.prepare('UPDATE playlists SET name = ?, changed_at = ? WHERE id = ?').run(stored, Date.now(), id);
    return playlistById(db, id);
  });
}

/** Changes a smart playlist's query or limit (checked first). */
export function editSmartPlaylist(db: Db, id: number, query: string, limit: number | null): Playlist {
  libraryQuery(db, query);
  const checked = checkedLimit(limit);
  return writeTransaction(db, () => {
    const p = playlistById(db, id);
    if (p.query === null)
      throw new PlaylistError('bad_request', `“${p.name}” is a list of tracks, not a smart playlist`);
    db.prepare('UPDATE playlists SET query = ?, max_tracks = ?, changed_at = ? WHERE id = ?').run(
      query,
      checked,
      Date.now(),
      id,
    );
    return playlistById(db, id);
  });
}

/** Removes a playlist from every list and mount; restorePlaylist brings it back as it was. Those removed
 *  more than 30 days ago go for good now. */
export function deletePlaylist(db: Db, id: number): Playlist {
  return writeTransaction(db, () => {
    const p = playlistById(db, id);
    const now = Date.now();
    db.prepare('DELETE FROM playlists WHERE removed_at < ?').run(now - RESTORABLE_MS);
    db.prepare('UPDATE playlists SET removed_at = ? WHERE id = ?').run(now, id);
    return p;
  });
}

/** Brings back a removed playlist (by its id, or by the name it had), tracks and all. */
export function restorePlaylist(db: Db, which: { id: number } | { name: string }): Playlist {
  const since = Date.now() - RESTORABLE_MS;
  const found = (
    'id' in which
      ? db.prepare('SELECT id FROM playlists WHERE id = ? AND removed_at >= ?').pluck().get(which.id, since)
      : db
          .prepare('SELECT id FROM playlists WHERE name IN (?, ?) AND removed_at >= ?')
          .pluck()
          .get(...bothForms(which.name.trim()), since)
  ) as number | undefined;
  if (found === undefined)
    throw new PlaylistError(
      'not_found',
      'id' in which
        ? `playlist ${which.id} is not a removed playlist`
        : `no removed playlist is named “${which.name.trim()}” (a removed playlist is kept 30 days, until its name is taken)`,
    );
  const { name } = db.prepare('SELECT name FROM playlists WHERE id = ?').get(found) as { name: string };
  const live = db
    .prepare('SELECT 1 FROM playlists WHERE name IN (?, ?) AND id <> ? AND removed_at IS NULL')
    .get(...bothForms(name), found);
  if (live)
    throw new PlaylistError(
      'conflict',
      `a playlist named “${name}” exists already: rename it to bring this one back`,
    );
  db.prepare('UPDATE playlists SET removed_at = NULL WHERE id = ?').run(found);
  return playlistById(db, found);
}

/**
 * A list's files in order (a file may appear more than once); empty for a smart playlist. A removed
 * folder's files are left out (their entries stay, for when the folder comes back, until the list is
 * edited).
 */
function playlistEntries(db: Db, id: number): number[] {
  return db
    .prepare(
      `SELECT e.file_id FROM playlist_entries e JOIN files f ON f.id = e.file_id
       WHERE e.playlist_id = ? AND f.status <> 'removed' ORDER BY e.position`,
    )
    .pluck()
    .all(id) as number[];
}

/**
 * The playlist's files now, in order: a list's entries (missing files included: they may come back), or
 * what a smart playlist's query matches now, one file per recording, up to its limit.
 */
export function playlistTracks(db: Db, p: Playlist): number[] {
  if (p.query === null) return playlistEntries(db, p.id);
  try {
    return matchingIds(
      db,
      p.query,
      'recordings',
      null,
      p.limit === null ? undefined : { offset: 0, limit: p.limit },
    );
  } catch (err) {
    // A query that no longer runs (the last file with a field it names is gone) lists nothing, rather
    // than breaking every list of playlists: the playlist stays there to be edited or removed.
    if (err instanceof QuerySyntaxError) return [];
    throw err;
  }
}

/** The version of every playlist: it rises whenever one is added, changed or removed. */
export function playlistsVersion(db: Db): number {
  return db.prepare(PLAYLISTS_VERSION).pluck().get() as number;
}

/** The query behind playlistsVersion, for a caller that asks often and prepares it once. */
export const PLAYLISTS_VERSION = 'SELECT seq FROM playlists_state';

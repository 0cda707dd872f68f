// What a listener does with the library, as players report it (the Subsonic server): plays and the last
// play of a file, stars and ratings of a file, an album or an artist (migration 36). Kept apart from the
// tags: none of it is an edit or served in a file. An album is named as album-tile.ts groups it (its album
// artist, else first artist, and its title), an artist by name (album '').
import { canonicalName } from '../db/canonical-name.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';

export interface TrackMarks {
  readonly plays: number;
  readonly playedAt: number | null;
  readonly starredAt: number | null;
  readonly rating: number | null;
}

export interface GroupMarks {
  readonly starredAt: number | null;
  readonly rating: number | null;
}

export type GroupKind = 'album' | 'artist';

/** An album (its tile's artist and title) or an artist (album ''). */
export interface GroupRef {
  readonly kind: GroupKind;
  readonly artist: string;
  readonly album: string;
}

/** The marks' version: rises with every change to them. */
export function marksVersion(db: Db): number {
  return db.prepare('SELECT seq FROM marks_state').pluck().get() as number;
}

/** The marks of those of `ids` that have any. */
export function trackMarks(db: Db, ids: readonly number[]): Map<number, TrackMarks> {
  const rows = db
    .prepare(
      `SELECT m.file_id AS id, m.plays, m.played_at AS playedAt, m.starred_at AS starredAt, m.rating
       FROM json_each(?) j JOIN track_marks m ON m.file_id = j.value`,
    )
    .all(JSON.stringify(ids)) as Array<TrackMarks & { id: number }>;
  return new Map(rows.map(({ id, ...marks }) => [id, marks]));
}

/** Every file's marks (for lists ordered by plays or stars over the whole library). */
export function allTrackMarks(db: Db): Map<number, TrackMarks> {
  const rows = db
    .prepare(
      'SELECT file_id AS id, plays, played_at AS playedAt, starred_at AS starredAt, rating FROM track_marks',
    )
    .all() as Array<TrackMarks & { id: number }>;
  return new Map(rows.map(({ id, ...marks }) => [id, marks]));
}

/** Every album's or artist's marks, by `groupKey` of their names composed, as the catalog names them
 *  (canonical-name.ts: a mark stored under a decomposed name before still counts). */
export function allGroupMarks(db: Db, kind: GroupKind): Map<string, GroupMarks> {
  const rows = db
    .prepare(
      'SELECT artist, album, starred_at AS starredAt, rating FROM group_marks WHERE kind = ? AND (starred_at IS NOT NULL OR rating IS NOT NULL)',
    )
    .all(kind) as Array<GroupMarks & { artist: string; album: string }>;
  return new Map(
    rows.map(({ artist, album, ...marks }) => [groupKey(canonicalName(artist), canonicalName(album)), marks]),
  );
}

/** One key per album or artist: its artist and album, apart. */
export const groupKey = (artist: string, album: string): string => `${artist}\u0000${album}`;

/** Counts plays of files at the times given (ms), each in one transaction with the others. */
export function recordPlays(db: Db, plays: ReadonlyArray<{ id: number; at: number }>): void {
  const add = db.prepare(
    `INSERT INTO track_marks (file_id, plays, played_at) VALUES (?, 1, ?)
     ON CONFLICT (file_id) DO UPDATE SET plays = plays + 1, played_at = max(coalesce(played_at, 0), excluded.played_at)`,
  );
  writeTransaction(db, () => {
    for (const p of plays) add.run(p.id, p.at);
  });
}

/** Stars files (at `at`) or removes their stars (null). */
export function starTracks(db: Db, ids: readonly number[], at: number | null): void {
  const set = db.prepare(
    `INSERT INTO track_marks (file_id, starred_at) VALUES (?, ?)
     ON CONFLICT (file_id) DO UPDATE SET starred_at = excluded.starred_at`,
  );
  writeTransaction(db, () => {
    for (const id of ids) set.run(id, at);
  });
}

/** Rates a file 1–5, or removes its rating (null). */
export function rateTrack(db: Db, id: number, rating: number | null): void {
  db.prepare(
    `INSERT INTO track_marks (file_id, rating) VALUES (?, ?)
     ON CONFLICT (file_id) DO UPDATE SET rating = excluded.rating`,
  ).run(id, rating);
}

/** Stars albums or artists (at `at`) or removes their stars (null). */
export function starGroups(db: Db, refs: readonly GroupRef[], at: number | null): void {
  const set = db.prepare(
    `INSERT INTO group_marks (kind, artist, album, starred_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind, artist, album) DO UPDATE SET starred_at = excluded.starred_at`,
  );
  writeTransaction(db, () => {
    for (const r of refs) set.run(r.kind, r.artist, r.album, at);
  });
}

/** Rates an album or an artist 1–5, or removes its rating (null). */
export function rateGroup(db: Db, ref: GroupRef, rating: number | null): void {
  db.prepare(
    `INSERT INTO group_marks (kind, artist, album, rating) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind, artist, album) DO UPDATE SET rating = excluded.rating`,
  ).run(ref.kind, ref.artist, ref.album, rating);
}

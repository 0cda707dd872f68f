// Which copy of a recording an album counts, and following the changes that may move it. An album (a tile
// of the album grid) holding two or more copies of one recording counts it once, in the copy the album
// lists (`ls album:…`, the app's album): its kept copy, else the best placed of its copies there — a copy
// the user left as it was (an MP3 rip not kept, dated otherwise, of another release) moves none of the
// album's values. What is derived per album this way (album-loudness.ts: its figures; album-years.ts: its
// year, discs and releases) follows a change of the kept copies through copies_touched
// (app/core/db/copies-touched.ts) from a place its state table keeps: copies_seq and copies_group, the
// place in the log figured up to, and copies_every, the last recording looked at in a walk over every
// recording (after a change of the copy rules; NULL: none under way).
import type Database from 'better-sqlite3';
import { EVERY_RECORDING } from '../db/copies-touched.ts';
import type { Db } from '../db/database.ts';
import { placesInRecordings } from './copy-places.ts';

/** Recordings looked at per round. */
const ROUND = 300;

/** A file of an album and its recording (its group, else minus its id: a recording of its own). */
export interface AlbumCopy {
  readonly id: number;
  readonly rec: number;
}

/** A file's recording as AlbumCopy.rec, in SQL over `files f`. */
export const RECORDING_OF_FILE =
  'coalesce((SELECT group_id FROM recording_members WHERE file_id = f.id), -f.id)';

/** What an album's values are derived into and where they stand: the derived table (by file_id, artist,
 *  album) and its state table (with copies_seq, copies_group, copies_every). */
export interface AlbumCopiesTables {
  readonly derived: 'album_loudness' | 'album_years';
  readonly state: 'album_loudness_state' | 'album_years_state';
}

/** Whether the copies recordings keep changed since `state` was last brought up to date. */
export function copiesBehindSql(state: AlbumCopiesTables['state']): string {
  return `SELECT 1 FROM ${state} s WHERE s.copies_every IS NOT NULL OR EXISTS (SELECT 1 FROM copies_touched t
    WHERE t.seq >= s.copies_seq AND (t.seq, t.group_id) > (s.copies_seq, s.copies_group))`;
}

/** The places among their recording's copies (1: kept) of the members whose recording the album holds more
 *  than once; ranked for those recordings alone, and only when there are any (the statement, the costliest
 *  of a derivation's to prepare, is then prepared once for the connection). */
export function placesOnAlbum(db: Db, members: readonly AlbumCopy[]): Map<number, number> {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const m of members) (seen.has(m.rec) ? twice : seen).add(m.rec);
  return twice.size === 0 ? new Map() : placesInRecordings(db, twice);
}

/** Each recording's copy the album lists, by recording: the best placed (`places`, 1: kept; absent: after
 *  every ranked copy), of copies alike the first (members come in id order). */
export function listedCopies<M extends AlbumCopy>(
  members: readonly M[],
  places: ReadonlyMap<number, number>,
): Map<number, M> {
  const place = (m: M) => places.get(m.id) || Number.POSITIVE_INFINITY;
  const byRecording = new Map<number, M>();
  for (const m of members) {
    const held = byRecording.get(m.rec);
    if (!held || place(m) < place(held)) byRecording.set(m.rec, m);
  }
  return byRecording;
}

/** Follows the copies recordings keep for one derived table: each round hands `refresh` the derived files
 *  whose album holds another copy of a recording whose kept copy may have moved. */
export class AlbumCopiesFollow {
  readonly #at: Database.Statement;
  readonly #touched: Database.Statement;
  readonly #everyNext: Database.Statement;
  readonly #moved: Database.Statement;
  readonly #every: Database.Statement;
  readonly #sharing: Database.Statement;
  readonly #refresh: (ids: readonly number[]) => void;

  constructor(db: Db, { derived, state }: AlbumCopiesTables, refresh: (ids: readonly number[]) => void) {
    this.#refresh = refresh;
    this.#at = db.prepare(
      `SELECT copies_seq AS seq, copies_group AS grp, copies_every AS every FROM ${state}`,
    );
    // The recordings touched past that place, in copies_touched_by_seq's order (seq, then group): no sort.
    this.#touched = db.prepare(
      `SELECT group_id AS grp, seq FROM copies_touched WHERE seq >= @seq AND (seq, group_id) > (@seq, @grp)
       ORDER BY seq, group_id LIMIT ${ROUND}`,
    );
    this.#everyNext = db
      .prepare(
        `SELECT DISTINCT group_id FROM recording_members WHERE group_id > ? ORDER BY group_id LIMIT ${ROUND}`,
      )
      .pluck();
    this.#moved = db.prepare(
      `UPDATE ${state} SET copies_seq = @seq, copies_group = @grp, copies_every = @every`,
    );
    this.#every = db.prepare(`UPDATE ${state} SET copies_every = ?`);
    // Of the recordings of a JSON array of group ids, the derived files that share their album with another
    // copy: which copy the album counts may have moved.
    this.#sharing = db
      .prepare(
        `SELECT a.file_id FROM json_each(?) j
         CROSS JOIN recording_members m ON m.group_id = j.value
         CROSS JOIN ${derived} a ON a.file_id = m.file_id
         WHERE a.album <> '' AND EXISTS (SELECT 1 FROM recording_members o JOIN ${derived} b ON b.file_id = o.file_id
           WHERE o.group_id = m.group_id AND o.file_id <> m.file_id AND b.artist = a.artist AND b.album = a.album)`,
      )
      .pluck();
  }

  /** One round, inside the caller's write transaction: the recordings looked at, 0 when caught up. */
  round(): number {
    const at = this.#at.get() as { seq: number; grp: number; every: number | null };
    if (at.every !== null) {
      const groups = this.#everyNext.all(at.every) as number[];
      this.#refreshSharing(groups);
      this.#every.run(groups.length === ROUND ? groups.at(-1) : null);
      // The walk's end moves the state too.
      return Math.max(groups.length, 1);
    }
    const touched = this.#touched.all({ seq: at.seq, grp: at.grp }) as Array<{ grp: number; seq: number }>;
    if (touched.length === 0) return 0;
    // Every recording at once (the copy rules changed): a walk over them, from the next round.
    const all = touched.findIndex((t) => t.grp === EVERY_RECORDING);
    const taken = all < 0 ? touched : touched.slice(0, all + 1);
    this.#refreshSharing(taken.filter((t) => t.grp !== EVERY_RECORDING).map((t) => t.grp));
    const last = taken.at(-1)!;
    this.#moved.run({ seq: last.seq, grp: last.grp, every: all < 0 ? null : 0 });
    return taken.length;
  }

  #refreshSharing(groups: readonly number[]): void {
    if (groups.length === 0) return;
    const ids = this.#sharing.all(JSON.stringify(groups)) as number[];
    if (ids.length > 0) this.#refresh(ids);
  }
}

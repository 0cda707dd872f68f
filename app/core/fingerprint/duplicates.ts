// Recording groups as the user sees them: members with what tells copies apart, each scored against the
// copy to keep (the user's preferred copy, else the suggested one: copy-rank.ts), byte-identical files
// marked; and the copies the mount leaves out (otherCopies).

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UserError } from '../../../kit/user-error.ts';
import { lossyCutSql } from '../audio/lossy-cut.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { setChoice } from './copy-keeps.ts';
import {
  COPY_ORDER,
  COPY_RANK_COLUMNS,
  COPY_RANK_ORDER,
  LOSSY_SOURCE,
  MEASURE_COLUMNS,
  type RankedCopy,
  ranksOf,
  sourceResidual,
  TAG_MASK,
  TRANSCODE_RESIDUAL_DB,
  whyBefore,
} from './copy-rank.ts';
import { rawItems } from './fingerprint-store.ts';
import { compareAtAnyOffset } from './recording-match.ts';

export interface DuplicateMember {
  readonly id: number;
  readonly path: string;
  readonly format: string | null;
  readonly codec: string | null;
  readonly lossless: boolean;
  readonly bitrate: number | null;
  readonly duration: number | null;
  readonly size: number;
  /** compare2 score against the kept copy (over the overlap for a partial copy); 1 for the kept one. */
  readonly score: number;
  /** Seconds into the full recording where a partial copy starts; null for a full copy. */
  readonly partialOffset: number | null;
  /** Id of an earlier member with exactly the same bytes. */
  readonly identicalTo: number | null;
  /** The copy Sleeve suggests keeping. */
  readonly suggested: boolean;
  /** The copy the user chose to keep (`preferCopy`), if any member is chosen. */
  readonly preferred: boolean;
  /** The copy to keep: the preferred one, else the suggested one. */
  readonly best: boolean;
  /** In words, for the kept copy why it is kept (over the next-ranked one); for another copy why the
   *  kept one comes before it. */
  readonly why: string;
  /** The lossy copy of the recording this one was transcoded from (LOSSY_SOURCE), if any. */
  readonly transcodedFrom: number | null;
  /** Where its audio stops (Hz) when it stops as a lossy encode's does (lossy-cut.ts), though it is
   *  lossless or of a high bitrate: transcoded from lossy audio, source beside it or not. */
  readonly lossyCut: number | null;
  /** The user's edits stand on this copy (edited_files). */
  readonly carriesEdits: boolean;
}

export interface DuplicateGroup {
  readonly group: number;
  readonly members: DuplicateMember[];
}

/** Which groups to list: all, those holding byte-identical files, those holding a partial copy. */
export type DuplicateFilter = 'all' | 'exact' | 'partial';

interface Row extends RankedCopy {
  path: string;
  codec: string | null;
  size: number;
  mtimeMs: number;
  /** When the user chose this copy (null: not chosen). */
  chosenAt: number | null;
  edited: number;
  lossyCut: number | null;
  data: Uint8Array;
  sha256: string | null;
}

/** The kept copy first: the user's newest choice (merged groups can bring two together), else the suggested
 *  order (COPY_ORDER, copy-rank.ts). */
const CHOSEN_AT = '(SELECT c.chosen_at FROM preferred_copies c WHERE c.file_id = f.id)';
const KEPT_FIRST = `${CHOSEN_AT} DESC NULLS LAST, ${COPY_ORDER}`;

/** These files and every present copy of their recordings: an edit to recordings. In the files' order,
 *  each followed by the copies of its recording not already there (in id order). */
export function withCopies(db: Db, ids: readonly number[]): number[] {
  const pairs = db
    .prepare(
      `SELECT m.file_id, m2.file_id FROM json_each(?) j
       JOIN recording_members m ON m.file_id = j.value
       JOIN recording_members m2 ON m2.group_id = m.group_id
       JOIN files f ON f.id = m2.file_id AND f.status = 'ok'
       ORDER BY j.key, m2.file_id`,
    )
    .raw()
    .all(JSON.stringify(ids)) as Array<[of: number, copy: number]>;
  const copies = new Map<number, number[]>();
  for (const [of, copy] of pairs) {
    const list = copies.get(of);
    if (list) list.push(copy);
    else copies.set(of, [copy]);
  }
  const out = new Set<number>();
  for (const id of ids) {
    out.add(id);
    for (const copy of copies.get(id) ?? []) out.add(copy);
  }
  return [...out];
}

/** The lossy copy of its recording a file was transcoded from (copy-rank.ts: LOSSY_SOURCE), or null. */
export function lossySource(db: Db, id: number): number | null {
  return (db
    .prepare(
      `SELECT ${LOSSY_SOURCE} FROM recording_members m JOIN files f ON f.id = m.file_id WHERE m.file_id = ?`,
    )
    .pluck()
    .get(id) ?? null) as number | null;
}

/** How far under the music (dB) a file's decode differs from its lossy source's (lossySource), when
 *  that difference told it was made from it or holds nothing more; else null (its loudness told). */
export function sourceResidualOf(db: Db, id: number, source: number): number | null {
  const measured = db
    .prepare(`SELECT ${sourceResidual('?', '?')}`)
    .pluck()
    .get(id, source) as number | null;
  return measured !== null && measured >= TRANSCODE_RESIDUAL_DB ? measured : null;
}

/** Each file's recording group; a file not in one (not fingerprinted yet) is absent. */
export function recordingsOf(db: Db, ids: readonly number[]): Map<number, number> {
  const rows = db
    .prepare(
      'SELECT m.file_id, m.group_id FROM json_each(?) j JOIN recording_members m ON m.file_id = j.value',
    )
    .raw()
    .all(JSON.stringify(ids)) as Array<[number, number]>;
  return new Map(rows);
}

/** Present members of the recordings `groups` selects, each with its place among its recording's present
 *  copies by KEPT_FIRST (1: the kept copy). CROSS JOIN: from the members, each file then looked up; SQLite
 *  had walked every present file through the status index instead (120 ms at 1M tracks and no copies, at
 *  each start of the mount and of the recordings scope). Each copy's tiers are worked out once, into a
 *  table the places are then numbered from: ordered by the tiers themselves, SQLite worked each out twice
 *  (300,000 copies at a million tracks: 6.0 → 3.1 s). */
function rankedCopies(groups: string): string {
  return `WITH scored AS MATERIALIZED (
      SELECT f.id, m.group_id AS grp, ${CHOSEN_AT} AS chosen, ${COPY_RANK_COLUMNS}
      FROM recording_members m CROSS JOIN files f ON f.id = m.file_id AND f.status = 'ok'
      WHERE m.group_id IN (${groups})),
    ranked AS (
      SELECT id, grp, row_number() OVER (PARTITION BY grp ORDER BY chosen DESC NULLS LAST, ${COPY_RANK_ORDER}) AS place
      FROM scored)`;
}

const SHARED_GROUPS = 'SELECT group_id FROM recording_members GROUP BY group_id HAVING count(*) > 1';

/**
 * Present files that are not the copy their recording keeps: what a mount of one file per recording
 * leaves out. A kept copy that is missing on disk leaves its place to the next present one. `among`:
 * only the recordings of these files are ranked (else every recording with two or more files).
 */
export function otherCopies(db: Db, among?: readonly number[]): Set<number> {
  const groups =
    among === undefined
      ? SHARED_GROUPS
      : 'SELECT group_id FROM recording_members WHERE file_id IN (SELECT value FROM json_each(?))';
  const ids = db
    .prepare(`${rankedCopies(groups)} SELECT id FROM ranked WHERE place > 1`)
    .pluck()
    .all(...(among === undefined ? [] : [JSON.stringify(among)])) as number[];
  return new Set(ids);
}

/** Members of the recordings `groups` selects, by file id, each with its recording and its place among
 *  the present copies (0: not present). */
const memberPlacesSql = (groups: string) => `${rankedCopies(groups)}
  SELECT m.file_id AS id, m.group_id AS grp, coalesce(r.place, 0) AS place
  FROM recording_members m LEFT JOIN ranked r ON r.id = m.file_id
  WHERE m.group_id IN (${groups}) ORDER BY m.file_id`;

/** Every member of a recording held more than once (memberPlacesSql). */
export const MEMBER_PLACES_SQL = memberPlacesSql(SHARED_GROUPS);

/** The members of those recordings of a JSON array of group ids (:groups) that are held more than once
 *  (memberPlacesSql). */
export const MEMBER_PLACES_IN_SQL = memberPlacesSql(
  'SELECT j.value FROM json_each(:groups) j WHERE (SELECT count(*) FROM recording_members WHERE group_id = j.value) > 1',
);

/** Every present copy of a recording held more than once, with its recording and place. */
export const COPY_PLACES_SQL = `${rankedCopies(SHARED_GROUPS)} SELECT id, grp, place FROM ranked`;

/** Every present copy of a recording held more than once, as [file id, group, place] (place 1: kept). */
export function copyPlaces(db: Db): Array<[id: number, group: number, place: number]> {
  return db.prepare(COPY_PLACES_SQL).raw().all() as Array<[number, number, number]>;
}

async function sha256(path: string | Buffer): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Present members of groups with two or more of them. */
const LIVE_MEMBERS = `SELECT m.group_id AS g, m.file_id AS id, m.partial_offset AS partialOffset, f.size,
    f.mtime_ms AS mtimeMs, f.path, p.sha256
  FROM recording_members m JOIN files f ON f.id = m.file_id AND f.status = 'ok'
  JOIN fingerprints p ON p.file_id = f.id`;

const FILTERS: Record<DuplicateFilter, string> = {
  all: '1',
  partial: 'count(partialOffset) > 0',
  // Two members hashed alike; hashes are computed first (hashSameSizeMembers).
  exact: 'count(sha256) > count(DISTINCT sha256)',
};

/** Hashes (once, cached with the file's size and mtime) every group member that shares its size with
 *  another member: only those can be byte-identical. */
async function hashSameSizeMembers(db: Db, group?: number): Promise<void> {
  const rows = db
    .prepare(
      `WITH live AS (${LIVE_MEMBERS} ${group === undefined ? '' : 'WHERE m.group_id = @group'})
       SELECT l.id, coalesce(f.path_bytes, l.path) AS disk, l.size, l.mtimeMs FROM live l JOIN files f ON f.id = l.id
       WHERE l.sha256 IS NULL AND (SELECT count(*) FROM live o WHERE o.g = l.g AND o.size = l.size) > 1`,
    )
    .all(group === undefined ? {} : { group }) as Array<{
    id: number;
    disk: string | Buffer;
    size: number;
    mtimeMs: number;
  }>;
  const save = db.prepare(
    'UPDATE fingerprints SET sha256 = ? WHERE file_id = ? AND size = ? AND mtime_ms = ?',
  );
  for (const r of rows) {
    const hash = await sha256(r.disk).catch(() => null);
    if (hash) save.run(hash, r.id, r.size, r.mtimeMs);
  }
}

/** Ids of the groups a filter keeps, oldest first (by their first file). */
export async function duplicateGroupIds(db: Db, filter: DuplicateFilter = 'all'): Promise<number[]> {
  if (filter === 'exact') await hashSameSizeMembers(db);
  return db
    .prepare(
      `WITH live AS (${LIVE_MEMBERS}) SELECT g FROM live GROUP BY g
       HAVING count(*) > 1 AND ${FILTERS[filter]} ORDER BY min(id)`,
    )
    .pluck()
    .all() as number[];
}

/** One group with its members scored; undefined when it has fewer than two present members. */
export async function duplicateGroup(db: Db, group: number): Promise<DuplicateGroup | undefined> {
  await hashSameSizeMembers(db, group);
  const rows = db
    .prepare(
      `SELECT f.id, f.path, f.format, f.codec, f.lossless, f.bitrate, f.sample_rate AS sampleRate,
                f.bit_depth AS bitDepth, f.duration, f.size, f.mtime_ms AS mtimeMs,
                m.partial_offset AS partialOffset, p.data, p.sha256, ${TAG_MASK} AS tagMask,
                ${CHOSEN_AT} AS chosenAt,
                EXISTS (SELECT 1 FROM edited_files ef WHERE ef.file_id = f.id) AS edited,
                ${lossyCutSql('f')} AS lossyCut, ${MEASURE_COLUMNS}, ${COPY_RANK_COLUMNS}
         FROM recording_members m JOIN files f ON f.id = m.file_id AND f.status = 'ok'
         JOIN fingerprints p ON p.file_id = f.id
         WHERE m.group_id = ? ORDER BY ${COPY_ORDER}`,
    )
    .all(group)
    .map((r) => ({ ...(r as Row), ranks: ranksOf(r as Record<string, unknown>) }));
  if (rows.length < 2) return undefined;
  const suggested = rows[0]!;
  // Merged groups can bring two choices together: the newest one counts.
  const chosen = rows
    .filter((r) => r.chosenAt !== null)
    .sort((a, b) => (b.chosenAt ?? 0) - (a.chosenAt ?? 0))[0];
  const kept = chosen ?? suggested;
  const why = (r: Row) =>
    r === chosen
      ? 'your choice'
      : r === kept
        ? whyBefore(kept, rows.find((o) => o !== kept)!)
        : chosen
          ? 'you chose another copy to keep'
          : whyBefore(kept, r);
  const keptRaw = rawItems(kept.data);
  const sizes = new Map<number, number>();
  for (const r of rows) sizes.set(r.size, (sizes.get(r.size) ?? 0) + 1);
  const firstWithHash = new Map<string, number>();
  const members = [...rows]
    .sort((a, b) => a.id - b.id)
    .map((r): DuplicateMember => {
      const c = r === kept ? null : compareAtAnyOffset(keptRaw, rawItems(r.data));
      const identicalTo =
        r.sha256 && (sizes.get(r.size) ?? 0) > 1 ? (firstWithHash.get(r.sha256) ?? null) : null;
      if (r.sha256 && !firstWithHash.has(r.sha256)) firstWithHash.set(r.sha256, r.id);
      return {
        id: r.id,
        path: r.path,
        format: r.format,
        codec: r.codec,
        lossless: r.lossless === 1,
        bitrate: r.bitrate,
        duration: r.duration,
        size: r.size,
        score: c === null ? 1 : r.partialOffset === null ? c.score : c.overlapScore,
        partialOffset: r.partialOffset,
        identicalTo,
        suggested: r === suggested,
        preferred: r === chosen,
        best: r === kept,
        why: why(r),
        transcodedFrom: r.madeFrom,
        lossyCut: r.lossyCut,
        carriesEdits: r.edited === 1,
      };
    });
  return { group, members };
}

/**
 * Copies the user chose that are missing on disk (or unreadable; a removed folder's are not asked about). A missing file leaves its group (the scan regroups
 * what is present), so its recording keeps the best present copy until the file returns and rejoins
 * with the choice still standing.
 */
export function missingChoices(db: Db): Array<{ id: number; path: string }> {
  return db
    .prepare(
      `SELECT f.id, f.path FROM preferred_copies c JOIN files f ON f.id = c.file_id
       WHERE f.status IN ('missing', 'error') ORDER BY f.id`,
    )
    .all() as Array<{ id: number; path: string }>;
}

/** Groups a filter keeps, one at a time. */
export async function* duplicateGroups(
  db: Db,
  filter: DuplicateFilter = 'all',
): AsyncGenerator<DuplicateGroup> {
  for (const id of await duplicateGroupIds(db, filter)) {
    const group = await duplicateGroup(db, id);
    if (group) yield group;
  }
}

export class DuplicateError extends UserError {
  override name = 'DuplicateError';
  constructor(message: string) {
    super('not_found', message);
  }
}

/** The copy a group keeps now: the user's choice, else the best ranked present copy. */
export function keptCopy(db: Db, group: number): number | undefined {
  return db
    .prepare(
      `SELECT f.id FROM recording_members m JOIN files f ON f.id = m.file_id AND f.status = 'ok'
       WHERE m.group_id = ? ORDER BY ${KEPT_FIRST} LIMIT 1`,
    )
    .pluck()
    .get(group) as number | undefined;
}

/** The recording group of a present file with other present copies. Every fingerprinted file has a
 *  group; only one with other copies counts. */
export function duplicateGroupOf(db: Db, fileId: number): number {
  const group = db
    .prepare(
      `SELECT m.group_id FROM recording_members m JOIN files f ON f.id = m.file_id AND f.status = 'ok'
       WHERE m.file_id = ? AND (SELECT count(*) FROM recording_members o
         JOIN files g ON g.id = o.file_id AND g.status = 'ok' WHERE o.group_id = m.group_id) > 1`,
    )
    .pluck()
    .get(fileId) as number | undefined;
  if (group !== undefined) return group;
  const known = db.prepare('SELECT 1 FROM files WHERE id = ?').get(fileId) !== undefined;
  throw new DuplicateError(
    known ? `track ${fileId} is not in a duplicate group` : `no track ${fileId} in the library`,
  );
}

/** Marks a file as the copy to keep in its recording group (the group's other choices are cleared);
 *  returns the group. Edits the copy kept before carries are the caller's to carry
 *  (app/core/library/prefer-copy.ts). */
export function preferCopy(db: Db, fileId: number): number {
  const group = duplicateGroupOf(db, fileId);
  writeTransaction(db, () => setChoice(db, group, fileId));
  return group;
}

/** Forgets the choice in a file's group: the suggested copy is kept again. Returns the group. */
export function clearPreference(db: Db, fileId: number): number {
  const group = duplicateGroupOf(db, fileId);
  setChoice(db, group, null);
  return group;
}

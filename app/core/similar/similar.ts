// "More like this": the nearest tracks to one track, or to the centroid of several (an album, an
// artist): one per recording, and none of the seeds' own recordings (other copies of the same song),
// unless asked for every copy.
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { otherCopies } from '../fingerprint/duplicates.ts';
import { currentVectors, missingVectorReason } from './embedding-store.ts';
import type { EmbeddingExtractor } from './extractor.ts';
import type { SimilarityTable } from './similarity-table.ts';

export class SimilarityError extends UserError {
  override name = 'SimilarityError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export interface SimilarOptions {
  readonly limit: number;
  /** Every copy of a recording, the seeds' own included; else one per recording, the seeds' left out. */
  readonly includeDuplicates: boolean;
  /** A LanceDB condition (where-filter.ts). */
  readonly filter?: string | undefined;
  /** Skip the approximate index (the benchmark measures both). */
  readonly exact?: boolean;
}

export interface SimilarTrack {
  readonly fileId: number;
  /** From the seeds; one per recording, the recording's: its nearest copy's (onePerRecording). */
  readonly distance: number;
  /** The same recording as a seed (only with includeDuplicates). */
  readonly sameRecording: boolean;
}

/** The most neighbours asked of the table to find `limit` distinct recordings. */
const MAX_ASKED = 2000;

/**
 * One copy of each recording among `found` (ascending distance), in the place of its nearest copy: the
 * kept copy when it was found too, else the nearest. The row shown is the copy one would play, but its
 * distance is the recording's: its nearest copy's. Copies of one recording differ by encoding, level or
 * damage, not by what is played, so the nearest is the best measure of how the recording sounds next to
 * the seed; and it is known whether or not the kept copy lies within the neighbours asked for (ranking by
 * the kept copy's own distance would rank a recording by whichever copy the search happened to reach).
 * So the list is in the order of the distances it shows. `others`: the found files that are not the copy
 * their recording keeps (otherCopies).
 */
export function onePerRecording<T extends { fileId: number; distance: number }>(
  found: readonly T[],
  groupOf: ReadonlyMap<number, number>,
  others: ReadonlySet<number>,
): T[] {
  const chosen = new Map<number, T>(); // by group, in order of the nearest copy
  const out: Array<T | number> = [];
  for (const f of found) {
    const g = groupOf.get(f.fileId);
    if (g === undefined) out.push(f);
    else if (!chosen.has(g)) {
      chosen.set(g, f);
      out.push(g);
    } else if (!others.has(f.fileId)) {
      // The kept copy, in the nearest one's place and at its distance.
      chosen.set(g, { ...f, distance: chosen.get(g)!.distance });
    }
  }
  return out.map((x) => (typeof x === 'number' ? chosen.get(x)! : x));
}

/** The recording group of each of these files that has one, in one query. */
function groupsOf(db: Db, ids: readonly number[]): Map<number, number> {
  const rows = db
    .prepare(
      'SELECT file_id AS id, group_id AS g FROM json_each(?) j JOIN recording_members m ON m.file_id = j.value',
    )
    .all(JSON.stringify(ids)) as Array<{ id: number; g: number }>;
  return new Map(rows.map((r) => [r.id, r.g]));
}

/** How many files these recording groups hold. */
function membersOf(db: Db, groups: readonly number[]): number {
  return db
    .prepare('SELECT count(*) FROM recording_members WHERE group_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .get(JSON.stringify(groups)) as number;
}

export async function similarTracks(
  db: Db,
  table: SimilarityTable,
  extractor: EmbeddingExtractor,
  seeds: readonly number[],
  options: SimilarOptions,
): Promise<SimilarTrack[]> {
  if (seeds.length === 0) throw new SimilarityError('no tracks to start from');
  const vectors = currentVectors(db, extractor, seeds);
  if (vectors.size === 0)
    throw new SimilarityError(
      seeds.length === 1
        ? missingVectorReason(db, extractor, seeds[0]!)
        : `none of the ${seeds.length} matching tracks has been analysed (run sleeve scan)`,
    );
  const centroid = new Float32Array(extractor.dimension);
  for (const v of vectors.values()) for (let i = 0; i < v.length; i++) centroid[i] = centroid[i]! + v[i]!;
  const norm = Math.hypot(...centroid);
  // Opposite vectors can cancel out: then no direction is left to be near to.
  if (norm < 1e-6) throw new SimilarityError('the matching tracks sound too different to average into one');
  for (let i = 0; i < centroid.length; i++) centroid[i] = centroid[i]! / norm;

  const groups = [...new Set(groupsOf(db, seeds).values())];
  const conditions = [`file_id NOT IN (${seeds.join(',')})`];
  const grouped = !options.includeDuplicates && groups.length > 0;
  if (grouped) conditions.push(`(group_id IS NULL OR group_id NOT IN (${groups.join(',')}))`);
  if (options.filter) conditions.push(`(${options.filter})`);
  // Leaving out the seeds and their recordings' copies, a few rows: done on the nearest rows found,
  // asked for as many more. A user's filter may leave out most rows: the table tries it on many more of
  // the nearest rows, then on every row (SimilarityTable.search's `selective`).
  const after = options.filter === undefined;
  const left = after ? seeds.length + (grouped ? membersOf(db, groups) : 0) : 0;
  const search = async (limit: number) =>
    (
      await table.search(centroid, {
        limit: limit + left,
        filter: conditions.join(' AND '),
        selective: !after,
        exact: options.exact ?? false,
        after,
      })
    ).slice(0, limit);
  let found = await search(options.limit);
  let groupOf = groupsOf(
    db,
    found.map((f) => f.fileId),
  );
  if (!options.includeDuplicates) {
    // One per recording: copies of one song lie close together, so more are asked for until `limit`
    // recordings are found or the table has no more.
    for (let asked = options.limit; ; ) {
      const others = otherCopies(
        db,
        found.map((f) => f.fileId),
      );
      const distinct = onePerRecording(found, groupOf, others);
      if (distinct.length >= options.limit || found.length < asked || asked >= MAX_ASKED) {
        found = distinct.slice(0, options.limit);
        break;
      }
      asked = Math.min(asked * 4, MAX_ASKED);
      found = await search(asked);
      groupOf = groupsOf(
        db,
        found.map((f) => f.fileId),
      );
    }
  }
  const seedGroups = new Set(groups);
  return found.map((f) => ({
    fileId: f.fileId,
    distance: f.distance,
    sameRecording: seedGroups.has(groupOf.get(f.fileId) ?? -1),
  }));
}

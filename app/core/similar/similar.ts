// "More like this": the nearest tracks to one track, or to the centroid of several (an album, an
// artist), leaving out the seeds' own recordings (other copies of the same song) unless asked.
import { UserError } from '../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
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
  readonly includeDuplicates: boolean;
  /** A LanceDB condition (where-filter.ts). */
  readonly filter?: string | undefined;
  /** Skip the approximate index (the benchmark measures both). */
  readonly exact?: boolean;
}

export interface SimilarTrack {
  readonly fileId: number;
  readonly distance: number;
  /** The same recording as a seed (only with includeDuplicates). */
  readonly sameRecording: boolean;
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
  if (!options.includeDuplicates && groups.length > 0)
    conditions.push(`(group_id IS NULL OR group_id NOT IN (${groups.join(',')}))`);
  if (options.filter) conditions.push(`(${options.filter})`);
  const found = await table.search(centroid, {
    limit: options.limit,
    filter: conditions.join(' AND '),
    selective: options.filter !== undefined,
    exact: options.exact ?? false,
  });
  const seedGroups = new Set(groups);
  const groupOf = groupsOf(
    db,
    found.map((f) => f.fileId),
  );
  return found.map((f) => ({
    fileId: f.fileId,
    distance: f.distance,
    sameRecording: seedGroups.has(groupOf.get(f.fileId) ?? -1),
  }));
}

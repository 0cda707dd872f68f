// A path through sound from one track to another (OpenSubsonic's findSonicPath): points spaced evenly on
// the way from the start's embedding to the end's, each taken by the nearest track not yet on the path
// that `playable` accepts (a player is given kept copies: one per recording). Each step carries its
// similarity to the start, 1 for the same sound down to 0 for the opposite (cosine distance halved).
import type { Db } from '../db/database.ts';
import { currentVectors, missingVectorReason } from './embedding-store.ts';
import type { EmbeddingExtractor } from './extractor.ts';
import { SimilarityError } from './similar.ts';
import type { SimilarityTable } from './similarity-table.ts';

export interface PathStep {
  readonly fileId: number;
  /** To the start: 1 the same direction, 0 the opposite. */
  readonly similarity: number;
}

/** Neighbours asked for each point: enough that one is playable and not on the path yet. */
const ASKED = 40;

function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return norm < 1e-9 ? v : v.map((x) => x / norm);
}

/** Cosine similarity mapped to 0..1. */
export function similarityOf(a: Float32Array, b: Float32Array): number {
  const [ua, ub] = [unit(a), unit(b)];
  let dot = 0;
  for (let i = 0; i < ua.length; i++) dot += ua[i]! * ub[i]!;
  return Math.max(0, Math.min(1, (1 + dot) / 2));
}

export async function sonicPath(
  db: Db,
  table: SimilarityTable,
  extractor: EmbeddingExtractor,
  ends: { start: number; end: number; count: number },
  playable: (fileId: number) => boolean,
): Promise<PathStep[]> {
  const vectors = currentVectors(db, extractor, [ends.start, ends.end]);
  for (const id of [ends.start, ends.end])
    if (!vectors.has(id)) throw new SimilarityError(missingVectorReason(db, extractor, id));
  const from = unit(vectors.get(ends.start)!);
  const to = unit(vectors.get(ends.end)!);
  const path = [ends.start];
  const on = new Set(path.concat(ends.end));
  const between = Math.max(0, ends.count - 2);
  for (let k = 1; k <= between; k++) {
    const t = k / (between + 1);
    const point = unit(from.map((x, i) => (1 - t) * x + t * to[i]!));
    const found = await table.search(point, {
      limit: ASKED,
      filter: `file_id NOT IN (${[...on].join(',')})`,
    });
    const next = found.find((f) => !on.has(f.fileId) && playable(f.fileId));
    if (!next) continue;
    path.push(next.fileId);
    on.add(next.fileId);
  }
  if (ends.end !== ends.start) path.push(ends.end);
  const all = currentVectors(db, extractor, path);
  return path.map((fileId) => ({
    fileId,
    similarity: all.has(fileId) ? similarityOf(from, all.get(fileId)!) : 0,
  }));
}

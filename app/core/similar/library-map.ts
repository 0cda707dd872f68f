// A 2D map of the library for the "library map" scatter view: the embeddings projected onto their two
// principal components. The axes are trained on an even sample of at most SAMPLE vectors (the covariance
// costs n·d²), then every vector is projected (n·2d): about 0.1 s for 100k tracks.
import type { Db } from '../db/database.ts';
import { otherCopies } from '../fingerprint/duplicates.ts';
import { blobVector, CURRENT_EMBEDDING, extractorParams } from './embedding-store.ts';
import type { EmbeddingExtractor } from './extractor.ts';

const SAMPLE = 5000;
const ITERATIONS = 100;

export interface MapPoint {
  readonly fileId: number;
  /** Both coordinates are scaled together into −1..1, so distances on the map keep their proportions. */
  readonly x: number;
  readonly y: number;
}

export interface LibraryMap {
  readonly points: MapPoint[];
  /** Share of the vectors' variance along each axis. */
  readonly explained: readonly [number, number];
}

/** One point per recording (its kept copy), unless `allCopies`: copies of a song would lie on top of
 *  each other and hide the colours beneath. */
export function libraryMap(db: Db, extractor: EmbeddingExtractor, allCopies = false): LibraryMap {
  const others = allCopies ? new Set<number>() : otherCopies(db);
  let rows = db
    .prepare(
      `SELECT e.file_id AS id, e.vector FROM embeddings e JOIN files f ON f.id = e.file_id
       WHERE f.status = 'ok' AND e.status = 'ok' AND ${CURRENT_EMBEDDING} ORDER BY e.file_id`,
    )
    .all(extractorParams(extractor)) as Array<{ id: number; vector: Buffer }>;
  if (others.size > 0) rows = rows.filter((r) => !others.has(r.id));
  const d = extractor.dimension;
  const vectors = rows.map((r) => blobVector(r.vector));
  if (vectors.length < 3)
    return { points: rows.map((r) => ({ fileId: r.id, x: 0, y: 0 })), explained: [0, 0] };

  const step = Math.max(1, Math.floor(vectors.length / SAMPLE));
  const sample = vectors.filter((_, i) => i % step === 0);
  const mean = new Float64Array(d);
  for (const v of sample) for (let i = 0; i < d; i++) mean[i] = mean[i]! + v[i]! / sample.length;
  const cov = new Float64Array(d * d);
  const centered = new Float64Array(d);
  for (const v of sample) {
    for (let i = 0; i < d; i++) centered[i] = v[i]! - mean[i]!;
    for (let i = 0; i < d; i++) {
      const ci = centered[i]!;
      for (let j = i; j < d; j++) cov[i * d + j] = cov[i * d + j]! + ci * centered[j]!;
    }
  }
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      const c = cov[i * d + j]! / sample.length;
      cov[i * d + j] = c;
      cov[j * d + i] = c;
    }
  let total = 0;
  for (let i = 0; i < d; i++) total += cov[i * d + i]!;
  const first = principalAxis(cov, d);
  deflate(cov, d, first);
  const second = principalAxis(cov, d);

  const xs = new Float64Array(vectors.length);
  const ys = new Float64Array(vectors.length);
  let extent = 0;
  vectors.forEach((v, k) => {
    let x = 0;
    let y = 0;
    for (let i = 0; i < d; i++) {
      const c = v[i]! - mean[i]!;
      x += c * first.axis[i]!;
      y += c * second.axis[i]!;
    }
    xs[k] = x;
    ys[k] = y;
    extent = Math.max(extent, Math.abs(x), Math.abs(y));
  });
  const scale = extent > 0 ? 1 / extent : 0;
  return {
    points: rows.map((r, k) => ({ fileId: r.id, x: xs[k]! * scale, y: ys[k]! * scale })),
    explained: [total > 0 ? first.value / total : 0, total > 0 ? second.value / total : 0],
  };
}

/** The dominant eigenvector of a symmetric matrix, by power iteration from a fixed start (deterministic). */
function principalAxis(m: Float64Array, d: number): { axis: Float64Array; value: number } {
  let v = new Float64Array(d).map((_, i) => 1 + i / d);
  let value = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    const next = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += m[i * d + j]! * v[j]!;
      next[i] = s;
    }
    value = Math.hypot(...next);
    if (value === 0) break;
    v = next.map((x) => x / value);
  }
  // A sign convention, so a map does not flip between runs of different sample sizes without cause.
  const largest = v.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
  if (largest < 0) v = v.map((x) => -x);
  return { axis: v, value };
}

function deflate(m: Float64Array, d: number, { axis, value }: { axis: Float64Array; value: number }): void {
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) m[i * d + j] = m[i * d + j]! - value * axis[i]! * axis[j]!;
}

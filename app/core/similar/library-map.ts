// A 2D map of the library for the "library map" scatter view: the embeddings projected onto their two
// principal components. The axes are trained on an even sample of at most SAMPLE vectors (the covariance
// costs n·d²), then every vector is projected (n·2d): about 0.1 s for 100k tracks once their vectors are
// read (0.9–1.1 s with the read, from a new connection). Every copy's vector is
// projected, and the copies a recording does not keep are left out after: which copy is kept changes
// with a copy's first edit, and projecting a million vectors again for it took seconds (12 s at 1M).
import type { Db } from '../db/database.ts';
import { currentPlaces, otherCopiesIn } from '../library/copy-places.ts';
import { blobVector, CURRENT_EMBEDDING, extractorParams } from './embedding-store.ts';
import type { EmbeddingExtractor } from './extractor.ts';

const SAMPLE = 5000;
const ITERATIONS = 100;

/** Changes when what the projection is made of does: a vector, or a file holding one (map_state,
 *  migration 76). One one-row read; an edit of tags leaves it. */
export const projectionVersion = (db: Db): number =>
  db.prepare('SELECT seq FROM map_state').pluck().get() as number;

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
  const projected = projectLibrary(db, extractor);
  return allCopies ? projected : keptCopies(projected, otherCopiesIn(currentPlaces(db)));
}

/** `map` without the points of `others` (the copies their recordings do not keep). */
export function keptCopies(map: LibraryMap, others: ReadonlySet<number>): LibraryMap {
  return others.size === 0 ? map : { ...map, points: map.points.filter((p) => !others.has(p.fileId)) };
}

/** Every current vector of a present file, projected. */
export function projectLibrary(db: Db, extractor: EmbeddingExtractor): LibraryMap {
  const rows = db
    .prepare(
      `SELECT e.file_id AS id, e.vector, m.group_id AS grp FROM embeddings e JOIN files f ON f.id = e.file_id
       LEFT JOIN recording_members m ON m.file_id = e.file_id
       WHERE f.status = 'ok' AND e.status = 'ok' AND ${CURRENT_EMBEDDING} ORDER BY e.file_id`,
    )
    .all(extractorParams(extractor)) as Array<{ id: number; vector: Buffer; grp: number | null }>;
  const vectors = rows.map((r) => blobVector(r.vector));
  // The axes are the recordings', a vector each (its first copy's): a song held in four formats would
  // weigh four times, and which copy is kept moves with edits.
  const seen = new Set<number>();
  const recordings = vectors.filter((_, k) => {
    const grp = rows[k]!.grp;
    if (grp === null) return true;
    if (seen.has(grp)) return false;
    seen.add(grp);
    return true;
  });
  if (recordings.length < 3)
    return { points: rows.map((r) => ({ fileId: r.id, x: 0, y: 0 })), explained: [0, 0] };
  const step = Math.max(1, Math.floor(recordings.length / SAMPLE));
  const { mean, first, second, explained } = principalAxes(
    recordings.filter((_, i) => i % step === 0),
    extractor.dimension,
  );
  const xs = new Float64Array(vectors.length);
  const ys = new Float64Array(vectors.length);
  let extent = 0;
  vectors.forEach((v, k) => {
    let x = 0;
    let y = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]! - mean[i]!;
      x += c * first[i]!;
      y += c * second[i]!;
    }
    xs[k] = x;
    ys[k] = y;
    extent = Math.max(extent, Math.abs(x), Math.abs(y));
  });
  const scale = extent > 0 ? 1 / extent : 0;
  return { points: rows.map((r, k) => ({ fileId: r.id, x: xs[k]! * scale, y: ys[k]! * scale })), explained };
}

/** The sample's mean and its two principal axes, with the share of the variance along each. */
function principalAxes(sample: readonly Float32Array[], d: number) {
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
  const share = (value: number) => (total > 0 ? value / total : 0);
  return {
    mean,
    first: first.axis,
    second: second.axis,
    explained: [share(first.value), share(second.value)] as const,
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

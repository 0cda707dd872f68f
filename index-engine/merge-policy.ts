// Tiered merge policy over a list of adjacent segments (oldest → newest). Segments fall into levels by size
// (each level `segmentsPerLevel` times the previous, starting at `floor`); a run of `segmentsPerLevel`
// adjacent segments on one level merges into one segment of the next level. Every posting is rewritten about
// log_segmentsPerLevel(total / floor) times, and a search visits at most ~segmentsPerLevel per level.

export interface MergePolicy {
  readonly segmentsPerLevel: number;
  /** Sizes below this count as the lowest level. */
  readonly floor: number;
  /** Above this many segments, the smallest adjacent pair merges regardless of levels. */
  readonly maxSegments: number;
}

export interface MergeRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

function level(size: number, p: MergePolicy): number {
  return size <= p.floor ? 0 : Math.floor(Math.log(size / p.floor) / Math.log(p.segmentsPerLevel));
}

export function findMerge(sizes: readonly number[], p: MergePolicy): MergeRange | null {
  let runStart = 0;
  for (let i = 1; i <= sizes.length; i++) {
    const sameLevel = i < sizes.length && level(sizes[i]!, p) === level(sizes[runStart]!, p);
    if (sameLevel) {
      if (i - runStart + 1 === p.segmentsPerLevel) return { start: runStart, end: i + 1 };
    } else runStart = i;
  }
  if (sizes.length > p.maxSegments) {
    let best = 0;
    for (let i = 1; i + 1 < sizes.length; i++)
      if (sizes[i]! + sizes[i + 1]! < sizes[best]! + sizes[best + 1]!) best = i;
    return { start: best, end: best + 2 };
  }
  return null;
}

// What memory and file segments have in common: an immutable set of postings plus the documents and
// metadata written by a contiguous range of versions.
import type { DocTable } from './doc-table.ts';
import type { HitCounter } from './hit-counter.ts';

export interface Segment {
  readonly kind: 'memory' | 'file';
  readonly minVersion: number;
  readonly maxVersion: number;
  /** How many merges produced this segment (0 for a fresh one). */
  readonly merges: number;
  readonly docs: DocTable;
  readonly metadata: ReadonlyMap<string, string>;
  readonly postingCount: number;
  /** Counts in `counter` a hit for each posting whose term is in its batch. */
  countHits(counter: HitCounter): void;
}

/** Metadata of segments ordered oldest → newest; newer values win. */
export function mergeMetadata(segments: readonly Segment[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of segments) for (const [k, v] of s.metadata) out.set(k, v);
  return out;
}

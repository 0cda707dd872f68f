// Search across a snapshot of segments, with acoustid-index's rules: de-duplicated query, a document scores
// one per posting whose term is in the query, default minimum (n + 19) / 20, the bar raised to score_pct of
// the top result, ordered by score then id, superseded versions skipped.
import { findDoc } from './doc-table.ts';
import { IndexError } from './errors.ts';
import type { ScoreTable } from './score-table.ts';
import type { Segment } from './segment.ts';

export interface SearchOptions {
  /** Results to return, clamped to [1, 100]; default 40. */
  readonly limit?: number;
  /** Minimum score; default (query length + 19) / 20. */
  readonly minScore?: number;
  /** After the top result, drop results below this percentage of its score; default 10. */
  readonly scorePct?: number;
  /** Milliseconds, at most 10 000; default (and 0) 500. */
  readonly timeout?: number;
}

export interface SearchHit {
  readonly id: number;
  readonly score: number;
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 40;
export const DEFAULT_TIMEOUT_MS = 500;
export const MAX_TIMEOUT_MS = 10_000;

export function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit ?? DEFAULT_LIMIT)));
}

/** 0 or absent means the default, as in acoustid-index. */
export function clampTimeout(timeout: number | undefined): number {
  return Math.min(MAX_TIMEOUT_MS, timeout && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS);
}

/** Unique query terms, ascending. */
export function queryTerms(query: readonly number[]): Uint32Array {
  return Uint32Array.from(new Set(query)).sort();
}

/** `segments` are ordered oldest → newest; `startedAt` is a performance.now() time. */
export function searchSegments(
  segments: readonly Segment[],
  query: readonly number[],
  options: SearchOptions,
  table: ScoreTable,
  startedAt = performance.now(),
): SearchHit[] {
  const limit = clampLimit(options.limit);
  const deadline = startedAt + clampTimeout(options.timeout);
  const minScore = options.minScore ?? Math.trunc((query.length + 19) / 20);
  const scorePct = options.scorePct ?? 10;
  const terms = queryTerms(query);

  const ids: number[] = [];
  const scores: number[] = [];
  const owners: number[] = [];
  for (let s = segments.length - 1; s >= 0; s--) {
    if (performance.now() > deadline) throw new IndexError('SearchTimeout', 'search timed out');
    table.clear();
    segments[s]!.search(terms, table);
    table.forEachAtLeast(Math.max(1, minScore), (id, score) => {
      ids.push(id);
      scores.push(score);
      owners.push(s);
    });
  }
  table.clear();

  const order = Array.from(ids.keys()).sort((a, b) => scores[b]! - scores[a]! || ids[a]! - ids[b]!);
  const hits: SearchHit[] = [];
  let bar = minScore;
  for (const c of order) {
    const score = scores[c]!;
    if (score < bar) break;
    const id = ids[c]!;
    if (isSuperseded(segments, owners[c]!, id)) continue;
    hits.push({ id, score });
    if (hits.length === 1) bar = Math.max(minScore, Math.trunc((score * scorePct) / 100));
    if (hits.length === limit) break;
  }
  return hits;
}

/** True when a segment newer than `owner` rewrote or deleted `id`. */
function isSuperseded(segments: readonly Segment[], owner: number, id: number): boolean {
  for (let s = owner + 1; s < segments.length; s++) if (findDoc(segments[s]!.docs, id) >= 0) return true;
  return false;
}

// Search across a snapshot of segments, with acoustid-index's rules: de-duplicated query, a document scores
// one per posting whose term is in the query, default minimum (n + 19) / 20, the bar raised to score_pct of
// the top result, ordered by score then id, superseded versions skipped.
//
// Several queries (up to 256) run as one sweep, one batch of the hit counter (hit-counter.ts): each segment
// is walked once for all of them, and only the documents that reach a query's minimum come back to
// JavaScript.
import { findDoc } from './doc-table.ts';
import { IndexError } from './errors.ts';
import type { HitCounter, Query } from './hit-counter.ts';
import type { Segment } from './segment.ts';

export type { Query } from './hit-counter.ts';

export interface SearchOptions {
  /** Results to return, clamped to [1, 100]; default 40. */
  readonly limit?: number;
  /** Minimum score; default (query length + 19) / 20. */
  readonly minScore?: number;
  /** After the top result, drop results below this percentage of its score; default 10. */
  readonly scorePct?: number;
  /** Milliseconds per query, at most 10 000; default (and 0) 500. */
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
/** Queries per sweep: bounds the hit tables alive at once. */
const SWEEP_QUERIES = 256;

export function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit ?? DEFAULT_LIMIT)));
}

/** 0 or absent means the default, as in acoustid-index. */
export function clampTimeout(timeout: number | undefined): number {
  return Math.min(MAX_TIMEOUT_MS, timeout && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS);
}

/**
 * Each query's results, in order. `segments` are ordered oldest → newest; `startedAt` is a
 * performance.now() time. Queries run in sweeps of up to 256; a sweep may take the timeout once per query
 * but never more than MAX_TIMEOUT_MS, and the first one also pays for the time queued before `startedAt`.
 */
export function searchSegmentsMany(
  segments: readonly Segment[],
  queries: readonly Query[],
  options: SearchOptions,
  counter: HitCounter,
  startedAt = performance.now(),
): SearchHit[][] {
  const timeout = clampTimeout(options.timeout);
  const results: SearchHit[][] = [];
  for (let first = 0; first < queries.length; first += SWEEP_QUERIES) {
    const sweep = queries.slice(first, first + SWEEP_QUERIES);
    const deadline =
      (first === 0 ? startedAt : performance.now()) + Math.min(MAX_TIMEOUT_MS, timeout * sweep.length);
    const minScores = sweep.map((q) => options.minScore ?? Math.trunc((q.length + 19) / 20));
    const atLeast = Uint32Array.from(minScores, (m) => Math.max(1, m));
    const found = sweep.map(() => new Candidates());
    counter.start(sweep);
    try {
      for (let s = segments.length - 1; s >= 0; s--) {
        if (performance.now() > deadline) throw new IndexError('SearchTimeout', 'search timed out');
        segments[s]!.countHits(counter);
        counter.collect(atLeast, (q, id, score) => found[q]!.push(id, score, s));
      }
    } finally {
      counter.end();
    }
    results.push(...found.map((c, q) => c.rank(segments, minScores[q]!, options)));
  }
  return results;
}

/** One query's scores, per segment, before ranking. */
class Candidates {
  readonly #ids: number[] = [];
  readonly #scores: number[] = [];
  readonly #owners: number[] = [];

  push(id: number, score: number, owner: number): void {
    this.#ids.push(id);
    this.#scores.push(score);
    this.#owners.push(owner);
  }

  rank(segments: readonly Segment[], minScore: number, options: SearchOptions): SearchHit[] {
    const ids = this.#ids;
    const scores = this.#scores;
    const limit = clampLimit(options.limit);
    const scorePct = options.scorePct ?? 10;
    const order = Array.from(ids.keys()).sort((a, b) => scores[b]! - scores[a]! || ids[a]! - ids[b]!);
    const hits: SearchHit[] = [];
    let bar = minScore;
    for (const c of order) {
      const score = scores[c]!;
      if (score < bar) break;
      const id = ids[c]!;
      if (isSuperseded(segments, this.#owners[c]!, id)) continue;
      hits.push({ id, score });
      if (hits.length === 1) bar = Math.max(minScore, Math.trunc((score * scorePct) / 100));
      if (hits.length === limit) break;
    }
    return hits;
  }
}

/** True when a segment newer than `owner` rewrote or deleted `id`. */
function isSuperseded(segments: readonly Segment[], owner: number, id: number): boolean {
  for (let s = owner + 1; s < segments.length; s++) if (findDoc(segments[s]!.docs, id) >= 0) return true;
  return false;
}

// Search across a snapshot of segments, with acoustid-index's rules: de-duplicated query, a document scores
// one per posting whose term is in the query, default minimum (n + 19) / 20, the bar raised to score_pct of
// the top result, ordered by score then id, superseded versions skipped.
//
// Several queries (up to 256) can run as one sweep: their terms are merged into one ascending list, so each
// segment is walked once in term order instead of once per query (large segments are mostly cache misses
// otherwise), and each hit fans out to the score tables of the queries holding that term.
import { findDoc } from './doc-table.ts';
import { IndexError } from './errors.ts';
import type { HitSink } from './posting-block.ts';
import { ScoreTable } from './score-table.ts';
import type { Segment } from './segment.ts';

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

/** Query terms; a Uint32Array crosses threads as one copy instead of element by element. */
export type Query = readonly number[] | Uint32Array;

export interface SearchHit {
  readonly id: number;
  readonly score: number;
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 40;
export const DEFAULT_TIMEOUT_MS = 500;
export const MAX_TIMEOUT_MS = 10_000;
/** Queries per sweep: bounds the score tables alive at once. */
const SWEEP_QUERIES = 256;

export function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit ?? DEFAULT_LIMIT)));
}

/** 0 or absent means the default, as in acoustid-index. */
export function clampTimeout(timeout: number | undefined): number {
  return Math.min(MAX_TIMEOUT_MS, timeout && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS);
}

/** Unique query terms, ascending. */
export function queryTerms(query: Query): Uint32Array {
  const sorted = Uint32Array.from(query).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** Bits of a sweep table; one that grew past WIDE_BITS is replaced after its sweep, so a sweep of
 *  common terms does not leave 256 large tables behind. */
const SWEEP_BITS = 10;
const WIDE_BITS = 12;

/** Score tables reused across searches (only touched slots are cleared): the first one, which lone
 *  searches use, as large as it grew; the others small. */
export class ScoreTables {
  readonly #tables: ScoreTable[] = [];
  take(n: number): ScoreTable[] {
    while (this.#tables.length < n)
      this.#tables.push(new ScoreTable(this.#tables.length === 0 ? 16 : SWEEP_BITS));
    return this.#tables.slice(0, n);
  }
  /** After a sweep: drops what sweep tables grew. */
  shrink(): void {
    for (let i = 1; i < this.#tables.length; i++)
      if (this.#tables[i]!.capacityBits > WIDE_BITS) this.#tables[i] = new ScoreTable(SWEEP_BITS);
  }
}

/** The queries' terms merged: `terms` ascending and unique; the queries holding terms[i] are
 *  owners[starts[i]] … owners[starts[i + 1] - 1], each once (a query's repeated terms count once). */
class TermFanout implements HitSink {
  readonly terms: Uint32Array;
  readonly #starts: Uint32Array;
  readonly #owners: Uint16Array;
  readonly #tables: readonly ScoreTable[];

  constructor(queries: readonly Query[], tables: readonly ScoreTable[]) {
    this.#tables = tables;
    // term * 2^16 + query is exact in a double (< 2^48) and sorts by term, then query.
    const keys = new Float64Array(queries.reduce((n, q) => n + q.length, 0));
    let k = 0;
    queries.forEach((q, owner) => {
      for (const t of q) keys[k++] = t * 65536 + owner;
    });
    keys.sort();
    const terms = new Uint32Array(keys.length);
    const starts = new Uint32Array(keys.length + 1);
    this.#owners = new Uint16Array(keys.length);
    let n = 0;
    let owned = 0;
    for (let i = 0; i < keys.length; i++) {
      if (i > 0 && keys[i] === keys[i - 1]) continue;
      const term = Math.floor(keys[i]! / 65536);
      if (n === 0 || terms[n - 1] !== term) {
        starts[n] = owned;
        terms[n++] = term;
      }
      this.#owners[owned++] = keys[i]! - term * 65536;
    }
    starts[n] = owned;
    this.terms = terms.subarray(0, n);
    this.#starts = starts;
  }

  add(id: number, termIndex: number): void {
    const end = this.#starts[termIndex + 1]!;
    for (let i = this.#starts[termIndex]!; i < end; i++) this.#tables[this.#owners[i]!]!.add(id);
  }
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
  tables: ScoreTables,
  startedAt = performance.now(),
): SearchHit[][] {
  const timeout = clampTimeout(options.timeout);
  const results: SearchHit[][] = [];
  for (let first = 0; first < queries.length; first += SWEEP_QUERIES) {
    const sweep = queries.slice(first, first + SWEEP_QUERIES);
    const deadline =
      (first === 0 ? startedAt : performance.now()) + Math.min(MAX_TIMEOUT_MS, timeout * sweep.length);
    const own = tables.take(sweep.length);
    // A lone query needs no fan-out: its table takes the hits directly.
    const fanout =
      sweep.length === 1 ? { terms: queryTerms(sweep[0]!), sink: own[0]! } : fanoutOf(sweep, own);
    const minScores = sweep.map((q) => options.minScore ?? Math.trunc((q.length + 19) / 20));
    const found = sweep.map(() => new Candidates());
    for (let s = segments.length - 1; s >= 0; s--) {
      if (performance.now() > deadline) throw new IndexError('SearchTimeout', 'search timed out');
      segments[s]!.search(fanout.terms, fanout.sink);
      own.forEach((table, q) => {
        table.forEachAtLeast(Math.max(1, minScores[q]!), (id, score) => found[q]!.push(id, score, s));
        table.clear();
      });
    }
    tables.shrink();
    results.push(...found.map((c, q) => c.rank(segments, minScores[q]!, options)));
  }
  return results;
}

function fanoutOf(queries: readonly Query[], tables: readonly ScoreTable[]) {
  const fanout = new TermFanout(queries, tables);
  return { terms: fanout.terms, sink: fanout };
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

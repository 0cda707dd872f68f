// A batch of queries' hits, counted per document by the native search (native/hit_counter.c), one segment
// at a time. The batch's terms are merged into one ascending list, so each segment is walked once in term
// order rather than once per query (a large segment's blocks are mostly cache misses), and a hit on a term
// counts for every query holding it. A lone query needs no such map: every term is its own.
import {
  COLLECT_NO_MEMORY,
  COLLECT_SHORT,
  type NativeCounter,
  type NativeSegment,
  SCAN_CHECKSUM,
  SCAN_DAMAGED,
  SCAN_UNREADABLE,
  searchAddon,
} from './native-search.ts';

/** Query terms; a Uint32Array crosses threads as one copy instead of element by element. */
export type Query = readonly number[] | Uint32Array;

/** Unique query terms, ascending. */
export function queryTerms(query: Query): Uint32Array {
  const sorted = Uint32Array.from(query).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** The queries' terms merged: `terms` ascending and unique; the queries holding terms[k] are
 *  owners[starts[k]] … owners[starts[k + 1] - 1], each once (a query's repeated terms count once). */
function mergeTerms(queries: readonly Query[]) {
  // term * 2^16 + query is exact in a double (< 2^48) and sorts by term, then query.
  const keys = new Float64Array(queries.reduce((n, q) => n + q.length, 0));
  let k = 0;
  queries.forEach((q, owner) => {
    for (const t of q) keys[k++] = t * 65536 + owner;
  });
  keys.sort();
  const terms = new Uint32Array(keys.length);
  const starts = new Uint32Array(keys.length + 1);
  const owners = new Uint16Array(keys.length);
  let n = 0;
  let owned = 0;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) continue;
    const term = Math.floor(keys[i]! / 65536);
    if (n === 0 || terms[n - 1] !== term) {
      starts[n] = owned;
      terms[n++] = term;
    }
    owners[owned++] = keys[i]! - term * 65536;
  }
  starts[n] = owned;
  return {
    terms: terms.subarray(0, n),
    starts: starts.subarray(0, n + 1),
    owners: owners.subarray(0, owned),
  };
}

export class HitCounter {
  readonly #addon = searchAddon();
  readonly #native: NativeCounter = this.#addon.createCounter();
  // collect's output, grown when a segment has more candidates than they hold.
  #ids = new Uint32Array(256);
  #scores = new Uint32Array(256);
  #queries = new Uint32Array(256);

  /** Starts counting a batch of at most 65,536 queries; end() must follow. */
  start(queries: readonly Query[]): void {
    if (queries.length === 1) this.#addon.startBatch(this.#native, queryTerms(queries[0]!), null, null, 1);
    else {
      const { terms, starts, owners } = mergeTerms(queries);
      this.#addon.startBatch(this.#native, terms, starts, owners, queries.length);
    }
  }

  /** Posting blocks read by every countBlocks so far (what the search's speed rests on: a term's blocks
   *  and no others; tests count it). */
  blocksRead = 0;

  /** Counts the batch's hits in a file segment's blocks; what is wrong with them, if a block is damaged. */
  countBlocks(segment: NativeSegment): string | undefined {
    const read = this.#addon.countBlocks(this.#native, segment);
    if (read === SCAN_DAMAGED) return 'a posting block is damaged';
    if (read === SCAN_CHECKSUM) return 'a page of posting blocks does not match its checksum';
    if (read === SCAN_UNREADABLE) return 'a page of posting blocks could not be read from its disk';
    this.blocksRead += read;
    return undefined;
  }

  /** Counts the batch's hits in a memory segment's pairs, sorted by term. */
  countPairs(terms: Uint32Array, ids: Uint32Array): void {
    this.#addon.countPairs(this.#native, terms, ids);
  }

  /** Calls `fn` for each document with at least its query's minimum score since the last collect (in the
   *  segments counted since), then starts the counts again. */
  collect(minScores: Uint32Array, fn: (query: number, id: number, score: number) => void): void {
    const collect = () =>
      this.#addon.collect(this.#native, minScores, this.#ids, this.#scores, this.#queries);
    let n = collect();
    for (; n === COLLECT_SHORT; n = collect()) {
      const size = this.#ids.length * 2;
      this.#ids = new Uint32Array(size);
      this.#scores = new Uint32Array(size);
      this.#queries = new Uint32Array(size);
    }
    if (n === COLLECT_NO_MEMORY) throw new Error('out of memory counting a search');
    for (let i = 0; i < n; i++) fn(this.#queries[i]!, this.#ids[i]!, this.#scores[i]!);
  }

  /** Ends the batch: its memory is freed, and tables it grew wide are made small again. */
  end(): void {
    this.#addon.endBatch(this.#native);
  }
}

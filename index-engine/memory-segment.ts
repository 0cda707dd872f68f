// A segment held in memory: sorted posting arrays. Each transaction becomes one; small ones are merged
// together until a checkpoint writes them out as a file segment.
import type { DocTable } from './doc-table.ts';
import { mergeDocTables, staleIds } from './doc-table.ts';
import type { HitCounter } from './hit-counter.ts';
import { sortPostings } from './posting-sort.ts';
import { mergeMetadata, type Segment } from './segment.ts';
import type { Hashes, Transaction } from './transaction.ts';

export class MemorySegment implements Segment {
  readonly kind = 'memory';
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly merges: number;
  readonly docs: DocTable;
  readonly metadata: ReadonlyMap<string, string>;
  readonly terms: Uint32Array;
  readonly ids: Uint32Array;
  readonly createdAt: number;

  constructor(init: {
    minVersion: number;
    maxVersion: number;
    merges: number;
    docs: DocTable;
    metadata: ReadonlyMap<string, string>;
    terms: Uint32Array;
    ids: Uint32Array;
    createdAt: number;
  }) {
    this.minVersion = init.minVersion;
    this.maxVersion = init.maxVersion;
    this.merges = init.merges;
    this.docs = init.docs;
    this.metadata = init.metadata;
    this.terms = init.terms;
    this.ids = init.ids;
    this.createdAt = init.createdAt;
  }

  get postingCount(): number {
    return this.terms.length;
  }

  /** One segment for consecutive transactions (a group commit); the last change to an id wins. */
  static fromTransactions(txs: readonly Transaction[], now = Date.now()): MemorySegment {
    const last = new Map<number, Hashes | null>();
    const writtenAt = new Map<number, number>();
    const metadata = new Map<string, string>();
    for (const tx of txs)
      for (const c of tx.changes) {
        if (c.op === 'setMetadata') metadata.set(c.key, c.value);
        else {
          last.set(c.id, c.op === 'insert' ? c.hashes : null);
          writtenAt.set(c.id, tx.version);
        }
      }
    const ids = Uint32Array.from(last.keys()).sort();
    let postings = 0;
    for (const h of last.values()) postings += h?.length ?? 0;
    const terms = new Uint32Array(postings);
    const postingIds = new Uint32Array(postings);
    const deleted = new Uint8Array(ids.length);
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const hashes = last.get(id);
      if (!hashes) deleted[i] = 1;
      else
        for (const h of hashes) {
          terms[n] = h;
          postingIds[n++] = id;
        }
    }
    const versions = Float64Array.from(ids, (id) => writtenAt.get(id)!);
    return new MemorySegment({
      minVersion: txs[0]!.version,
      maxVersion: txs[txs.length - 1]!.version,
      merges: 0,
      docs: { ids, versions, deleted },
      metadata,
      ...sortPostings(terms, postingIds),
      createdAt: now,
    });
  }

  /** Merges adjacent segments (oldest → newest); postings of documents a newer one rewrote are dropped. */
  static merge(segments: readonly MemorySegment[]): MemorySegment {
    let total = 0;
    for (const s of segments) total += s.terms.length;
    const terms = new Uint32Array(total);
    const ids = new Uint32Array(total);
    let n = 0;
    MemorySegment.forEachMerged(segments, (term, id) => {
      terms[n] = term;
      ids[n++] = id;
    });
    const first = segments[0]!;
    const last = segments[segments.length - 1]!;
    return new MemorySegment({
      minVersion: first.minVersion,
      maxVersion: last.maxVersion,
      merges: Math.max(...segments.map((s) => s.merges)) + 1,
      docs: mergeDocTables(
        segments.map((s) => s.docs),
        false,
      ),
      metadata: mergeMetadata(segments),
      terms: terms.slice(0, n),
      ids: ids.slice(0, n),
      createdAt: first.createdAt,
    });
  }

  /**
   * Calls `add` with the postings of adjacent segments (oldest → newest) in (term, id) order, without
   * the postings of documents a newer segment rewrote: a k-way merge for checkpoints, no copy, no sort.
   */
  static forEachMerged(segments: readonly MemorySegment[], add: (term: number, id: number) => void): void {
    const stale = staleIds(segments.map((s) => s.docs));
    const pos = segments.map(() => 0);
    while (segments.length > 1) {
      let best = -1;
      let bestTerm = 0;
      let bestId = 0;
      for (let k = 0; k < segments.length; k++) {
        const s = segments[k]!;
        const p = pos[k]!;
        if (p >= s.terms.length) continue;
        const t = s.terms[p]!;
        const id = s.ids[p]!;
        if (best < 0 || t < bestTerm || (t === bestTerm && id < bestId)) {
          best = k;
          bestTerm = t;
          bestId = id;
        }
      }
      if (best < 0) return;
      pos[best]!++;
      if (!stale[best]?.has(bestId)) add(bestTerm, bestId);
    }
    // One segment: no merging, no staleness.
    const only = segments[0]!;
    for (let p = 0; p < only.terms.length; p++) add(only.terms[p]!, only.ids[p]!);
  }

  countHits(counter: HitCounter): void {
    counter.countPairs(this.terms, this.ids);
  }
}

// A segment held in memory: sorted posting arrays. Each transaction becomes one; small ones are merged
// together until a checkpoint writes them out as a file segment.
import type { DocTable } from './doc-table.ts';
import { mergeDocTables } from './doc-table.ts';
import type { HitSink } from './posting-block.ts';
import { sortPostings } from './posting-sort.ts';
import { mergeMetadata, type Segment } from './segment.ts';
import type { Transaction } from './transaction.ts';

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

  static fromTransaction(tx: Transaction, now = Date.now()): MemorySegment {
    // Within one transaction the last change to an id wins.
    const last = new Map<number, readonly number[] | null>();
    const metadata = new Map<string, string>();
    for (const c of tx.changes) {
      if (c.op === 'insert') last.set(c.id, c.hashes);
      else if (c.op === 'delete') last.set(c.id, null);
      else metadata.set(c.key, c.value);
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
    const versions = new Float64Array(ids.length).fill(tx.version);
    return new MemorySegment({
      minVersion: tx.version,
      maxVersion: tx.version,
      merges: 0,
      docs: { ids, versions, deleted },
      metadata,
      ...sortPostings(terms, postingIds, true),
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
    const newer = new Set<number>();
    for (let i = segments.length - 1; i >= 0; i--) {
      const s = segments[i]!;
      for (let p = 0; p < s.terms.length; p++) {
        const id = s.ids[p]!;
        if (!newer.has(id)) {
          terms[n] = s.terms[p]!;
          ids[n++] = id;
        }
      }
      for (const id of s.docs.ids) newer.add(id);
    }
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
      ...sortPostings(terms.subarray(0, n), ids.subarray(0, n), false),
      createdAt: first.createdAt,
    });
  }

  search(terms: Uint32Array, sink: HitSink): void {
    const all = this.terms;
    let lo = 0;
    for (let q = 0; q < terms.length; q++) {
      const t = terms[q]!;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (all[mid]! < t) lo = mid + 1;
        else hi = mid;
      }
      let p = lo;
      while (p < all.length && all[p] === t) sink.add(this.ids[p++]!);
      lo = p;
    }
  }
}

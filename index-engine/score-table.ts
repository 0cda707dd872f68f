// Per-document hit counts for one segment's search: an open-addressing hash table on typed arrays, reused
// across searches (only touched slots are cleared), so scoring ~50k postings allocates nothing.
import type { HitSink } from './posting-block.ts';

export class ScoreTable implements HitSink {
  #keys: Uint32Array;
  #counts: Uint32Array;
  #slots: Uint32Array;
  #size = 0;
  #mask: number;
  #shift: number;

  constructor(capacityBits = 16) {
    this.#keys = new Uint32Array(1 << capacityBits);
    this.#counts = new Uint32Array(1 << capacityBits);
    this.#slots = new Uint32Array(1 << (capacityBits - 1));
    this.#mask = (1 << capacityBits) - 1;
    this.#shift = 32 - capacityBits;
  }

  get size(): number {
    return this.#size;
  }

  /** log2 of the slot count (grows with the distinct ids of one search). */
  get capacityBits(): number {
    return 32 - this.#shift;
  }

  /** Counts one hit for `id` (ids are never 0, which marks an empty slot). */
  add(id: number): void {
    const keys = this.#keys;
    let h = Math.imul(id, 0x9e3779b1) >>> this.#shift;
    for (;;) {
      const k = keys[h]!;
      if (k === id) {
        this.#counts[h]!++;
        return;
      }
      if (k === 0) {
        keys[h] = id;
        this.#counts[h] = 1;
        this.#slots[this.#size++] = h;
        if (this.#size === this.#slots.length) this.#grow();
        return;
      }
      h = (h + 1) & this.#mask;
    }
  }

  /** Calls `fn` for every id with at least `minScore` hits. */
  forEachAtLeast(minScore: number, fn: (id: number, score: number) => void): void {
    for (let i = 0; i < this.#size; i++) {
      const s = this.#slots[i]!;
      const c = this.#counts[s]!;
      if (c >= minScore) fn(this.#keys[s]!, c);
    }
  }

  clear(): void {
    for (let i = 0; i < this.#size; i++) this.#keys[this.#slots[i]!] = 0;
    this.#size = 0;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldCounts = this.#counts;
    const oldSlots = this.#slots;
    const n = this.#size;
    const bits = 32 - this.#shift + 1;
    this.#keys = new Uint32Array(1 << bits);
    this.#counts = new Uint32Array(1 << bits);
    this.#slots = new Uint32Array(1 << (bits - 1));
    this.#mask = (1 << bits) - 1;
    this.#shift = 32 - bits;
    this.#size = 0;
    for (let i = 0; i < n; i++) {
      const s = oldSlots[i]!;
      const id = oldKeys[s]!;
      let h = Math.imul(id, 0x9e3779b1) >>> this.#shift;
      while (this.#keys[h] !== 0) h = (h + 1) & this.#mask;
      this.#keys[h] = id;
      this.#counts[h] = oldCounts[s]!;
      this.#slots[this.#size++] = h;
    }
  }
}

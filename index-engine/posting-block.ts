// One fixed-size block of sorted (term, id) postings. Layout: u16 pair count, then the pairs as StreamVByte
// values, two per pair: the term delta (the first term absolute) and the id — a delta from the previous id
// when the term repeats, else the id itself. Ids of one term are ascending, so both stay small.
import { byteLength, decode, encode, encodedSize } from './stream-vbyte.ts';

const HEADER = 2;

/** Most pairs a block can hold: every value one byte, plus two 2-bit codes per pair. */
export function maxPairsPerBlock(blockSize: number): number {
  return Math.floor(((blockSize - HEADER) * 4) / 10);
}

/** Collects pairs until the next one would not fit in `blockSize` bytes, then encodes them. */
export class BlockBuilder {
  readonly blockSize: number;
  #values: Uint32Array;
  #count = 0;
  #dataBytes = 0;
  #lastTerm = 0;
  #lastId = 0;

  constructor(blockSize: number) {
    this.blockSize = blockSize;
    this.#values = new Uint32Array(maxPairsPerBlock(blockSize) * 2);
  }

  get count(): number {
    return this.#count;
  }

  get lastTerm(): number {
    return this.#lastTerm;
  }

  /** Adds a pair (which must sort after the previous one); false when the block is full. */
  tryAdd(term: number, id: number): boolean {
    const first = this.#count === 0;
    const termValue = first ? term : term - this.#lastTerm;
    const idValue = !first && termValue === 0 ? id - this.#lastId : id;
    const data = this.#dataBytes + byteLength(termValue) + byteLength(idValue);
    if (HEADER + encodedSize((this.#count + 1) * 2, data) > this.blockSize) return false;
    this.#values[this.#count * 2] = termValue;
    this.#values[this.#count * 2 + 1] = idValue;
    this.#count++;
    this.#dataBytes = data;
    this.#lastTerm = term;
    this.#lastId = id;
    return true;
  }

  /** Writes the block (zero-padded to blockSize) at `offset` and empties the builder. */
  flushInto(out: Uint8Array, offset: number): void {
    out[offset] = this.#count & 0xff;
    out[offset + 1] = this.#count >>> 8;
    const end = encode(this.#values, this.#count * 2, out, offset + HEADER);
    out.fill(0, end, offset + this.blockSize);
    this.#count = 0;
    this.#dataBytes = 0;
  }
}

/** Decodes the block at `offset` into terms/ids (each at least maxPairsPerBlock long); returns the count. */
export function decodeBlock(
  src: Uint8Array,
  offset: number,
  scratch: Uint32Array,
  terms: Uint32Array,
  ids: Uint32Array,
): number {
  const count = src[offset]! | (src[offset + 1]! << 8);
  decode(src, offset + HEADER, count * 2, scratch);
  let term = 0;
  let id = 0;
  for (let i = 0; i < count; i++) {
    const dt = scratch[i * 2]!;
    const v = scratch[i * 2 + 1]!;
    if (i === 0) {
      term = dt;
      id = v;
    } else if (dt === 0) id += v;
    else {
      term += dt;
      id = v;
    }
    terms[i] = term;
    ids[i] = id;
  }
  return count;
}

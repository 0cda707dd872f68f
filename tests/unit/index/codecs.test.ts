import { describe, expect, it } from 'vitest';
import {
  BlockBuilder,
  decodeBlock,
  maxPairsPerBlock,
  scanBlock,
} from '../../../index-engine/posting-block.ts';
import { sortPostings } from '../../../index-engine/posting-sort.ts';
import { decode, encode } from '../../../index-engine/stream-vbyte.ts';
import type { Transaction } from '../../../index-engine/transaction.ts';
import { decodeTransaction, encodeTransaction } from '../../../index-engine/transaction-codec.ts';
import { lcg } from '../../helpers.ts';

const EDGES = [0, 1, 255, 256, 65535, 65536, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xffffffff];

describe('StreamVByte', () => {
  it.each([1, 2, 3, 4, 5, 11, 12, 13])('round-trips %i edge values', (count) => {
    const values = Array.from({ length: count }, (_, i) => EDGES[(i * 7) % EDGES.length]!);
    const buf = new Uint8Array(5 * count + 4);
    const end = encode(values, count, buf, 3);
    const out = new Uint32Array(count);
    expect(decode(buf, 3, count, out)).toBe(end);
    expect([...out]).toEqual(values);
  });

  it('uses one data byte per small value and one control byte per four values', () => {
    const buf = new Uint8Array(64);
    expect(encode([1, 2, 3, 4, 5], 5, buf, 0)).toBe(2 + 5);
    expect(encode([0xffffffff], 1, buf, 0)).toBe(1 + 4);
  });
});

/** Sorted pairs with repeated terms, big gaps, and a duplicated (term, id). */
function samplePairs(): [number, number][] {
  const pairs: [number, number][] = [];
  const rand = lcg(12345);
  for (let i = 0; i < 3000; i++) pairs.push([rand() % 500, (rand() % 100000) + 1]);
  pairs.push([0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [7, 1]);
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function buildBlocks(pairs: [number, number][], blockSize: number): { bytes: Uint8Array; count: number } {
  const builder = new BlockBuilder(blockSize);
  const blocks: Uint8Array[] = [];
  const flush = () => {
    const b = new Uint8Array(blockSize);
    builder.flushInto(b, 0);
    blocks.push(b);
  };
  for (const [t, id] of pairs) {
    if (!builder.tryAdd(t, id)) {
      flush();
      expect(builder.tryAdd(t, id)).toBe(true);
    }
  }
  if (builder.count > 0) flush();
  const bytes = new Uint8Array(blocks.length * blockSize);
  for (const [i, b] of blocks.entries()) bytes.set(b, i * blockSize);
  return { bytes, count: blocks.length };
}

describe('posting blocks', () => {
  it.each([64, 512, 4096])('round-trip through blocks of %i bytes', (blockSize) => {
    const pairs = samplePairs();
    const { bytes, count } = buildBlocks(pairs, blockSize);
    const max = maxPairsPerBlock(blockSize);
    const scratch = new Uint32Array(max * 2);
    const terms = new Uint32Array(max);
    const ids = new Uint32Array(max);
    const decoded: [number, number][] = [];
    for (let b = 0; b < count; b++) {
      const n = decodeBlock(bytes, b * blockSize, scratch, terms, ids);
      for (let i = 0; i < n; i++) decoded.push([terms[i]!, ids[i]!]);
    }
    expect(decoded).toEqual(pairs);
  });

  it('scanBlock reports every id of a term and whether the term may continue in the next block', () => {
    const pairs = samplePairs();
    const blockSize = 64;
    const { bytes, count } = buildBlocks(pairs, blockSize);
    for (const term of [0, 7, 250, 499, 0xffffffff]) {
      const found: number[] = [];
      const sink = {
        add: (id: number, termIndex: number) => {
          expect(termIndex).toBe(3);
          found.push(id);
        },
      };
      for (let b = 0; b < count; b++) {
        const endsOnTerm = scanBlock(bytes, b * blockSize, term, 3, sink);
        const last = new Uint32Array(maxPairsPerBlock(blockSize));
        const n = decodeBlock(
          bytes,
          b * blockSize,
          new Uint32Array(last.length * 2),
          last,
          new Uint32Array(last.length),
        );
        expect(endsOnTerm).toBe(last[n - 1] === term);
      }
      expect(found).toEqual(pairs.filter(([t]) => t === term).map(([, id]) => id));
    }
  });
});

describe('posting sort', () => {
  it('orders by term then id, whether or not ids already ascend', () => {
    const pairs = samplePairs().reverse();
    const terms = Uint32Array.from(pairs.map((p) => p[0]));
    const ids = Uint32Array.from(pairs.map((p) => p[1]));
    const sorted = sortPostings(terms, ids);
    const expected = samplePairs();
    expect([...sorted.terms]).toEqual(expected.map((p) => p[0]));
    expect([...sorted.ids]).toEqual(expected.map((p) => p[1]));

    const byId = [...expected].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const s2 = sortPostings(Uint32Array.from(byId.map((p) => p[0])), Uint32Array.from(byId.map((p) => p[1])));
    expect([...s2.terms]).toEqual(expected.map((p) => p[0]));
    expect([...s2.ids]).toEqual(expected.map((p) => p[1]));
  });
});

describe('transaction codec', () => {
  it('round-trips inserts, deletes and UTF-8 metadata', () => {
    const tx: Transaction = {
      version: 2 ** 40 + 3,
      changes: [
        { op: 'insert', id: 0xffffffff, hashes: [0, 1, 0xffffffff, 1, 0] },
        { op: 'insert', id: 5, hashes: [] },
        { op: 'delete', id: 9 },
        { op: 'setMetadata', key: 'älbum', value: '' },
        { op: 'setMetadata', key: 'k', value: 'ß🎵x' },
      ],
    };
    expect(decodeTransaction(encodeTransaction(tx))).toEqual(tx);
  });

  it('rejects truncated payloads instead of misreading them', () => {
    const bytes = encodeTransaction({ version: 1, changes: [{ op: 'insert', id: 1, hashes: [1, 2, 3] }] });
    expect(() => decodeTransaction(bytes.subarray(0, bytes.length - 4))).toThrow(RangeError);
  });
});

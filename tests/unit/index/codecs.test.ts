import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { HitCounter } from '../../../index-engine/hit-counter.ts';
import { searchAddon } from '../../../index-engine/native-search.ts';
import { BlockBuilder, decodeBlock, maxPairsPerBlock } from '../../../index-engine/posting-block.ts';
import { sortPostings } from '../../../index-engine/posting-sort.ts';
import { decode, encode } from '../../../index-engine/stream-vbyte.ts';
import type { Transaction } from '../../../index-engine/transaction.ts';
import { decodeTransaction, encodeTransaction } from '../../../index-engine/transaction-codec.ts';
import { lcg, tempDir } from '../../helpers.ts';

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
});

const blockFiles = tempDir('sleeve-blocks-');
afterAll(() => rmSync(blockFiles, { recursive: true, force: true }));
let files = 0;

/** `bytes` in a file of their own, mapped as the native search maps a segment's (by default with no
 *  checksums, as a version 1 file checked whole when it loaded). */
function mapped(
  bytes: Uint8Array,
  count: number,
  blockSize: number,
  maxTerms: Uint32Array,
  starts: Uint32Array,
  checks = { crcs: new Uint32Array(0), blocks: 0 },
) {
  const path = join(blockFiles, `${files++}.blocks`);
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    return {
      path,
      segment: searchAddon().mapSegment(
        fd,
        bytes.length,
        0,
        blockSize,
        count,
        maxTerms,
        starts,
        1,
        checks.crcs,
        checks.blocks,
      ),
    };
  } finally {
    closeSync(fd);
  }
}

/** Overwrites bytes of a mapped file in place: the mapping shares the file's pages, so it sees them. */
function overwrite(path: string, at: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
}

/** The native search's view of blocks built by buildBlocks: each block's last term, one bucket bit; with
 *  `pageBlocks`, a checksum for each page of that many blocks. */
function nativeSegment(bytes: Uint8Array, count: number, blockSize: number, pageBlocks = 0) {
  const max = maxPairsPerBlock(blockSize);
  const terms = new Uint32Array(max);
  const maxTerms = new Uint32Array(count);
  for (let b = 0; b < count; b++) {
    const n = decodeBlock(bytes, b * blockSize, new Uint32Array(max * 2), terms, new Uint32Array(max));
    maxTerms[b] = terms[n - 1]!;
  }
  const high = maxTerms.findIndex((t) => t >= 0x80000000);
  const page = pageBlocks * blockSize;
  const crcs = Uint32Array.from({ length: pageBlocks && Math.ceil(count / pageBlocks) }, (_, r) =>
    crc32(bytes.subarray(r * page, Math.min((r + 1) * page, count * blockSize))),
  );
  const starts = Uint32Array.of(0, high < 0 ? count : high, count);
  return mapped(bytes, count, blockSize, maxTerms, starts, { crcs, blocks: pageBlocks });
}

describe('native posting scan', () => {
  const counter = new HitCounter();
  /** Each document's hits on `query`, or null when the scan found a damaged block (`damage` says how). */
  let damage: string | undefined;
  const scan = ({ segment }: ReturnType<typeof nativeSegment>, query: number[]) => {
    const out = new Map<number, number>();
    counter.start([query]);
    damage = counter.countBlocks(segment);
    counter.collect(Uint32Array.of(1), (_, id, score) => out.set(id, score));
    counter.end();
    return damage ? null : out;
  };

  it('counts every posting of the query terms, across block boundaries', () => {
    const pairs = samplePairs();
    const blockSize = 64;
    const { bytes, count } = buildBlocks(pairs, blockSize);
    const segment = nativeSegment(bytes, count, blockSize);
    for (const query of [[7], [0, 7, 250, 499, 0xffffffff], [3, 3, 3], [500, 1000]]) {
      const want = new Map<number, number>();
      for (const [t, id] of pairs) if (query.includes(t)) want.set(id, (want.get(id) ?? 0) + 1);
      expect(scan(segment, query)).toEqual(want);
    }
  });

  it('reports a block whose pair count leads outside it (npm run test:sanitize checks nothing is read)', () => {
    const blockSize = 64;
    const { bytes, count } = buildBlocks(samplePairs(), blockSize);
    const segment = nativeSegment(bytes, count, blockSize);
    const terms = new Uint32Array(maxPairsPerBlock(blockSize));
    decodeBlock(
      bytes,
      blockSize * 3,
      new Uint32Array(terms.length * 2),
      terms,
      new Uint32Array(terms.length),
    );
    const inBlock3 = terms[1]!;
    expect(scan(segment, [inBlock3])?.size).toBeGreaterThan(0);
    overwrite(segment.path, blockSize * 3, Uint8Array.of(0xff, 0xff));
    expect(scan(segment, [inBlock3])).toBeNull();
    expect(damage).toBe('a posting block is damaged');
  });

  it('checks a page of blocks against its checksum when it is first read, and only then', () => {
    const blockSize = 64;
    const distinct = Array.from({ length: 400 }, (_, t): [number, number] => [t * 3, t + 1]);
    const { bytes, count } = buildBlocks(distinct, blockSize);
    const segment = nativeSegment(bytes, count, blockSize, 2);
    const pages = () => searchAddon().checkedPages(segment.segment);
    /** A term block b holds and no other: the search reads that block alone. */
    const inside = (b: number) => {
      const terms = new Uint32Array(maxPairsPerBlock(blockSize));
      const n = decodeBlock(
        bytes,
        blockSize * b,
        new Uint32Array(terms.length * 2),
        terms,
        new Uint32Array(terms.length),
      );
      const t = terms.subarray(0, n).find((t) => t !== terms[0] && t !== terms[n - 1]);
      expect(t).toBeDefined();
      return t!;
    };
    expect(count).toBeGreaterThan(8);
    expect(pages()).toBe(0);
    // Block 3 is on the page of blocks 2 and 3: that page is checked, once.
    expect(scan(segment, [inside(3)])?.size).toBeGreaterThan(0);
    expect(pages()).toBe(1);
    expect(scan(segment, [inside(2), inside(3)])?.size).toBeGreaterThan(0);
    expect(pages()).toBe(1);
    // A byte flipped in a page no search has read (blocks 6 and 7) is found by the first that reads it.
    overwrite(segment.path, blockSize * 7 + 10, Uint8Array.of(bytes[blockSize * 7 + 10]! ^ 0x20));
    expect(scan(segment, [inside(3)])?.size).toBeGreaterThan(0);
    expect(scan(segment, [inside(7)])).toBeNull();
    expect(damage).toBe('a page of posting blocks does not match its checksum');
    expect(pages()).toBe(1);
  });

  it('refuses to count in a segment once it is released (its pages unmapped)', () => {
    const blockSize = 64;
    const { bytes, count } = buildBlocks(samplePairs(), blockSize);
    const blocks = nativeSegment(bytes, count, blockSize);
    expect(scan(blocks, [7])?.size).toBeGreaterThan(0);
    searchAddon().releaseSegment(blocks.segment);
    searchAddon().releaseSegment(blocks.segment);
    expect(() => scan(blocks, [7])).toThrow(/the segment was released/);
  });

  it('survives blocks of random bytes: each scan counts or reports damage', () => {
    const rand = lcg(99, 8);
    for (let round = 0; round < 200; round++) {
      const blockSize = 16 + (rand() % 200);
      const count = 1 + (rand() % 8);
      const bytes = Uint8Array.from({ length: blockSize * count }, () => rand());
      const maxTerms = Uint32Array.from({ length: count }, (_, b) => (b + 1) * 0x1fffffff);
      const segment = mapped(bytes, count, blockSize, maxTerms, Uint32Array.of(0, Math.min(count, 4), count));
      const query = Array.from({ length: 1 + (rand() % 20) }, () => (rand() << 24) >>> 0);
      const found = scan(segment, query);
      if (found) for (const score of found.values()) expect(score).toBeGreaterThan(0);
    }
  });

  it('refuses arrays that do not describe the file, a file of another size, and inconsistent batches', () => {
    const addon = searchAddon();
    const path = join(blockFiles, 'refused.blocks');
    writeFileSync(path, new Uint8Array(256));
    const two = new Uint32Array(2);
    const fd = openSync(path, 'r');
    try {
      const none = new Uint32Array(0);
      const map = (at: number, blocks: number, maxTerms: Uint32Array, starts: Uint32Array, bytes = 256) =>
        addon.mapSegment(fd, bytes, at, 64, blocks, maxTerms, starts, 1, none, 0);
      expect(() => map(0, 8, two, Uint32Array.of(0, 0, 2))).toThrow(RangeError);
      expect(() => map(0, 2, two, Uint32Array.of(0, 3, 2))).toThrow(RangeError);
      expect(() => map(0, 2, two, Uint32Array.of(0, 2))).toThrow(RangeError);
      expect(() => map(200, 2, two, Uint32Array.of(0, 1, 2))).toThrow(RangeError);
      expect(() => map(0, 2, [0, 0] as never, Uint32Array.of(0, 1, 2))).toThrow(TypeError);
      expect(() => map(0, 2, two, Uint32Array.of(0, 1, 2), 512)).toThrow(/not the size its header says/);
      expect(() => addon.mapSegment(-1, 256, 0, 64, 2, two, Uint32Array.of(0, 1, 2), 1, none, 0)).toThrow(
        RangeError,
      );
      // A checksum a page of blocks, no more and no fewer.
      const starts = Uint32Array.of(0, 1, 2);
      expect(() => addon.mapSegment(fd, 256, 0, 64, 2, two, starts, 1, none, 1)).toThrow(RangeError);
      expect(() => addon.mapSegment(fd, 256, 0, 64, 2, two, starts, 1, Uint32Array.of(1), 0)).toThrow(
        RangeError,
      );
      expect(() => addon.mapSegment(fd, 256, 0, 64, 2, two, starts, 1, two, 1)).not.toThrow();
    } finally {
      closeSync(fd);
    }
    const c = addon.createCounter();
    expect(() => addon.startBatch(c, Uint32Array.of(5, 2), null, null, 1)).toThrow(RangeError);
    expect(() =>
      addon.startBatch(c, Uint32Array.of(1, 2), Uint32Array.of(0, 1, 2), Uint16Array.of(0, 3), 2),
    ).toThrow(RangeError);
    expect(() => addon.countPairs(c, Uint32Array.of(1), Uint32Array.of(1))).toThrow(TypeError);
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

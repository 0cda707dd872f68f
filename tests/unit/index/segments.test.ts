import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DocTable } from '../../../index-engine/doc-table.ts';
import { IndexError } from '../../../index-engine/errors.ts';
import { checksummedBytes, FileSegment } from '../../../index-engine/file-segment.ts';
import { HitCounter } from '../../../index-engine/hit-counter.ts';
import { findMerge, type MergePolicy } from '../../../index-engine/merge-policy.ts';
import { HEADER_BYTES, sectionOffsets } from '../../../index-engine/segment-file-format.ts';
import { mergeSegments } from '../../../index-engine/segment-merge.ts';
import { SegmentWriter } from '../../../index-engine/segment-writer.ts';
import { asVersion1 } from '../../fixtures/segment-version-1.ts';
import { lcg, tempDir } from '../../helpers.ts';

type Docs = Map<number, number[] | null>;

/** Writes a segment holding `docs` (null = tombstone), all at `version`. */
function writeSegment(path: string, docs: Docs, version: number, blockSize = 128): FileSegment {
  const pairs: [number, number][] = [];
  for (const [id, hashes] of docs) for (const h of hashes ?? []) pairs.push([h, id]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const writer = new SegmentWriter(path, blockSize);
  for (const [t, id] of pairs) writer.add(t, id);
  const ids = Uint32Array.from([...docs.keys()].sort((a, b) => a - b));
  const table: DocTable = {
    ids,
    versions: new Float64Array(ids.length).fill(version),
    deleted: Uint8Array.from(ids, (id) => (docs.get(id) === null ? 1 : 0)),
  };
  writer.finish({
    docs: table,
    metadata: new Map([['v', String(version)]]),
    minVersion: version,
    maxVersion: version,
    merges: 0,
  });
  return FileSegment.load(path);
}

const counter = new HitCounter();

/** Every document's hits on `query` in `segment` (each query term counted once). */
function hits(segment: FileSegment, query: number[]): Map<number, number> {
  const out = new Map<number, number>();
  counter.start([query]);
  segment.countHits(counter);
  counter.collect(Uint32Array.of(1), (_, id, score) => out.set(id, score));
  counter.end();
  return out;
}

function bruteForce(docs: Docs, query: number[]): Map<number, number> {
  const expected = new Map<number, number>();
  const q = new Set(query);
  for (const [id, hashes] of docs)
    for (const h of hashes ?? []) if (q.has(h)) expected.set(id, (expected.get(id) ?? 0) + 1);
  return expected;
}

function randomDocs(seed: number, n: number, firstId = 1): Docs {
  const rand = lcg(seed, 8);
  const docs: Docs = new Map();
  for (let i = 0; i < n; i++)
    docs.set(
      firstId + i,
      Array.from({ length: 30 }, () => rand() % 2000),
    );
  return docs;
}

describe('file segments', () => {
  it('search finds exactly the postings a brute-force scan finds, across block boundaries', () => {
    const dir = tempDir();
    const docs = randomDocs(1, 300);
    docs.set(1000, [5, 5, 5, 1999]); // a repeated hash scores once per posting
    const seg = writeSegment(join(dir, 'a.seg'), docs, 1, 64);
    for (const query of [
      [5, 17, 1999, 3],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      Array.from({ length: 200 }, (_, i) => i * 10),
    ])
      expect(hits(seg, query)).toEqual(bruteForce(docs, query));
    expect(hits(seg, [5]).get(1000)).toBe(3);
    expect(seg.metadata.get('v')).toBe('1');
    expect([...seg.docs.ids]).toEqual([...docs.keys()].sort((a, b) => a - b));
  });

  it("finds terms anywhere in the 32-bit range, at the edges of the lookup table's buckets too", () => {
    const dir = tempDir();
    const rand = lcg(7, 8);
    const u32 = () => ((rand() << 8) ^ rand()) >>> 0;
    // 40,000 blocks of 64 bytes: the lookup table has its full 2^16 buckets of 2^16 terms each.
    const edges = [
      0, 1, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0x80000000, 0xfffeffff, 0xffff0000, 0xffffffff,
    ];
    const docs: Docs = new Map();
    for (let id = 1; id <= 8000; id++) docs.set(id, Array.from({ length: 100 }, u32));
    // A term with postings over several blocks, starting right at a bucket's first term.
    for (let id = 9000; id < 9200; id++) docs.set(id, [...edges, 0x00120000]);
    const seg = writeSegment(join(dir, 'wide.seg'), docs, 1, 64);
    expect(seg.header.numBlocks).toBeGreaterThan(1 << 15);
    const present = [...docs.values()].slice(0, 50).flatMap((h) => h!.slice(0, 4));
    for (const query of [
      edges,
      [0x00120000],
      present,
      [...present, ...Array.from({ length: 200 }, u32)],
      Array.from({ length: 300 }, (_, i) => (i * 0x00dabcde) >>> 0),
    ])
      expect(hits(seg, query)).toEqual(bruteForce(docs, query));
  });

  it.each([
    ['a flipped byte in its tables', (b: Buffer) => (b[b.length - 20] = b[b.length - 20]! ^ 0x40)],
    ['a flipped byte in the header', (b: Buffer) => (b[13] = b[13]! ^ 1)],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 9)],
    ['a wrong magic', (b: Buffer) => b.write('XXXX', 0)],
    ['pages of a size the writer does not make', (b: Buffer) => b.writeUInt32LE(0xffffffff, 52)],
  ])('refuses %s with CorruptSegment', (_, damage) => {
    const dir = tempDir();
    const path = join(dir, 'a.seg');
    writeSegment(path, randomDocs(2, 50), 1);
    const bytes = readFileSync(path);
    const out = damage(bytes);
    writeFileSync(path, out instanceof Buffer ? out : bytes);
    let err: unknown;
    try {
      FileSegment.load(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IndexError);
    expect((err as IndexError).code).toBe('CorruptSegment');
    expect((err as IndexError).message).toContain(path);
  });
});

/** Flips a bit of byte `at` of the file at `path`. */
function flip(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0x10;
  writeFileSync(path, bytes);
}

// An index of gigabytes opens without reading its blocks: each page of them (a run of pageBlocks) is
// checked the first time a search or a merge reads it.
describe('posting blocks checked a page at a time', () => {
  const docs = randomDocs(5, 400);
  /** Terms one document holds once: a search for one reads the block it is in and no other. */
  const lone = (() => {
    const count = new Map<number, number>();
    for (const hs of docs.values()) for (const h of hs ?? []) count.set(h, (count.get(h) ?? 0) + 1);
    return [...count].filter(([, n]) => n === 1).map(([h]) => h);
  })();
  /** The page (run of blocks) `term` is on: that of the first block whose last term is >= it. */
  const pageOf = (seg: FileSegment, term: number) => {
    const bytes = readFileSync(seg.path);
    const at = sectionOffsets(seg.header);
    const maxTerms = new Uint32Array(bytes.buffer, bytes.byteOffset + at.maxTerms, seg.header.numBlocks);
    return Math.floor(maxTerms.findIndex((t) => t >= term) / seg.header.pageBlocks);
  };

  it('loads checksumming only the tables, and checks each page a search reads once', () => {
    const path = join(tempDir(), 'a.seg');
    writeSegment(path, docs, 1, 64);
    const before = checksummedBytes();
    const seg = FileSegment.load(path);
    const at = sectionOffsets(seg.header);
    expect(seg.header).toMatchObject({ version: 2, pageBlocks: 64 });
    expect(checksummedBytes() - before).toBe(at.footer - at.maxTerms);
    expect(seg.checkedPages).toBe(0);
    expect(seg.header.numBlocks).toBeGreaterThan(4 * seg.header.pageBlocks);
    const ends = [pageOf(seg, 0), pageOf(seg, 1999)];
    const t = lone.find((t) => !ends.includes(pageOf(seg, t)))!;
    expect(new Set(ends).size).toBe(2);
    expect(hits(seg, [t]).size).toBe(1);
    expect(hits(seg, [t]).size).toBe(1);
    expect(seg.checkedPages).toBe(1);
    expect(hits(seg, [0, 1999])).toEqual(bruteForce(docs, [0, 1999]));
    expect(seg.checkedPages).toBe(3);
  });

  it('refuses a search that reads a damaged page, and serves the others; a merge refuses it too', () => {
    const dir = tempDir();
    const path = join(dir, 'a.seg');
    const clean = writeSegment(path, docs, 1, 64);
    const page = pageOf(clean, lone[0]!);
    const [far, near] = lone.filter((t) => pageOf(clean, t) === page);
    const elsewhere = lone.find((t) => pageOf(clean, t) !== page)!;
    expect([near, elsewhere]).not.toContain(undefined);
    const pageBytes = clean.header.pageBlocks * clean.header.blockSize;
    flip(path, HEADER_BYTES + page * pageBytes + 7);
    const seg = FileSegment.load(path);
    expect(hits(seg, [elsewhere]).size).toBe(1);
    expect(() => hits(seg, [far!])).toThrow(/does not match its checksum; the index answers no more/);
    expect(() => hits(seg, [near!])).toThrow(IndexError);
    expect(seg.checkedPages).toBe(1);
    const b = writeSegment(join(dir, 'b.seg'), randomDocs(6, 10, 5000), 2);
    const task = { inputs: [path, b.path], output: join(dir, 'm.seg'), blockSize: 64, dropTombstones: true };
    expect(() => mergeSegments(task)).toThrow(
      new RegExp(`page ${page} does not match its checksum; not merged`),
    );
  });

  it('refuses a search that reads a page the kernel cannot give, and serves the others: the process lives', () => {
    // Cut short under its mapping, as a disk that fails a read would leave it: a mapped page past the
    // file's end faults (SIGBUS), which by default ends the whole process.
    const path = join(tempDir(), 'a.seg');
    const seg = writeSegment(path, docs, 1, 64);
    const pageBytes = seg.header.pageBlocks * seg.header.blockSize;
    const page = Math.max(...lone.map((t) => pageOf(seg, t)));
    const gone = lone.find((t) => pageOf(seg, t) === page)!;
    // Cut at one of the kernel's pages: every mapped page past it faults.
    const cut = Math.floor((HEADER_BYTES + page * pageBytes) / 4096) * 4096;
    const kept = lone.find((t) => HEADER_BYTES + (pageOf(seg, t) + 1) * pageBytes <= cut)!;
    expect(kept).toBeDefined();
    truncateSync(path, cut);
    expect(hits(seg, [kept]).size).toBe(1);
    expect(() => hits(seg, [gone])).toThrow(/could not be read from its disk; the index answers no more/);
    expect(hits(seg, [kept]).size).toBe(1);
  });

  it('reads a version 1 file, checked whole as it loads, and merges it into a version 2 one', () => {
    const dir = tempDir();
    const path = join(dir, 'old.seg');
    writeSegment(path, docs, 1, 64);
    asVersion1(path);
    const before = checksummedBytes();
    const old = FileSegment.load(path);
    expect(old.header).toMatchObject({ version: 1, pageBlocks: 0 });
    expect(checksummedBytes() - before).toBe(sectionOffsets(old.header).footer - HEADER_BYTES);
    const query = [0, 5, 17, 1999];
    expect(hits(old, query)).toEqual(bruteForce(docs, query));
    expect(old.checkedPages).toBe(0);
    const out = join(dir, 'm.seg');
    mergeSegments({ inputs: [path], output: out, blockSize: 64, dropTombstones: true });
    const merged = FileSegment.load(out);
    expect(merged.header.version).toBe(2);
    expect(hits(merged, query)).toEqual(bruteForce(docs, query));
    flip(path, HEADER_BYTES + 7);
    expect(() => FileSegment.load(path)).toThrow(/checksum; it was not loaded/);
  });
});

describe('the file layout', () => {
  it('places the sections of a segment past 2 GiB one after another, at their sizes', () => {
    // A merge at a million tracks: 2.7 GB of blocks, 16M documents.
    const h = {
      version: 2 as const,
      pageBlocks: 32,
      blockSize: 128,
      numBlocks: 21_000_001,
      numDocs: 16_000_003,
      merges: 3,
      numPostings: 480e6,
      minVersion: 1,
      maxVersion: 9,
      metadataBytes: 13,
    };
    const at = sectionOffsets(h);
    const blocksEnd = HEADER_BYTES + h.numBlocks * h.blockSize;
    expect(at.maxTerms).toBe(blocksEnd);
    expect(at.pageCrcs).toBe(blocksEnd + h.numBlocks * 4);
    expect(at.checkedFrom).toBe(at.maxTerms);
    const sections = [at.docVersions, at.docIds, at.docDeleted, at.metadata, at.footer];
    const sizes = [h.numDocs * 8, h.numDocs * 4, h.numDocs, h.metadataBytes];
    sections.slice(1).forEach((offset, i) => {
      expect(offset % 8).toBe(0);
      expect(offset - sections[i]!).toBeGreaterThanOrEqual(sizes[i]!);
      expect(offset - sections[i]!).toBeLessThan(sizes[i]! + 8);
    });
    expect(at.docVersions - (at.pageCrcs + Math.ceil(h.numBlocks / 32) * 4)).toBeLessThan(8);
    expect(at.total).toBe(at.footer + 16);
  });
});

describe('segment merges', () => {
  it('drop postings of documents a newer input rewrote or deleted, and tombstones only when oldest', () => {
    const dir = tempDir();
    const old = randomDocs(3, 100);
    const newer: Docs = new Map([
      [5, [1, 2, 3]],
      [6, null],
      [500, [7, 8]],
    ]);
    const a = writeSegment(join(dir, 'a.seg'), old, 1);
    const b = writeSegment(join(dir, 'b.seg'), newer, 2);
    for (const dropTombstones of [false, true]) {
      const out = join(dir, `m${dropTombstones}.seg`);
      mergeSegments({ inputs: [a.path, b.path], output: out, blockSize: 256, dropTombstones });
      const m = FileSegment.load(out);
      expect(m.minVersion).toBe(1);
      expect(m.maxVersion).toBe(2);
      expect(m.merges).toBe(1);
      const expected: Docs = new Map([...old, ...newer]);
      const query = [1, 2, 3, 7, 8, ...(old.get(5) ?? []), ...(old.get(6) ?? []), ...(old.get(40) ?? [])];
      const q = new Set(query);
      const want = new Map<number, number>();
      for (const [id, hashes] of expected)
        for (const h of hashes ?? []) if (q.has(h)) want.set(id, (want.get(id) ?? 0) + 1);
      expect(hits(m, query)).toEqual(want);
      const at6 = [...m.docs.ids].indexOf(6);
      if (dropTombstones) expect(at6).toBe(-1);
      else expect(m.docs.deleted[at6]).toBe(1);
      const at5 = [...m.docs.ids].indexOf(5);
      expect(m.docs.versions[at5]).toBe(2);
      expect(m.postingCount).toBe([...expected.values()].reduce((n, h) => n + (h?.length ?? 0), 0));
    }
  });
});

describe('merge policy', () => {
  const p: MergePolicy = { segmentsPerLevel: 3, floor: 10, maxSegments: 8 };

  it('merges a run of segmentsPerLevel adjacent segments of one level', () => {
    expect(findMerge([5, 5], p)).toBeNull();
    expect(findMerge([5, 5, 5], p)).toEqual({ start: 0, end: 3 });
    expect(findMerge([100, 5, 8, 9], p)).toEqual({ start: 1, end: 4 });
    expect(findMerge([40, 35, 5, 45], p)).toBeNull(); // the level-0 segment breaks the run
    expect(findMerge([400, 40, 35, 31, 5], p)).toEqual({ start: 1, end: 4 });
  });

  it('merges the smallest adjacent pair when there are too many segments', () => {
    expect(findMerge([10000, 1000, 100, 30, 10000, 1000, 100, 31, 10000], p)).toEqual({ start: 2, end: 4 });
  });
});

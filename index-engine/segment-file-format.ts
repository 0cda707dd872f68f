// On-disk layout of a file segment (all integers little-endian, sections 8-byte aligned so typed-array
// views need no copying):
//
//   header   64 B   magic "SLVSEG02", u32 blockSize, u32 numBlocks, u32 numDocs, u32 merges,
//                   f64 numPostings, f64 minVersion, f64 maxVersion, u32 metadataBytes, u32 pageBlocks
//   blocks          numBlocks × blockSize (see posting-block.ts)
//   maxTerms        numBlocks × u32: the last term of each block, for binary search
//   pageCrcs        ceil(numBlocks / pageBlocks) × u32: crc32 of each page (a run of pageBlocks blocks)
//   docVersions     numDocs × f64
//   docIds          numDocs × u32
//   docDeleted      numDocs × u8
//   metadata        JSON object, metadataBytes
//   footer   16 B   u32 crc32(header), u32 crc32(maxTerms up to the footer), magic "SLVEND01"
//
// The blocks are checked a page at a time when first read (by a search, native/posting_scan.c; by a merge,
// segment-cursor.ts), the rest at every load: an index of gigabytes opens without reading its blocks.
// Version 1 ("SLVSEG01", what earlier releases wrote) has no pageCrcs, and its footer's checksum covers the
// blocks too: such a file is checked whole when loaded, as it was, and rewritten in this format when no
// merge is due (fingerprint-index.ts).
import { IndexError } from './errors.ts';

export const HEADER_BYTES = 64;
export const FOOTER_BYTES = 16;
export const END_MAGIC = 'SLVEND01';
/** The magic of each version; what a writer writes is the last. */
const MAGICS = { 1: 'SLVSEG01', 2: 'SLVSEG02' } as const;
export type SegmentVersion = keyof typeof MAGICS;
export const SEGMENT_VERSION: SegmentVersion = 2;

/** Bytes of blocks one checksum covers, about: a page, which reading any block of it brings in anyway. */
const PAGE_BYTES = 4096;

/** Blocks a checksum covers, for blocks of `blockSize` bytes (a header records what its file used). */
export const pageBlocksFor = (blockSize: number): number => Math.max(1, Math.floor(PAGE_BYTES / blockSize));

export interface SegmentHeader {
  readonly version: SegmentVersion;
  readonly blockSize: number;
  readonly numBlocks: number;
  readonly numDocs: number;
  readonly merges: number;
  readonly numPostings: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly metadataBytes: number;
  /** Blocks each of pageCrcs covers (version 2; 0 in version 1, which has none). */
  readonly pageBlocks: number;
}

export interface SectionOffsets {
  readonly blocks: number;
  readonly maxTerms: number;
  readonly pageCrcs: number;
  readonly docVersions: number;
  readonly docIds: number;
  readonly docDeleted: number;
  readonly metadata: number;
  readonly footer: number;
  readonly total: number;
  /** Where the bytes the footer's body checksum covers begin (they end at the footer). */
  readonly checkedFrom: number;
}

/** How many checksums pageCrcs holds (none in version 1). */
export const pageCrcCount = (h: SegmentHeader): number =>
  h.pageBlocks === 0 ? 0 : Math.ceil(h.numBlocks / h.pageBlocks);

// Arithmetic, not `& ~7`: bitwise operators take 32 bits, and a merged segment passes 2 GiB at about
// 12M documents (grouping's index makes one at about three million tracks; the index-open benchmark's
// merge of 16M documents had its tables written at negative offsets).
const align8 = (n: number) => Math.ceil(n / 8) * 8;

export function sectionOffsets(h: SegmentHeader): SectionOffsets {
  const blocks = HEADER_BYTES;
  const maxTerms = blocks + h.numBlocks * h.blockSize;
  const pageCrcs = maxTerms + h.numBlocks * 4;
  const docVersions = align8(pageCrcs + pageCrcCount(h) * 4);
  const docIds = docVersions + h.numDocs * 8;
  const docDeleted = docIds + align8(h.numDocs * 4);
  const metadata = docDeleted + align8(h.numDocs);
  const footer = metadata + align8(h.metadataBytes);
  return {
    blocks,
    maxTerms,
    pageCrcs,
    docVersions,
    docIds,
    docDeleted,
    metadata,
    footer,
    total: footer + FOOTER_BYTES,
    checkedFrom: h.version === 1 ? blocks : maxTerms,
  };
}

export function checkBlockSize(blockSize: number): void {
  if (!Number.isInteger(blockSize) || blockSize < 64 || blockSize > 65536 || blockSize % 8 !== 0)
    throw new RangeError(`block size must be a multiple of 8 in [64, 65536], got ${blockSize}`);
}

export function encodeHeader(h: SegmentHeader): Uint8Array {
  const buf = new Uint8Array(HEADER_BYTES);
  const v = new DataView(buf.buffer);
  buf.set(new TextEncoder().encode(MAGICS[h.version]), 0);
  v.setUint32(8, h.blockSize, true);
  v.setUint32(12, h.numBlocks, true);
  v.setUint32(16, h.numDocs, true);
  v.setUint32(20, h.merges, true);
  v.setFloat64(24, h.numPostings, true);
  v.setFloat64(32, h.minVersion, true);
  v.setFloat64(40, h.maxVersion, true);
  v.setUint32(48, h.metadataBytes, true);
  v.setUint32(52, h.pageBlocks, true);
  return buf;
}

/** A segment found damaged: `then` says what became of it (a search finds a damaged page after loading). */
export function corruptSegment(path: string, why: string, then = 'it was not loaded'): IndexError {
  return new IndexError('CorruptSegment', `segment ${path} is corrupt: ${why}; ${then}`);
}

export function decodeHeader(bytes: Uint8Array, path: string): SegmentHeader {
  if (bytes.length < HEADER_BYTES + FOOTER_BYTES) throw corruptSegment(path, `only ${bytes.length} bytes`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  const version = magic === MAGICS[2] ? 2 : magic === MAGICS[1] ? 1 : undefined;
  if (version === undefined) throw corruptSegment(path, 'bad magic');
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const blockSize = v.getUint32(8, true);
  const pageBlocks = version === 1 ? 0 : v.getUint32(52, true);
  // What a writer makes, no other: a page is what a merge reads and checks at once.
  if (version !== 1 && pageBlocks !== pageBlocksFor(blockSize))
    throw corruptSegment(path, `${pageBlocks} blocks a checksum, not ${pageBlocksFor(blockSize)}`);
  return {
    version,
    blockSize,
    numBlocks: v.getUint32(12, true),
    numDocs: v.getUint32(16, true),
    merges: v.getUint32(20, true),
    numPostings: v.getFloat64(24, true),
    minVersion: v.getFloat64(32, true),
    maxVersion: v.getFloat64(40, true),
    metadataBytes: v.getUint32(48, true),
    pageBlocks,
  };
}

export function encodeFooter(headerCrc: number, bodyCrc: number): Uint8Array {
  const buf = new Uint8Array(FOOTER_BYTES);
  const v = new DataView(buf.buffer);
  v.setUint32(0, headerCrc, true);
  v.setUint32(4, bodyCrc, true);
  buf.set(new TextEncoder().encode(END_MAGIC), 8);
  return buf;
}

export function decodeFooter(bytes: Uint8Array, path: string): { headerCrc: number; bodyCrc: number } {
  if (new TextDecoder().decode(bytes.subarray(8, 16)) !== END_MAGIC)
    throw corruptSegment(path, 'bad footer magic');
  const v = new DataView(bytes.buffer, bytes.byteOffset, FOOTER_BYTES);
  return { headerCrc: v.getUint32(0, true), bodyCrc: v.getUint32(4, true) };
}

// On-disk layout of a file segment (all integers little-endian, sections 8-byte aligned so typed-array
// views need no copying):
//
//   header   64 B   magic "SLVSEG01", u32 blockSize, u32 numBlocks, u32 numDocs, u32 merges,
//                   f64 numPostings, f64 minVersion, f64 maxVersion, u32 metadataBytes
//   blocks          numBlocks × blockSize (see posting-block.ts)
//   maxTerms        numBlocks × u32: the last term of each block, for binary search
//   docVersions     numDocs × f64
//   docIds          numDocs × u32
//   docDeleted      numDocs × u8
//   metadata        JSON object, metadataBytes
//   footer   16 B   u32 crc32(header), u32 crc32(everything between header and footer), magic "SLVEND01"
import { IndexError } from './errors.ts';

export const HEADER_BYTES = 64;
export const FOOTER_BYTES = 16;
export const MAGIC = 'SLVSEG01';
export const END_MAGIC = 'SLVEND01';

export interface SegmentHeader {
  readonly blockSize: number;
  readonly numBlocks: number;
  readonly numDocs: number;
  readonly merges: number;
  readonly numPostings: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly metadataBytes: number;
}

export interface SectionOffsets {
  readonly blocks: number;
  readonly maxTerms: number;
  readonly docVersions: number;
  readonly docIds: number;
  readonly docDeleted: number;
  readonly metadata: number;
  readonly footer: number;
  readonly total: number;
}

// Arithmetic, not `& ~7`: bitwise operators take 32 bits, and a merged segment passes 2 GiB at about
// 12M documents (grouping's index makes one at about three million tracks; the index-open benchmark's
// merge of 16M documents had its tables written at negative offsets).
const align8 = (n: number) => Math.ceil(n / 8) * 8;

export function sectionOffsets(h: SegmentHeader): SectionOffsets {
  const blocks = HEADER_BYTES;
  const maxTerms = blocks + h.numBlocks * h.blockSize;
  const docVersions = align8(maxTerms + h.numBlocks * 4);
  const docIds = docVersions + h.numDocs * 8;
  const docDeleted = docIds + align8(h.numDocs * 4);
  const metadata = docDeleted + align8(h.numDocs);
  const footer = metadata + align8(h.metadataBytes);
  return {
    blocks,
    maxTerms,
    docVersions,
    docIds,
    docDeleted,
    metadata,
    footer,
    total: footer + FOOTER_BYTES,
  };
}

export function checkBlockSize(blockSize: number): void {
  if (!Number.isInteger(blockSize) || blockSize < 64 || blockSize > 65536 || blockSize % 8 !== 0)
    throw new RangeError(`block size must be a multiple of 8 in [64, 65536], got ${blockSize}`);
}

export function encodeHeader(h: SegmentHeader): Uint8Array {
  const buf = new Uint8Array(HEADER_BYTES);
  const v = new DataView(buf.buffer);
  buf.set(new TextEncoder().encode(MAGIC), 0);
  v.setUint32(8, h.blockSize, true);
  v.setUint32(12, h.numBlocks, true);
  v.setUint32(16, h.numDocs, true);
  v.setUint32(20, h.merges, true);
  v.setFloat64(24, h.numPostings, true);
  v.setFloat64(32, h.minVersion, true);
  v.setFloat64(40, h.maxVersion, true);
  v.setUint32(48, h.metadataBytes, true);
  return buf;
}

export function corruptSegment(path: string, why: string): IndexError {
  return new IndexError('CorruptSegment', `segment ${path} is corrupt: ${why}; it was not loaded`);
}

export function decodeHeader(bytes: Uint8Array, path: string): SegmentHeader {
  if (bytes.length < HEADER_BYTES + FOOTER_BYTES) throw corruptSegment(path, `only ${bytes.length} bytes`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw corruptSegment(path, 'bad magic');
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  return {
    blockSize: v.getUint32(8, true),
    numBlocks: v.getUint32(12, true),
    numDocs: v.getUint32(16, true),
    merges: v.getUint32(20, true),
    numPostings: v.getFloat64(24, true),
    minVersion: v.getFloat64(32, true),
    maxVersion: v.getFloat64(40, true),
    metadataBytes: v.getUint32(48, true),
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

// An immutable segment in its file. Its tables are checksummed when it loads, read a chunk at a time; its
// blocks are searched where they lie in the page cache (mapped by the native search: an index larger than
// memory costs the process only its tables), binary-searching the per-block max terms and decoding only
// the blocks that can hold a query term (in C: native/posting_scan.c), each page of them (a run of
// blocks, segment-file-format.ts) checked against its checksum the first time it is read. So an open
// reads no block: at a million tracks the index is 2.7 GB, its tables a tenth of it. A version 1 file,
// whose one checksum covers its blocks too, is checked whole instead.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { DocTable } from './doc-table.ts';
import { IndexError, ioError } from './errors.ts';
import type { HitCounter } from './hit-counter.ts';
import { type NativeSegment, searchAddon } from './native-search.ts';
import type { Segment } from './segment.ts';
import {
  corruptSegment,
  decodeFooter,
  FOOTER_BYTES,
  HEADER_BYTES,
  type SegmentHeader,
  sectionOffsets,
} from './segment-file-format.ts';
import { readAt, readHeader, readTables, type SegmentTables } from './segment-file-read.ts';
import type { VerifiedSegments } from './verified-segments.ts';

/** Bytes checksummed at a time: the body is verified without being held. */
const VERIFY_CHUNK = 1 << 20;

/** starts[k] = the first block whose last term is >= k << (32 - bits); starts[2^bits] = numBlocks. */
function bucketStarts(maxTerms: Uint32Array, bits: number): Uint32Array {
  const buckets = 1 << bits;
  const starts = new Uint32Array(buckets + 1);
  let block = 0;
  for (let k = 0; k < buckets; k++) {
    const first = (k * 2 ** (32 - bits)) >>> 0;
    while (block < maxTerms.length && maxTerms[block]! < first) block++;
    starts[k] = block;
  }
  starts[buckets] = maxTerms.length;
  return starts;
}

let bodyBytesChecksummed = 0;

/** The bytes this thread has checksummed as segments loaded (the blocks a search checks apart): what a
 *  test counts. */
export const checksummedBytes = (): number => bodyBytesChecksummed;

/** The header and tables of the file open at `fd`, once its size and checksums agree with them; the
 *  checksum of its body (its tables, read once for both; a version 1 file's blocks before them) is skipped
 *  for a file `verified` holds (this process checked it), and it holds it from then on. */
function verifiedFile(
  fd: number,
  path: string,
  verified: VerifiedSegments | undefined,
): { h: SegmentHeader; tables: SegmentTables } {
  const stats = fstatSync(fd);
  const size = stats.size;
  const h = readHeader(fd, size, path);
  const at = sectionOffsets(h);
  if (at.total !== size) throw corruptSegment(path, `size is ${size} bytes, its header implies ${at.total}`);
  const footer = decodeFooter(readAt(fd, FOOTER_BYTES, at.footer), path);
  if (crc32(readAt(fd, HEADER_BYTES, 0)) !== footer.headerCrc) throw corruptSegment(path, 'header checksum');
  const tables = readTables(fd, h, path, true);
  if (verified?.has(stats)) return { h, tables };
  const crc = crc32(tables.bytes, blocksCrc(fd, at.checkedFrom, at.maxTerms));
  bodyBytesChecksummed += at.footer - at.checkedFrom;
  if (crc !== footer.bodyCrc) throw corruptSegment(path, 'checksum');
  verified?.add(stats);
  return { h, tables };
}

/** The crc32 of the file's bytes from `start` to `end` (a version 1 file's blocks; none in version 2),
 *  read a chunk at a time. */
function blocksCrc(fd: number, start: number, end: number): number {
  const chunk = new Uint8Array(Math.max(0, Math.min(VERIFY_CHUNK, end - start)));
  let crc = 0;
  for (let from = start; from < end; from += VERIFY_CHUNK) {
    const view = chunk.subarray(0, Math.min(VERIFY_CHUNK, end - from));
    readAt(fd, view.length, from, view);
    crc = crc32(view, crc);
  }
  return crc;
}

export class FileSegment implements Segment {
  readonly kind = 'file';
  readonly path: string;
  readonly header: SegmentHeader;
  readonly docs: DocTable;
  readonly metadata: ReadonlyMap<string, string>;
  readonly byteSize: number;
  /** The mapped blocks, the per-block max terms and, from a term's top bits, the first block that can hold
   *  it (so a lookup binary-searches a few blocks instead of all: ≈ 20 dependent, cache-missing steps in a
   *  large segment), as the native search reads them. */
  readonly #native: NativeSegment;

  private constructor(path: string, fd: number, verified: VerifiedSegments | undefined) {
    this.path = path;
    const { h, tables } = verifiedFile(fd, path, verified);
    const { maxTerms, pageCrcs } = tables;
    this.header = h;
    this.byteSize = sectionOffsets(h).total;
    this.docs = tables.docs;
    this.metadata = tables.metadata;
    const bits = Math.min(16, Math.max(1, Math.ceil(Math.log2(h.numBlocks + 1))));
    this.#native = searchAddon().mapSegment(
      fd,
      this.byteSize,
      HEADER_BYTES,
      h.blockSize,
      h.numBlocks,
      maxTerms,
      bucketStarts(maxTerms, bits),
      bits,
      pageCrcs,
      h.pageBlocks,
    );
  }

  /** Loads a segment file, its tables checked (once for the process `verified` is shared by; a version 1
   *  file's blocks too); a damaged one throws CorruptSegment and is never used. */
  static load(path: string, verified?: VerifiedSegments): FileSegment {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw ioError(err, `opening segment ${path}`);
    }
    try {
      return new FileSegment(path, fd, verified);
    } catch (err) {
      throw err instanceof IndexError ? err : ioError(err, `reading segment ${path}`);
    } finally {
      closeSync(fd);
    }
  }

  get minVersion(): number {
    return this.header.minVersion;
  }

  get maxVersion(): number {
    return this.header.maxVersion;
  }

  get merges(): number {
    return this.header.merges;
  }

  get postingCount(): number {
    return this.header.numPostings;
  }

  /** Counts a batch's hits here; a page of blocks found damaged throws CorruptSegment. */
  countHits(counter: HitCounter): void {
    const damage = counter.countBlocks(this.#native);
    if (damage) throw corruptSegment(this.path, damage, 'the index answers no more until it is made again');
  }

  /** The pages of blocks checked against their checksums so far (each once): what a test counts. */
  get checkedPages(): number {
    return searchAddon().checkedPages(this.#native);
  }

  /** Gives its pages back now; it is not searched again. */
  release(): void {
    searchAddon().releaseSegment(this.#native);
  }
}

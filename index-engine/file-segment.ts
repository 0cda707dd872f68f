// An immutable segment loaded from its file. The file is read whole and checksummed once; searches then
// binary-search the per-block max terms and decode only the blocks that can hold a query term.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { DocTable } from './doc-table.ts';
import { ioError } from './errors.ts';
import { type HitSink, scanBlock } from './posting-block.ts';
import type { Segment } from './segment.ts';
import {
  corruptSegment,
  decodeFooter,
  decodeHeader,
  HEADER_BYTES,
  type SegmentHeader,
  sectionOffsets,
} from './segment-file-format.ts';

function readWhole(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw ioError(err, `opening segment ${path}`);
  }
  try {
    const size = fstatSync(fd).size;
    // A fresh ArrayBuffer (offset 0) so 8-aligned sections can be viewed as typed arrays in place.
    const bytes = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return bytes.subarray(0, done);
  } catch (err) {
    throw ioError(err, `reading segment ${path}`);
  } finally {
    closeSync(fd);
  }
}

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

export class FileSegment implements Segment {
  readonly kind = 'file';
  readonly path: string;
  readonly header: SegmentHeader;
  readonly docs: DocTable;
  readonly metadata: ReadonlyMap<string, string>;
  readonly byteSize: number;
  readonly #bytes: Uint8Array;
  readonly #maxTerms: Uint32Array;
  /** Top bits of a term → the first block that can hold it, so a lookup binary-searches only a few blocks
   *  instead of all of them (≈ 20 dependent, cache-missing steps in a large segment). */
  readonly #bucketStart: Uint32Array;
  readonly #bucketShift: number;

  private constructor(path: string, bytes: Uint8Array) {
    this.path = path;
    this.#bytes = bytes;
    this.byteSize = bytes.length;
    const h = decodeHeader(bytes, path);
    const at = sectionOffsets(h);
    if (at.total !== bytes.length)
      throw corruptSegment(path, `size is ${bytes.length} bytes, its header implies ${at.total}`);
    const footer = decodeFooter(bytes.subarray(at.footer), path);
    if (crc32(bytes.subarray(0, HEADER_BYTES)) !== footer.headerCrc)
      throw corruptSegment(path, 'header checksum');
    if (crc32(bytes.subarray(HEADER_BYTES, at.footer)) !== footer.bodyCrc)
      throw corruptSegment(path, 'checksum');
    this.header = h;
    const buf = bytes.buffer;
    this.#maxTerms = new Uint32Array(buf, at.maxTerms, h.numBlocks);
    const bits = Math.min(16, Math.max(1, Math.ceil(Math.log2(h.numBlocks + 1))));
    this.#bucketShift = 32 - bits;
    this.#bucketStart = bucketStarts(this.#maxTerms, bits);
    this.docs = {
      versions: new Float64Array(buf, at.docVersions, h.numDocs),
      ids: new Uint32Array(buf, at.docIds, h.numDocs),
      deleted: new Uint8Array(buf, at.docDeleted, h.numDocs),
    };
    try {
      const json = JSON.parse(
        new TextDecoder().decode(bytes.subarray(at.metadata, at.metadata + h.metadataBytes)),
      );
      this.metadata = new Map(Object.entries(json as Record<string, string>));
    } catch {
      throw corruptSegment(path, 'metadata is not JSON');
    }
  }

  /** Loads and verifies a segment file; a damaged one throws CorruptSegment and is never used. */
  static load(path: string): FileSegment {
    return new FileSegment(path, readWhole(path));
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

  search(terms: Uint32Array, sink: HitSink): void {
    const maxTerms = this.#maxTerms;
    const n = maxTerms.length;
    const blockSize = this.header.blockSize;
    const starts = this.#bucketStart;
    const shift = this.#bucketShift;
    let lo = 0;
    for (let q = 0; q < terms.length && lo < n; q++) {
      const t = terms[q]!;
      // First block whose last term is >= t: it lies between the first blocks of t's bucket and the next.
      const bucket = t >>> shift;
      lo = Math.max(lo, starts[bucket]!);
      let hi = starts[bucket + 1]!; // itself a candidate: its last term is >= the next bucket's first
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (maxTerms[mid]! < t) lo = mid + 1;
        else hi = mid;
      }
      for (let b = lo; b < n; b++)
        if (!scanBlock(this.#bytes, HEADER_BYTES + b * blockSize, t, q, sink)) break;
    }
  }
}

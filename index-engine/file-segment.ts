// An immutable segment loaded from its file. The file is read whole and checksummed once; searches then
// binary-search the per-block max terms and decode only the blocks that can hold a query term (in C:
// native/posting_scan.c).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { DocTable } from './doc-table.ts';
import { ioError } from './errors.ts';
import type { HitCounter } from './hit-counter.ts';
import { type NativeSegment, searchAddon } from './native-search.ts';
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
  /** The blocks, the per-block max terms and, from a term's top bits, the first block that can hold it
   *  (so a lookup binary-searches a few blocks instead of all: ≈ 20 dependent, cache-missing steps in a
   *  large segment), as the native search reads them. */
  readonly #native: NativeSegment;

  private constructor(path: string, bytes: Uint8Array) {
    this.path = path;
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
    const maxTerms = new Uint32Array(buf, at.maxTerms, h.numBlocks);
    const bits = Math.min(16, Math.max(1, Math.ceil(Math.log2(h.numBlocks + 1))));
    this.#native = searchAddon().prepareSegment(
      bytes,
      HEADER_BYTES,
      h.blockSize,
      h.numBlocks,
      maxTerms,
      bucketStarts(maxTerms, bits),
      bits,
    );
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

  countHits(counter: HitCounter): void {
    if (!counter.countBlocks(this.#native)) throw corruptSegment(this.path, 'a posting block is damaged');
  }
}

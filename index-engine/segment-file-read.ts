// Reading a segment file's parts with pread: its header, and the tables after its blocks (the per-block
// last terms and page checksums; the documents and metadata), in one read. Neither a search nor a merge holds the blocks themselves.
import { readSync } from 'node:fs';
import type { DocTable } from './doc-table.ts';
import {
  corruptSegment,
  decodeHeader,
  FOOTER_BYTES,
  HEADER_BYTES,
  pageCrcCount,
  type SegmentHeader,
  sectionOffsets,
} from './segment-file-format.ts';

/** `length` bytes at `position`, into `out` or a fresh buffer (offset 0: 8-aligned sections can be viewed
 *  in place). */
export function readAt(
  fd: number,
  length: number,
  position: number,
  out: Uint8Array = new Uint8Array(length),
): Uint8Array {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of segment file at ${position + done}`);
    done += n;
  }
  return out;
}

/** The header of a file of `fileBytes` (a file too short to hold one is corrupt). */
export function readHeader(fd: number, fileBytes: number, path: string): SegmentHeader {
  return decodeHeader(readAt(fd, Math.min(fileBytes, HEADER_BYTES + FOOTER_BYTES), 0), path);
}

export interface SegmentTables {
  readonly docs: DocTable;
  readonly metadata: Map<string, string>;
  /** Each block's last term, what a search binary-searches (empty when not asked for: a merge reads the
   *  blocks in order instead). */
  readonly maxTerms: Uint32Array;
  /** The checksum of each page of h.pageBlocks blocks (none in a version 1 file). */
  readonly pageCrcs: Uint32Array;
  /** The bytes all of them were read from, in one read to the footer (from maxTerms when they were
   *  asked for: what the footer's checksum covers). */
  readonly bytes: Uint8Array;
}

/** The tables after the blocks, read once, each a view of the bytes read. */
export function readTables(fd: number, h: SegmentHeader, path: string, withMaxTerms: boolean): SegmentTables {
  const at = sectionOffsets(h);
  // From an 8-byte boundary (maxTerms is on one), so the documents' versions are viewed in place.
  const from = withMaxTerms ? at.maxTerms : at.pageCrcs - (at.pageCrcs % 8);
  const bytes = readAt(fd, at.footer - from, from);
  const rel = (o: number) => o - from;
  let metadata: Map<string, string>;
  try {
    const json = new TextDecoder().decode(
      bytes.subarray(rel(at.metadata), rel(at.metadata) + h.metadataBytes),
    );
    metadata = new Map(Object.entries(JSON.parse(json) as Record<string, string>));
  } catch {
    throw corruptSegment(path, 'metadata is not JSON');
  }
  return {
    docs: {
      versions: new Float64Array(bytes.buffer, rel(at.docVersions), h.numDocs),
      ids: new Uint32Array(bytes.buffer, rel(at.docIds), h.numDocs),
      deleted: new Uint8Array(bytes.buffer, rel(at.docDeleted), h.numDocs),
    },
    metadata,
    maxTerms: new Uint32Array(bytes.buffer, 0, withMaxTerms ? h.numBlocks : 0),
    pageCrcs: new Uint32Array(bytes.buffer, rel(at.pageCrcs), pageCrcCount(h)),
    bytes,
  };
}

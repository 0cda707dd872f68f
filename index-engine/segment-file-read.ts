// Reading a segment file's parts with pread: its header, and the tables after its blocks (the per-block
// last terms; the documents and metadata). Neither a search nor a merge holds the blocks themselves.
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
}

/** The documents and metadata (what a merge needs beside the blocks). */
export function readTables(fd: number, h: SegmentHeader, path: string): SegmentTables {
  const at = sectionOffsets(h);
  const tail = readAt(fd, at.footer - at.docVersions, at.docVersions);
  const rel = (o: number) => o - at.docVersions;
  let metadata: Map<string, string>;
  try {
    const json = new TextDecoder().decode(
      tail.subarray(rel(at.metadata), rel(at.metadata) + h.metadataBytes),
    );
    metadata = new Map(Object.entries(JSON.parse(json) as Record<string, string>));
  } catch {
    throw corruptSegment(path, 'metadata is not JSON');
  }
  return {
    docs: {
      versions: new Float64Array(tail.buffer, rel(at.docVersions), h.numDocs),
      ids: new Uint32Array(tail.buffer, rel(at.docIds), h.numDocs),
      deleted: new Uint8Array(tail.buffer, rel(at.docDeleted), h.numDocs),
    },
    metadata,
  };
}

/** Each block's last term (what a search binary-searches; a merge reads the blocks in order instead). */
export function readMaxTerms(fd: number, h: SegmentHeader): Uint32Array {
  const bytes = readAt(fd, h.numBlocks * 4, sectionOffsets(h).maxTerms);
  return new Uint32Array(bytes.buffer, 0, h.numBlocks);
}

/** The checksum of each page of h.pageBlocks blocks (none in a version 1 file). */
export function readPageCrcs(fd: number, h: SegmentHeader): Uint32Array {
  const n = pageCrcCount(h);
  return new Uint32Array(readAt(fd, n * 4, sectionOffsets(h).pageCrcs).buffer, 0, n);
}

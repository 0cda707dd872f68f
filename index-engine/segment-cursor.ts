// Sequential reader of a segment file's postings, for merges: reads blocks in large chunks with pread and
// decodes one block at a time, so merging never holds a whole segment in memory. Each page of blocks is
// checked against its checksum as it is read (a search may never have read it): a damaged input fails the
// merge instead of being written out again under checksums of its own.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { DocTable } from './doc-table.ts';
import { decodeBlock, maxPairsPerBlock } from './posting-block.ts';
import { corruptSegment, HEADER_BYTES, type SegmentHeader } from './segment-file-format.ts';
import { readAt, readHeader, readTables } from './segment-file-read.ts';

const CHUNK_BLOCKS_BYTES = 1 << 20;

export class SegmentCursor {
  readonly header: SegmentHeader;
  readonly docs: DocTable;
  readonly metadata: Map<string, string>;
  /** Current posting; valid while !done. */
  term = 0;
  id = 0;
  done = false;
  readonly #path: string;
  #fd: number;
  /** Each page's checksum (none in a version 1 file, checked whole when it loaded). */
  readonly #pageCrcs: Uint32Array;
  readonly #blocksPerChunk: number;
  readonly #chunk: Uint8Array;
  readonly #scratch: Uint32Array;
  readonly #terms: Uint32Array;
  readonly #ids: Uint32Array;
  #chunkBlocks = 0;
  #chunkStart = 0;
  #blockInChunk = 0;
  #nextBlock = 0;
  #count = 0;
  #pos = 0;

  constructor(path: string) {
    this.#path = path;
    this.#fd = openSync(path, 'r');
    this.header = readHeader(this.#fd, fstatSync(this.#fd).size, path);
    const h = this.header;
    const tables = readTables(this.#fd, h, path, false);
    this.docs = tables.docs;
    this.metadata = tables.metadata;
    this.#pageCrcs = tables.pageCrcs;
    // Whole pages a chunk, so each is checked as its chunk is read.
    const page = Math.max(1, h.pageBlocks);
    this.#blocksPerChunk = page * Math.max(1, Math.floor(CHUNK_BLOCKS_BYTES / (h.blockSize * page)));
    this.#chunk = new Uint8Array(this.#blocksPerChunk * h.blockSize);
    const pairs = maxPairsPerBlock(h.blockSize);
    this.#scratch = new Uint32Array(pairs * 2);
    this.#terms = new Uint32Array(pairs);
    this.#ids = new Uint32Array(pairs);
    this.next();
  }

  /** Advances to the next posting (sets `done` at the end). */
  next(): void {
    while (this.#pos >= this.#count) {
      if (!this.#loadBlock()) {
        this.done = true;
        return;
      }
    }
    this.term = this.#terms[this.#pos]!;
    this.id = this.#ids[this.#pos]!;
    this.#pos++;
  }

  close(): void {
    if (this.#fd < 0) return; // closed already: the number may belong to another thread's file by now
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #loadBlock(): boolean {
    const h = this.header;
    if (this.#nextBlock >= h.numBlocks) return false;
    if (this.#blockInChunk >= this.#chunkBlocks) {
      this.#chunkBlocks = Math.min(this.#blocksPerChunk, h.numBlocks - this.#nextBlock);
      this.#chunkStart = HEADER_BYTES + this.#nextBlock * h.blockSize;
      const view = this.#chunk.subarray(0, this.#chunkBlocks * h.blockSize);
      readAt(this.#fd, view.length, this.#chunkStart, view);
      this.#checkPages(view, this.#nextBlock);
      this.#blockInChunk = 0;
    }
    this.#count = decodeBlock(
      this.#chunk,
      this.#blockInChunk * h.blockSize,
      this.#scratch,
      this.#terms,
      this.#ids,
    );
    this.#blockInChunk++;
    this.#nextBlock++;
    this.#pos = 0;
    return true;
  }

  /** Checks the pages of blocks in `chunk`, which starts at block `first` (the first of a page). */
  #checkPages(chunk: Uint8Array, first: number): void {
    if (this.#pageCrcs.length === 0) return;
    const page = this.header.pageBlocks * this.header.blockSize;
    for (let from = 0; from < chunk.length; from += page) {
      const p = first / this.header.pageBlocks + from / page;
      if (crc32(chunk.subarray(from, Math.min(from + page, chunk.length))) !== this.#pageCrcs[p])
        throw corruptSegment(
          this.#path,
          `its posting blocks' page ${p} does not match its checksum`,
          'not merged',
        );
    }
  }
}

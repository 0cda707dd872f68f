// Streams sorted postings into a new file segment: a temp file written in large chunks, fsync'd, then
// renamed into place, so a crash never leaves a half-written segment under its final name. Its blocks are
// checksummed a page at a time (pageCrcs), the tables after them as one (the footer's).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { DocTable } from './doc-table.ts';
import { ioError } from './errors.ts';
import { BlockBuilder } from './posting-block.ts';
import {
  checkBlockSize,
  encodeFooter,
  encodeHeader,
  HEADER_BYTES,
  pageBlocksFor,
  SEGMENT_VERSION,
  type SegmentHeader,
  sectionOffsets,
} from './segment-file-format.ts';

const CHUNK = 1 << 20;

/** A growable list of u32s. */
class U32List {
  values = new Uint32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }

  get bytes(): Uint8Array {
    return new Uint8Array(this.values.buffer, 0, this.length * 4);
  }
}

export interface SegmentSummary {
  readonly file: string;
  readonly bytes: number;
  readonly header: SegmentHeader;
}

export class SegmentWriter {
  readonly path: string;
  readonly #tmp: string;
  readonly #fd: number;
  /** Closed already: a second close could close a descriptor another thread has been given since. */
  #closed = false;
  readonly #builder: BlockBuilder;
  /** Blocks each of #pageCrcs covers; the chunk holds whole pages, so each is checksummed at once. */
  readonly #pageBlocks: number;
  readonly #chunk: Uint8Array;
  #chunkUsed = 0;
  #fileOffset = HEADER_BYTES;
  /** The checksum of the tables written so far (the blocks have theirs in #pageCrcs). */
  #tablesCrc = 0;
  readonly #maxTerms = new U32List();
  readonly #pageCrcs = new U32List();
  #numPostings = 0;

  constructor(path: string, blockSize: number) {
    checkBlockSize(blockSize);
    this.path = path;
    this.#tmp = `${path}.tmp`;
    this.#builder = new BlockBuilder(blockSize);
    this.#pageBlocks = pageBlocksFor(blockSize);
    const page = this.#pageBlocks * blockSize;
    this.#chunk = new Uint8Array(page * Math.max(1, Math.floor(CHUNK / page)));
    try {
      this.#fd = openSync(this.#tmp, 'w');
    } catch (err) {
      throw ioError(err, `creating ${this.#tmp}`);
    }
  }

  /** Appends a posting; postings must arrive sorted by (term, id). */
  add(term: number, id: number): void {
    if (!this.#builder.tryAdd(term, id)) {
      this.#flushBlock();
      this.#builder.tryAdd(term, id);
    }
    this.#numPostings++;
  }

  /** Writes the index, documents, metadata and footer, makes the file durable and moves it into place. */
  finish(info: {
    docs: DocTable;
    metadata: ReadonlyMap<string, string>;
    minVersion: number;
    maxVersion: number;
    merges: number;
  }): SegmentSummary {
    try {
      if (this.#builder.count > 0) this.#flushBlock();
      this.#flushBlocks();
      const metadata = new TextEncoder().encode(JSON.stringify(Object.fromEntries(info.metadata)));
      const header: SegmentHeader = {
        version: SEGMENT_VERSION,
        blockSize: this.#builder.blockSize,
        numBlocks: this.#maxTerms.length,
        numDocs: info.docs.ids.length,
        merges: info.merges,
        numPostings: this.#numPostings,
        minVersion: info.minVersion,
        maxVersion: info.maxVersion,
        metadataBytes: metadata.length,
        pageBlocks: this.#pageBlocks,
      };
      const at = sectionOffsets(header);
      this.#append(this.#maxTerms.bytes, at.pageCrcs);
      this.#append(this.#pageCrcs.bytes, at.docVersions);
      const d = info.docs;
      this.#append(
        new Uint8Array(d.versions.buffer, d.versions.byteOffset, d.versions.byteLength),
        at.docIds,
      );
      this.#append(new Uint8Array(d.ids.buffer, d.ids.byteOffset, d.ids.byteLength), at.docDeleted);
      this.#append(d.deleted, at.metadata);
      this.#append(metadata, at.footer);
      const headerBytes = encodeHeader(header);
      writeSync(this.#fd, headerBytes, 0, HEADER_BYTES, 0);
      writeSync(this.#fd, encodeFooter(crc32(headerBytes), this.#tablesCrc), 0, 16, at.footer);
      fsyncSync(this.#fd);
      this.#close();
      renameSync(this.#tmp, this.path);
      return { file: this.path, bytes: at.total, header };
    } catch (err) {
      this.abort();
      throw ioError(err, `writing segment ${this.path}`);
    }
  }

  /** Gives up: closes and removes the temp file. */
  abort(): void {
    try {
      this.#close();
    } catch {}
    rmSync(this.#tmp, { force: true });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }

  #flushBlock(): void {
    this.#maxTerms.push(this.#builder.lastTerm);
    if (this.#chunkUsed === this.#chunk.length) this.#flushBlocks();
    this.#builder.flushInto(this.#chunk, this.#chunkUsed);
    this.#chunkUsed += this.#builder.blockSize;
  }

  /** Writes the chunk's blocks, with a checksum for each page of #pageBlocks (the last may be shorter). */
  #flushBlocks(): void {
    const page = this.#pageBlocks * this.#builder.blockSize;
    for (let from = 0; from < this.#chunkUsed; from += page)
      this.#pageCrcs.push(crc32(this.#chunk.subarray(from, Math.min(from + page, this.#chunkUsed))));
    this.#write(this.#chunk.subarray(0, this.#chunkUsed));
    this.#chunkUsed = 0;
  }

  /** Appends a table, then zero padding up to file offset `until` (the next section); both checksummed. */
  #append(bytes: Uint8Array, until: number): void {
    const pad = new Uint8Array(Math.max(0, until - this.#fileOffset - bytes.length));
    for (const part of [bytes, pad]) {
      this.#write(part);
      this.#tablesCrc = crc32(part, this.#tablesCrc);
    }
  }

  #write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#fileOffset + done);
    this.#fileOffset += bytes.length;
  }
}

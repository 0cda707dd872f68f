// Streams sorted postings into a new file segment: a temp file written in large chunks, fsync'd, then
// renamed into place, so a crash never leaves a half-written segment under its final name.
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
  type SegmentHeader,
  sectionOffsets,
} from './segment-file-format.ts';

const CHUNK = 1 << 20;

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
  readonly #chunk = new Uint8Array(CHUNK);
  #chunkUsed = 0;
  #fileOffset = HEADER_BYTES;
  #bodyCrc = 0;
  #maxTerms = new Uint32Array(1024);
  #numBlocks = 0;
  #numPostings = 0;

  constructor(path: string, blockSize: number) {
    checkBlockSize(blockSize);
    this.path = path;
    this.#tmp = `${path}.tmp`;
    this.#builder = new BlockBuilder(blockSize);
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
      const metadata = new TextEncoder().encode(JSON.stringify(Object.fromEntries(info.metadata)));
      const header: SegmentHeader = {
        blockSize: this.#builder.blockSize,
        numBlocks: this.#numBlocks,
        numDocs: info.docs.ids.length,
        merges: info.merges,
        numPostings: this.#numPostings,
        minVersion: info.minVersion,
        maxVersion: info.maxVersion,
        metadataBytes: metadata.length,
      };
      const at = sectionOffsets(header);
      this.#append(new Uint8Array(this.#maxTerms.buffer, 0, this.#numBlocks * 4), at.docVersions);
      const d = info.docs;
      this.#append(
        new Uint8Array(d.versions.buffer, d.versions.byteOffset, d.versions.byteLength),
        at.docIds,
      );
      this.#append(new Uint8Array(d.ids.buffer, d.ids.byteOffset, d.ids.byteLength), at.docDeleted);
      this.#append(d.deleted, at.metadata);
      this.#append(metadata, at.footer);
      this.#flushChunk();
      const headerBytes = encodeHeader(header);
      writeSync(this.#fd, headerBytes, 0, HEADER_BYTES, 0);
      writeSync(this.#fd, encodeFooter(crc32(headerBytes), this.#bodyCrc), 0, 16, at.footer);
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
    if (this.#numBlocks === this.#maxTerms.length) {
      const grown = new Uint32Array(this.#maxTerms.length * 2);
      grown.set(this.#maxTerms);
      this.#maxTerms = grown;
    }
    this.#maxTerms[this.#numBlocks++] = this.#builder.lastTerm;
    const size = this.#builder.blockSize;
    if (this.#chunkUsed + size > CHUNK) this.#flushChunk();
    this.#builder.flushInto(this.#chunk, this.#chunkUsed);
    this.#chunkUsed += size;
    this.#fileOffset += size;
  }

  /** Appends bytes, then zero padding up to file offset `until` (the next section). */
  #append(bytes: Uint8Array, until: number): void {
    this.#flushChunk();
    this.#write(bytes);
    const pad = until - this.#fileOffset;
    if (pad > 0) this.#write(new Uint8Array(pad));
  }

  #flushChunk(): void {
    if (this.#chunkUsed === 0) return;
    const used = this.#chunkUsed;
    this.#chunkUsed = 0;
    this.#fileOffset -= used; // #write advances it again
    this.#write(this.#chunk.subarray(0, used));
  }

  #write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#fileOffset + done);
    this.#bodyCrc = crc32(bytes, this.#bodyCrc);
    this.#fileOffset += bytes.length;
  }
}

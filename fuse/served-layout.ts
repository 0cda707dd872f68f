// A served file's byte layout: [header regenerated from the library] + [the original's audio range].
// Sizes are known without building the header (getattr must be cheap); the header bytes are built on
// first open and cached with their layout (one per file and change_seq) within a byte budget.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Db } from '../app/core/db/database.ts';
import { ArtStore } from '../app/core/library/art.ts';
import type { OggKept } from '../app/core/media/fast-readers.ts';
import type { IffKept } from '../app/core/media/read-track.ts';
import type { TagList } from '../app/core/tags/normalize.ts';
import { apeTagSize, buildApeTag } from './apev2-writer.ts';
import { buildFlacHeader, flacHeaderSize } from './flac-header.ts';
import { type FlacOriginal, OriginalChangedError, readFlacOriginal } from './flac-original.ts';
import { buildId3Header, id3HeaderSize } from './id3v2-writer.ts';
import { buildIffHeader, iffHeaderSize } from './iff-header.ts';
import { readIffOriginal } from './iff-original.ts';
import type { ServedRecord } from './library-view.ts';
import { buildOggHeader, oggHeaderSize } from './ogg-header.ts';
import { readOggOriginal } from './ogg-original.ts';

export interface Layout {
  readonly record: ServedRecord;
  readonly headerSize: number;
  /** The original's bytes served after the header: its audio range, or all of it when served whole. */
  readonly audioStart: number;
  readonly audioEnd: number;
  /** Bytes served after the audio (an APEv2 tag); 0 for most formats. */
  readonly trailerSize: number;
  /** headerSize + the original's audio bytes + trailerSize. */
  readonly size: number;
  /** The header's bytes, then the trailer's (empty for files served whole); `original` is the original,
   *  opened read-only and checked with checkOriginal (a FLAC's kept blocks are read from it). */
  header(original: number): Promise<Buffer>;
}

/** Throws OriginalChangedError unless the open original is still the one the scan saw (size, mtime). */
export function checkOriginal(fd: number, record: ServedRecord): void {
  const st = fstatSync(fd);
  if (st.size !== record.size || st.mtimeMs !== record.mtimeMs) {
    throw new OriginalChangedError(
      `the original ${record.path} changed on disk since it was scanned; rescan it`,
    );
  }
}

/**
 * Reads the served file into `target`: the header's bytes, the original's audio read from `fd`, the
 * trailer's bytes (`bytes` is the header, then the trailer). Returns how many bytes (fewer at the end).
 */
export function readServed(
  layout: Layout,
  bytes: Buffer,
  fd: number,
  target: Uint8Array,
  targetOffset: number,
  length: number,
  position: number,
): number {
  const end = position + Math.max(0, Math.min(length, layout.size - position));
  const tailStart = layout.size - layout.trailerSize;
  let at = position;
  if (at < layout.headerSize) at += bytes.copy(target, targetOffset, at, Math.min(layout.headerSize, end));
  const audioTo = Math.min(end, tailStart);
  while (at < audioTo) {
    const where = layout.audioStart + at - layout.headerSize;
    const got = readSync(fd, target, targetOffset + at - position, audioTo - at, where);
    if (got === 0) return at - position;
    at += got;
  }
  if (at < end) {
    const from = layout.headerSize + at - tailStart;
    at += bytes.copy(target, targetOffset + at - position, from, from + end - at);
  }
  return at - position;
}

/** The original as it is, from its first byte. */
function wholeLayout(record: ServedRecord): Layout {
  return {
    record,
    headerSize: 0,
    trailerSize: 0,
    audioStart: 0,
    audioEnd: record.size,
    size: record.size,
    header: async () => Buffer.alloc(0),
  };
}

const DEFAULT_VENDOR = 'Sleeve';
const MAX_LAYOUTS = 20_000;
const HEADER_BUDGET_BYTES = 64 * 1024 * 1024;

export class Layouts {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #layouts = new Map<number, { seq: number; layout: Promise<Layout> }>();
  readonly #headers = new Map<number, { layout: Layout; bytes: Buffer }>();
  #headerBytes = 0;

  readonly #art: ArtStore;
  readonly #tagRows: Database.Statement;

  /** Says once per file version why it is served as it is (the daemon's log). */
  readonly #report: (line: string) => void;

  constructor(db: Db, report: (line: string) => void = () => {}) {
    this.#report = report;
    this.#art = new ArtStore(db);
    this.#tagRows = db.prepare('SELECT key, value FROM tags WHERE file_id = ? ORDER BY key, idx').raw();
  }

  /** The layout of the record's version; rejects with OriginalChangedError if the original moved on. */
  get(record: ServedRecord): Promise<Layout> {
    const cached = this.#layouts.get(record.fileId);
    this.#layouts.delete(record.fileId);
    const entry = cached?.seq === record.seq ? cached : { seq: record.seq, layout: this.#compute(record) };
    this.#layouts.set(record.fileId, entry);
    entry.layout.catch(() => {
      if (this.#layouts.get(record.fileId) === entry) this.#layouts.delete(record.fileId);
    });
    if (this.#layouts.size > MAX_LAYOUTS) this.#layouts.delete(this.#layouts.keys().next().value!);
    return entry.layout;
  }

  async #compute(record: ServedRecord): Promise<Layout> {
    const { audioStart, audioEnd } = record;
    const audioBytes = audioEnd - audioStart;
    if (record.kind === 'whole') return wholeLayout(record);
    const tags = this.#tags(record.fileId);
    const pictures = this.#art.pictures(record.fileId);
    const data = () => pictures.map((p) => this.#art.data(p.hash));
    let headerSize = 0;
    let trailerSize = 0;
    let build: (original: number) => Promise<Buffer>;
    if (record.kind === 'vorbis' || record.kind === 'opus') {
      const kept = JSON.parse(record.headerKept!) as OggKept;
      const pages = `the original's ${kept.pages} header page(s)`;
      let input = { codec: record.kind, kept, tags, pictures };
      let size = oggHeaderSize(input);
      if (size === undefined && pictures.length > 0) {
        // The tags without the cover art are better than the original's tags.
        input = { ...input, pictures: [] };
        size = oggHeaderSize(input);
        if (size !== undefined)
          this.#report(`${record.path}: cover art left out: with it the comment does not fit ${pages}`);
      }
      if (size === undefined) {
        this.#report(`${record.path}: served as it is: the new comment does not fit ${pages}`);
        return wholeLayout(record);
      }
      headerSize = size;
      const served = input;
      build = async (fd) => {
        const original = readOggOriginal(fd, served.codec, served.kept, audioStart);
        const header = buildOggHeader(served, original, served.pictures.length > 0 ? data() : []);
        if (header.length !== headerSize)
          throw new RangeError(`Ogg header of ${header.length} bytes, sized ${headerSize}`);
        return header;
      };
    } else if (record.kind === 'apev2') {
      // WavPack and Monkey's Audio: the original up to its trailing tags, then a new APEv2 tag.
      const input = { tags, pictures };
      trailerSize = apeTagSize(input);
      build = async () => buildApeTag(input, data());
    } else if (record.kind === 'riff' || record.kind === 'aiff') {
      const { chunks } = JSON.parse(record.headerKept!) as IffKept;
      const input = {
        form: record.kind === 'riff' ? 'RIFF' : 'FORM',
        kept: chunks,
        tags,
        pictures,
        audioBytes,
      } as const;
      headerSize = iffHeaderSize(input);
      build = async (fd) => buildIffHeader(input, readIffOriginal(fd, chunks, audioStart), data());
    } else if (record.kind === 'flac') {
      // Sized from the scanner's record when there is one: a directory listing reads no file.
      const known = record.flacKept;
      const original = known ? undefined : this.#flacOriginal(record);
      const vendor = (known ?? original)!.vendor || DEFAULT_VENDOR;
      const rest = { vendor, tags, pictures, audioBytes };
      headerSize = flacHeaderSize({ ...rest, kept: known ? known.bytes : original!.kept });
      build = async (fd) => {
        const { kept } = original ?? readFlacOriginal(fd, record.audioStart);
        const header = buildFlacHeader({ ...rest, kept }, data());
        if (header.length !== headerSize) {
          throw new OriginalChangedError('the FLAC metadata changed on disk since it was scanned; rescan it');
        }
        return header;
      };
    } else {
      const input = { tags, pictures, audioBytes };
      headerSize = id3HeaderSize(input);
      build = async () => buildId3Header(input, data());
    }
    const layout: Layout = {
      record,
      headerSize,
      trailerSize,
      audioStart,
      audioEnd,
      size: headerSize + audioBytes + trailerSize,
      header: (fd) => this.#header(layout, () => build(fd)),
    };
    return layout;
  }

  /** The layout's header, cached by layout (not by seq alone: only its own build matches its size). */
  async #header(layout: Layout, build: () => Promise<Buffer>): Promise<Buffer> {
    const { fileId } = layout.record;
    const cached = this.#headers.get(fileId);
    if (cached) {
      this.#headers.delete(fileId);
      this.#headerBytes -= cached.bytes.length;
      if (cached.layout === layout) {
        this.#headers.set(fileId, cached);
        this.#headerBytes += cached.bytes.length;
        return cached.bytes;
      }
    }
    const bytes = await build();
    this.#headers.set(fileId, { layout, bytes });
    this.#headerBytes += bytes.length;
    for (const [id, h] of this.#headers) {
      if (this.#headerBytes <= HEADER_BUDGET_BYTES || id === fileId) break;
      this.#headers.delete(id);
      this.#headerBytes -= h.bytes.length;
    }
    return bytes;
  }

  /** For sizing a FLAC the scan did not record: its kept blocks, read synchronously like a first open. */
  #flacOriginal(record: ServedRecord): FlacOriginal {
    const fd = openSync(record.disk, 'r');
    try {
      checkOriginal(fd, record);
      return readFlacOriginal(fd, record.audioStart);
    } finally {
      closeSync(fd);
    }
  }

  #tags(fileId: number): TagList {
    const rows = this.#tagRows.all(fileId) as Array<[string, string]>;
    const out: TagList = [];
    for (const [key, value] of rows) {
      const last = out[out.length - 1];
      if (last && last[0].toLowerCase() === key.toLowerCase()) last[1].push(value);
      else out.push([key, [value]]);
    }
    return out;
  }
}

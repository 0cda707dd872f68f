// A served file's byte layout: [header regenerated from the library] + [the original's audio range].
// Sizes are known without building the header (getattr must be cheap); the header bytes are built on
// first open and cached with their layout (one per file and change_seq) within a byte budget, without
// the pictures' data: a reader is served each picture from the library as it reaches it. The original's
// bytes are read through a window (original-file.ts: in its mount's file lane, with a deadline, in a pass).

import type Database from 'better-sqlite3';
import { atOnce } from '../../../kit/at-once.ts';
import type { FileLanes } from '../../../kit/file-lanes.ts';
import type { Db } from '../db/database.ts';
import type { ByteWindow } from '../media/file-window.ts';
import { buildApeTag } from '../served/apev2-writer.ts';
import { holedFlacHeader } from '../served/flac-header.ts';
import { type FlacOriginal, OriginalChangedError, readFlacOriginal } from '../served/flac-original.ts';
import { concatHoled, filled, type HoledHeader, holedLength } from '../served/header-segments.ts';
import { holedId3Header } from '../served/id3v2-writer.ts';
import { holedIffHeader } from '../served/iff-header.ts';
import { readIffOriginal } from '../served/iff-original.ts';
import { holedMp4Moov } from '../served/mp4-header.ts';
import { readMp4Original } from '../served/mp4-original.ts';
import { buildOggHeader } from '../served/ogg-header.ts';
import { readOggOriginal } from '../served/ogg-original.ts';
import { readRenumbered } from '../served/ogg-renumber.ts';
import { OriginalFile } from '../served/original-file.ts';
import { planServed } from '../served/served-plan.ts';
import type { ServedRecord } from '../served/served-record.ts';
import type { TagList } from '../tags/normalize.ts';
import { ArtStore, type PictureInfo } from './art.ts';
import { ServedTags } from './served-tags.ts';

export interface Layout {
  readonly record: ServedRecord;
  readonly headerSize: number;
  /** The original's bytes served after the header: its audio range, or all of it when served whole. */
  readonly audioStart: number;
  readonly audioEnd: number;
  /** Bytes served after the audio (an APEv2 tag, an MP4's moov); 0 for most formats. */
  readonly trailerSize: number;
  /** headerSize + the original's audio bytes + trailerSize. */
  readonly size: number;
  /** How far each Ogg audio page's sequence number moves (0: the audio is served byte for byte). */
  readonly pageShift: number;
  /** Whether the header is built from the original's first bytes (read with its open, then). */
  readonly readsHead: boolean;
  /** The header's bytes, then the trailer's (empty for files served whole), each picture's place left
   *  as a hole named by its art and each padding's as a hole of zeros; `original` is the original,
   *  opened read-only and checked with checkOriginal (a FLAC's kept blocks are read from it; run in the
   *  original's pass). What a reader is served. */
  holed(original: ByteWindow): Promise<ServedHeader>;
  /** The same bytes whole, the pictures' data read in: what a writer's bytes are compared with. */
  header(original: ByteWindow): Promise<Buffer>;
}

/** A header and trailer without their pictures' data and padding: where each picture (art hash) and
 *  each run of padding (hash null: zeros) goes. */
export interface ServedHeader {
  readonly bytes: Buffer;
  readonly holes: readonly ServedHole[];
}

export interface ServedHole {
  readonly at: number;
  readonly length: number;
  readonly hash: string | null;
}

/** Throws OriginalChangedError unless the open original is still the one the scan saw (size, mtime). */
export function checkOriginal(
  st: { readonly size: number; readonly mtimeMs: number },
  record: ServedRecord,
): void {
  if (st.size !== record.size || st.mtimeMs !== record.mtimeMs) {
    throw new OriginalChangedError(
      `the original ${record.path} changed on disk since it was scanned; rescan it`,
    );
  }
}

/**
 * Reads the served file into `target`: the header's bytes, the original's audio, the trailer's bytes
 * (`bytes` is the header, then the trailer). Returns how many bytes (fewer at the end).
 */
export function readServed(
  layout: Layout,
  bytes: Buffer,
  original: ByteWindow,
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
  if (layout.pageShift !== 0 && at < audioTo) {
    const origin = layout.audioStart - layout.headerSize;
    const range = { start: layout.audioStart, end: layout.audioEnd };
    const read = (buf: Buffer, where: number) => original.readInto(buf, 0, buf.length, where);
    at += readRenumbered(
      read,
      range,
      layout.pageShift,
      origin + at,
      origin + audioTo,
      target,
      targetOffset + at - position,
    );
    if (at < audioTo) return at - position; // the original ended early
  }
  while (at < audioTo) {
    const where = layout.audioStart + at - layout.headerSize;
    const got = original.readInto(target, targetOffset + at - position, audioTo - at, where);
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
    pageShift: 0,
    readsHead: false,
    holed: async () => ({ bytes: Buffer.alloc(0), holes: [] }),
    header: async () => Buffer.alloc(0),
  };
}

/** A FLAC an older Sleeve scanned without recording its kept blocks: sized from the original. */
const unrecordedFlac = (record: ServedRecord) => record.kind === 'flac' && !record.flacKept;

/** FLACs read at once for readUnrecorded. */
const UNRECORDED_READERS = 4;

const MAX_LAYOUTS = 20_000;
const HEADER_BUDGET_BYTES = 64 * 1024 * 1024;
/** Files sized per bulk read: their tags are held at once. */
const SIZING_CHUNK = 2000;

export class Layouts {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #layouts = new Map<number, { seq: number; layout: Promise<Layout> }>();
  readonly #headers = new Map<number, { layout: Layout; header: ServedHeader }>();
  #headerBytes = 0;
  /** What readUnrecorded read, for the sizes() after it. */
  readonly #unrecorded = new Map<number, { seq: number; flac: FlacOriginal | Error }>();

  readonly #art: ArtStore;
  readonly #versionOf: Database.Statement;
  readonly #db: Db;
  readonly #tags: ServedTags;

  /** Says once per file version why it is served as it is (the daemon's log). */
  readonly #report: (line: string) => void;
  /** How originals are read (a FLAC the scan did not record is sized from its kept blocks). */
  readonly #files: FileLanes;

  constructor(db: Db, files: FileLanes, report: (line: string) => void = () => {}) {
    this.#report = report;
    this.#files = files;
    this.#art = new ArtStore(db);
    this.#db = db;
    this.#tags = new ServedTags(db);
    this.#versionOf = db.prepare('SELECT change_seq FROM files WHERE id = ?').pluck();
  }

  /**
   * get(), with whether the record is still the file's version in the library: read in one snapshot with
   * the tags and pictures the layout is built from (get() reads them as it is called), so a layout of a
   * newer version is never taken for the record's — as when a caller's view of the library is behind it.
   */
  getChecked(record: ServedRecord): { readonly layout: Promise<Layout>; readonly current: boolean } {
    return this.#db.transaction(() => ({
      layout: this.get(record),
      current: this.#versionOf.get(record.fileId) === record.seq,
    }))();
  }

  /** The layout of the record's version; rejects with OriginalChangedError if the original moved on. */
  get(record: ServedRecord): Promise<Layout> {
    const cached = this.#layouts.get(record.fileId);
    this.#layouts.delete(record.fileId);
    const entry = cached?.seq === record.seq ? cached : { seq: record.seq, layout: this.#computeOne(record) };
    this.#layouts.set(record.fileId, entry);
    entry.layout.catch(() => {
      if (this.#layouts.get(record.fileId) === entry) this.#layouts.delete(record.fileId);
    });
    if (this.#layouts.size > MAX_LAYOUTS) this.#layouts.delete(this.#layouts.keys().next().value!);
    return entry.layout;
  }

  /** Drops every layout and header kept (a worker that hands them on keeps none). */
  forget(): void {
    this.#layouts.clear();
    this.#headers.clear();
    this.#headerBytes = 0;
  }

  /**
   * Reads, in their file lanes, the kept blocks of the FLACs among `records` that an older Sleeve scanned without
   * recording them, for the next sizes() (which reads no file) to size them; undefined when there are none.
   */
  readUnrecorded(records: Iterable<ServedRecord>): Promise<void> | undefined {
    const queue = [...records].filter(unrecordedFlac);
    if (queue.length === 0) return undefined;
    // A few at a time: a lane queues only so many.
    return atOnce(queue, UNRECORDED_READERS, (r) => {
      const keep = (flac: FlacOriginal | Error) => this.#unrecorded.set(r.fileId, { seq: r.seq, flac });
      return this.#flacOriginal(r).then(keep, keep);
    }).then(() => {});
  }

  /**
   * The served sizes of many files (an Error for one that cannot be sized), their tags and art read in
   * bulk, a chunk at a time, and no layout kept: how the daemon sizes the whole library as it starts.
   * Reads no file: a FLAC the scan did not record is sized from what readUnrecorded read just before.
   */
  sizes(records: readonly ServedRecord[]): Map<number, number | Error> {
    const out = new Map<number, number | Error>();
    for (let from = 0; from < records.length; from += SIZING_CHUNK) {
      const chunk = records.slice(from, from + SIZING_CHUNK);
      const ids = chunk.filter((r) => r.kind !== 'whole').map((r) => r.fileId);
      // One read transaction: each file's tags and art from the same snapshot.
      const { tags, pictures } = this.#db.transaction(() => ({
        tags: this.#tags.ofMany(ids),
        pictures: this.#art.picturesOf(ids),
      }))();
      for (const record of chunk) {
        try {
          const read = this.#unrecorded.get(record.fileId);
          const flac = read?.seq === record.seq ? read.flac : undefined;
          if (flac instanceof Error) throw flac;
          if (unrecordedFlac(record) && !flac) throw new Error('its FLAC metadata was not read; rescan it');
          const layout = this.#compute(
            record,
            tags.get(record.fileId) ?? [],
            pictures.get(record.fileId) ?? [],
            flac,
          );
          out.set(record.fileId, layout.size);
        } catch (err) {
          out.set(record.fileId, err as Error);
        }
      }
    }
    this.#unrecorded.clear();
    return out;
  }

  /** Its tags and pictures read as it is called (the layout worker reads them in one snapshot with the
   *  file's version), the original after. */
  async #computeOne(record: ServedRecord): Promise<Layout> {
    const tags = this.#tags.of(record.fileId);
    const pictures = this.#art.pictures(record.fileId);
    const flac = unrecordedFlac(record) ? await this.#flacOriginal(record) : undefined;
    return this.#compute(record, tags, pictures, flac);
  }

  /** `flac`: the kept blocks of a FLAC the scan did not record (sized from them). */
  #compute(record: ServedRecord, tags: TagList, pictures: PictureInfo[], flac?: FlacOriginal): Layout {
    const plan = planServed(record, tags, pictures, flac)!;
    if (plan.note) this.#report(`${record.path}: ${plan.note}`);
    if (plan.kind === 'whole') return wholeLayout(record);
    const specs = plan.input.pictures;
    const data = () => specs.map((p) => this.#art.data(p.hash));
    // Ogg pages checksum their pictures and APEv2 items sit in a trailer: those keep their data inline.
    const whole = (bytes: Buffer): HoledHeader => ({ bytes, holes: [] });
    let build: (original: ByteWindow) => HoledHeader;
    switch (plan.kind) {
      case 'vorbis':
      case 'opus':
      case 'oggflac':
        build = (original) => {
          const { input } = plan;
          const kept = readOggOriginal(original, input.codec, input.kept, plan.audioStart);
          return whole(buildOggHeader(input, kept, specs.length > 0 ? data() : []));
        };
        break;
      case 'apev2':
        build = () => whole(buildApeTag(plan.input, data()));
        break;
      case 'riff':
      case 'aiff':
        build = (original) =>
          holedIffHeader(plan.input, readIffOriginal(original, plan.input.kept, plan.audioStart));
        break;
      case 'flac':
        build = (original) => {
          const { kept } = flac ?? readFlacOriginal(original, plan.audioStart);
          return holedFlacHeader({ ...plan.input, kept });
        };
        break;
      case 'id3':
        build = () => holedId3Header(plan.input);
        break;
      case 'mp4':
        build = (original) => {
          const { input, delta } = plan;
          const { moov, around } = readMp4Original(original, input.kept, record.size);
          const built = holedMp4Moov(input, moov, delta);
          return concatHoled(input.kept.moovFirst ? [around, built] : [built, around]);
        };
        break;
    }
    const layout: Layout = {
      record,
      headerSize: plan.headerSize,
      trailerSize: plan.trailerSize,
      audioStart: plan.audioStart,
      audioEnd: plan.audioEnd,
      size: plan.size,
      pageShift:
        plan.kind === 'vorbis' || plan.kind === 'opus' || plan.kind === 'oggflac' ? plan.pageShift : 0,
      // ID3 and APEv2 tags are built from the library alone; an MP4's moov last is read at its end.
      readsHead:
        plan.kind !== 'id3' &&
        plan.kind !== 'apev2' &&
        !(plan.kind === 'flac' && flac) &&
        !(plan.kind === 'mp4' && !plan.input.kept.moovFirst),
      holed: async (original) =>
        this.#header(layout, () => {
          const built = build(original);
          // The header and trailer as sized, or the original's kept part changed since the scan.
          const length = holedLength(built);
          if (length !== plan.headerSize + plan.trailerSize) {
            throw new OriginalChangedError(
              `${record.path}: the header built has ${length} bytes, sized ${plan.headerSize + plan.trailerSize}; rescan it`,
            );
          }
          const holes = built.holes.map((h) => ({
            at: h.at,
            length: h.length,
            hash: h.picture === undefined ? null : specs[h.picture]!.hash,
          }));
          return { bytes: built.bytes, holes };
        }),
      header: async (original) => {
        const served = await layout.holed(original);
        const data: Uint8Array[] = [];
        const holes = served.holes.map(({ at, length, hash }) =>
          hash === null ? { at, length } : { at, length, picture: data.push(this.#art.data(hash)) - 1 },
        );
        return filled({ bytes: served.bytes, holes }, data);
      },
    };
    return layout;
  }

  /** The layout's header, cached by layout (not by seq alone: only its own build matches its size). */
  #header(layout: Layout, build: () => ServedHeader): ServedHeader {
    const { fileId } = layout.record;
    const cached = this.#headers.get(fileId);
    if (cached) {
      this.#headers.delete(fileId);
      this.#headerBytes -= cached.header.bytes.length;
      if (cached.layout === layout) {
        this.#headers.set(fileId, cached);
        this.#headerBytes += cached.header.bytes.length;
        return cached.header;
      }
    }
    const header = build();
    this.#headers.set(fileId, { layout, header });
    this.#headerBytes += header.bytes.length;
    for (const [id, h] of this.#headers) {
      if (this.#headerBytes <= HEADER_BUDGET_BYTES || id === fileId) break;
      this.#headers.delete(id);
      this.#headerBytes -= h.header.bytes.length;
    }
    return header;
  }

  /** For sizing a FLAC the scan did not record: its kept blocks, read like a first open. */
  async #flacOriginal(record: ServedRecord): Promise<FlacOriginal> {
    const original = await OriginalFile.open(this.#files, record.disk);
    try {
      checkOriginal(original, record);
      return await original.pass(() => readFlacOriginal(original, record.audioStart));
    } finally {
      original.close();
    }
  }
}

// The ID3v2.4 tag in front of a served MP3 (docs/tag-formats.md: ID3v2 framing; Picard's field names):
// Picard's frames for Picard's names, UTF-8 text, no unsynchronisation, extended header or footer, then zero
// padding. The MPEG stream (Xing/LAME included) is independent of the tag's size, so the original frames
// follow as they are. Frames are named by the field table (app/shared/field-table.ts, through
// app/core/tags/tag-names.ts), which the reader maps back, so the library reads back what it served. TRCK
// and TPOS carry "n/N" (see joinTotals); the credits ID3 lists by role are one TMCL and one TIPL frame
// (see peopleFrames).
import { NUMBER_TOTALS } from '../../shared/track-numbers.ts';
import type { TagList } from '../tags/normalize.ts';
import { id3Pair } from '../tags/performer-credit.ts';
import {
  freeformName,
  ID3_DESCRIBED_FRAMES,
  ID3_TEXT_FRAMES,
  ID3_URL_FRAMES,
  INVOLVED_ROLES,
  MUSICIAN_CREDITS_FIELD,
  splitDescribed,
  UFID_OWNERS,
} from '../tags/tag-names.ts';
import {
  assemble,
  type HoledHeader,
  holed,
  type PictureSpec,
  type Segment,
  segmentsLength,
} from './header-segments.ts';
import { paddingFor } from './padding.ts';

export interface Id3HeaderInput {
  readonly tags: TagList;
  readonly pictures: readonly PictureSpec[];
  /** Length of the original MPEG frames (for padding). */
  readonly audioBytes: number;
}

/** Tag and frame sizes are 28-bit syncsafe integers. */
const MAX_SIZE = 2 ** 28 - 1;
const PADDING_FLOOR = 1024;
const UTF8 = Buffer.from([3]);
const NUL = Buffer.from([0]);
const LANGUAGE = Buffer.from('eng', 'latin1');

/** A frame id the reader keeps as the key (unknown text frames), written back as that frame (not the
 *  people lists: pairs, which peopleFrames writes from their fields). */
const TEXT_FRAME_ID = /^T(?!XXX|MCL|IPL)[A-Z0-9]{3}$/;
/** UFID holds at most 64 bytes, which the reader decodes as Latin-1. */
const UFID_VALUE = /^[\x20-\x7e\xa0-\xff]{1,64}$/;
/** URL frames are Latin-1, without an encoding byte. */
const URL_VALUE = /^[\x20-\x7e\xa0-\xff]+$/;

/** The exact length of buildId3Header's result, without the picture data. */
export function id3HeaderSize(input: Id3HeaderInput): number {
  return segmentsLength(layout(input));
}

/**
 * `pictureData[i]` holds `input.pictures[i].bytes` bytes. A picture that would take the tag past
 * ID3v2's 256 MiB is left out (and its data not read); text alone that large throws a RangeError.
 */
export function buildId3Header(input: Id3HeaderInput, pictureData: readonly Uint8Array[]): Buffer {
  return assemble(layout(input), input.pictures, pictureData);
}

/** buildId3Header's result with its pictures' places left as holes. */
export function holedId3Header(input: Id3HeaderInput): HoledHeader {
  return holed(layout(input));
}

function layout(input: Id3HeaderInput): Segment[] {
  const tags = joinTotals(input.tags);
  const body: Segment[] = tags.flatMap(([key, values]) =>
    values.length > 0 && !isPeopleField(key) ? framesFor(key, values) : [],
  );
  body.push(...peopleFrames(tags));
  const padding = paddingFor(input.audioBytes, PADDING_FLOOR);
  let size = segmentsLength(body) + padding;
  if (size > MAX_SIZE) throw new RangeError(`the ID3v2 frames need ${size} bytes, over ID3v2's ${MAX_SIZE}`);
  for (const [i, picture] of input.pictures.entries()) {
    const fields = Buffer.concat([
      UTF8,
      Buffer.from(picture.mime, 'latin1'),
      NUL,
      Buffer.from([picture.type]),
      Buffer.from(picture.description, 'utf8'),
      NUL,
    ]);
    const frameSize = fields.length + picture.bytes;
    if (size + 10 + frameSize > MAX_SIZE) continue;
    body.push(frameHeader('APIC', frameSize), fields, { length: picture.bytes, picture: i });
    size += 10 + frameSize;
  }
  const header = Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), syncsafe(size)]);
  return [header, ...body, { length: padding }];
}

/**
 * A single track (disc) number and total become TRCK (TPOS) "n/N", as Picard writes them. Anything
 * else ("A1", several values, a total without a number) keeps its own frames, so it reads back as it was.
 */
function joinTotals(tags: TagList): TagList {
  let out = tags;
  for (const [numberKey, totalKey] of Object.entries(NUMBER_TOTALS)) {
    const number = out.find(([k]) => k.toLowerCase() === numberKey);
    const total = out.find(([k]) => k.toLowerCase() === totalKey);
    const [n, ...moreNumbers] = number?.[1] ?? [];
    const [t, ...moreTotals] = total?.[1] ?? [];
    if (n === undefined || t === undefined || moreNumbers.length + moreTotals.length > 0) continue;
    if (!/^\d+$/.test(n) || !/^\d+$/.test(t)) continue;
    out = out.filter((e) => e !== total).map((e) => (e === number ? [e[0], [`${n}/${t}`]] : e));
  }
  return out;
}

const isPeopleField = (key: string) => {
  const lower = key.toLowerCase();
  return lower === MUSICIAN_CREDITS_FIELD || INVOLVED_ROLES.has(lower);
};

/**
 * ID3v2.4's people lists, as Picard writes them: TMCL pairs each performer's role with their name, TIPL
 * each producer's, arranger's, engineer's and mixer's (their rows' roles: "producer", "DJ-mix"…), one
 * frame each (ID3 allows one), the fields in the tags' order.
 */
function peopleFrames(tags: TagList): Buffer[] {
  const musicians: string[] = [];
  const involved: string[] = [];
  for (const [key, values] of tags) {
    const lower = key.toLowerCase();
    const role = INVOLVED_ROLES.get(lower);
    if (role !== undefined) for (const v of values) involved.push(role, v);
    else if (lower === MUSICIAN_CREDITS_FIELD) for (const v of values) musicians.push(...id3Pair(v));
  }
  return [
    ...(musicians.length > 0 ? [frame('TMCL', UTF8, musicians.join('\0'))] : []),
    ...(involved.length > 0 ? [frame('TIPL', UTF8, involved.join('\0'))] : []),
  ];
}

function framesFor(key: string, values: readonly string[]): Buffer[] {
  const described = splitDescribed(key);
  if (described) {
    // One frame per value: TagLib and FFmpeg read one string per COMM/USLT. (mutagen merges COMMs that
    // share a description into one NUL-separated frame, which the scanner reads back the same.) A value
    // given twice is written once: two identical frames are a damaged tag to a strict reader, and a tagger
    // that saves them back would be refused.
    const id = ID3_DESCRIBED_FRAMES.get(described.field)!;
    return distinct(values).map((v) => frame(id, UTF8, LANGUAGE, described.description, NUL, v));
  }
  const lower = key.toLowerCase();
  const owner = UFID_OWNERS.get(lower);
  if (owner !== undefined && values.length === 1 && UFID_VALUE.test(values[0]!)) {
    return [frame('UFID', Buffer.from(owner, 'latin1'), NUL, Buffer.from(values[0]!, 'latin1'))];
  }
  const url = ID3_URL_FRAMES.get(lower);
  if (url !== undefined && values.every((v) => URL_VALUE.test(v))) {
    return distinct(values).map((v) => frame(url, Buffer.from(v, 'latin1')));
  }
  const text = values.join('\0');
  const id = ID3_TEXT_FRAMES.get(lower) ?? (TEXT_FRAME_ID.test(key) ? key : undefined);
  if (id !== undefined) return [frame(id, UTF8, text)];
  return [frame('TXXX', UTF8, freeformName(key), NUL, text)];
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** A frame, its header and body (bytes, and strings as UTF-8) in one buffer: every scan and edit sizes a
 *  header from its frames. */
function frame(id: string, ...parts: Array<Uint8Array | string>): Buffer {
  let size = 0;
  for (const part of parts) size += typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.length;
  const out = Buffer.allocUnsafe(FRAME_HEADER + size);
  putFrameHeader(out, id, size);
  let at = FRAME_HEADER;
  for (const part of parts) {
    if (typeof part === 'string') at += out.write(part, at, 'utf8');
    else {
      out.set(part, at);
      at += part.length;
    }
  }
  return out;
}

const FRAME_HEADER = 10;

function frameHeader(id: string, size: number): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER);
  putFrameHeader(out, id, size);
  return out;
}

/** Frame id, syncsafe size, no flags. */
function putFrameHeader(out: Buffer, id: string, size: number): void {
  out.write(id, 0, 4, 'latin1');
  putSyncsafe(out, 4, size);
  out[8] = 0;
  out[9] = 0;
}

function syncsafe(n: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  putSyncsafe(out, 0, n);
  return out;
}

function putSyncsafe(out: Buffer, at: number, n: number): void {
  out[at] = (n >>> 21) & 0x7f;
  out[at + 1] = (n >>> 14) & 0x7f;
  out[at + 2] = (n >>> 7) & 0x7f;
  out[at + 3] = n & 0x7f;
}

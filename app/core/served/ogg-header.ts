// The header pages of a served Ogg Vorbis or Opus file (docs/tag-formats.md: Ogg pages): the original's
// first page (the identification packet) as it is, then a comment packet made from the library and, for
// Vorbis, the original's setup packet, laid into as many pages as the original's headers took where they
// fit (the audio pages then follow byte for byte), else into as few as hold them (the audio pages'
// sequence numbers are then patched as they are served: fuse/ogg-renumber.ts).
// Cover art goes in as METADATA_BLOCK_PICTURE comments (a base64 FLAC PICTURE body), as Picard writes it.
// FLAC in Ogg: the first page's mapping packet with the new number of header packets, then one packet per
// metadata block: a VORBIS_COMMENT (first, as the mapping requires), the original's kept blocks (seek
// table, cue sheet, application…), and one PICTURE block per picture; the last carries the last-block flag.

import { oggCrc } from '../audio/ogg-checksum.ts';
import type { OggKept } from '../media/fast-readers.ts';
import type { TagList } from '../tags/normalize.ts';
import { blockHeader, MAX_BODY, pictureFields, vorbisComment } from './flac-header.ts';
import type { PictureSpec } from './header-segments.ts';
import { type VorbisField, vorbisCommentBody, vorbisFields } from './vorbis-comment-writer.ts';

export type OggCodec = 'vorbis' | 'opus' | 'flac';

export interface OggHeaderInput {
  readonly codec: OggCodec;
  readonly kept: OggKept;
  readonly tags: TagList;
  readonly pictures: readonly PictureSpec[];
}

const PAGE_HEADER = 27;
const MAX_SEGMENTS = 255;
const PICTURE_FIELD = 'METADATA_BLOCK_PICTURE=';
const CONTINUED = 0x01;
const VORBIS_COMMENT = 4;
const PICTURE = 6;
const LAST_BLOCK = 0x80;
/** Where the mapping packet's count of header packets lies on an Ogg FLAC first page (one lacing value). */
const FLAC_COUNT_AT = PAGE_HEADER + 1 + 7;

/** What comes before and after the Vorbis comment body in each codec's comment packet. */
function commentFrame(codec: OggCodec): { prefix: Buffer; suffix: Buffer } {
  return codec === 'opus'
    ? { prefix: Buffer.from('OpusTags', 'latin1'), suffix: Buffer.alloc(0) }
    : { prefix: Buffer.from('\x03vorbis', 'latin1'), suffix: Buffer.from([1]) }; // Vorbis: a framing bit
}

function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** Ogg FLAC's pictures: those whose PICTURE block FLAC's 24-bit block length can hold. */
function flacPictures(input: OggHeaderInput): number[] {
  return input.pictures.flatMap((p, i) => (pictureFields(p).length + p.bytes <= MAX_BODY ? [i] : []));
}

/** The comment packet's length, without the pictures' data. */
function commentLength(input: OggHeaderInput): number {
  if (input.codec === 'flac') return 4 + vorbisComment(input.kept.vendor, input.tags).length;
  const { prefix, suffix } = commentFrame(input.codec);
  const text = vorbisCommentBody(input.kept.vendor, vorbisFields(input.tags)).length;
  let pictures = 0;
  for (const p of input.pictures) {
    pictures += 4 + PICTURE_FIELD.length + base64Length(pictureFields(p).length + p.bytes);
  }
  return prefix.length + text + pictures + suffix.length;
}

/** Lacing values of one packet: 255 for each full 255 bytes, then the rest (possibly 0). */
function segmentCount(length: number): number {
  return Math.floor(length / 255) + 1;
}

/**
 * Lacing values per served header page after the first: the comment's and setup's spread evenly over
 * the original's number of pages when they fit in it (the audio pages are then served byte for byte),
 * else over as few as hold them (every audio page's sequence number then moves by the difference,
 * patched as it is served); the tail's audio packets all on the last page, which carries their granule.
 */
function pageCounts(input: OggHeaderInput): number[] {
  const headerValues = headerLengths(input).reduce((n, l) => n + segmentCount(l), 0);
  const tailValues = (input.kept.tail ?? []).reduce((n, l) => n + segmentCount(l), 0);
  const fits = (n: number) => n >= 1 && headerValues >= n && headerValues + tailValues <= n * MAX_SEGMENTS;
  const pages = fits(input.kept.pages)
    ? input.kept.pages
    : Math.max(1, Math.ceil((headerValues + tailValues) / MAX_SEGMENTS));
  // Spread evenly (any split at lacing boundaries is valid, and every page needs a value), then move
  // what the last page cannot hold beside the tail to the pages before it.
  const counts = Array.from(
    { length: pages },
    (_, i) => Math.floor(headerValues / pages) + (i < headerValues % pages ? 1 : 0),
  );
  let excess = counts[pages - 1]! + tailValues - MAX_SEGMENTS;
  for (let i = 0; excess > 0 && i < pages - 1; i++) {
    const moved = Math.min(excess, MAX_SEGMENTS - counts[i]!);
    counts[i]! += moved;
    counts[pages - 1]! -= moved;
    excess -= moved;
  }
  counts[pages - 1]! += tailValues;
  return counts;
}

/** How many pages (after the first) the served headers take. */
export function oggHeaderPages(input: OggHeaderInput): number {
  return pageCounts(input).length;
}

/** The lengths of the header packets laid into the pages after the first: comment (and Vorbis setup; or
 *  FLAC's kept and PICTURE blocks). */
function headerLengths(input: OggHeaderInput): number[] {
  if (input.codec === 'flac') {
    const pictures = flacPictures(input).map(
      (i) => 4 + pictureFields(input.pictures[i]!).length + input.pictures[i]!.bytes,
    );
    return [commentLength(input), ...(input.kept.blocks ?? []), ...pictures];
  }
  return [commentLength(input), input.kept.setup].slice(0, input.codec === 'opus' ? 1 : 2);
}

/** The served header's exact length, without the pictures' data. */
export function oggHeaderSize(input: OggHeaderInput): number {
  const lengths = [...headerLengths(input), ...(input.kept.tail ?? [])];
  const segments = lengths.reduce((n, l) => n + segmentCount(l), 0);
  return (
    input.kept.idPage + oggHeaderPages(input) * PAGE_HEADER + segments + lengths.reduce((n, l) => n + l, 0)
  );
}

/** Ogg FLAC's header packets: one metadata block each, the last flagged. */
function flacPackets(
  input: OggHeaderInput,
  blocks: readonly Buffer[],
  pictureData: readonly Uint8Array[],
): Buffer[] {
  const comment = vorbisComment(input.kept.vendor, input.tags);
  const packets = [
    Buffer.concat([blockHeader(VORBIS_COMMENT, comment.length), comment]),
    ...blocks.map((b) => Buffer.from(b)),
  ];
  for (const i of flacPictures(input)) {
    const fields = pictureFields(input.pictures[i]!);
    packets.push(
      Buffer.concat([blockHeader(PICTURE, fields.length + pictureData[i]!.length), fields, pictureData[i]!]),
    );
  }
  packets.forEach((p, i) => {
    p[0] = (p[0]! & 0x7f) | (i === packets.length - 1 ? LAST_BLOCK : 0);
  });
  return packets;
}

function commentPacket(input: OggHeaderInput, pictureData: readonly Uint8Array[]): Buffer {
  const fields: VorbisField[] = vorbisFields(input.tags);
  input.pictures.forEach((p, i) => {
    const block = Buffer.concat([pictureFields(p), pictureData[i]!]);
    fields.push({ name: PICTURE_FIELD.slice(0, -1), value: block.toString('base64') });
  });
  const { prefix, suffix } = commentFrame(input.codec);
  return Buffer.concat([prefix, vorbisCommentBody(input.kept.vendor, fields), suffix]);
}

/**
 * `idPage`, `setup` and `tail` are the original's (read at open, checked against the scan's lengths by
 * the caller's size check); `pictureData[i]` holds `input.pictures[i].bytes` bytes.
 */
export function buildOggHeader(
  input: OggHeaderInput,
  original: {
    readonly idPage: Buffer;
    readonly setup: Buffer;
    readonly tail: readonly Buffer[];
    /** Ogg FLAC: the kept metadata blocks, each with its block header. */
    readonly blocks?: readonly Buffer[];
  },
  pictureData: readonly Uint8Array[],
): Buffer {
  let idPage = original.idPage;
  let packets: Buffer[];
  if (input.codec === 'flac') {
    packets = flacPackets(input, original.blocks ?? [], pictureData);
    // The mapping packet counts the header packets after it.
    idPage = Buffer.from(idPage);
    idPage.writeUInt16BE(packets.length, FLAC_COUNT_AT);
    idPage.writeUInt32LE(oggCrc(idPage), 22);
  } else {
    packets = [commentPacket(input, pictureData)];
    if (input.codec === 'vorbis') packets.push(original.setup);
  }
  packets.push(...original.tail);
  const lacing: number[] = [];
  /** Whether the packet a lacing value belongs to ends with it. */
  const ends: boolean[] = [];
  for (const p of packets) {
    const n = segmentCount(p.length);
    for (let i = 0; i < n; i++) {
      lacing.push(i < n - 1 ? 255 : p.length % 255);
      ends.push(i === n - 1);
    }
  }
  const counts = pageCounts(input);
  const serial = original.idPage.readUInt32LE(14);
  const body = Buffer.concat(packets);
  const out: Buffer[] = [idPage];
  let segment = 0;
  let offset = 0;
  for (const [page, count] of counts.entries()) {
    const values = lacing.slice(segment, segment + count);
    const length = values.reduce((n, v) => n + v, 0);
    const header = Buffer.alloc(PAGE_HEADER + count);
    header.write('OggS', 0, 'latin1');
    header[5] = segment > 0 && !ends[segment - 1] ? CONTINUED : 0;
    // Header pages have granule position 0, a page on which no packet ends −1 (the Ogg spec), and the
    // last page, when it carries the original's audio packets, their granule.
    const granule =
      page === counts.length - 1 && original.tail.length > 0
        ? BigInt(input.kept.tailGranule ?? 0)
        : ends.slice(segment, segment + count).includes(true)
          ? 0n
          : -1n;
    header.writeBigInt64LE(granule, 6);
    header.writeUInt32LE(serial, 14);
    header.writeUInt32LE(page + 1, 18);
    header[26] = count;
    header.set(values, PAGE_HEADER);
    const pageBytes = Buffer.concat([header, body.subarray(offset, offset + length)]);
    pageBytes.writeUInt32LE(oggCrc(pageBytes), 22);
    out.push(pageBytes);
    segment += count;
    offset += length;
  }
  return Buffer.concat(out);
}

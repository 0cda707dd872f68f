// The metadata of a served FLAC (docs/tag-formats.md: FLAC metadata blocks): `fLaC`, the original's kept
// blocks byte-exact, a VORBIS_COMMENT and PICTUREs regenerated from the library, then one PADDING block. No
// offset in the audio or the kept blocks depends on the header's size, so the original frames follow as they
// are.
import type { TagList } from '../tags/normalize.ts';
import {
  assemble,
  type HoledHeader,
  holed,
  type PictureSpec,
  type Segment,
  segmentsLength,
} from './header-segments.ts';
import { paddingFor } from './padding.ts';
import { vorbisCommentBody, vorbisFields } from './vorbis-comment-writer.ts';

export type { PictureSpec } from './header-segments.ts';

const STREAMINFO = 0;
const PADDING = 1;
const VORBIS_COMMENT = 4;
const PICTURE = 6;
const LAST_BLOCK = 0x80;
/** Block bodies have a 24-bit length. */
export const MAX_BODY = 2 ** 24 - 1;
const PADDING_FLOOR = 4096;
const MARKER = Buffer.from('fLaC', 'latin1');

export interface FlacHeaderInput {
  /** The original's blocks to keep byte-exact, each with its 4-byte block header (its last-block flag
   *  as found, rewritten here): STREAMINFO first, then SEEKTABLE/CUESHEET/APPLICATION/unknown in
   *  original order. */
  readonly kept: readonly Uint8Array[];
  /** Vorbis comment vendor string (the original's, or a default). */
  readonly vendor: string;
  readonly tags: TagList;
  readonly pictures: readonly PictureSpec[];
  /** Length of the original audio frames (for padding). */
  readonly audioBytes: number;
}

/** For sizing only, the kept blocks may be given as their total length (headers included). */
export type FlacSizeInput = Omit<FlacHeaderInput, 'kept'> & {
  readonly kept: FlacHeaderInput['kept'] | number;
};

/** The exact length of buildFlacHeader's result, without the picture data. */
export function flacHeaderSize(input: FlacSizeInput): number {
  const { kept } = input;
  if (typeof kept === 'number') return MARKER.length + kept + segmentsLength(regenerated(input));
  return segmentsLength(layout({ ...input, kept }));
}

/**
 * `pictureData[i]` holds `input.pictures[i].bytes` bytes. A picture whose block would exceed FLAC's
 * 16 MiB block limit is left out, and its data not read (Picard does not embed those either). Tags
 * that exceed it throw a RangeError (here and in flacHeaderSize): no tagger could write them to a FLAC.
 */
export function buildFlacHeader(input: FlacHeaderInput, pictureData: readonly Uint8Array[]): Buffer {
  return assemble(layout(input), input.pictures, pictureData);
}

/** buildFlacHeader's result with its pictures' places left as holes. */
export function holedFlacHeader(input: FlacHeaderInput): HoledHeader {
  return holed(layout(input));
}

function layout(input: FlacHeaderInput): Segment[] {
  const segments: Segment[] = [MARKER];
  checkKept(input.kept);
  for (const block of input.kept) {
    segments.push(blockHeader(block[0]! & 0x7f, block.length - 4), block.subarray(4));
  }
  return [...segments, ...regenerated(input)];
}

/** The blocks made from the library: VORBIS_COMMENT, PICTUREs, and the last block, PADDING. */
function regenerated(input: Omit<FlacHeaderInput, 'kept'>): Segment[] {
  const segments: Segment[] = [];
  const comment = vorbisComment(input.vendor, input.tags);
  segments.push(blockHeader(VORBIS_COMMENT, comment.length), comment);
  for (const [i, picture] of input.pictures.entries()) {
    const fields = pictureFields(picture);
    const bodyLength = fields.length + picture.bytes;
    if (bodyLength > MAX_BODY) continue;
    segments.push(blockHeader(PICTURE, bodyLength), fields, { length: picture.bytes, picture: i });
  }
  const padding = paddingFor(input.audioBytes, PADDING_FLOOR);
  segments.push(blockHeader(PADDING, padding, true), { length: padding });
  return segments;
}

function checkKept(kept: readonly Uint8Array[]): void {
  if (kept.length === 0 || (kept[0]![0]! & 0x7f) !== STREAMINFO) {
    throw new RangeError('the kept FLAC blocks must start with STREAMINFO');
  }
  kept.forEach((block, i) => {
    const length = block.length < 4 ? -1 : (block[1]! << 16) | (block[2]! << 8) | block[3]!;
    if (length !== block.length - 4) {
      throw new RangeError(`kept FLAC block ${i} has ${block.length} bytes; its header says ${length} + 4`);
    }
  });
}

/** A metadata block's 4-byte header: type, last-block flag, 24-bit body length. */
export function blockHeader(type: number, length: number, last = false): Buffer {
  return Buffer.from([type | (last ? LAST_BLOCK : 0), length >>> 16, (length >>> 8) & 0xff, length & 0xff]);
}

/** A VORBIS_COMMENT block's body; a RangeError naming the largest field when it passes FLAC's limit. */
export function vorbisComment(vendor: string, tags: TagList): Buffer {
  const fields = vorbisFields(tags);
  const body = vorbisCommentBody(vendor, fields);
  if (body.length <= MAX_BODY) return body;
  const bytesByName = new Map<string, number>();
  for (const { name, value } of fields) {
    bytesByName.set(name, (bytesByName.get(name) ?? 0) + Buffer.byteLength(value));
  }
  let largest: [string, number] = ['the vendor string', Buffer.byteLength(vendor)];
  for (const entry of bytesByName) if (entry[1] > largest[1]) largest = entry;
  throw new RangeError(
    `the Vorbis comment needs ${body.length} bytes, over FLAC's ${MAX_BODY}-byte block limit; ` +
      `${largest[0]} alone has ${largest[1]}`,
  );
}

/** A PICTURE body up to its data: all big-endian u32s and length-prefixed strings. */
export function pictureFields(picture: PictureSpec): Buffer {
  const mime = Buffer.from(picture.mime, 'latin1');
  const description = Buffer.from(picture.description, 'utf8');
  const out = Buffer.alloc(32 + mime.length + description.length);
  let at = out.writeUInt32BE(picture.type);
  at = out.writeUInt32BE(mime.length, at);
  at += mime.copy(out, at);
  at = out.writeUInt32BE(description.length, at);
  at += description.copy(out, at);
  // Width, height and colour depth stated together or not at all (0), as Ogg Opus's checks ask (opusinfo
  // warns of a size without its depth); the number of colours 0, as for any picture not indexed.
  const sized = picture.width !== null && picture.height !== null && picture.depth !== null;
  at = out.writeUInt32BE(sized ? picture.width! : 0, at);
  at = out.writeUInt32BE(sized ? picture.height! : 0, at);
  at = out.writeUInt32BE(sized ? picture.depth! : 0, at);
  at += 4;
  out.writeUInt32BE(picture.bytes, at);
  return out;
}

// iTunes metadata items (`moov/udta/meta/ilst`; docs/tag-formats.md: MP4 metadata items), read in one pass
// and reported as music-metadata reports them, so normalization is shared. Its own reading is linear, but
// its common view looks each value up among the earlier values of its field: 100k ARTIST values took 15 s.

import { ID3V1_GENRES } from '../tags/id3v1-genres.ts';
import { type NativeTag, NotHandledHere, type RawPicture } from '../tags/native.ts';
import type { ByteWindow } from './file-window.ts';
import { childBoxes, type Mp4Box } from './mp4-boxes.ts';

export interface IlstTags {
  readonly tags: NativeTag[];
  readonly pictures: RawPicture[];
}

// The `data` box's well-known types (Apple's QuickTime File Format: Well-known types).
const IMAGE_TYPES: Record<number, string> = { 13: 'image/jpeg', 14: 'image/png', 27: 'image/bmp' };

/** A value by its well-known type; undefined for types Sleeve does not keep. */
function dataValue(key: string, type: number, value: Buffer): unknown {
  switch (type) {
    case 0: // "implicit": the item's own binary layout
      if ((key === 'trkn' || key === 'disk') && value.length >= 6)
        return `${value.readUInt16BE(2)}/${value.readUInt16BE(4)}`;
      if (key === 'gnre' && value.length >= 2) return ID3V1_GENRES[value.readUInt16BE(0) - 1];
      return undefined;
    case 1: // UTF-8
    case 18: // also UTF-8 in practice (some audiobooks' ©gen)
      return value.toString('utf8');
    case 2: // UTF-16 big-endian
      return Buffer.from(value.subarray(0, value.length & ~1))
        .swap16()
        .toString('utf16le');
    case 21: // big-endian signed integer of 1–4 (or 8) bytes
    case 22: // unsigned
      return integer(value, type === 21);
    case 65:
      return value.length >= 1 ? value.readInt8(0) : undefined;
    case 66:
      return value.length >= 2 ? value.readInt16BE(0) : undefined;
    case 67:
      return value.length >= 4 ? value.readInt32BE(0) : undefined;
    default:
      return undefined;
  }
}

function integer(value: Buffer, signed: boolean): number | undefined {
  if (value.length === 8) return Number(signed ? value.readBigInt64BE(0) : value.readBigUInt64BE(0));
  if (value.length < 1 || value.length > 4) return undefined;
  return signed ? value.readIntBE(0, value.length) : value.readUIntBE(0, value.length);
}

/** A `mean` or `name` box's text (after its 4 bytes of version and flags). */
function nameText(window: ByteWindow, box: Mp4Box): string {
  return window.read(box.bodyStart + 4, box.end - box.bodyStart - 4).toString('utf8');
}

/**
 * The items of an `ilst` box: one tag per `data` box, keyed as music-metadata keys them (the atom's type,
 * or `----:<mean>:<name>` for a freeform atom); cover art (`covr`) as pictures.
 */
export function readIlst(window: ByteWindow, ilst: Mp4Box): IlstTags {
  const items = childBoxes(window, ilst.bodyStart, ilst.end);
  if (!items) throw new NotHandledHere('an ilst item whose size cannot be followed');
  const tags: NativeTag[] = [];
  const pictures: RawPicture[] = [];
  for (const item of items) {
    const parts = childBoxes(window, item.bodyStart, item.end);
    if (!parts) throw new NotHandledHere(`an ilst item (${item.type}) whose size cannot be followed`);
    let key = item.type;
    for (const part of parts) {
      if (part.type === 'mean' || part.type === 'name') key += `:${nameText(window, part)}`;
      if (part.type !== 'data' || part.end - part.bodyStart < 8) continue;
      const head = window.read(part.bodyStart, 8);
      if (head[0] !== 0) continue; // a type set other than Apple's well-known types
      const type = head.readUIntBE(1, 3);
      const value = window.read(part.bodyStart + 8, part.end - part.bodyStart - 8);
      if (key === 'covr') {
        pictures.push({ mime: IMAGE_TYPES[type] ?? '', type: 3, description: '', data: value });
        continue;
      }
      const v = dataValue(key, type, value);
      if (v !== undefined) tags.push({ id: key, value: v });
    }
  }
  return { tags, pictures };
}

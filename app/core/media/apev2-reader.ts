// APEv2 tags (WavPack, Monkey's Audio, Musepack, and some MP3s; docs/tag-formats.md: APEv2), read in one
// pass over the items. music-metadata's reading is linear too, but its common view then looks each value
// up among the earlier values of its field: 100k ARTIST values took 15 s.

import { type NativeTag, NotHandledHere, type RawPicture } from '../tags/native.ts';
import type { ByteWindow } from './file-window.ts';

const FOOTER_BYTES = 32;
const HAS_HEADER = 0x80000000;
// Bits 1–2 of an item's flags: 0 UTF-8 text, 1 binary, 2 a locator (text), 3 reserved.
const BINARY = 1;

export interface ApeTag {
  readonly tags: NativeTag[];
  readonly pictures: RawPicture[];
}

/** Where the APEv2 tag whose footer ends at `end` begins (its header included), if one ends there. */
export function apeTagStart(window: ByteWindow, end: number): number | undefined {
  if (end < FOOTER_BYTES) return undefined;
  const footer = window.read(end - FOOTER_BYTES, FOOTER_BYTES);
  if (footer.toString('latin1', 0, 8) !== 'APETAGEX') return undefined;
  const size = footer.readUInt32LE(12);
  const total = size + (footer.readUInt32LE(20) & HAS_HEADER ? FOOTER_BYTES : 0);
  return size >= FOOTER_BYTES && total <= end ? end - total : undefined;
}

/** The items of the APEv2 tag whose footer ends at `end` (`apeTagStart` found it). */
export function readApeTag(window: ByteWindow, end: number): ApeTag {
  const footer = window.read(end - FOOTER_BYTES, FOOTER_BYTES);
  const itemsEnd = end - FOOTER_BYTES;
  const count = footer.readUInt32LE(16);
  const itemsStart = end - footer.readUInt32LE(12);
  const body = window.read(itemsStart, itemsEnd - itemsStart);
  const tags: NativeTag[] = [];
  const pictures: RawPicture[] = [];
  const damaged = (what: string) => new NotHandledHere(`an APEv2 item ${what}`);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 9 > body.length) throw damaged('count beyond the tag');
    const size = body.readUInt32LE(pos);
    const type = (body.readUInt32LE(pos + 4) >> 1) & 3;
    const keyEnd = body.indexOf(0, pos + 8);
    if (keyEnd < 0) throw damaged('key without its end');
    const key = body.toString('latin1', pos + 8, keyEnd);
    const valueEnd = keyEnd + 1 + size;
    if (valueEnd > body.length) throw damaged('value past the end of the tag');
    const value = body.subarray(keyEnd + 1, valueEnd);
    pos = valueEnd;
    if (type === BINARY) {
      if (!key.toLowerCase().startsWith('cover art')) continue;
      // A cover is its description, a NUL, then the image.
      const zero = value.indexOf(0);
      pictures.push({
        mime: '',
        type: key.toLowerCase().includes('(back)') ? 4 : 3,
        description: zero < 0 ? '' : value.toString('utf8', 0, zero),
        data: value.subarray(zero + 1),
      });
    } else if (type !== 3) {
      // Several values of one item are separated by NULs.
      for (const v of value.toString('utf8').split('\0')) tags.push({ id: key, value: v });
    }
  }
  return { tags, pictures };
}

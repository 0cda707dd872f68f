// Text tags of WAV and AIFF files (docs/tag-formats.md: WAV and AIFF chunks), reported as music-metadata
// reports them (`exif` for RIFF INFO, `AIFF` for AIFF's text chunks) and read in one pass: music-metadata's
// common view looks each value up among the earlier values of its field (100k IART items took 15 s).
import type { NativeTag } from './native.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');
const windows1252 = new TextDecoder('windows-1252');

/**
 * A RIFF INFO value. A CSET chunk's code page says how it is encoded; without one the standard says ISO
 * 8859-1, but most taggers write UTF-8, so text that is valid UTF-8 is read as such.
 */
function infoText(bytes: Uint8Array, codePage: number | undefined): string {
  if (codePage === 1252) return windows1252.decode(bytes);
  if (codePage === undefined || codePage === 0 || codePage === 65001) {
    try {
      return utf8.decode(bytes);
    } catch {
      // not UTF-8: fall through to ISO 8859-1
    }
  }
  return latin1.decode(bytes);
}

/** The items of a `LIST` chunk of type `INFO` (`body` after the type): a 4-character id, a u32 LE size, text. */
export function readRiffInfo(body: Buffer, codePage: number | undefined): NativeTag[] {
  const tags: NativeTag[] = [];
  let pos = 0;
  while (pos + 8 <= body.length) {
    const id = body.toString('latin1', pos, pos + 4);
    const size = body.readUInt32LE(pos + 4);
    const value = body.subarray(pos + 8, Math.min(pos + 8 + size, body.length));
    const text = infoText(value, codePage).replace(/\0.*$/s, '').trim();
    if (text) tags.push({ id, value: text });
    pos += 8 + size + (size & 1);
  }
  return tags;
}

/** An AIFF `NAME`, `AUTH`, `(c) ` or `ANNO` chunk: ASCII text, several values separated by NULs. */
export function readAiffText(id: string, body: Buffer): NativeTag[] {
  return body
    .toString('latin1')
    .split('\0')
    .map((v) => v.trim())
    .filter((v) => v.length > 0)
    .map((value) => ({ id, value }));
}

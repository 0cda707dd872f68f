// ID3v2.2/2.3/2.4 and ID3v1 readers (docs/tag-formats.md: ID3v2 framing). Produces native tags in
// music-metadata's shape so one normalizer serves both. Compressed or encrypted frames are left to
// the general parser (NotHandledHere).
import { ID3V1_GENRES } from './id3v1-genres.ts';
import { type NativeTag, NotHandledHere, type RawPicture } from './native.ts';

export interface Id3v2Result {
  /** 'ID3v2.2' | 'ID3v2.3' | 'ID3v2.4' */
  readonly type: string;
  readonly tags: NativeTag[];
  readonly pictures: RawPicture[];
}

const utf8 = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');

function syncsafe(b: Uint8Array, at: number): number {
  return (
    ((b[at]! & 0x7f) << 21) | ((b[at + 1]! & 0x7f) << 14) | ((b[at + 2]! & 0x7f) << 7) | (b[at + 3]! & 0x7f)
  );
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

/** Undoes unsynchronisation: every 0xFF 0x00 becomes 0xFF. */
function resync(b: Uint8Array): Uint8Array {
  if (b.indexOf(0xff) < 0) return b;
  const out = new Uint8Array(b.length);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    out[n++] = b[i]!;
    if (b[i] === 0xff && b[i + 1] === 0x00) i++;
  }
  return out.subarray(0, n);
}

function decode(b: Uint8Array, encoding: number): string {
  switch (encoding) {
    case 0:
      return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    case 1:
      if (b[0] === 0xfe && b[1] === 0xff) return utf16be.decode(b.subarray(2));
      if (b[0] === 0xff && b[1] === 0xfe) return utf16le.decode(b.subarray(2));
      return utf16le.decode(b);
    case 2:
      return utf16be.decode(b);
    default:
      return utf8.decode(b);
  }
}

/** Index of the terminator at or after `from` (0x00, or 0x00 0x00 at an even offset for UTF-16). */
function terminator(b: Uint8Array, from: number, encoding: number): number {
  if (encoding === 1 || encoding === 2) {
    for (let i = from; i + 1 < b.length; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
    return b.length;
  }
  const i = b.indexOf(0, from);
  return i < 0 ? b.length : i;
}

const termLength = (encoding: number) => (encoding === 1 || encoding === 2 ? 2 : 1);

/** Splits an encoded string list on its terminators; drops empty trailing entries. */
function decodeList(b: Uint8Array, encoding: number): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < b.length) {
    const end = terminator(b, pos, encoding);
    out.push(decode(b.subarray(pos, end), encoding));
    pos = end + termLength(encoding);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** "(17)", "17", "(17)Rock" → genre names, as in TCON. */
function resolveGenre(value: string): string[] {
  const refs = /^((?:\(\d+\))+)(.*)$/.exec(value);
  if (refs) {
    const names = [...refs[1]!.matchAll(/\((\d+)\)/g)].map((m) => ID3V1_GENRES[Number(m[1])] ?? m[1]!);
    return refs[2] ? [...names.filter((n) => n !== refs[2]), refs[2]] : names;
  }
  if (/^\d+$/.test(value) && ID3V1_GENRES[Number(value)]) return [ID3V1_GENRES[Number(value)]!];
  return [value];
}

// ID3v2.2 picture formats to MIME types.
const PIC_FORMATS: Record<string, string> = {
  JPG: 'image/jpeg',
  PNG: 'image/png',
  GIF: 'image/gif',
  BMP: 'image/bmp',
};

function readFrame(id: string, data: Uint8Array, tags: NativeTag[], pictures: RawPicture[]): void {
  if (data.length === 0) return;
  const enc = data[0]!;
  if (id === 'TXXX' || id === 'TXX') {
    const end = terminator(data, 1, enc);
    const desc = decode(data.subarray(1, end), enc);
    for (const v of decodeList(data.subarray(end + termLength(enc)), enc))
      tags.push({ id: `TXXX:${desc}`, value: v });
  } else if (id[0] === 'T') {
    for (const v of decodeList(data.subarray(1), enc)) {
      if (id === 'TCON' || id === 'TCO') for (const g of resolveGenre(v)) tags.push({ id, value: g });
      else tags.push({ id, value: v });
    }
  } else if (id === 'COMM' || id === 'COM' || id === 'USLT' || id === 'ULT') {
    if (data.length < 4) return;
    const language = Buffer.from(data.subarray(1, 4)).toString('latin1');
    const end = terminator(data, 4, enc);
    const descriptor = decode(data.subarray(4, end), enc);
    const body = data.subarray(end + termLength(enc));
    // mutagen (so Picard) keeps one COMM per language and description: several comments share it, NUL-separated.
    const comment = id === 'COMM' || id === 'COM';
    for (const text of comment ? decodeList(body, enc) : [decode(body, enc).replace(/\0+$/, '')]) {
      tags.push({ id: comment ? 'COMM' : 'USLT', value: { language, descriptor, text } });
    }
  } else if (id === 'UFID' || id === 'UFI') {
    const end = data.indexOf(0);
    if (end < 0) return;
    const owner = Buffer.from(data.subarray(0, end)).toString('latin1');
    tags.push({ id: 'UFID', value: { owner_identifier: owner, identifier: data.slice(end + 1) } });
  } else if (id === 'APIC' || id === 'PIC') {
    let pos = 1;
    let mime: string;
    if (id === 'PIC') {
      const format = Buffer.from(data.subarray(1, 4)).toString('latin1').toUpperCase();
      mime = PIC_FORMATS[format] ?? `image/${format.toLowerCase()}`;
      pos = 4;
    } else {
      const end = terminator(data, 1, 0);
      mime = Buffer.from(data.subarray(1, end)).toString('latin1');
      pos = end + 1;
    }
    const type = data[pos]!;
    const descEnd = terminator(data, pos + 1, enc);
    const description = decode(data.subarray(pos + 1, descEnd), enc);
    pictures.push({
      mime: mime.includes('/') ? mime : `image/${mime.toLowerCase()}`,
      type,
      description,
      data: data.slice(descEnd + termLength(enc)),
    });
  } else if (id === 'WOAR') {
    tags.push({ id, value: decode(data, 0).replace(/\0+$/, '') });
  }
}

/** Parses the ID3v2 tag that starts at byte 0 of `tag` (the whole tag, as long as its header says). */
export function parseId3v2(tag: Uint8Array): Id3v2Result {
  const major = tag[3]!;
  if (major < 2 || major > 4) throw new NotHandledHere(`ID3v2.${major}`);
  const flags = tag[5]!;
  const size = syncsafe(tag, 6);
  let body = tag.subarray(10, 10 + size);
  if (flags & 0x80 && major < 4) body = resync(body);
  let pos = 0;
  if (flags & 0x40) {
    if (major === 3) pos = 4 + u32(body, 0);
    else if (major === 4) pos = syncsafe(body, 0);
  }
  const tags: NativeTag[] = [];
  const pictures: RawPicture[] = [];
  const idLength = major === 2 ? 3 : 4;
  const headerLength = major === 2 ? 6 : 10;
  while (pos + headerLength <= body.length) {
    const idBytes = body.subarray(pos, pos + idLength);
    if (idBytes[0] === 0) break; // padding
    const id = Buffer.from(idBytes).toString('latin1');
    if (!/^[A-Z0-9]+$/.test(id)) break;
    let frameSize: number;
    let formatFlags = 0;
    if (major === 2) frameSize = (body[pos + 3]! << 16) | (body[pos + 4]! << 8) | body[pos + 5]!;
    else if (major === 3) frameSize = u32(body, pos + 4);
    else {
      // Some writers (old iTunes) used plain sizes in v2.4: a byte with its high bit set gives them away.
      const plain = body.subarray(pos + 4, pos + 8).some((b) => b & 0x80);
      frameSize = plain ? u32(body, pos + 4) : syncsafe(body, pos + 4);
    }
    if (major >= 3) formatFlags = body[pos + 9]!;
    const start = pos + headerLength;
    pos = start + frameSize;
    if (pos > body.length) break;
    let data = body.subarray(start, start + frameSize);
    if (major === 3) {
      if (formatFlags & 0xc0) throw new NotHandledHere('compressed or encrypted ID3v2.3 frame');
      if (formatFlags & 0x20) data = data.subarray(1);
    } else if (major === 4) {
      if (formatFlags & 0x0c) throw new NotHandledHere('compressed or encrypted ID3v2.4 frame');
      if (formatFlags & 0x40) data = data.subarray(1);
      if (formatFlags & 0x01) data = data.subarray(4);
      if (formatFlags & 0x02 || flags & 0x80) data = resync(data);
    }
    readFrame(id, data, tags, pictures);
  }
  return { type: `ID3v2.${major}`, tags, pictures };
}

/** The 128-byte ID3v1(.1) tag at the end of a file, or undefined. */
export function parseId3v1(tag: Uint8Array): NativeTag[] | undefined {
  if (tag.length !== 128 || tag[0] !== 0x54 || tag[1] !== 0x41 || tag[2] !== 0x47) return undefined;
  const text = (from: number, length: number) =>
    Buffer.from(tag.subarray(from, from + length))
      .toString('latin1')
      .replace(/\0.*$/s, '')
      .trim();
  const tags: NativeTag[] = [];
  const add = (id: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '' && value !== 0) tags.push({ id, value });
  };
  add('title', text(3, 30));
  add('artist', text(33, 30));
  add('album', text(63, 30));
  add('year', text(93, 4));
  const v11 = tag[125] === 0 && tag[126] !== 0;
  add('comment', text(97, v11 ? 28 : 30));
  if (v11) add('track', tag[126]);
  add('genre', ID3V1_GENRES[tag[127]!]);
  return tags;
}

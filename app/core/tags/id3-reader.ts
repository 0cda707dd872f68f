// ID3v2.2/2.3/2.4 and ID3v1 readers (docs/tag-formats.md: ID3v2 framing). Produces native tags in
// music-metadata's shape so one normalizer serves both. Two modes. The scan reads leniently: it stops at
// what it cannot follow and keeps the frames before it, and leaves compressed or encrypted frames to the
// general parser (NotHandledHere). Write-back reads strictly: a tag is taken only if it parses completely
// (valid frame ids, every frame inside the tag, only zero padding after the last one, the extended
// header, unsynchronisation and each version's size rules honoured, well-formed text), else DamagedTag
// says why: read leniently, a torn or damaged save would clear every field it lost.
import { createHash } from 'node:crypto';
import { ID3V1_GENRES } from './id3v1-genres.ts';
import { DamagedTag, type NativeTag, NotHandledHere, type RawPicture } from './native.ts';

export interface Id3v2Result {
  /** 'ID3v2.2' | 'ID3v2.3' | 'ID3v2.4' */
  readonly type: string;
  readonly tags: NativeTag[];
  readonly pictures: RawPicture[];
}

const decoders = (fatal: boolean) => ({
  utf8: new TextDecoder('utf-8', { fatal }),
  le: new TextDecoder('utf-16le', { fatal }),
  be: new TextDecoder('utf-16be', { fatal }),
});
const LENIENT = decoders(false);
const FATAL = decoders(true);
const ENCODINGS = ['Latin-1', 'UTF-16', 'UTF-16BE', 'UTF-8'];
/** The people lists: v2.4's musician credits and involved people, v2.3's and v2.2's involved people. */
const PEOPLE_LISTS = new Set(['TMCL', 'TIPL', 'IPLS', 'IPL']);

function syncsafe(b: Uint8Array, at: number): number {
  return (
    ((b[at]! & 0x7f) << 21) | ((b[at + 1]! & 0x7f) << 14) | ((b[at + 2]! & 0x7f) << 7) | (b[at + 3]! & 0x7f)
  );
}

/** Whether the four bytes at `at` are a syncsafe integer (no byte with its high bit set). */
const isSyncsafe = (b: Uint8Array, at: number) => b.subarray(at, at + 4).every((x) => x < 0x80);

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

/** Whether `b` could be unsynchronised data: no 0xFF followed by another 0xFF or a byte of 0xE0 or
 *  more (a false sync the scheme exists to break), and none at the end (mutagen's rule too). */
function isUnsynchronised(b: Uint8Array): boolean {
  for (let i = b.indexOf(0xff); i >= 0; i = b.indexOf(0xff, i + 1)) {
    if (i + 1 === b.length || b[i + 1]! >= 0xe0) return false;
  }
  return true;
}

/** Index of the terminator at or after `from` (0x00, or 0x00 0x00 at an even offset for UTF-16), or -1. */
function findTerminator(b: Uint8Array, from: number, encoding: number): number {
  if (encoding === 1 || encoding === 2) {
    for (let i = from; i + 1 < b.length; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
    return -1;
  }
  return b.indexOf(0, from);
}

const termLength = (encoding: number) => (encoding === 1 || encoding === 2 ? 2 : 1);

/** "(17)", "17", "(17)Rock" → genre names, as in TCON. */
export function resolveGenre(value: string): string[] {
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

/** The highest ID3v2 picture type ("Publisher/Studio logotype"). */
const LAST_PICTURE_TYPE = 20;
/** UFID's identifier holds at most 64 bytes. */
const UFID_MAX = 64;

/** One tag being read: its version, what it has produced, and (strict) what it refuses. */
class TagReading {
  readonly major: number;
  readonly strict: boolean;
  readonly tags: NativeTag[] = [];
  readonly pictures: RawPicture[] = [];
  /** Frames ID3v2 allows once per tag (text frames by id, TXXX by description, UFID by owner). */
  readonly #once = new Set<string>();
  /** Frames read so far, by id and a digest of their bytes: a repeat is found in constant time (a tag
   *  may hold 50,000 frames). */
  readonly #frames = new Set<string>();

  constructor(major: number, strict: boolean) {
    this.major = major;
    this.strict = strict;
  }

  /** A strict read refuses the tag: `what` completes "the ID3v2.N tag" ("has…", "'s frame…"). A
   *  lenient one carries on. */
  refuse(what: string): void {
    const sep = what.startsWith("'") ? '' : ' ';
    if (this.strict) throw new DamagedTag(`the ID3v2.${this.major} tag${sep}${what}`);
  }

  /** A frame ID3v2 allows once (per `key`) must not come again. */
  once(key: string, what: string): void {
    if (!this.strict) return;
    if (this.#once.has(key)) this.refuse(`has ${what} twice`);
    this.#once.add(key);
  }

  /** No frame may come twice byte for byte (a repeated write): readers that merge them would disagree. */
  notRepeated(id: string, data: Uint8Array): void {
    if (!this.strict) return;
    const key = `${id}:${createHash('sha1').update(data).digest('base64')}`;
    if (this.#frames.has(key)) this.refuse(`has the same ${id} frame twice`);
    this.#frames.add(key);
  }

  /** Text encodings: 0 and 1 in every version, 2 and 3 only in ID3v2.4. */
  encoding(id: string, encoding: number): void {
    if (encoding > (this.major === 4 ? 3 : 1))
      this.refuse(`'s frame ${id} has text encoding ${encoding}, which ID3v2.${this.major} does not have`);
  }

  /** The end of a terminated string; without its terminator, a strict read refuses the frame. */
  terminator(b: Uint8Array, from: number, encoding: number, id: string, what: string): number {
    const end = findTerminator(b, from, encoding);
    if (end >= 0) return end;
    this.refuse(`'s frame ${id} ends inside its ${what}`);
    return b.length;
  }

  decode(b: Uint8Array, encoding: number, id: string): string {
    if (encoding === 0) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    const d = this.strict ? FATAL : LENIENT;
    try {
      if (encoding === 1) {
        if (b[0] === 0xfe && b[1] === 0xff) return d.be.decode(b.subarray(2));
        if (b[0] === 0xff && b[1] === 0xfe) return d.le.decode(b.subarray(2));
        if (b.length > 0) this.refuse(`'s frame ${id} has UTF-16 text without a byte order mark`);
        return d.le.decode(b);
      }
      return encoding === 2 ? d.be.decode(b) : d.utf8.decode(b);
    } catch (err) {
      if (err instanceof DamagedTag) throw err;
      // Only the fatal decoders throw.
      throw new DamagedTag(
        `the ID3v2.${this.major} tag's frame ${id} has text that is not valid ${ENCODINGS[encoding] ?? 'UTF-8'}`,
      );
    }
  }

  /** Splits an encoded string list on its terminators; drops empty trailing entries. */
  decodeList(b: Uint8Array, encoding: number, id: string): string[] {
    const out: string[] = [];
    let pos = 0;
    while (pos < b.length) {
      const found = findTerminator(b, pos, encoding);
      const end = found < 0 ? b.length : found;
      out.push(this.decode(b.subarray(pos, end), encoding, id));
      pos = end + termLength(encoding);
    }
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  /** One frame's data (flags and unsynchronisation undone), into tags and pictures. */
  frame(id: string, data: Uint8Array): void {
    if (data.length === 0) return;
    this.notRepeated(id, data);
    const enc = data[0]!;
    if (id === 'TXXX' || id === 'TXX') {
      this.encoding(id, enc);
      const end = this.terminator(data, 1, enc, id, 'description');
      const desc = this.decode(data.subarray(1, end), enc, id);
      this.once(`TXXX:${desc}`, `TXXX frames described ${JSON.stringify(desc)}`);
      for (const v of this.decodeList(data.subarray(end + termLength(enc)), enc, id))
        this.tags.push({ id: `TXXX:${desc}`, value: v });
    } else if (PEOPLE_LISTS.has(id)) {
      // Pairs of a role and a name: `{role, name}` values, ID3v2.3's IPLS (v2.2's IPL) as v2.4's TIPL, as
      // mutagen upgrades it. A role left without its name (an odd count) names no one.
      this.encoding(id, enc);
      this.once(id, `${id} frames`);
      const list = this.decodeList(data.subarray(1), enc, id);
      const as = id === 'TMCL' ? 'TMCL' : 'TIPL';
      for (let i = 0; i + 1 < list.length; i += 2)
        this.tags.push({ id: as, value: { role: list[i]!, name: list[i + 1]! } });
    } else if (id[0] === 'T') {
      this.encoding(id, enc);
      this.once(id, `${id} frames`);
      for (const v of this.decodeList(data.subarray(1), enc, id)) {
        if (id === 'TCON' || id === 'TCO') for (const g of resolveGenre(v)) this.tags.push({ id, value: g });
        else this.tags.push({ id, value: v });
      }
    } else if (id === 'COMM' || id === 'COM' || id === 'USLT' || id === 'ULT') {
      if (data.length < 4) {
        this.refuse(`'s frame ${id} ends inside its language code`);
        return;
      }
      this.encoding(id, enc);
      if (data.subarray(1, 4).some((b) => b >= 0x80))
        this.refuse(`'s frame ${id} has a language code that is not ASCII`);
      const language = Buffer.from(data.subarray(1, 4)).toString('latin1');
      const end = this.terminator(data, 4, enc, id, 'description');
      const descriptor = this.decode(data.subarray(4, end), enc, id);
      const body = data.subarray(end + termLength(enc));
      // mutagen (so Picard) keeps one COMM per language and description: several comments share it, NUL-separated.
      const comment = id === 'COMM' || id === 'COM';
      const texts = comment
        ? this.decodeList(body, enc, id)
        : [this.decode(body, enc, id).replace(/\0+$/, '')];
      for (const text of texts) {
        this.tags.push({ id: comment ? 'COMM' : 'USLT', value: { language, descriptor, text } });
      }
    } else if (id === 'UFID' || id === 'UFI') {
      const end = data.indexOf(0);
      if (end < 0) {
        this.refuse(`'s frame ${id} ends inside its owner`);
        return;
      }
      if (end === 0) this.refuse(`'s frame ${id} names no owner`);
      if (data.length - end - 1 > UFID_MAX)
        this.refuse(`'s frame ${id} holds ${data.length - end - 1} bytes, over its ${UFID_MAX}`);
      const owner = Buffer.from(data.subarray(0, end)).toString('latin1');
      this.once(`UFID:${owner}`, `UFID frames owned by ${JSON.stringify(owner)}`);
      this.tags.push({ id: 'UFID', value: { owner_identifier: owner, identifier: data.slice(end + 1) } });
    } else if (id === 'APIC' || id === 'PIC') {
      this.encoding(id, enc);
      let pos = 1;
      let mime: string;
      if (id === 'PIC') {
        const format = Buffer.from(data.subarray(1, 4)).toString('latin1').toUpperCase();
        mime = PIC_FORMATS[format] ?? `image/${format.toLowerCase()}`;
        pos = 4;
      } else {
        const end = this.terminator(data, 1, 0, id, 'MIME type');
        mime = Buffer.from(data.subarray(1, end)).toString('latin1');
        pos = end + 1;
      }
      if (pos >= data.length) this.refuse(`'s frame ${id} ends before its picture type`);
      const type = data[pos]!;
      if (type > LAST_PICTURE_TYPE)
        this.refuse(`'s frame ${id} has picture type ${type}, which ID3v2 does not define`);
      const descEnd = this.terminator(data, pos + 1, enc, id, 'description');
      const description = this.decode(data.subarray(pos + 1, descEnd), enc, id);
      this.pictures.push({
        mime: mime.includes('/') ? mime : `image/${mime.toLowerCase()}`,
        type,
        description,
        data: data.slice(descEnd + termLength(enc)),
      });
    } else if (id === 'WOAR') {
      this.tags.push({ id, value: this.decode(data, 0, id).replace(/\0+$/, '') });
    }
  }
}

/** Tag header flags each version defines: unsynchronisation, extended header (ID3v2.2: compression),
 *  experimental, footer. */
const TAG_FLAGS: Record<number, number> = { 2: 0xc0, 3: 0xe0, 4: 0xf0 };

/**
 * Parses the ID3v2 tag that starts at byte 0 of `tag` (its bytes: a file's leading tag, or a WAV or AIFF
 * chunk's body). `strict`: the tag must parse completely, and be all there is in `tag` but zero bytes;
 * else DamagedTag says why.
 */
export function parseId3v2(tag: Uint8Array, strict = false): Id3v2Result {
  if (strict && (tag.length < 10 || Buffer.from(tag.subarray(0, 3)).toString('latin1') !== 'ID3'))
    throw new DamagedTag('no ID3v2 tag is where one should start');
  const major = tag[3]!;
  if (major < 2 || major > 4) {
    if (strict) throw new DamagedTag(`the tag is ID3v2.${major}, a version Sleeve does not read`);
    throw new NotHandledHere(`ID3v2.${major}`);
  }
  const r = new TagReading(major, strict);
  const flags = tag[5]!;
  const size = syncsafe(tag, 6);
  if (strict) tagLayout(r, tag, flags, size);
  let body = tag.subarray(10, 10 + size);
  if (flags & 0x80 && major < 4) {
    if (strict && !isUnsynchronised(body))
      r.refuse('is marked unsynchronised, but holds bytes unsynchronisation never leaves');
    body = resync(body);
  }
  let pos = 0;
  if (flags & 0x40) {
    if (major === 3) pos = strict ? extendedHeader3(r, body) : 4 + u32(body, 0);
    else if (major === 4) pos = strict ? extendedHeader4(r, body) : syncsafe(body, 0);
  }
  const idLength = major === 2 ? 3 : 4;
  const headerLength = major === 2 ? 6 : 10;
  while (pos + headerLength <= body.length) {
    const idBytes = body.subarray(pos, pos + idLength);
    if (idBytes[0] === 0) break; // padding
    const id = Buffer.from(idBytes).toString('latin1');
    if (!/^[A-Z0-9]+$/.test(id)) {
      r.refuse(`has ${JSON.stringify(id)} where a frame id should be (at byte ${10 + pos})`);
      break;
    }
    let frameSize: number;
    let formatFlags = 0;
    if (major === 2) frameSize = (body[pos + 3]! << 16) | (body[pos + 4]! << 8) | body[pos + 5]!;
    else if (major === 3) frameSize = u32(body, pos + 4);
    else if (strict) {
      if (!isSyncsafe(body, pos + 4)) r.refuse(`'s frame ${id} has a size that is not syncsafe`);
      frameSize = syncsafe(body, pos + 4);
    } else {
      // Some writers (old iTunes) used plain sizes in v2.4: a byte with its high bit set gives them away.
      const plain = !isSyncsafe(body, pos + 4);
      frameSize = plain ? u32(body, pos + 4) : syncsafe(body, pos + 4);
    }
    if (frameSize === 0) r.refuse(`'s frame ${id} is empty (at byte ${10 + pos})`);
    if (strict && major >= 3) frameFlags(r, id, body[pos + 8]!, body[pos + 9]!);
    if (major >= 3) formatFlags = body[pos + 9]!;
    const start = pos + headerLength;
    pos = start + frameSize;
    if (pos > body.length) {
      r.refuse(`'s frame ${id} (at byte ${10 + start - headerLength}) runs past the end of the tag`);
      break;
    }
    let data = body.subarray(start, start + frameSize);
    if (major === 3) {
      if (formatFlags & 0xc0) throw new NotHandledHere('compressed or encrypted ID3v2.3 frame');
      if (formatFlags & 0x20) data = data.subarray(1);
    } else if (major === 4) {
      if (formatFlags & 0x0c) throw new NotHandledHere('compressed or encrypted ID3v2.4 frame');
      if (formatFlags & 0x40) data = data.subarray(1);
      const indicated = formatFlags & 0x01 ? data.subarray(0, 4) : undefined;
      if (indicated) data = data.subarray(4);
      if (formatFlags & 0x02 || flags & 0x80) {
        if (strict && !isUnsynchronised(data))
          r.refuse(`'s frame ${id} is marked unsynchronised, but holds bytes unsynchronisation never leaves`);
        data = resync(data);
      }
      if (strict && indicated) dataLength(r, id, indicated, data.length);
    }
    r.frame(id, data);
  }
  if (strict) {
    const rest = body.subarray(pos);
    const junk = rest.findIndex((b) => b !== 0);
    if (junk === 0 && rest.length < headerLength)
      r.refuse(`ends inside a frame header (at byte ${10 + pos})`);
    if (junk >= 0)
      r.refuse(`has bytes other than zero padding after its last frame (at byte ${10 + pos + junk})`);
    if (flags & 0x10 && rest.length > 0) r.refuse('has both padding and a footer, which ID3v2.4 forbids');
    const end = 10 + size + (flags & 0x10 ? 10 : 0);
    const after = tag.subarray(end).findIndex((b) => b !== 0);
    if (after >= 0)
      r.refuse(`is followed by bytes that are neither tag nor padding (at byte ${end + after})`);
  }
  return { type: `ID3v2.${major}`, tags: r.tags, pictures: r.pictures };
}

/** Strict: the tag's header flags and size, and its footer. */
function tagLayout(r: TagReading, tag: Uint8Array, flags: number, size: number): void {
  if (flags & ~TAG_FLAGS[r.major]!)
    r.refuse(`has header flags ID3v2.${r.major} does not define (0x${flags.toString(16)})`);
  if (r.major === 2 && flags & 0x40) r.refuse('is marked compressed, a scheme ID3v2.2 never defined');
  if (!isSyncsafe(tag, 6)) r.refuse('has a size that is not syncsafe');
  const footer = flags & 0x10 ? 10 : 0;
  const end = 10 + size + footer;
  if (end > tag.length) r.refuse(`says it is ${end} bytes long, but only ${tag.length} are there`);
  if (footer) {
    const head = Buffer.from(tag.subarray(3, 10));
    const foot = Buffer.from(tag.subarray(end - 10, end));
    if (foot.toString('latin1', 0, 3) !== '3DI' || !foot.subarray(3).equals(head))
      r.refuse('has a footer that does not match its header');
  }
}

/** Strict: an ID3v2.3 extended header (a size of 6 or 10 not counting itself, a CRC flag, the padding
 *  size, the CRC); returns where the frames start. */
function extendedHeader3(r: TagReading, body: Uint8Array): number {
  if (body.length < 10) r.refuse('ends inside its extended header');
  const size = u32(body, 0);
  if (size !== 6 && size !== 10)
    r.refuse(`has an extended header of ${size} bytes, where ID3v2.3 allows 6 or 10`);
  const crc = body[4]! & 0x80;
  if (body[4]! & 0x7f || body[5]) r.refuse('has extended header flags ID3v2.3 does not define');
  if ((crc ? 10 : 6) !== size) r.refuse('has an extended header whose size does not match its CRC flag');
  return 4 + size;
}

/** The ID3v2.4 extended header's flags and the length of each one's data: update (b), CRC (c),
 *  restrictions (d). */
const EXTENDED_FLAGS = [
  [0x40, 0, 'update'],
  [0x20, 5, 'CRC'],
  [0x10, 1, 'restrictions'],
] as const;

/** Strict: an ID3v2.4 extended header (a syncsafe size counting itself, one flag byte, each flag's data);
 *  returns where the frames start. */
function extendedHeader4(r: TagReading, body: Uint8Array): number {
  if (body.length < 6) r.refuse('ends inside its extended header');
  if (!isSyncsafe(body, 0)) r.refuse('has an extended header whose size is not syncsafe');
  const size = syncsafe(body, 0);
  if (size < 6 || size > body.length)
    r.refuse(`has an extended header of ${size} bytes, which does not fit its tag`);
  if (body[4] !== 1) r.refuse(`has an extended header with ${body[4]} flag bytes, where ID3v2.4 has 1`);
  const flags = body[5]!;
  if (flags & 0x8f) r.refuse('has extended header flags ID3v2.4 does not define');
  let at = 6;
  for (const [flag, length, name] of EXTENDED_FLAGS) {
    if (!(flags & flag)) continue;
    if (body[at] !== length)
      r.refuse(`has an extended header whose ${name} data is ${body[at]} bytes, where ID3v2.4 has ${length}`);
    at += 1 + length;
  }
  if (at !== size) r.refuse(`has an extended header of ${size} bytes, whose flags take ${at}`);
  return size;
}

/** Strict: a frame's status and format flags (ID3v2.3: %abc00000 %ijk00000; ID3v2.4: %0abc0000
 *  %0h00kmnp). Compressed, encrypted and grouped frames are refused: Sleeve does not read the first two,
 *  and readers disagree on the third (mutagen takes the group byte for text). */
function frameFlags(r: TagReading, id: string, status: number, format: number): void {
  const v3 = r.major === 3;
  if (status & (v3 ? 0x1f : 0x8f) || format & (v3 ? 0x1f : 0xb0))
    r.refuse(`'s frame ${id} has flags ID3v2.${r.major} does not define`);
  if (format & (v3 ? 0x80 : 0x08)) r.refuse(`'s frame ${id} is compressed, which Sleeve does not read`);
  if (format & (v3 ? 0x40 : 0x04)) r.refuse(`'s frame ${id} is encrypted, which Sleeve does not read`);
  if (format & (v3 ? 0x20 : 0x40)) r.refuse(`'s frame ${id} is grouped, which Sleeve does not read`);
}

/** Strict: an ID3v2.4 data length indicator is syncsafe and says the frame's length. */
function dataLength(r: TagReading, id: string, indicated: Uint8Array, length: number): void {
  if (indicated.length < 4 || !isSyncsafe(indicated, 0))
    r.refuse(`'s frame ${id} has a data length indicator that is not syncsafe`);
  const said = syncsafe(indicated, 0);
  if (said !== length) r.refuse(`'s frame ${id} says its data is ${said} bytes long, where it is ${length}`);
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

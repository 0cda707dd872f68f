// Fast paths for the most common formats: FLAC, MP3 and Ogg Vorbis/Opus read with the project's own
// parsers (about 10× cheaper per file than the general parser, and linear in the number of tags, where
// music-metadata's common view is quadratic in the values of one field: 100k ARTIST comments took 15 s).
// Anything unusual is left to music-metadata.

import { type Id3v2Result, parseId3v2 } from '../tags/id3-reader.ts';
import {
  DamagedTag,
  type NativeTag,
  type NativeTags,
  NotHandledHere,
  type RawPicture,
} from '../tags/native.ts';
import { parseFlacPicture, parseVorbisComment } from '../tags/vorbis-comment.ts';
import { type AudioRange, AudioStructureError } from './audio-range.ts';
import type { ByteWindow } from './file-window.ts';
import { id3v2TagLength } from './id3v2.ts';
import { parseMpegFrameHeader } from './mpeg-frame.ts';
import { oggDuration } from './ogg-duration.ts';
import { addTrailingTags } from './tags-apart.ts';
import { flacTruncation, mpegTruncation, type Truncation } from './truncation.ts';
import type { Unspliced } from './unspliced.ts';

export interface AudioProperties {
  readonly codec: string | null;
  readonly lossless: boolean | null;
  readonly sampleRate: number | null;
  readonly channels: number | null;
  readonly bitDepth: number | null;
  readonly duration: number | null;
  readonly bitrate: number | null;
}

/** What a regenerated FLAC header keeps of the original (so its size is known without reading the file). */
export interface FlacKept {
  /** Bytes of the blocks served as they are (all but VORBIS_COMMENT, PICTURE, PADDING), headers included. */
  readonly bytes: number;
  /** The Vorbis comment's vendor string. */
  readonly vendor: string;
}

/** FLAC block types a regenerated header copies as they are (all but PADDING, VORBIS_COMMENT, PICTURE). */
export function isKeptFlacBlock(type: number): boolean {
  return type !== 1 && type !== 4 && type !== 6;
}

/**
 * What a regenerated Ogg Vorbis/Opus header keeps of the original, so its size is known without reading
 * the file: the first page (the identification packet) as it is, the Vorbis setup packet, and the
 * number of pages after the first that the headers take (a new header keeps it, so the audio pages'
 * sequence numbers stay right).
 */
export interface OggKept {
  readonly idPage: number;
  /** The Vorbis setup packet's length; 0 for Opus. */
  readonly setup: number;
  readonly pages: number;
  readonly vendor: string;
  /**
   * Audio packets an encoder put on the last header page (libVorbis 1.0 did, against the spec): their
   * lengths and that page's granule position. The served header carries them on its last page.
   */
  readonly tail?: readonly number[];
  readonly tailGranule?: number;
  /** Ogg FLAC: the lengths of the metadata blocks kept (each one packet, its block header included). */
  readonly blocks?: readonly number[];
}

export interface FastRead {
  readonly properties: AudioProperties;
  readonly flacKept?: FlacKept;
  readonly headerKept?: OggKept | Unspliced;
  /** Where the audio lies, for formats without a separate audio-range finder (Ogg: after the headers). */
  readonly audioRange?: AudioRange;
  readonly native: NativeTags;
  readonly pictures: RawPicture[];
  /** Less audio than the headers declare (properties.duration is then what is there). */
  readonly truncation?: Truncation;
}

function addId3(native: NativeTags, pictures: RawPicture[], id3: Id3v2Result): void {
  native[id3.type] = id3.tags;
  pictures.push(...id3.pictures);
}

/** A leading ID3v2 tag (`id3Length` bytes) and the trailing ID3v1 and APEv2 tags, if the file has them;
 *  `strict`: as read-track's ReadOptions. */
function id3Tags(
  window: ByteWindow,
  id3Length: number,
  range: AudioRange,
  native: NativeTags,
  pictures: RawPicture[],
  strict: boolean,
): void {
  if (id3Length > 0) addId3(native, pictures, parseId3v2(window.read(0, id3Length), strict));
  addTrailingTags(window, range.end, native, pictures, strict);
}

/** A FLAC stream's properties from its STREAMINFO; `measured` (a cut stream's, an Ogg's last granule)
 *  wins over the declared sample count. */
function flacProperties(
  info: ReturnType<typeof parseStreamInfo>,
  measured: number | null | undefined,
  audioBytes: number,
): AudioProperties {
  const { sampleRate, channels, bitDepth, samples } = info;
  const duration = measured ?? (samples > 0 && sampleRate > 0 ? samples / sampleRate : null);
  return {
    codec: 'FLAC',
    lossless: true,
    sampleRate: sampleRate || null,
    channels,
    bitDepth,
    duration,
    bitrate: duration ? Math.round((audioBytes * 8) / duration) : null,
  };
}

export function parseStreamInfo(body: Uint8Array): {
  sampleRate: number;
  channels: number;
  bitDepth: number;
  samples: number;
  minBlock: number;
  maxBlock: number;
} {
  return {
    minBlock: (body[0]! << 8) | body[1]!,
    maxBlock: (body[2]! << 8) | body[3]!,
    sampleRate: (body[10]! << 12) | (body[11]! << 4) | (body[12]! >> 4),
    channels: ((body[12]! >> 1) & 7) + 1,
    bitDepth: (((body[12]! & 1) << 4) | (body[13]! >> 4)) + 1,
    // 36 bits: the low nibble of byte 13, then a big-endian u32.
    samples: (body[13]! & 0x0f) * 2 ** 32 + new DataView(body.buffer, body.byteOffset + 14, 4).getUint32(0),
  };
}

export function readFlac(
  window: ByteWindow,
  markerOffset: number,
  range: AudioRange,
  strict = false,
): FastRead {
  // Anything before the fLaC marker is an ID3v2 tag (that is how sniffing found the marker).
  const native: NativeTags = {};
  const pictures: RawPicture[] = [];
  let properties: AudioProperties | undefined;
  let kept = 0;
  let vendor = '';
  let truncation: Truncation | undefined;
  let pos = markerOffset + 4;
  while (pos < range.start) {
    const h = window.read(pos, 4);
    const type = h[0]! & 0x7f;
    const length = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
    if (isKeptFlacBlock(type)) kept += 4 + length;
    if (type === 0 || type === 4 || type === 6) {
      const body = window.read(pos + 4, length);
      if (type === 0) {
        const info = parseStreamInfo(body);
        truncation = flacTruncation(window, info, range);
        properties = flacProperties(info, truncation?.duration, range.end - range.start);
      } else if (type === 4) {
        const comment = parseVorbisComment(body);
        native.vorbis = comment.tags;
        vendor = comment.vendor;
      } else {
        const picture = parseFlacPicture(body);
        if (picture) pictures.push(picture);
      }
    }
    pos += 4 + length;
  }
  if (!properties) throw new NotHandledHere('no STREAMINFO');
  id3Tags(window, markerOffset, range, native, pictures, strict);
  return {
    properties,
    native,
    pictures,
    flacKept: { bytes: kept, vendor },
    ...(truncation && { truncation }),
  };
}

/** Frames count from a Xing/Info or VBRI header in the first frame, if there is one. */
function vbrFrames(
  frame: Buffer,
  version: number,
  mono: boolean,
): { frames: number; bytes: number | null } | undefined {
  const sideInfo = version === 1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const xing = 4 + sideInfo;
  const tag = frame.toString('latin1', xing, xing + 4);
  if ((tag === 'Xing' || tag === 'Info') && frame.length >= xing + 16) {
    const flags = frame.readUInt32BE(xing + 4);
    if (!(flags & 1)) return undefined;
    const frames = frame.readUInt32BE(xing + 8);
    return { frames, bytes: flags & 2 ? frame.readUInt32BE(xing + 12) : null };
  }
  if (frame.toString('latin1', 36, 40) === 'VBRI' && frame.length >= 54) {
    return { bytes: frame.readUInt32BE(46), frames: frame.readUInt32BE(50) };
  }
  return undefined;
}

/** `strict`: as read-track's ReadOptions; the audio must also start where the ID3v2 tag ends (or after
 *  zero bytes): bytes in between are what is left of a tag (a torn save, a size that shrank). */
export function readMpeg(window: ByteWindow, range: AudioRange, strict = false): FastRead {
  const native: NativeTags = {};
  const pictures: RawPicture[] = [];
  const id3Length = id3v2TagLength(window.head);
  if (strict && window.read(id3Length, range.start - id3Length).some((b) => b !== 0)) {
    const n = range.start - id3Length;
    throw new DamagedTag(
      id3Length > 0
        ? `the ${n} bytes between the ID3v2 tag and the audio are neither tag nor audio`
        : `the file starts with ${n} bytes that are neither an ID3v2 tag nor audio`,
    );
  }
  id3Tags(window, id3Length, range, native, pictures, strict);
  const first = window.read(range.start, 2048);
  const header = parseMpegFrameHeader(first, 0);
  if (!header) throw new NotHandledHere('no frame header at the audio start');
  const mono = first[3]! >> 6 === 3;
  const samplesPerFrame = header.layer === 1 ? 384 : header.layer === 3 && header.version !== 1 ? 576 : 1152;
  const vbr = vbrFrames(first.subarray(0, header.frameLength), header.version, mono);
  const audioBytes = range.end - range.start;
  const declared = vbr
    ? (vbr.frames * samplesPerFrame) / header.sampleRate
    : (audioBytes * 8) / (header.bitrateKbps * 1000);
  const bitrate =
    vbr && declared > 0 ? Math.round(((vbr.bytes ?? audioBytes) * 8) / declared) : header.bitrateKbps * 1000;
  const truncation = mpegTruncation(vbr?.bytes ?? null, audioBytes, declared);
  const duration = truncation?.duration ?? declared;
  return {
    ...(truncation && { truncation }),
    properties: {
      codec: `MPEG ${header.version} Layer ${header.layer}`,
      lossless: false,
      sampleRate: header.sampleRate,
      channels: mono ? 1 : 2,
      bitDepth: null,
      duration,
      bitrate,
    },
    native,
    pictures,
  };
}

export interface OggHeaderPages {
  readonly packets: Buffer[];
  /** Where the page holding the last of them ends. */
  readonly end: number;
  /** Where the first page ends. */
  readonly firstPageEnd: number;
  /** How many pages hold them. */
  readonly pages: number;
  /** Why the headers' pages cannot be replaced: the first page holds more than the first packet, or the
   *  last one ends inside a packet that goes on. */
  readonly shared?: string;
  /** Whole packets after the last of them on its page (audio an encoder did not start on a fresh page). */
  readonly tail: Buffer[];
  /** The granule position of the page holding the last of them. */
  readonly lastGranule: number;
}

/**
 * The first `count` packets of an Ogg file's first logical stream, and where the page holding the last
 * of them ends (docs/tag-formats.md: Ogg pages). A second stream among them (multiplexed Ogg), a
 * broken continuation or a file that ends first is left to the general parser.
 */
export function oggHeaderPackets(window: ByteWindow, count: number): OggHeaderPages {
  const packets: Buffer[] = [];
  let parts: Buffer[] = [];
  let open = false;
  let serial: number | undefined;
  let pos = 0;
  let pages = 0;
  let firstPageEnd = 0;
  let shared: string | undefined;
  let lastGranule = 0;
  // A header cut by the end of the file is a reason, not a case for the general reader (music-metadata
  // parses the partial packet it has, past its end).
  const cut = () => new AudioStructureError('truncated: the file ends inside its Ogg headers');
  while (packets.length < count) {
    const h = window.read(pos, 27);
    if (pos > 0 && h.length < 27) throw cut();
    if (h.length < 27 || h.toString('latin1', 0, 4) !== 'OggS' || h[4] !== 0)
      throw new NotHandledHere('no Ogg page where one should start');
    const flags = h[5]!;
    if (serial === undefined) {
      if (!(flags & 2)) throw new NotHandledHere('the first Ogg page does not begin a stream');
      serial = h.readUInt32LE(14);
    } else if (h.readUInt32LE(14) !== serial) throw new NotHandledHere('several logical Ogg streams');
    if (Boolean(flags & 1) !== open) throw new NotHandledHere('a broken Ogg packet continuation');
    const lacing = window.read(pos + 27, h[26]!);
    if (lacing.length < h[26]!) throw cut();
    let at = pos + 27 + lacing.length;
    let start = at;
    for (const l of lacing) {
      at += l;
      if (l < 255) {
        parts.push(window.read(start, at - start));
        packets.push(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
        parts = [];
        start = at;
      }
    }
    if (at > window.size) throw cut();
    open = start < at; // the last lacing value was 255
    if (open) parts.push(window.read(start, at - start));
    pos = at;
    pages++;
    lastGranule = Number(h.readBigInt64LE(6));
    if (pages === 1) {
      firstPageEnd = at;
      if (packets.length !== 1 || open) shared = 'the first Ogg page holds more than the first header packet';
    }
  }
  if (open && !shared) shared = 'the last Ogg header page ends inside an audio packet';
  return {
    packets: packets.slice(0, count),
    end: pos,
    firstPageEnd,
    pages,
    ...(shared && { shared }),
    tail: packets.slice(count),
    lastGranule,
  };
}

/** Cover art in Ogg: METADATA_BLOCK_PICTURE comments, each a base64 FLAC PICTURE body. */
function commentPictures(tags: readonly NativeTag[]): RawPicture[] {
  const pictures: RawPicture[] = [];
  for (const tag of tags) {
    if (tag.id !== 'METADATA_BLOCK_PICTURE') continue;
    const picture = parseFlacPicture(Buffer.from(String(tag.value), 'base64'));
    if (picture) pictures.push(picture);
  }
  return pictures;
}

/** Ogg Vorbis and Opus: identification and comment headers, cover art from METADATA_BLOCK_PICTURE. */
export function readOgg(window: ByteWindow, format: 'ogg-vorbis' | 'opus'): FastRead {
  const opus = format === 'opus';
  // Vorbis has a third header packet (setup), which a regenerated header copies.
  const headers = oggHeaderPackets(window, opus ? 2 : 3);
  const { packets, end } = headers;
  const [id, tags, setup] = packets as [Buffer, Buffer, Buffer | undefined];
  let sampleRate: number;
  let channels: number;
  let nominal = 0;
  let body: Buffer;
  if (opus) {
    if (id.length < 19 || id.toString('latin1', 0, 8) !== 'OpusHead') throw new NotHandledHere('no OpusHead');
    if (tags.toString('latin1', 0, 8) !== 'OpusTags') throw new NotHandledHere('no OpusTags');
    channels = id[9]!;
    sampleRate = id.readUInt32LE(12); // the input's rate, as music-metadata reports it; Opus decodes at 48 kHz
    body = tags.subarray(8);
  } else {
    if (id.length < 30 || id[0] !== 1 || id.toString('latin1', 1, 7) !== 'vorbis')
      throw new NotHandledHere('no Vorbis identification header');
    if (tags[0] !== 3 || tags.toString('latin1', 1, 7) !== 'vorbis')
      throw new NotHandledHere('no Vorbis comment header');
    channels = id[11]!;
    sampleRate = id.readUInt32LE(12);
    nominal = id.readInt32LE(20);
    body = tags.subarray(7);
  }
  const comment = parseVorbisComment(body);
  const pictures = commentPictures(comment.tags);
  const duration = oggDuration(window, format);
  // Vorbis states a nominal rate; otherwise the audio's bytes (past the header pages) over its length.
  const bitrate = nominal > 0 ? nominal : duration ? Math.round(((window.size - end) * 8) / duration) : null;
  return {
    properties: {
      codec: opus ? 'Opus' : 'Vorbis I',
      lossless: false,
      sampleRate,
      channels,
      bitDepth: null,
      duration,
      bitrate,
    },
    native: { vorbis: comment.tags },
    pictures,
    audioRange: { start: end, end: window.size },
    // The identification packet must be alone on the first page (the specs say so, and it is served as it
    // is); audio packets on the last header page are carried over.
    headerKept: headers.shared
      ? { unspliced: headers.shared }
      : {
          idPage: headers.firstPageEnd,
          setup: setup?.length ?? 0,
          pages: headers.pages - 1,
          vendor: comment.vendor,
          ...(headers.tail.length > 0 && {
            tail: headers.tail.map((p) => p.length),
            tailGranule: headers.lastGranule,
          }),
        },
  };
}

/** The metadata blocks a served Ogg FLAC keeps (all but VORBIS_COMMENT, PICTURE and PADDING), in order. */
export function oggFlacKeptBlocks(headerPackets: readonly Buffer[]): Buffer[] {
  return headerPackets.filter((block) => ![1, 4, 6].includes(block[0]! & 0x7f));
}

/** The number of header packets after the mapping packet of an Ogg FLAC stream (0: not stated). */
export function oggFlacHeaderCount(window: ByteWindow): number {
  const first = oggHeaderPackets(window, 1).packets[0]!;
  if (first.length < 51 || first.toString('latin1', 9, 13) !== 'fLaC' || (first[13]! & 0x7f) !== 0)
    throw new NotHandledHere('no Ogg FLAC mapping header');
  return first.readUInt16BE(7);
}

/**
 * FLAC in Ogg: the first packet holds the mapping header (`0x7F FLAC`, version, the number of header
 * packets after it, `fLaC`) and the STREAMINFO block; each later header packet is one metadata block.
 */
export function readOggFlac(window: ByteWindow): FastRead {
  const count = oggFlacHeaderCount(window);
  if (count === 0) throw new NotHandledHere('an unknown number of Ogg FLAC header packets');
  const headers = oggHeaderPackets(window, 1 + count);
  const { packets, end } = headers;
  const info = parseStreamInfo(packets[0]!.subarray(17, 51));
  let vendor = '';
  const native: NativeTags = {};
  const pictures: RawPicture[] = [];
  for (const block of packets.slice(1)) {
    const type = block[0]! & 0x7f;
    if (type === 4) {
      const comment = parseVorbisComment(block.subarray(4));
      native.vorbis = comment.tags;
      vendor = comment.vendor;
      // Taggers write Ogg FLAC's covers as Vorbis and Opus ones (Picard), or as PICTURE blocks.
      pictures.push(...commentPictures(native.vorbis));
    } else if (type === 6) {
      const picture = parseFlacPicture(block.subarray(4));
      if (picture) pictures.push(picture);
    }
  }
  return {
    properties: flacProperties(info, oggDuration(window, 'ogg-flac'), window.size - end),
    native,
    pictures,
    audioRange: { start: end, end: window.size },
    // The mapping packet alone on a first page of one lacing value (its count is patched there), the audio
    // on a fresh page.
    headerKept:
      headers.shared || headers.tail.length > 0 || headers.firstPageEnd !== 27 + 1 + 51
        ? { unspliced: headers.shared ?? 'audio packets share the last Ogg FLAC header page' }
        : {
            idPage: headers.firstPageEnd,
            setup: 0,
            pages: headers.pages - 1,
            vendor,
            blocks: oggFlacKeptBlocks(packets.slice(1)).map((b) => b.length),
          },
  };
}

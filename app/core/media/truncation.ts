// Whether a file holds all the audio its own headers promise, from bounded reads of its ends (no decode):
// a cut FLAC, MP3, Ogg or MP4 file otherwise passes as whole, with the length of the uncut one.
//   FLAC: STREAMINFO's sample count against the last frame present (its header numbers it).
//   MP3:  the Xing/Info or VBRI byte count against the MPEG bytes present.
//   Ogg:  the last page must carry the end-of-stream flag; the last granule is the real length.
//   MP4:  every top-level box, mdat included, must fit in the file (a cut mdat after moov still plays).
import type { AudioRange } from './audio-range.ts';
import { type ByteWindow, fromTail } from './file-window.ts';

export interface Truncation {
  readonly reason: string;
  /** The length of the audio that is there, in seconds, when it can be told. */
  readonly duration: number | null;
}

const percent = (part: number, whole: number) => `${Math.floor((100 * part) / whole)}%`;

// ---- FLAC ----

export interface StreamInfoCounts {
  readonly sampleRate: number;
  readonly samples: number;
  readonly minBlock: number;
  readonly maxBlock: number;
}

function crc8(bytes: Uint8Array, end: number): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The first sample and block size of a frame whose header starts at `at`, if it is a valid header. */
function flacFrame(b: Buffer, at: number, fixedBlock: number): { first: number; block: number } | undefined {
  if (b[at] !== 0xff || (b[at + 1]! & 0xfe) !== 0xf8 || at + 16 > b.length) return undefined;
  const variable = b[at + 1]! & 1;
  const blockCode = b[at + 2]! >> 4;
  const rateCode = b[at + 2]! & 0x0f;
  if (blockCode === 0 || rateCode === 15 || (b[at + 3]! & 1) !== 0 || b[at + 3]! >> 4 > 10) return undefined;
  // The frame or sample number, UTF-8 coded (up to 36 bits in 7 bytes).
  let p = at + 4;
  const lead = b[p++]!;
  let extra = 0;
  while (extra < 7 && lead & (0x80 >> extra)) extra++;
  if (extra === 1 || extra > 7) return undefined;
  const count = extra === 0 ? 0 : extra - 1;
  let n = extra === 0 ? lead : lead & (0xff >> (extra + 1));
  for (let i = 0; i < count; i++) {
    const c = b[p++]!;
    if ((c & 0xc0) !== 0x80) return undefined;
    n = n * 64 + (c & 0x3f);
  }
  let block: number;
  if (blockCode === 1) block = 192;
  else if (blockCode <= 5) block = 576 << (blockCode - 2);
  else if (blockCode === 6) block = b[p++]! + 1;
  else if (blockCode === 7) {
    block = b.readUInt16BE(p) + 1;
    p += 2;
  } else block = 256 << (blockCode - 8);
  if (rateCode === 12) p += 1;
  else if (rateCode === 13 || rateCode === 14) p += 2;
  if (crc8(b.subarray(at), p - at) !== b[p]) return undefined;
  return { first: variable ? n : n * fixedBlock, block };
}

export function flacTruncation(window: ByteWindow, info: StreamInfoCounts, range: AudioRange) {
  if (info.samples === 0 || info.sampleRate === 0) return undefined; // the encoder did not say
  const last = fromTail(window, range.start, range.end, (tail) => lastFlacFrame(tail, info.minBlock));
  if (!last) return undefined;
  const present = Math.min(info.samples, last.first + last.block);
  if (info.samples - present <= info.maxBlock) return undefined;
  return {
    reason: `truncated: ${percent(present, info.samples)} of the audio STREAMINFO declares is there`,
    duration: present / info.sampleRate,
  };
}

/** The last frame in `tail` whose header is real: a sync code with a valid CRC-8 can occur by chance inside
 *  a frame's data, so a frame counts only where the frame before it ends where it begins. */
function lastFlacFrame(tail: Buffer, fixedBlock: number): { first: number; block: number } | undefined {
  const frames: { first: number; block: number }[] = [];
  // Headers start with 0xff: the search jumps from one to the one before.
  for (let at = tail.lastIndexOf(0xff, tail.length - 2); at >= 0 && frames.length < 64; ) {
    const frame = flacFrame(tail, at, fixedBlock);
    if (frame) {
      // The latest header is the answer once the one before it chains to it, whatever lies further back.
      if (frames.length > 0 && frame.first + frame.block === frames[0]!.first) return frames[0];
      frames.push(frame);
    }
    at = at > 0 ? tail.lastIndexOf(0xff, at - 1) : -1;
  }
  return frames.find((f, i) => frames.slice(i + 1).some((p) => p.first + p.block === f.first));
}

// ---- MP3 ----

/** A Xing/Info or VBRI header's byte count (of the MPEG frames) against the bytes present. */
export function mpegTruncation(declaredBytes: number | null, presentBytes: number, duration: number | null) {
  // Encoders count the tag frame itself, or not: allow a few frames' worth of difference.
  if (declaredBytes === null || presentBytes >= declaredBytes - 4 * 1441) return undefined;
  return {
    reason: `truncated: ${percent(presentBytes, declaredBytes)} of the MPEG audio its header declares is there`,
    duration: duration === null ? null : (duration * presentBytes) / declaredBytes,
  };
}

// ---- Ogg ----

/** The last page of the file's first stream must end the stream (flag 4); a cut file has no such page. */
export function oggTruncation(window: ByteWindow, duration: number | null): Truncation | undefined {
  if (window.head.length < 28 || window.head.toString('latin1', 0, 4) !== 'OggS') return undefined;
  const serial = window.head.readUInt32LE(14);
  const whole = fromTail(window, 0, window.size, (tail) => {
    for (let at = tail.lastIndexOf('OggS'); at >= 0; at = at > 0 ? tail.lastIndexOf('OggS', at - 1) : -1) {
      if (at + 27 > tail.length || tail.readUInt32LE(at + 14) !== serial) continue;
      const pageEnd = at + 27 + tail[at + 26]! + sumSegments(tail, at);
      return Boolean(tail[at + 5]! & 4 && pageEnd <= tail.length);
    }
    return undefined; // no page of the stream here: a larger tail may hold one
  });
  if (whole === false) return { reason: 'truncated: the Ogg stream stops before its last page', duration };
  return undefined;
}

function sumSegments(page: Buffer, at: number): number {
  let sum = 0;
  const count = page[at + 26]!;
  for (let i = 0; i < count && at + 27 + i < page.length; i++) sum += page[at + 27 + i]!;
  return sum;
}

// ---- MP4 ----

/** The top-level box that runs past the end of the file, if one does: its type, start and declared end. */
export function mp4CutBox(window: ByteWindow): { type: string; at: number; end: number } | undefined {
  let at = 0;
  while (at + 8 <= window.size) {
    const h = window.read(at, 16);
    let size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    if (size === 1 && h.length >= 16) size = Number(h.readBigUInt64BE(8));
    else if (size === 0) return undefined; // extends to the end of the file, by definition
    if (size < 8) return undefined; // not a box structure this walk understands: leave it to the parser
    if (at + size > window.size) return { type, at, end: at + size };
    at += size;
  }
  return undefined;
}

/** What a cut top-level box (mp4CutBox) means; `duration` is what the sample tables say. */
export function mp4Truncation(
  box: { type: string; at: number; end: number } | undefined,
  fileSize: number,
  duration: number | null,
): Truncation | undefined {
  if (!box) return undefined;
  const size = box.end - box.at;
  const present = fileSize - box.at;
  return {
    reason: `truncated: the ${box.type} box holds ${percent(present, size)} of its declared ${size} bytes`,
    duration: box.type === 'mdat' && duration !== null ? (duration * present) / size : null,
  };
}

/**
 * The file as if it were `size` bytes long: zeros past the real end (so a parser that refuses a box longer
 * than the file reads a cut MP4 whose moov comes first: its sample tables are intact, and it plays), or
 * only its first `size` bytes.
 */
export function sizedTo(window: ByteWindow, size: number): ByteWindow {
  const readInto = (target: Uint8Array, offset: number, length: number, position: number): number => {
    const n = Math.max(0, Math.min(length, size - position));
    const real = position < window.size ? window.readInto(target, offset, n, position) : 0;
    target.fill(0, offset + real, offset + n);
    return n;
  };
  return {
    size,
    head: window.head.subarray(0, size),
    readInto,
    read(position, length) {
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      readInto(out, 0, out.length, position);
      return out;
    },
  };
}

// Exact byte range of the audio region, so a header can later be regenerated in front of untouched audio
// (docs/tag-formats.md: Splicing a new header in front of the original audio; FLAC metadata blocks; ID3v1,
// APEv2 and the MPEG audio). FLAC and MPEG only; other containers are served whole.
import { apeTagStart } from './apev2-reader.ts';
import type { ByteWindow } from './file-window.ts';
import { findMpegStart } from './mpeg-stream.ts';

export interface AudioRange {
  readonly start: number;
  readonly end: number;
}

/** A file whose structure is broken; the message is the reason recorded for the user. */
export class AudioStructureError extends Error {
  override name = 'AudioStructureError';
}

const MAX_FLAC_BLOCKS = 4096;

/** Audio of a FLAC stream whose `fLaC` marker is at `markerOffset` (after any ID3v2 tag). */
export function flacAudioRange(window: ByteWindow, markerOffset: number): AudioRange {
  let pos = markerOffset + 4;
  for (let n = 0; ; n++) {
    if (n >= MAX_FLAC_BLOCKS) throw new AudioStructureError('FLAC metadata has too many blocks');
    const h = window.read(pos, 4);
    if (h.length < 4) throw new AudioStructureError('truncated: the FLAC metadata ends early');
    const type = h[0]! & 0x7f;
    const length = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
    if (n === 0 && type !== 0)
      throw new AudioStructureError('invalid FLAC: the first metadata block is not STREAMINFO');
    if (n === 0 && length !== 34)
      throw new AudioStructureError(`invalid FLAC: STREAMINFO says it holds ${length} bytes, not 34`);
    if (type === 127) throw new AudioStructureError('invalid FLAC: metadata block type 127');
    pos += 4 + length;
    if (pos > window.size)
      throw new AudioStructureError('truncated: a FLAC metadata block runs past the end of the file');
    if (h[0]! & 0x80) break;
  }
  const end = trailingTagsStart(window, window.size);
  if (pos >= end) throw new AudioStructureError('truncated: no FLAC audio frames after the metadata');
  const sync = window.read(pos, 2);
  if (sync[0] !== 0xff || (sync[1]! & 0xfe) !== 0xf8) {
    throw new AudioStructureError('invalid FLAC: no frame sync right after the metadata');
  }
  return { start: pos, end };
}

/** Audio of an MPEG stream: first valid frame at or after `from`, up to the trailing tags. */
export function mpegAudioRange(window: ByteWindow, from: number): AudioRange {
  const first = findMpegStart(window, from, 64 * 1024);
  if (!first) throw new AudioStructureError('no MPEG audio frame found');
  const end = trailingTagsStart(window, window.size);
  if (end <= first.offset) throw new AudioStructureError('truncated: no MPEG audio before the trailing tags');
  return { start: first.offset, end };
}

function ascii(buf: Uint8Array): string {
  return String.fromCharCode(...buf);
}

export interface TrailingTag {
  readonly kind: 'id3v1' | 'apev2' | 'lyrics3' | 'id3v2';
  readonly start: number;
  readonly end: number;
}

/** Trailing ID3v1, APEv2, Lyrics3v2 and appended ID3v2.4 tags, walking back from `end` (last first). */
export function trailingTags(window: ByteWindow, end: number): TrailingTag[] {
  const found: TrailingTag[] = [];
  const add = (kind: TrailingTag['kind'], start: number) => {
    found.push({ kind, start, end });
    end = start;
  };
  for (let guard = 0; guard < 8; guard++) {
    if (end >= 128 && ascii(window.read(end - 128, 3)) === 'TAG') {
      add('id3v1', end - 128);
      continue;
    }
    const ape = apeTagStart(window, end);
    if (ape !== undefined) {
      add('apev2', ape);
      continue;
    }
    if (end >= 15 && ascii(window.read(end - 9, 9)) === 'LYRICS200') {
      const size = Number(ascii(window.read(end - 15, 6)));
      if (Number.isInteger(size) && size + 15 <= end) {
        add('lyrics3', end - size - 15);
        continue;
      }
    }
    if (end >= 10) {
      const f = window.read(end - 10, 10);
      if (ascii(f.subarray(0, 3)) === '3DI' && f.subarray(6, 10).every((b) => b < 0x80)) {
        const size = ((f[6]! << 21) | (f[7]! << 14) | (f[8]! << 7) | f[9]!) + 20;
        if (size <= end) {
          add('id3v2', end - size);
          continue;
        }
      }
    }
    break;
  }
  return found;
}

/** Where the trailing tags begin (`end` when there are none). */
export function trailingTagsStart(window: ByteWindow, end: number): number {
  return trailingTags(window, end).at(-1)?.start ?? end;
}

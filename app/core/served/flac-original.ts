// What a served FLAC keeps from its original: the metadata blocks that are copied byte-exact
// (STREAMINFO, SEEKTABLE, CUESHEET, APPLICATION, unknown types) and the Vorbis comment's vendor string.
// Read block header by block header, so large PICTURE and PADDING bodies are skipped, not read.
// Synchronous, over a window on the original (original-file.ts: the pages it needs are read in its mount's file lane).
import { isKeptFlacBlock } from '../media/fast-readers.ts';
import type { ByteWindow } from '../media/file-window.ts';
import { id3v2TagLength } from '../media/id3v2.ts';

const VORBIS_COMMENT = 4;
const MAX_BLOCKS = 4096;
const MAX_VENDOR_BYTES = 4096;

export interface FlacOriginal {
  /** Blocks to copy, each with its 4-byte header as found; STREAMINFO first. */
  readonly kept: Uint8Array[];
  readonly vendor: string;
}

export class OriginalChangedError extends Error {
  override name = 'OriginalChangedError';
}

function readExactly(original: ByteWindow, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  if (original.readInto(buf, 0, length, position) !== length) {
    throw new OriginalChangedError('the FLAC metadata ends early');
  }
  return buf;
}

/** Reads the kept blocks of the FLAC stream whose audio starts at `audioStart`. */
export function readFlacOriginal(original: ByteWindow, audioStart: number): FlacOriginal {
  const prefix = readExactly(original, 0, Math.min(10, audioStart));
  let pos = id3v2TagLength(prefix);
  const marker = readExactly(original, pos, 4);
  if (marker.toString('latin1') !== 'fLaC') throw new OriginalChangedError('no fLaC marker where it was');
  pos += 4;
  const kept: Uint8Array[] = [];
  let vendor = '';
  for (let n = 0; pos < audioStart; n++) {
    if (n >= MAX_BLOCKS) throw new OriginalChangedError('too many FLAC metadata blocks');
    const header = readExactly(original, pos, 4);
    const type = header[0]! & 0x7f;
    const length = (header[1]! << 16) | (header[2]! << 8) | header[3]!;
    if (isKeptFlacBlock(type)) kept.push(readExactly(original, pos, 4 + length));
    else if (type === VORBIS_COMMENT && length >= 4) {
      const head = readExactly(original, pos + 4, Math.min(length, 4 + MAX_VENDOR_BYTES));
      const vendorLength = head.readUInt32LE(0);
      if (4 + vendorLength <= head.length) vendor = head.toString('utf8', 4, 4 + vendorLength);
    }
    pos += 4 + length;
  }
  if (pos !== audioStart || kept.length === 0 || (kept[0]![0]! & 0x7f) !== 0) {
    throw new OriginalChangedError('the FLAC metadata no longer ends where the audio started');
  }
  return { kept, vendor };
}

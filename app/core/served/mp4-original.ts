// What a served MP4 keeps from its original: its moov box, and the bytes before it (moov first) or after
// it (moov last), checked against what the scan recorded (so the moov built from them has the size the
// mount already announced). Synchronous, over a window on the original, as flac-original.ts.
import type { ByteWindow } from '../media/file-window.ts';
import type { Mp4Kept } from '../media/mp4-layout.ts';
import { OriginalChangedError } from './flac-original.ts';

export interface Mp4Original {
  readonly moov: Buffer;
  /** The original's bytes before moov (moov first) or after it (moov last). */
  readonly around: Buffer;
}

function readExactly(original: ByteWindow, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  if (original.readInto(bytes, 0, length, position) !== length) {
    throw new OriginalChangedError('the MP4 file ends early; rescan it');
  }
  return bytes;
}

export function readMp4Original(original: ByteWindow, kept: Mp4Kept, size: number): Mp4Original {
  const [start, bodyStart, end] = kept.moov;
  const moov = readExactly(original, start, end - start);
  const declared = moov.readUInt32BE(0);
  // Size 0: the box runs to the end of the file (the scan's walk reads it so too).
  const boxSize = declared === 1 ? Number(moov.readBigUInt64BE(8)) : declared === 0 ? size - start : declared;
  if (
    moov.toString('latin1', 4, 8) !== 'moov' ||
    boxSize !== end - start ||
    (declared === 1) !== (bodyStart - start === 16)
  ) {
    throw new OriginalChangedError('the MP4 moov box moved on disk since it was scanned; rescan it');
  }
  const around = kept.moovFirst ? readExactly(original, 0, start) : readExactly(original, end, size - end);
  return { moov, around };
}

// What a served WAV/AIFF file keeps from its original: its form type and the chunks other than the
// audio, the tags and padding, checked against what the scan recorded (so the header built from them has
// the size the mount already announced). Synchronous, over a window on the original, as flac-original.ts.
import type { ByteWindow } from '../media/file-window.ts';
import { iffChunks, iffLayout, paddedEnd } from '../media/iff-chunks.ts';
import { OriginalChangedError } from './flac-original.ts';

export interface IffOriginal {
  readonly formType: string;
  readonly kept: Buffer;
}

/** Reads the kept chunks of the WAV/AIFF file whose audio chunk starts at `audioStart`. */
export function readIffOriginal(window: ByteWindow, keptBytes: number, audioStart: number): IffOriginal {
  const file = iffChunks(window);
  const layout = file && iffLayout(window, file);
  if (!file || !layout || layout.kept !== keptBytes || layout.audio.start !== audioStart) {
    throw new OriginalChangedError('the WAV/AIFF chunks changed on disk since they were scanned; rescan it');
  }
  const kept = Buffer.concat(
    layout.keptChunks.map((c) => window.read(c.start, paddedEnd(c, window.size) - c.start)),
  );
  return { formType: file.type, kept };
}

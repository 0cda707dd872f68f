// RIFF (WAV) and FORM (AIFF/AIFC) chunk structure (docs/tag-formats.md: WAV and AIFF chunks): a 12-byte
// header (`RIFF`/`FORM`, the size of what follows, the form type), then chunks of a 4-character id, a u32
// size (little-endian in RIFF, big-endian in FORM) and the body, padded to an even length.
import type { ByteWindow } from './file-window.ts';

export interface IffChunk {
  readonly id: string;
  readonly start: number;
  readonly bodyStart: number;
  /** The body's end, without the pad byte. */
  readonly end: number;
}

export interface IffFile {
  readonly form: 'RIFF' | 'FORM';
  /** `WAVE`, `AIFF` or `AIFC`. */
  readonly type: string;
  readonly chunks: IffChunk[];
}

/** The file's top-level chunks, or undefined if it is not RIFF/FORM or a size cannot be followed. */
export function iffChunks(window: ByteWindow): IffFile | undefined {
  const head = window.read(0, 12);
  const form = head.toString('latin1', 0, 4);
  if (head.length < 12 || (form !== 'RIFF' && form !== 'FORM')) return undefined;
  const little = form === 'RIFF';
  const chunks: IffChunk[] = [];
  let at = 12;
  while (at + 8 <= window.size) {
    const h = window.read(at, 8);
    const size = little ? h.readUInt32LE(4) : h.readUInt32BE(4);
    const end = at + 8 + size;
    // A cut last chunk (often the audio) is still listed; its reader decides what that means.
    chunks.push({
      id: h.toString('latin1', 0, 4),
      start: at,
      bodyStart: at + 8,
      end: Math.min(end, window.size),
    });
    if (end > window.size) break;
    at = end + (size & 1);
  }
  return { form, type: head.toString('latin1', 8, 12), chunks };
}

// Decoded audio as Sleeve's fingerprinting consumes it: planar 16-bit samples, the way FFmpeg's decoders
// would hand them to `fpcalc`'s 16-bit converter.

export interface PcmBlock {
  readonly sampleRate: number;
  /** One array per channel, equal lengths. */
  readonly planes: Int16Array[];
}

/** Where to decode from: the library's row for the file. */
export interface AudioSource {
  /** What the file system opens: the path, or its bytes when they are not valid UTF-8 (files.path_bytes). */
  readonly path: string | Buffer;
  readonly format: string;
  /** Byte range of the audio stream when known (skips ID3v2 before, ID3v1/APE after MPEG audio). */
  readonly audioStart: number | null;
  readonly audioEnd: number | null;
  readonly sampleRate: number | null;
  readonly channels: number | null;
  /** Bits per sample, when the scanner recorded them (FLAC: with audioStart, no header to re-read). */
  readonly bitDepth?: number | null;
}

/** Receives blocks; returns false once it has enough. A block's arrays may be views of a decoder's
 *  memory, valid only during the call: copy what must outlive it. */
export type PcmSink = (block: PcmBlock) => boolean;

export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** Adding and removing 1.5 * 2^52 leaves a double rounded to an integer, ties to even (lrint). */
const ROUND = 6755399441055744;

/** Round half to even, as C's lrintf() and x86's cvtps2dq do. */
export const roundHalfEven = (x: number): number => x + ROUND - ROUND;

/** Saturates to the 16-bit range (packssdw, av_clip_int16). */
export const clip16 = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);

/** float → 16 bits as swresample converts: round half to even, saturate. */
export function floatToS16(f: Float32Array, n = f.length): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const r = f[i]! * 32768 + ROUND - ROUND;
    out[i] = clip16(r);
  }
  return out;
}

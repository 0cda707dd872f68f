// One decode of a track's start into fpcalc's stream (16-bit mono at 11 025 Hz), handed to any number of
// sinks: the scan feeds Chromaprint and the embedding extractor from the same decode, and, when the
// whole track is wanted too (its loudness), every block as decoded, to the end.
import type { CodecMessages } from '../audio/codec-messages.ts';
import { decodeAudio } from '../audio/decode.ts';
import { type AudioSource, DecodeError, type PcmBlock } from '../audio/pcm.ts';
import { CHROMAPRINT_RATE, FpcalcConverter } from './fpcalc-converter.ts';

export interface MonoSink {
  /** A view valid only during the call. */
  push(samples: Int16Array): void;
}

export interface MonoDecode {
  /** Seconds of mono audio delivered. */
  readonly seconds: number;
  readonly decodeMs: number;
  readonly convertMs: number;
  /** Time spent inside each sink's push, in the order given. */
  readonly sinkMs: readonly number[];
  /** Why the decode of the whole track stopped early, when it did past what the sinks needed. */
  readonly wholeFailed?: string;
}

/** Input samples past those an output needs: more than the longest filter (1,393 taps at 768 kHz). */
const LOOKAHEAD = 4096;

export async function decodeMono(
  source: AudioSource,
  maxSeconds: number,
  sinks: readonly MonoSink[],
  /** Where what the decoder prints goes (see decodeAudio). */
  messages?: CodecMessages,
  /** Given every block of the whole track: the decode then goes on past `maxSeconds`. */
  whole?: (block: PcmBlock) => void,
): Promise<MonoDecode> {
  const started = performance.now();
  const limit = Math.round(maxSeconds * CHROMAPRINT_RATE);
  const sinkMs = sinks.map(() => 0);
  let converter: FpcalcConverter | undefined;
  let fed = 0;
  let convertMs = 0;
  let decoded = false;
  let wholeFailed: string | undefined;
  /** Hands converted output to the sinks, up to the limit; whether they want more. */
  const deliver = (converted: Int16Array): boolean => {
    const out = fed + converted.length > limit ? converted.subarray(0, limit - fed) : converted;
    let t = performance.now();
    for (let i = 0; i < sinks.length; i++) {
      sinks[i]!.push(out);
      const now = performance.now();
      sinkMs[i] = sinkMs[i]! + now - t;
      t = now;
    }
    fed += out.length;
    return fed < limit;
  };
  const decoding = decodeAudio(
    source,
    whole ? Number.POSITIVE_INFINITY : maxSeconds + 1,
    (block) => {
      decoded = true;
      whole?.(block);
      if (fed >= limit) return whole !== undefined;
      const t0 = performance.now();
      converter ??= new FpcalcConverter(block.sampleRate, block.planes.length);
      // Only what the sinks still need, and the filter's look-ahead: at a (damaged) rate of a few hertz,
      // a whole block would be resampled into hundreds of megabytes.
      const needed = Math.ceil(((limit - fed) * block.sampleRate) / CHROMAPRINT_RATE) + LOOKAHEAD;
      const planes =
        block.planes[0]!.length > needed ? block.planes.map((p) => p.subarray(0, needed)) : block.planes;
      const out = converter.push(planes);
      convertMs += performance.now() - t0;
      return out.length === 0 || deliver(out) || whole !== undefined;
    },
    messages,
  );
  try {
    await decoding;
  } catch (err) {
    // Damage past what the sinks took fails only the whole track's part: theirs is complete.
    if (!(whole && fed >= limit && err instanceof DecodeError)) throw err;
    wholeFailed = err.message;
  }
  if (converter && fed < limit) {
    // The converter gathers input: the end of the stream (or a stop at the limit) leaves some with it.
    const t0 = performance.now();
    const out = converter.flush();
    convertMs += performance.now() - t0;
    deliver(out);
  }
  if (!decoded) throw new DecodeError('no audio samples');
  const sinkTotal = sinkMs.reduce((a, b) => a + b, 0);
  return {
    seconds: fed / CHROMAPRINT_RATE,
    decodeMs: performance.now() - started - convertMs - sinkTotal,
    convertMs,
    sinkMs,
    ...(wholeFailed !== undefined ? { wholeFailed } : {}),
  };
}

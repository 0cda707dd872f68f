// One track's fingerprint, made the way `fpcalc` makes it: decode the first 120 s, convert to 11 025 Hz
// mono 16-bit as fpcalc's FFmpeg converter does, feed Chromaprint.
import { decodeAudio } from '../audio/decode.ts';
import { type AudioSource, DecodeError } from '../audio/pcm.ts';
import type { Chromaprint } from './chromaprint-wasm.ts';
import { fromFingerprintString } from './fingerprint-codec.ts';
import { CHROMAPRINT_RATE, FpcalcConverter } from './fpcalc-converter.ts';
import { SILENCE, uniqueItems } from './query-terms.ts';

/** fpcalc's default length. */
export const MAX_SECONDS = 120;
/** Fewer distinct items than this cannot be matched reliably (AcoustID). */
export const MIN_UNIQUE_ITEMS = 80;
/** Below this much audio a weak fingerprint is called too short rather than too uniform. */
const SHORT_SECONDS = 15;

export type FingerprintStatus = 'ok' | 'silent' | 'too_short' | 'weak';

export interface Fingerprint {
  readonly status: FingerprintStatus;
  readonly raw: Uint32Array;
  /** Chromaprint's compressed form (what `fpcalc` prints, before base64). */
  readonly compressed: Uint8Array;
  /** Seconds of audio fingerprinted. */
  readonly seconds: number;
  /** Where the time went, for the benchmark. */
  readonly timing: { readonly decodeMs: number; readonly convertMs: number; readonly chromaprintMs: number };
}

export async function fingerprintAudio(
  source: AudioSource,
  chromaprint: Chromaprint,
  maxSeconds = MAX_SECONDS,
): Promise<Fingerprint> {
  const started = performance.now();
  const limit = Math.round(maxSeconds * CHROMAPRINT_RATE);
  let converter: FpcalcConverter | undefined;
  let session: ReturnType<Chromaprint['session']> | undefined;
  let fed = 0;
  let convertMs = 0;
  let chromaprintMs = 0;
  try {
    await decodeAudio(source, maxSeconds + 1, (block) => {
      const t0 = performance.now();
      if (!converter) {
        converter = new FpcalcConverter(block.sampleRate, block.planes.length);
        session = chromaprint.session(CHROMAPRINT_RATE, 1);
      }
      let out = converter.push(block.planes);
      if (fed + out.length > limit) out = out.subarray(0, limit - fed);
      const t1 = performance.now();
      session!.feed(out);
      fed += out.length;
      convertMs += t1 - t0;
      chromaprintMs += performance.now() - t1;
      return fed < limit;
    });
    if (!session) throw new DecodeError('no audio samples');
    const t2 = performance.now();
    const { raw, compressed } = session.finish();
    chromaprintMs += performance.now() - t2;
    const seconds = fed / CHROMAPRINT_RATE;
    return {
      status: classify(raw, seconds),
      raw,
      compressed: fromFingerprintString(compressed),
      seconds,
      timing: { decodeMs: performance.now() - started - convertMs - chromaprintMs, convertMs, chromaprintMs },
    };
  } finally {
    session?.close();
  }
}

function classify(raw: Uint32Array, seconds: number): FingerprintStatus {
  if (raw.length > 0 && raw.every((h) => h === SILENCE)) return 'silent';
  if (uniqueItems(raw) >= MIN_UNIQUE_ITEMS) return 'ok';
  return seconds < SHORT_SECONDS ? 'too_short' : 'weak';
}

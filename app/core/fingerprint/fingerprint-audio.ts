// One track's fingerprint, made the way `fpcalc` makes it: decode the first 120 s, convert to 11 025 Hz
// mono 16-bit with fpcalc's settings of FFmpeg's converter, feed Chromaprint.
import type { AudioSource } from '../audio/pcm.ts';
import { type FingerprintSession, startFingerprint } from './chromaprint.ts';
import { fromFingerprintString } from './fingerprint-codec.ts';
import { type FingerprintStatus, fingerprintStatus } from './fingerprint-status.ts';
import { CHROMAPRINT_RATE, decodeMono, type MonoDecode, type MonoSink } from './mono-decode.ts';

/** fpcalc's default length. */
export const MAX_SECONDS = 120;

export interface Fingerprint {
  readonly status: FingerprintStatus;
  readonly raw: Uint32Array;
  /** Chromaprint's compressed form (what `fpcalc` prints, before base64). */
  readonly compressed: Uint8Array;
  /** Seconds of audio fingerprinted. */
  readonly seconds: number;
  /** Where the time went, for the benchmark. */
  readonly timing: { readonly decodeMs: number; readonly chromaprintMs: number };
}

/** Chromaprint fed from a mono decode; `finish` classifies what it heard. It takes fpcalc's first
 *  MAX_SECONDS whatever the decode delivers, so sharing the decode cannot change a fingerprint. */
export class FingerprintSink implements MonoSink {
  readonly #session: FingerprintSession = startFingerprint(CHROMAPRINT_RATE, 1);
  readonly #limit = MAX_SECONDS * CHROMAPRINT_RATE;
  #fed = 0;

  push(samples: Int16Array): void {
    const take = Math.min(samples.length, this.#limit - this.#fed);
    if (take <= 0) return;
    this.#session.feed(take < samples.length ? samples.subarray(0, take) : samples);
    this.#fed += take;
  }

  /** The fingerprint of what was pushed; `decode` tells how long the decode behind it took. */
  finish(decode: MonoDecode, sinkIndex: number): Fingerprint {
    const t0 = performance.now();
    const { raw, compressed } = this.#session.finish();
    const finishMs = performance.now() - t0;
    const seconds = this.#fed / CHROMAPRINT_RATE;
    return {
      status: fingerprintStatus(raw, seconds),
      raw,
      compressed: fromFingerprintString(compressed),
      seconds,
      timing: {
        decodeMs: decode.decodeMs,
        chromaprintMs: decode.sinkMs[sinkIndex]! + finishMs,
      },
    };
  }

  close(): void {
    this.#session.close();
  }
}

export async function fingerprintAudio(source: AudioSource, maxSeconds = MAX_SECONDS): Promise<Fingerprint> {
  const sink = new FingerprintSink();
  try {
    return sink.finish(await decodeMono(source, maxSeconds, [sink]), 0);
  } finally {
    sink.close();
  }
}

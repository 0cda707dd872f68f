// Chromaprint, the library `fpcalc` links (native/fingerprinter.c in the audio addon).
import { audioAddon } from '../audio/native-addon.ts';

export class ChromaprintError extends Error {
  override name = 'ChromaprintError';
}

export interface FingerprintSession {
  /** Interleaved 16-bit samples; a view is read during the call only. */
  feed(samples: Int16Array): void;
  /** The raw hashes and the compressed string exactly as Chromaprint makes them; ends the session. */
  finish(): { raw: Uint32Array; compressed: string };
  /** Ends a session not finished (harmless after finish). */
  close(): void;
}

/** A fingerprint of PCM at `sampleRate` with `channels`, with Chromaprint's default algorithm (AcoustID's). */
export function startFingerprint(sampleRate: number, channels: number): FingerprintSession {
  const addon = audioAddon();
  const native = (what: string, f: () => unknown) => {
    try {
      return f();
    } catch (err) {
      throw new ChromaprintError(`${(err as Error).message}${what}`);
    }
  };
  const session = native(` at ${sampleRate} Hz, ${channels} channels`, () =>
    addon.fingerprintStart(sampleRate, channels),
  ) as object;
  return {
    feed: (samples) => native('', () => addon.fingerprintFeed(session, samples)),
    finish: () =>
      native('', () => addon.fingerprintFinish(session)) as ReturnType<FingerprintSession['finish']>,
    close: () => addon.fingerprintClose(session),
  };
}

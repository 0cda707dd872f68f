// What a fingerprint's items say of it: usable, silence, or too little to match, as AcoustID judges
// (docs/fingerprint-matching.md). Apart from the fingerprinting itself (fingerprint-audio.ts), whose
// decoder and Chromaprint a process that only compares stored fingerprints never loads.
import { SILENCE, uniqueItems } from './query-terms.ts';

/** Fewer distinct items than this cannot be matched reliably (AcoustID). */
export const MIN_UNIQUE_ITEMS = 80;
/** Below this much audio a weak fingerprint is called too short rather than too uniform. */
export const SHORT_SECONDS = 15;

export type FingerprintStatus = 'ok' | 'silent' | 'too_short' | 'weak';

/** The status of `raw`, a fingerprint of `seconds` of audio. */
export function fingerprintStatus(raw: Uint32Array, seconds: number): FingerprintStatus {
  if (raw.length > 0 && raw.every((h) => h === SILENCE)) return 'silent';
  if (uniqueItems(raw) >= MIN_UNIQUE_ITEMS) return 'ok';
  return seconds < SHORT_SECONDS ? 'too_short' : 'weak';
}

// When are two fingerprinted files the same recording? AcoustID's rule for full copies (compare2 score
// > 0.4, durations within 7 s; within 1 s when one is under 15 s, a jingle or an interlude, whose
// fingerprint is too short for AcoustID); for partial copies, a long aligned overlap whose bits agree strongly and
// covers most of the longer one, or is titled as it is. Below that coverage, titled otherwise, the shorter is
// only part of the longer (a movement of a suite, the 3:00 track inside its 10:48 extended mix): two
// recordings, related.
import { type Comparison, compareFingerprints } from './compare.ts';
import { SHORT_SECONDS } from './fingerprint-status.ts';
import { SILENCE } from './query-terms.ts';

/** Seconds per fingerprint item (4096/3 samples at 11 025 Hz). */
export const ITEM_SECONDS = 4096 / 3 / 11025;

export interface Track {
  readonly raw: Uint32Array;
  /** The whole file's duration, seconds. */
  readonly duration: number;
  /** Its title as its tags give it, folded (db/fold.ts); null when it has none. */
  readonly title?: string | null;
}

export type RecordingMatch =
  | { readonly kind: 'full'; readonly score: number }
  /** `offset` items: a[i + offset] lines up with b[i] (positive: b starts later, i.e. b's start was cut). */
  | { readonly kind: 'partial'; readonly score: number; readonly offset: number }
  /** Two recordings, one holding `overlap` seconds of the other starting `start` seconds into it. */
  | {
      readonly kind: 'related';
      readonly score: number;
      readonly longer: 'a' | 'b';
      readonly start: number;
      readonly overlap: number;
    };

const SAME_RECORDING = 0.4;
/** Seconds two full copies of one recording may differ in length (AcoustID's rule). */
export const MAX_DURATION_DIFF = 7;
/** Seconds two full copies may differ in length when one is under SHORT_SECONDS: 7 s would let a 3 s
 *  sting found at the start of a 9 s one pass as a copy of it. Copies of a short piece differ by an
 *  encoder's padding, tenths of a second. */
const MAX_SHORT_DURATION_DIFF = 1;
/** Alignment within ≈ 10 s still counts as a full copy (AcoustID's maxoffset). */
const FULL_MAX_OFFSET = 80;
/** A partial copy must overlap ≈ 20 s and agree far above chance (unrelated audio scores near 0)… */
const PARTIAL_MIN_OVERLAP = 160;
const PARTIAL_MIN_SCORE = 0.5;
/** …or overlap ≈ 10 s agreeing almost bit for bit: a download cut at 21 s (its fingerprint 150 items,
 *  scoring 1.0 against the whole) is that recording's first seconds. (The overlap is all the aligned
 *  items, so two longer pieces sharing a 10 s intro agree far less over it.) */
const IDENTICAL_MIN_OVERLAP = 80;
const IDENTICAL_MIN_SCORE = 0.9;

/** Whether two fingerprints share a stretch long enough and agreeing enough to be one recording's. */
const sharesStretch = (c: Comparison) =>
  (c.overlap >= PARTIAL_MIN_OVERLAP && c.overlapScore > PARTIAL_MIN_SCORE) ||
  (c.overlap >= IDENTICAL_MIN_OVERLAP && c.overlapScore >= IDENTICAL_MIN_SCORE);
/** A shorter copy that matches part of a longer one is a partial copy of it when it is at least half as
 *  long (an intro cut at 1:54 of 2:24 is 79 %), else a related recording (Warzone 2100's 3:00 `menu` in its 10:48
 *  `menu_enhanced`: 28 %). Between the two, music rarely falls: a cut copy loses seconds, not minutes. */
const PARTIAL_MIN_COVERAGE = 0.5;

/** Two files titled alike: a short one found inside the other is a cut of it (a 30 s preview of a 2:22
 *  track, 21 % of it), not a recording of its own; a version holding another is titled otherwise ("Aspen
 *  (extended)", `menu_enhanced`). */
function sameTitle(a: Track, b: Track): boolean {
  return !!a.title && a.title === b.title;
}

/** compare2 over every alignment the fingerprints allow, so a copy missing its first minute still aligns. */
export const compareAtAnyOffset = (a: Uint32Array, b: Uint32Array): Comparison =>
  compareFingerprints(a, b, Math.max(a.length, b.length));

/** Where `part` starts inside `whole` (seconds), when their fingerprints share a long, strongly agreeing
 *  stretch; null when they do not (two copies the user joined, or linked only through a third). */
export function startInside(whole: Track, part: Track): number | null {
  const c = compareAtAnyOffset(whole.raw, part.raw);
  if (!sharesStretch(c)) return null;
  return Math.max(0, c.offset) * ITEM_SECONDS;
}

/** A fingerprint's items that are not digital silence. Two short pieces agree on their silence whatever
 *  else they hold (60 % silence around different sounds scored 0.56, over AcoustID's 0.4): a short pair is
 *  compared by its sound alone. A long one holds too much sound for its silence to decide. */
const sound = (raw: Uint32Array) => raw.filter((item) => item !== SILENCE);

export function matchRecordings(a: Track, b: Track): RecordingMatch | null {
  const short = Math.min(a.duration, b.duration) < SHORT_SECONDS;
  const c = short ? compareAtAnyOffset(sound(a.raw), sound(b.raw)) : compareAtAnyOffset(a.raw, b.raw);
  const sameLength =
    Math.abs(a.duration - b.duration) <= (short ? MAX_SHORT_DURATION_DIFF : MAX_DURATION_DIFF);
  if (Math.abs(c.offset) <= FULL_MAX_OFFSET && c.score > SAME_RECORDING && sameLength)
    return { kind: 'full', score: c.score };
  if (!sharesStretch(c)) return null;
  // Coverage from the lengths, not the aligned overlap: a fingerprint holds a file's first 120 s only, so
  // a copy cut by 30 s overlaps a 3:25 original by 90 s of fingerprint however much more they share.
  const [longer, shorter] = a.duration >= b.duration ? (['a', b] as const) : (['b', a] as const);
  const longest = Math.max(a.duration, b.duration);
  if (shorter.duration >= PARTIAL_MIN_COVERAGE * longest || sameTitle(a, b))
    return { kind: 'partial', score: c.overlapScore, offset: c.offset };
  const start = Math.max(0, longer === 'a' ? c.offset : -c.offset) * ITEM_SECONDS;
  const overlap = Math.min(shorter.duration, longest - start);
  return { kind: 'related', score: c.overlapScore, longer, start, overlap };
}

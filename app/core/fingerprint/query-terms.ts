// Which of a fingerprint's items go into the index and into queries (AcoustID's query extraction,
// docs/fingerprint-matching.md: Query terms), plus the windows Sleeve adds to find partial copies
// (docs/fingerprint-matching.md: Partial copies and recording groups).

/** Chromaprint's item for digital silence. */
export const SILENCE = 627964279;
const MASK = 0xfffffff0;
const SIZE = 120;
const START = 80;
/** Items per window when a whole fingerprint is indexed in pieces (≈ 15 s each). */
export const WINDOW_ITEMS = 120;
/** Terms a window needs to be indexed: fewer (a long track's last seconds) would be found by chance. */
const MIN_WINDOW_TERMS = 20;
/** …unless the window is the whole fingerprint, a piece under 15 s (a 5 s sting has about 20 items): it
 *  is found by its copies, of its own length (recording-match.ts). */
const MIN_WHOLE_TERMS = 10;

// Which terms one walk has taken: an open-addressing set on typed arrays, emptied in O(1) by a new stamp
// (grouping extracts terms for every window of every file).
const SLOTS = 512; // > 4 × SIZE: short probes
const slotTerm = new Uint32Array(SLOTS);
const slotStamp = new Uint32Array(SLOTS);
let stamp = 0;

/** Up to `SIZE` unique masked non-silence items, walking from `from`, stopping before `to`. */
function takeTerms(items: ArrayLike<number>, from: number, to: number): number[] {
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    slotStamp.fill(0); // wrapped: forget every old stamp
    stamp = 1;
  }
  const out: number[] = [];
  for (let i = from; i < Math.min(to, items.length) && out.length < SIZE; i++) {
    const h = items[i]!;
    if (h === SILENCE) continue;
    const t = (h & MASK) >>> 0;
    let s = Math.imul(t, 0x9e3779b1) >>> 23;
    while (slotStamp[s] === stamp && slotTerm[s] !== t) s = (s + 1) & (SLOTS - 1);
    if (slotStamp[s] === stamp) continue;
    slotStamp[s] = stamp;
    slotTerm[s] = t;
    out.push(t);
  }
  return out;
}

/** AcoustID's query: ≈ 15 s of terms starting ≈ 10 s in. Empty for pure silence. */
export function queryTerms(items: ArrayLike<number>): number[] {
  let clean = 0;
  for (let i = 0; i < items.length; i++) if (items[i] !== SILENCE) clean++;
  if (clean === 0) return [];
  return takeTerms(items, Math.max(0, Math.min(clean - SIZE, START)), items.length);
}

/** Consecutive windows over the whole fingerprint, each one index document: a copy whose start was cut
 *  still shares whole windows with the original. Windows with too few terms to be found are dropped. */
export function windowTerms(items: ArrayLike<number>, maxWindows: number): number[][] {
  const out: number[][] = [];
  const least = items.length <= WINDOW_ITEMS ? MIN_WHOLE_TERMS : MIN_WINDOW_TERMS;
  for (let w = 0; w < maxWindows && w * WINDOW_ITEMS < items.length; w++) {
    const terms = takeTerms(items, w * WINDOW_ITEMS, (w + 1) * WINDOW_ITEMS);
    if (terms.length >= least) out.push(terms);
  }
  return out;
}

/** Distinct items, the spec's measure of a fingerprint's strength (< 80 is too weak to match). */
export function uniqueItems(items: ArrayLike<number>): number {
  const seen = new Set<number>();
  for (let i = 0; i < items.length; i++) if (items[i] !== SILENCE) seen.add(items[i]!);
  return seen.size;
}

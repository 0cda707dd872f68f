// AcoustID's `compare2` (docs/fingerprint-matching.md: compare2 alignment and score): align two fingerprints
// by their most common offset, then score the bit agreement, discounted for low-diversity (repetitive) audio.

const KEY_SHIFT = 18; // top 14 bits
const KEYS = 1 << 14;

export interface Comparison {
  /** 0..1; AcoustID calls > 0.4 the same recording. */
  readonly score: number;
  /** Items by which `a` is ahead: a[i + offset] lines up with b[i]. */
  readonly offset: number;
  /** Aligned items (the overlap). */
  readonly overlap: number;
  /** Bit agreement over the overlap alone, with the same diversity discount: judges partial copies. */
  readonly overlapScore: number;
}

const NONE: Comparison = { score: 0, offset: 0, overlap: 0, overlapScore: 0 };

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

// Scratch tables shared by every comparison (grouping runs thousands): allocating and zeroing 144 KB per
// call cost more than the comparison. lastA/lastB are reset after use through the keys that were set.
const lastA = new Int32Array(KEYS);
const lastB = new Int32Array(KEYS);
const seenAt = new Uint32Array(KEYS);
let seenStamp = 0;

function distinctKeys(items: ArrayLike<number>, from: number, to: number): number {
  seenStamp = (seenStamp + 1) >>> 0;
  if (seenStamp === 0) {
    seenAt.fill(0); // wrapped: forget every old stamp
    seenStamp = 1;
  }
  const stamp = seenStamp;
  let n = 0;
  for (let i = from; i < to; i++) {
    const k = items[i]! >>> KEY_SHIFT;
    if (seenAt[k] !== stamp) {
      seenAt[k] = stamp;
      n++;
    }
  }
  return n;
}

export function compareFingerprints(a: ArrayLike<number>, b: ArrayLike<number>, maxOffset = 80): Comparison {
  for (let i = 0; i < a.length; i++) lastA[a[i]! >>> KEY_SHIFT] = i;
  for (let i = 0; i < b.length; i++) lastB[b[i]! >>> KEY_SHIFT] = i;
  try {
    return score(a, b, maxOffset);
  } finally {
    for (let i = 0; i < a.length; i++) lastA[a[i]! >>> KEY_SHIFT] = 0;
    for (let i = 0; i < b.length; i++) lastB[b[i]! >>> KEY_SHIFT] = 0;
  }
}

/** compare2 once lastA/lastB hold each key's last position in a and b. */
function score(a: ArrayLike<number>, b: ArrayLike<number>, maxOffset: number): Comparison {
  const counts = new Int32Array(2 * maxOffset + 1);
  let topCount = 0;
  let topOffset = 0;
  for (let k = 0; k < KEYS; k++) {
    // Position 0 counts as absent, as in AcoustID's implementation.
    if (lastA[k]! > 0 && lastB[k]! > 0) {
      const d = lastA[k]! - lastB[k]!;
      if (Math.abs(d) > maxOffset) continue;
      const c = ++counts[d + maxOffset]!;
      if (c > topCount) {
        topCount = c;
        topOffset = d;
      }
    }
  }
  const aFrom = Math.max(topOffset, 0);
  const bFrom = Math.max(-topOffset, 0);
  const aLen = a.length - aFrom;
  const bLen = b.length - bFrom;
  const minSize = Math.min(a.length, b.length) & ~1;
  const size = Math.min(aLen, bLen) >> 1;
  if (size <= 0 || minSize === 0) return NONE;
  const aUniq = distinctKeys(a, aFrom, a.length);
  const bUniq = distinctKeys(b, bFrom, b.length);
  const diversity = Math.min(Math.min(1, (aUniq + 10) / aLen + 0.5), Math.min(1, (bUniq + 10) / bLen + 0.5));
  if (topCount < Math.max(aUniq, bUniq) * 0.02) return { ...NONE, offset: topOffset };
  let bitError = 0;
  for (let i = 0; i < 2 * size; i++) bitError += popcount((a[aFrom + i]! ^ b[bFrom + i]!) >>> 0);
  const agreement = Math.max(0, 1 - (2 * bitError) / (64 * size));
  const discount = (s: number) => (diversity < 1 ? s ** (8 - 7 * diversity) : s);
  return {
    score: discount(((2 * size) / minSize) * agreement),
    offset: topOffset,
    overlap: 2 * size,
    overlapScore: discount(agreement),
  };
}

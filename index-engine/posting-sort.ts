// Sorts postings by (term, id) with a stable LSD radix sort on 11-bit digits (small enough for the counts
// to stay in L1 cache): linear time, no comparisons,
// several times faster than a comparison sort of packed 64-bit keys.

const BITS = 11;
const DIGITS = 1 << BITS;
const MASK = DIGITS - 1;
const SHIFTS = [0, 11, 22];

/** One stable pass ordering (key, other) pairs by the digit of `key` at `shift`; false if skipped. */
function radixPass(
  key: Uint32Array,
  other: Uint32Array,
  keyOut: Uint32Array,
  otherOut: Uint32Array,
  shift: number,
  counts: Uint32Array,
): boolean {
  const n = key.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[(key[i]! >>> shift) & MASK]!++;
  // A digit shared by every posting orders nothing.
  if (n === 0 || counts[(key[0]! >>> shift) & MASK] === n) return false;
  let sum = 0;
  for (let d = 0; d < DIGITS; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const at = counts[(key[i]! >>> shift) & MASK]!++;
    keyOut[at] = key[i]!;
    otherOut[at] = other[i]!;
  }
  return true;
}

function ascending(values: Uint32Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/**
 * Returns postings sorted by (term, id). When they already come in ascending id order (built document by
 * document, the usual case), the id passes are skipped: the term passes are stable.
 */
export function sortPostings(terms: Uint32Array, ids: Uint32Array): { terms: Uint32Array; ids: Uint32Array } {
  const counts = new Uint32Array(DIGITS);
  let t: Uint32Array = terms;
  let d: Uint32Array = ids;
  let t2: Uint32Array = new Uint32Array(terms.length);
  let d2: Uint32Array = new Uint32Array(ids.length);
  const passes: [byTerm: boolean, shift: number][] = [
    ...(ascending(ids) ? [] : SHIFTS.map((sh): [boolean, number] => [false, sh])),
    ...SHIFTS.map((sh): [boolean, number] => [true, sh]),
  ];
  for (const [byTerm, shift] of passes) {
    const moved = byTerm ? radixPass(t, d, t2, d2, shift, counts) : radixPass(d, t, d2, t2, shift, counts);
    if (moved) {
      [t, t2] = [t2, t];
      [d, d2] = [d2, d];
    }
  }
  return { terms: t, ids: d };
}

// Deterministic synthetic fingerprint documents for the index benchmark. Every document's terms derive from
// its id alone, so any process (engine, HTTP client, PostgreSQL loader) regenerates the same corpus.

export type Regime = 'dense' | 'sparse';

/** Terms per document, about a 2-minute fingerprint's query extraction. */
export const TERMS_PER_DOC = 120;

const DENSE_BITS = 18;
const SPARSE_MASK = 0x0fffffff;

/** xorshift32 seeded by a 32-bit mix of the inputs; fast and good enough for synthetic data. */
function rng(seed: number): () => number {
  let x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function term(regime: Regime, next: () => number): number {
  return regime === 'dense' ? next() >>> (32 - DENSE_BITS) : next() & SPARSE_MASK;
}

/** The terms of document `id` (1-based). */
export function docTerms(regime: Regime, id: number): number[] {
  const next = rng(id);
  const terms = new Array<number>(TERMS_PER_DOC);
  for (let i = 0; i < TERMS_PER_DOC; i++) terms[i] = term(regime, next);
  return terms;
}

/** A query for document `id`: its terms with 20 % replaced by random ones (a noisy re-recording). */
export function queryFor(regime: Regime, id: number, salt = 1): number[] {
  const terms = docTerms(regime, id);
  const next = rng(id ^ Math.imul(salt, 0x27d4eb2d));
  for (let i = 0; i < terms.length; i++) if (next() % 5 === 0) terms[i] = term(regime, next);
  return terms;
}

/** Ids 1..count in pseudo-random order, for picking query targets. */
export function sampleIds(count: number, n: number, seed = 7): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => (next() % count) + 1);
}

// How much two decodes of one recording differ: lined up (the lag where they correlate best) and the second
// scaled to fit the first, the level of their difference under the first's level, in dB. A lossy copy
// transcoded from another differs from it by its own encoder's noise alone; two encodes of one master by
// both encoders' noise, the source's included — a test loudness cannot make, since a transcode's loudness
// moves as much as another encode's. The two overlap where the source is good and the copy's encoder no
// better (docs/guide/copies.md gives the figures): a copy that close holds nothing more than the source.
import FFT from 'fft.js';

/** How far apart (samples) two decodes may start: encoders' delays (AAC's priming, LAME's) that their
 *  decoders did not remove, well under a tenth of a second at the fingerprint stream's rate. */
export const MAX_LAG = 2048;
/** Samples lined up by correlation (about 6 s at 11,025 Hz), from the middle of the shorter decode: a
 *  track's start may be silence. */
const ALIGN = 1 << 16;
/** The level reported for decodes that are the same samples (nothing differs). */
const IDENTICAL_DB = 120;

/** The difference's level under `a`'s (dB, positive), after the best lag within MAX_LAG and the gain that
 *  makes it least; null when either is silent where they overlap. */
export function residualDb(a: Int16Array, b: Int16Array): number | null {
  const lag = bestLag(a, b);
  const from = Math.max(0, lag);
  const length = Math.min(a.length - from, b.length - (from - lag));
  let aa = 0;
  let bb = 0;
  let ab = 0;
  for (let i = 0; i < length; i++) {
    const x = a[from + i]!;
    const y = b[from - lag + i]!;
    aa += x * x;
    bb += y * y;
    ab += x * y;
  }
  if (aa === 0 || bb === 0) return null;
  // The least difference over gains g of sum (a - g b)^2: aa - ab^2 / bb.
  const left = aa - (ab * ab) / bb;
  return left <= 0 ? IDENTICAL_DB : Math.min(IDENTICAL_DB, 10 * Math.log10(aa / left));
}

/** The lag (a[i + lag] lines up with b[i]) within MAX_LAG where the two correlate most, by FFT. */
export function bestLag(a: Int16Array, b: Int16Array): number {
  const shorter = Math.min(a.length, b.length);
  const n = Math.min(ALIGN, shorter);
  if (n <= 2 * MAX_LAG) return 0;
  const start = (shorter - n) >> 1;
  let size = 2;
  while (size < 2 * n) size <<= 1;
  const fft = new FFT(size);
  const spectrum = (x: Int16Array) => {
    const padded = new Float64Array(size);
    for (let i = 0; i < n; i++) padded[i] = x[start + i]!;
    const out = fft.createComplexArray() as number[];
    fft.realTransform(out, padded);
    fft.completeSpectrum(out);
    return out;
  };
  const fa = spectrum(a);
  const fb = spectrum(b);
  // a's spectrum times the conjugate of b's: the transform of their cross-correlation.
  const product = fft.createComplexArray() as number[];
  for (let k = 0; k < size; k++) {
    const [ar, ai, br, bi] = [fa[2 * k]!, fa[2 * k + 1]!, fb[2 * k]!, fb[2 * k + 1]!];
    product[2 * k] = ar * br + ai * bi;
    product[2 * k + 1] = ai * br - ar * bi;
  }
  const correlation = fft.createComplexArray() as number[];
  fft.inverseTransform(correlation, product);
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let lag = -MAX_LAG; lag <= MAX_LAG; lag++) {
    // A copy with its polarity turned correlates as strongly, negatively.
    const value = Math.abs(correlation[2 * ((lag + size) % size)]!);
    if (value > bestValue) {
      bestValue = value;
      best = lag;
    }
  }
  return best;
}

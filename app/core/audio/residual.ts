// How much two decodes of one recording differ: lined up (the lag where they correlate best) and the second
// filtered to fit the first (a gain, and what is left of the lag within a sample), the level of their
// difference under the first's level, in dB. A lossy copy
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

/** Taps of the filter fitted to the second decode around the lag: a whole-sample lag leaves up to half a
 *  sample at the fingerprint stream's rate (an encoder delay no multiple of 4 samples at 44.1 kHz), which
 *  alone put a transcode 37 dB under the music at 20 (Wesnoth's "battle", one sample late at 44.1 kHz);
 *  16 taps fit it back within a dB or two, and fit an encode of the master no closer than a gain does. */
const TAPS = 16;
/** The taps' offsets from the lag: -7…8. */
const FIRST_TAP = 1 - TAPS / 2;

/** The difference's level under `a`'s (dB, positive), after the best lag within MAX_LAG and the filter of
 *  TAPS taps that makes it least; null when either is silent where they overlap. */
export function residualDb(a: Int16Array, b: Int16Array): number | null {
  // Both peaks: on a tonal passage the most negative correlation (half a period off) can be as strong as
  // the true lag's, and a copy with its polarity turned has its lag there. The closer fit tells.
  const { positive, negative } = correlationPeaks(a, b);
  const fits = [positive, negative].map((lag) => residualAt(a, b, lag));
  const measured = fits.filter((db) => db !== null);
  return measured.length === 0 ? null : Math.max(...measured);
}

function residualAt(a: Int16Array, b: Int16Array, lag: number): number | null {
  // The rows of a for which every tap of b exists: b[i - lag + FIRST_TAP + k], k < TAPS.
  const from = Math.max(0, lag - FIRST_TAP);
  const to = Math.min(a.length, b.length + lag - FIRST_TAP - TAPS + 1);
  if (to - from <= 4 * TAPS) return null;
  let aa = 0;
  // b's own energy at the lag: the gain alone fits it (a decode of the same samples) exactly.
  let atLag = 0;
  const ab = new Float64Array(TAPS);
  // b's products of two taps d apart (the normal equations' matrix, Toeplitz over this many rows).
  const bb = new Float64Array(TAPS);
  for (let i = from; i < to; i++) {
    const x = a[i]!;
    const base = i - lag + FIRST_TAP;
    const y = b[base]!;
    aa += x * x;
    atLag += b[base - FIRST_TAP]! ** 2;
    for (let k = 0; k < TAPS; k++) {
      const yk = b[base + k]!;
      ab[k]! += x * yk;
      bb[k]! += y * yk;
    }
  }
  if (aa === 0 || atLag === 0) return null;
  const taps = solveToeplitz(bb, ab);
  // The difference itself, summed: aa - taps · ab would lose it to the Toeplitz matrix's edge terms,
  // as large as the difference of a transcode 40 dB under the music.
  const gainOnly = ab[-FIRST_TAP]!;
  let left = aa - (gainOnly * gainOnly) / atLag;
  let filtered = 0;
  for (let i = from; i < to; i++) {
    const base = i - lag + FIRST_TAP;
    let fitted = 0;
    for (let k = 0; k < TAPS; k++) fitted += taps[k]! * b[base + k]!;
    const d = a[i]! - fitted;
    filtered += d * d;
  }
  if (Number.isFinite(filtered)) left = Math.min(left, filtered);
  return left <= 0 ? IDENTICAL_DB : Math.min(IDENTICAL_DB, 10 * Math.log10(aa / left));
}

/** x with R x = y, R the symmetric Toeplitz matrix of `first` (its first row), a hair of ridge on its
 *  diagonal: a band-limited decode leaves it nearly singular. Gaussian elimination, partial pivoting. */
function solveToeplitz(first: Float64Array, y: Float64Array): Float64Array {
  const n = y.length;
  const ridge = first[0]! * 1e-9;
  const m = Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: n + 1 }, (_, j) =>
      j === n ? y[i]! : first[Math.abs(i - j)]! + (i === j ? ridge : 0),
    ),
  );
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]!;
    for (let r = c + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[c]! / pivot[c]!;
      for (let j = c; j <= n; j++) row[j]! -= f * pivot[j]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let v = m[r]![n]!;
    for (let j = r + 1; j < n; j++) v -= m[r]![j]! * x[j]!;
    x[r] = v / m[r]![r]!;
  }
  return x;
}

/** The lag (a[i + lag] lines up with b[i]) within MAX_LAG where the two correlate most, either sign. */
export function bestLag(a: Int16Array, b: Int16Array): number {
  const { positive, negative, positiveValue, negativeValue } = correlationPeaks(a, b);
  return -negativeValue > positiveValue ? negative : positive;
}

/** The lags within MAX_LAG where the two correlate most and most negatively, with those correlations; by
 *  FFT. */
function correlationPeaks(a: Int16Array, b: Int16Array) {
  const peaks = { positive: 0, negative: 0, positiveValue: 0, negativeValue: 0 };
  const shorter = Math.min(a.length, b.length);
  const n = Math.min(ALIGN, shorter);
  if (n <= 2 * MAX_LAG) return peaks;
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
  for (let lag = -MAX_LAG; lag <= MAX_LAG; lag++) {
    const value = correlation[2 * ((lag + size) % size)]!;
    if (value > peaks.positiveValue) Object.assign(peaks, { positive: lag, positiveValue: value });
    if (value < peaks.negativeValue) Object.assign(peaks, { negative: lag, negativeValue: value });
  }
  return peaks;
}

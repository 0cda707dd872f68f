// Pitch-class profiles: spectral magnitude folded onto the 12 semitones of the octave, and the key they
// suggest (Krumhansl–Kessler profiles correlated with the track's mean chroma).

const LOW_HZ = 110; // A2: below it a 2048-point frame at 11 kHz cannot tell semitones apart
const HIGH_HZ = 3520; // A7: above it harmonics blur the pitch classes more than they add

export class Chroma {
  /** Per FFT bin in range: its two nearest pitch classes and their weights (soft assignment). */
  readonly #first: number;
  readonly #classA: Uint8Array;
  readonly #classB: Uint8Array;
  readonly #weightB: Float64Array;

  constructor(options: { bins: number; sampleRate: number }) {
    const binHz = options.sampleRate / 2 / (options.bins - 1);
    this.#first = Math.ceil(LOW_HZ / binHz);
    const last = Math.min(options.bins - 1, Math.floor(HIGH_HZ / binHz));
    const n = Math.max(0, last - this.#first + 1);
    this.#classA = new Uint8Array(n);
    this.#classB = new Uint8Array(n);
    this.#weightB = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Semitones above C, fractional: pitch class 0 is C.
      const semis = 12 * Math.log2(((this.#first + i) * binHz) / 440) + 9;
      const below = Math.floor(semis);
      this.#classA[i] = ((below % 12) + 12) % 12;
      this.#classB[i] = (this.#classA[i]! + 1) % 12;
      this.#weightB[i] = semis - below;
    }
  }

  /** Writes the chroma of a frame's magnitude spectrum, normalized to sum 1 (all zero for silence),
   *  into `out` (length 12). */
  compute(magnitude: Float64Array, out: Float64Array): void {
    out.fill(0);
    for (let i = 0; i < this.#classA.length; i++) {
      const mag = magnitude[this.#first + i]!;
      const wb = this.#weightB[i]!;
      out[this.#classA[i]!] = out[this.#classA[i]!]! + mag * (1 - wb);
      out[this.#classB[i]!] = out[this.#classB[i]!]! + mag * wb;
    }
    let sum = 0;
    for (let c = 0; c < 12; c++) sum += out[c]!;
    if (sum > 0) for (let c = 0; c < 12; c++) out[c] = out[c]! / sum;
  }
}

const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

function correlation(a: ArrayLike<number>, b: ArrayLike<number>, shift: number): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < 12; i++) {
    ma += a[(i + shift) % 12]!;
    mb += b[i]!;
  }
  ma /= 12;
  mb /= 12;
  let num = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < 12; i++) {
    const x = a[(i + shift) % 12]! - ma;
    const y = b[i]! - mb;
    num += x * y;
    va += x * x;
    vb += y * y;
  }
  return va > 0 && vb > 0 ? num / Math.sqrt(va * vb) : 0;
}

export interface KeyEstimate {
  /** Pitch class of the tonic, 0 = C. */
  readonly tonic: number;
  /** Correlation of the best key's profile (−1..1): how clearly the track sits in one key. */
  readonly clarity: number;
  /** Best major minus best minor correlation: > 0 leans major. */
  readonly mode: number;
}

export function estimateKey(meanChroma: ArrayLike<number>): KeyEstimate {
  let best = { tonic: 0, r: -2 };
  let bestMajor = -2;
  let bestMinor = -2;
  for (let tonic = 0; tonic < 12; tonic++) {
    const major = correlation(meanChroma, MAJOR, tonic);
    const minor = correlation(meanChroma, MINOR, tonic);
    bestMajor = Math.max(bestMajor, major);
    bestMinor = Math.max(bestMinor, minor);
    if (major > best.r) best = { tonic, r: major };
    if (minor > best.r) best = { tonic, r: minor };
  }
  return { tonic: best.tonic, clarity: best.r, mode: bestMajor - bestMinor };
}

/** The profile rotated so the tonic comes first: the same music in another key gives the same values. */
export function rotateToTonic(chroma: ArrayLike<number>, tonic: number): Float64Array {
  const out = new Float64Array(12);
  for (let i = 0; i < 12; i++) out[i] = chroma[(i + tonic) % 12]!;
  return out;
}

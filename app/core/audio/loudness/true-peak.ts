// True peak (BS.1770-4 Annex 2): the highest magnitude of the signal between its samples, found by
// oversampling with a 49-tap Hann-windowed sinc — 4× below 96 kHz, 2× below 192 kHz, none above — as
// libebur128 does, so figures agree with loudgain's.
//
// Only the maximum matters, and a phase's output is at most the L1 norm of its taps times the largest
// input under them: a stretch whose bound is below the peak found so far cannot raise it and is not
// interpolated. Exact, and most of a track is skipped once its loudest moment has been seen.

const TAPS = 49;
/** Samples checked together against the bound. */
const STRETCH = 64;

/** The polyphase taps: phase f's k-th tap weighs the input k samples back. */
function polyphase(factor: number): Float64Array[] {
  const phases = Array.from({ length: factor }, () => [] as number[]);
  for (let j = 0; j < TAPS; j++) {
    const m = j - (TAPS - 1) / 2;
    const x = (m * Math.PI) / factor;
    const sinc = Math.abs(m) < 1e-9 ? 1 : Math.sin(x) / x;
    const hann = 0.5 * (1 - Math.cos((2 * Math.PI * j) / (TAPS - 1)));
    phases[j % factor]!.push(sinc * hann);
  }
  // A phase that is one tap of 1 (the sinc's zeros elsewhere) repeats the samples: the sample peak covers it.
  return phases
    .filter((p) => p.filter((c) => Math.abs(c) > 1e-6).length > 1)
    .map((p) => Float64Array.from(p));
}

function oversampling(rate: number): number {
  return rate < 96000 ? 4 : rate < 192000 ? 2 : 1;
}

/** The true peak of each channel, fed block by block. */
export class TruePeakMeter {
  readonly #phases: Float64Array[];
  /** The bound's factor: the largest L1 norm of a phase. */
  readonly #gain: number;
  /** Input samples a phase looks back over. */
  readonly #span: number;
  /** Per channel: the last `span - 1` samples, then the block's, as ±1.0. */
  readonly #history: Float64Array[];
  #scratch = new Float64Array(0);
  /** The highest magnitude per channel, interpolated or sampled (a true peak is never below a sample's). */
  readonly peaks: Float64Array;
  readonly samplePeaks: Float64Array;

  constructor(rate: number, channels: number) {
    const factor = oversampling(rate);
    this.#phases = factor === 1 ? [] : polyphase(factor);
    this.#gain = Math.max(0, ...this.#phases.map((p) => p.reduce((s, c) => s + Math.abs(c), 0)));
    this.#span = Math.max(1, ...this.#phases.map((p) => p.length));
    this.#history = Array.from({ length: channels }, () => new Float64Array(this.#span - 1));
    this.peaks = new Float64Array(channels);
    this.samplePeaks = new Float64Array(channels);
  }

  push(planes: readonly Int16Array[]): void {
    planes.forEach((plane, c) => {
      this.#channel(c, plane);
    });
  }

  #channel(c: number, plane: Int16Array): void {
    const keep = this.#span - 1;
    const n = plane.length;
    if (this.#scratch.length < keep + n) this.#scratch = new Float64Array(keep + n);
    const x = this.#scratch;
    x.set(this.#history[c]!);
    let sampled = this.samplePeaks[c]!;
    for (let i = 0; i < n; i++) {
      const v = plane[i]! / 32768;
      x[keep + i] = v;
      const a = v < 0 ? -v : v;
      if (a > sampled) sampled = a;
    }
    this.samplePeaks[c] = sampled;
    let peak = Math.max(this.peaks[c]!, sampled);
    for (let start = 0; start < n && this.#phases.length > 0; start += STRETCH) {
      const end = Math.min(n, start + STRETCH);
      let loudest = 0;
      for (let i = start; i < end + keep; i++) {
        const a = x[i]! < 0 ? -x[i]! : x[i]!;
        if (a > loudest) loudest = a;
      }
      if (loudest * this.#gain <= peak) continue;
      peak = this.#interpolate(x, keep + start, keep + end, peak);
    }
    this.peaks[c] = peak;
    this.#history[c]!.set(x.subarray(n, n + keep));
  }

  /** The largest interpolated magnitude for inputs [from, to) of `x`, or `peak` if none is larger. Each input
   *  is loaded once for every phase (4×: three of them, 12 taps each), the phases' sums kept apart. */
  #interpolate(x: Float64Array, from: number, to: number, peak: number): number {
    const phases = this.#phases;
    if (phases.length !== 3) return this.#interpolateEach(x, from, to, peak);
    const [a, b, c] = phases as [Float64Array, Float64Array, Float64Array];
    const t = a.length;
    for (let i = from; i < to; i++) {
      let ya = 0;
      let yb = 0;
      let yc = 0;
      for (let k = 0; k < t; k++) {
        const v = x[i - k]!;
        ya += a[k]! * v;
        yb += b[k]! * v;
        yc += c[k]! * v;
      }
      const m = Math.max(Math.abs(ya), Math.abs(yb), Math.abs(yc));
      if (m > peak) peak = m;
    }
    return peak;
  }

  /** The same, a phase at a time (2× oversampling has one phase to compute). */
  #interpolateEach(x: Float64Array, from: number, to: number, peak: number): number {
    for (const taps of this.#phases) {
      const t = taps.length;
      for (let i = from; i < to; i++) {
        let y = 0;
        for (let k = 0; k < t; k++) y += taps[k]! * x[i - k]!;
        const a = y < 0 ? -y : y;
        if (a > peak) peak = a;
      }
    }
    return peak;
  }
}

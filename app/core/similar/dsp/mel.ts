// Mel-frequency cepstral coefficients: a triangular mel filter bank (HTK's mel scale) over a power
// spectrum, the log of each band, then an orthonormal DCT-II.

const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

/** Keeps log() finite on digital silence; far below any audible band energy of 16-bit audio. */
const FLOOR = 1e-10;

export class MelCepstrum {
  readonly bands: number;
  readonly coefficients: number;
  /** Per band: first bin, then one weight per bin. */
  readonly #filters: Array<{ first: number; weights: Float64Array }>;
  readonly #dct: Float64Array;
  readonly #logMel: Float64Array;

  constructor(options: {
    bins: number;
    sampleRate: number;
    bands: number;
    coefficients: number;
    firstCoefficient: number;
  }) {
    const { bins, sampleRate, bands, coefficients, firstCoefficient } = options;
    this.bands = bands;
    this.coefficients = coefficients;
    const binHz = sampleRate / 2 / (bins - 1);
    const top = hzToMel(sampleRate / 2);
    const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz((top * i) / (bands + 1)));
    this.#filters = [];
    for (let b = 0; b < bands; b++) {
      const [lo, mid, hi] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
      const first = Math.ceil(lo / binHz);
      const last = Math.min(bins - 1, Math.floor(hi / binHz));
      const weights = new Float64Array(Math.max(0, last - first + 1));
      for (let k = first; k <= last; k++) {
        const hz = k * binHz;
        weights[k - first] = hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
      }
      this.#filters.push({ first, weights });
    }
    this.#dct = new Float64Array(coefficients * bands);
    for (let c = 0; c < coefficients; c++) {
      const n = c + firstCoefficient;
      const scale = Math.sqrt((n === 0 ? 1 : 2) / bands);
      for (let b = 0; b < bands; b++)
        this.#dct[c * bands + b] = scale * Math.cos((Math.PI * n * (b + 0.5)) / bands);
    }
    this.#logMel = new Float64Array(bands);
  }

  /** Writes the coefficients of one power spectrum into `out`. */
  compute(power: Float64Array, out: Float64Array): void {
    const logMel = this.#logMel;
    for (let b = 0; b < this.bands; b++) {
      const { first, weights } = this.#filters[b]!;
      let sum = 0;
      for (let i = 0; i < weights.length; i++) sum += weights[i]! * power[first + i]!;
      logMel[b] = Math.log(sum + FLOOR);
    }
    for (let c = 0; c < this.coefficients; c++) {
      let sum = 0;
      const row = c * this.bands;
      for (let b = 0; b < this.bands; b++) sum += this.#dct[row + b]! * logMel[b]!;
      out[c] = sum;
    }
  }
}

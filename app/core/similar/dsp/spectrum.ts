// Short-time power spectra: Hann-windowed frames of a mono signal through fft.js's radix-4 real FFT.
import FFT from 'fft.js';

export class PowerSpectrum {
  readonly size: number;
  /** Bins 0..size/2 inclusive. */
  readonly bins: number;
  readonly #fft: FFT;
  readonly #window: Float64Array;
  readonly #frame: Float64Array;
  readonly #complex: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.bins = size / 2 + 1;
    this.#fft = new FFT(size);
    this.#window = new Float64Array(size);
    // Periodic Hann: overlapping at half the size sums to a constant.
    for (let i = 0; i < size; i++) this.#window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
    this.#frame = new Float64Array(size);
    this.#complex = new Float64Array(size * 2);
  }

  /** Writes |X[k]|² of signal[start, start + size) into `out` (length `bins`). */
  compute(signal: Float32Array, start: number, out: Float64Array): void {
    const frame = this.#frame;
    const w = this.#window;
    for (let i = 0; i < this.size; i++) frame[i] = signal[start + i]! * w[i]!;
    this.#fft.realTransform(this.#complex, frame);
    const c = this.#complex;
    for (let k = 0; k < this.bins; k++) {
      const re = c[2 * k]!;
      const im = c[2 * k + 1]!;
      out[k] = re * re + im * im;
    }
  }
}

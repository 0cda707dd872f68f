// A signal's short-time envelope at a fine hop: energy of the signal and of its first difference (which
// stresses the highs where percussive attacks live), and the zero-crossing rate. Rhythm and loudness
// features are computed from it, so the samples are walked once.

export interface Envelope {
  /** Hops per second. */
  readonly rate: number;
  /** Mean square of the signal over a window of two hops, per hop. */
  readonly energy: Float64Array;
  /** The same for the first difference of the signal. */
  readonly highEnergy: Float64Array;
  /** Sign changes per sample, per hop. */
  readonly zeroCrossings: Float64Array;
  /** Largest absolute sample. */
  readonly peak: number;
}

export function envelope(signal: Float32Array, sampleRate: number, hop: number): Envelope {
  const hops = Math.max(0, Math.floor(signal.length / hop) - 1);
  const energy = new Float64Array(hops);
  const highEnergy = new Float64Array(hops);
  const zeroCrossings = new Float64Array(hops);
  let peak = 0;
  // Per-hop sums first; each window then adds two neighbours.
  const sum = new Float64Array(hops + 1);
  const sumHigh = new Float64Array(hops + 1);
  for (let h = 0; h <= hops; h++) {
    let s = 0;
    let sh = 0;
    let zc = 0;
    let prev = h * hop > 0 ? signal[h * hop - 1]! : 0;
    for (let i = h * hop, end = i + hop; i < end; i++) {
      const x = signal[i]!;
      s += x * x;
      const d = x - prev;
      sh += d * d;
      if (x >= 0 !== prev >= 0) zc++;
      prev = x;
      const a = x < 0 ? -x : x;
      if (a > peak) peak = a;
    }
    sum[h] = s;
    sumHigh[h] = sh;
    if (h < hops) zeroCrossings[h] = zc / hop;
  }
  for (let h = 0; h < hops; h++) {
    energy[h] = (sum[h]! + sum[h + 1]!) / (2 * hop);
    highEnergy[h] = (sumHigh[h]! + sumHigh[h + 1]!) / (2 * hop);
  }
  return { rate: sampleRate / hop, energy, highEnergy, zeroCrossings, peak };
}

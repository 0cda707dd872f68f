// BS.1770-4's K-weighting: a high shelf (+4 dB above ~1.7 kHz, the head's effect) then a high pass
// (below ~38 Hz), as two biquads designed for any sample rate by the bilinear transform from the
// analog prototype whose constants libebur128 published (they reproduce the standard's 48 kHz
// coefficients exactly). Each channel keeps its own state across blocks.

interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

function highShelf(rate: number): Biquad {
  const f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  const q = 0.7071752369554196;
  const k = Math.tan((Math.PI * f0) / rate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  const a0 = 1 + k / q + k * k;
  return {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
}

function highPass(rate: number): Biquad {
  const f0 = 38.13547087602444;
  const q = 0.5003270373238773;
  const k = Math.tan((Math.PI * f0) / rate);
  const a0 = 1 + k / q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
}

const flush = (v: number): number => (Math.abs(v) < 1e-30 ? 0 : v);

/** One channel's K-weighting filter (transposed direct form II, double precision). */
export class KWeighting {
  readonly #shelf: Biquad;
  readonly #pass: Biquad;
  // The two state variables of each stage.
  #s1 = 0;
  #s2 = 0;
  #p1 = 0;
  #p2 = 0;

  constructor(rate: number) {
    this.#shelf = highShelf(rate);
    this.#pass = highPass(rate);
  }

  /** The sum of squares of the weighted signal over `samples[from, to)` (16-bit, full scale 1.0). */
  sumOfSquares(samples: Int16Array, from: number, to: number): number {
    const { b0, b1, b2, a1, a2 } = this.#shelf;
    const p = this.#pass;
    let [s1, s2, p1, p2] = [this.#s1, this.#s2, this.#p1, this.#p2];
    let sum = 0;
    for (let i = from; i < to; i++) {
      const x = samples[i]! / 32768;
      const y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      const z = p.b0 * y + p1;
      p1 = p.b1 * y - p.a1 * z + p2;
      p2 = p.b2 * y - p.a2 * z;
      sum += z * z;
    }
    // Denormals after long silence slow every later sample: flush them.
    this.#s1 = flush(s1);
    this.#s2 = flush(s2);
    this.#p1 = flush(p1);
    this.#p2 = flush(p2);
    return sum;
  }
}

/** BS.1770's channel weights for libebur128's default layouts: L R C LFE Ls Rs (LFE not counted),
 *  L R Ls Rs for four channels, L R C Ls Rs for five; channels past the sixth are not counted. */
export function channelWeights(channels: number): number[] {
  if (channels === 4) return [1, 1, 1.41, 1.41];
  if (channels === 5) return [1, 1, 1, 1.41, 1.41];
  return Array.from({ length: channels }, (_, c) => [1, 1, 1, 0, 1.41, 1.41][c] ?? 0);
}

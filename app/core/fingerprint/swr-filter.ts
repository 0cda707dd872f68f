// The polyphase low-pass filter bank FFmpeg's swresample builds for 16-bit resampling (Kaiser-windowed
// sinc, beta 9). Recomputed here number for number so that our resampler feeds Chromaprint exactly the
// samples `fpcalc` feeds it. Layout as FFmpeg's: `phases + 1` rows of `stride` taps; the extra row is
// phase 0 delayed by one sample, for linear interpolation past the last phase.
import { clip16, roundHalfEven } from '../audio/pcm.ts';

export interface FilterBank {
  readonly taps: Int16Array;
  /** Taps per phase that matter (FFmpeg's filter_length). */
  readonly length: number;
  /** Row stride (filter_length rounded up to 8, zero padded). */
  readonly stride: number;
  readonly phases: number;
}

const KAISER_BETA = 9;

/** Zeroth-order modified Bessel function of the first kind, summed as FFmpeg sums it. */
function bessel(x: number): number {
  let v = 1;
  let last = 0;
  let t = 1;
  const q = (x * x) / 4;
  for (let i = 0; v !== last; i++) {
    last = v;
    t *= q * (1 / ((i + 1) * (i + 1)));
    v += t;
  }
  return v;
}

export function buildFilterBank(factorIn: number, length: number, phases: number): FilterBank {
  const factor = Math.min(factorIn, 1);
  const stride = Math.ceil(length / 8) * 8;
  const taps = new Int16Array(stride * (phases + 1));
  const center = (length - 1) >> 1;
  // Even phase counts are symmetric: the second half mirrors the first.
  const computed = phases % 2 ? phases : phases / 2 + 1;
  const tab = new Float64Array(length);
  let norm = 0;
  for (let ph = 0; ph < computed; ph++) {
    let s = factor === 1 ? Math.sin((Math.PI * ph) / phases) * (center & 1 ? 1 : -1) : 0;
    for (let i = 0; i < length; i++) {
      const x = Math.PI * (i - center - ph / phases) * factor;
      let y = x === 0 ? 1 : factor === 1 ? s / x : Math.sin(x) / x;
      const w = (2 * x) / (factor * length * Math.PI);
      y *= bessel(KAISER_BETA * Math.sqrt(Math.max(1 - w * w, 0)));
      tab[i] = y;
      s = -s;
      if (ph === 0) norm += y;
    }
    for (let i = 0; i < length; i++)
      taps[ph * stride + i] = clip16(roundHalfEven(Math.fround((tab[i]! * 32768) / norm)));
    if (phases % 2 === 0) {
      for (let i = 0; i < length; i++) taps[(phases - ph) * stride + length - 1 - i] = taps[ph * stride + i]!;
    }
  }
  // The extra row: phase 0 one sample later.
  const last = phases * stride;
  taps.copyWithin(last + 1, 0, stride - 1);
  taps[last] = taps[stride - 1]!;
  return { taps, length, stride, phases };
}

// Rhythm from the envelope: an onset-strength curve (rises of log energy, full band and highs), its
// autocorrelation, the tempo it implies and how strongly the music pulses at each tempo range.
import type { Envelope } from './envelope.ts';
import { Moments } from './moments.ts';

/** About −90 dBFS: rises out of digital silence do not count as attacks. */
const FLOOR = 1e-9;
const MIN_BPM = 40;
const MAX_BPM = 240;
/** Periodicity bins, log-spaced between MIN_BPM and MAX_BPM. */
export const PERIODICITY_BINS = 8;
/** Tempo prior (log-normal around 120 BPM, one octave wide): breaks ties between a tempo and its halves. */
const PRIOR_BPM = 120;

export interface Rhythm {
  /** Onset strength statistics, in nepers per hop (gain does not change them). */
  readonly onsetMean: number;
  readonly onsetStd: number;
  /** Onsets (strong local maxima) per second. */
  readonly onsetRate: number;
  readonly bpm: number;
  /** Normalized autocorrelation at the tempo's lag: near 1 for a steady beat, near 0 for none. */
  readonly pulseClarity: number;
  /** Per tempo bin, the largest normalized autocorrelation: which pulse rates the music has. */
  readonly periodicity: Float64Array;
}

function onsetStrength(env: Envelope): Float64Array {
  const n = env.energy.length;
  const out = new Float64Array(n);
  for (let h = 1; h < n; h++) {
    const low = Math.log(env.energy[h]! + FLOOR) - Math.log(env.energy[h - 1]! + FLOOR);
    const high = Math.log(env.highEnergy[h]! + FLOOR) - Math.log(env.highEnergy[h - 1]! + FLOOR);
    out[h] = Math.max(0, low) + Math.max(0, high);
  }
  return out;
}

export function rhythm(env: Envelope): Rhythm {
  const onset = onsetStrength(env);
  const stats = new Moments(1);
  for (const v of onset) stats.add([v]);
  const mean = stats.mean()[0]!;
  const std = stats.std()[0]!;

  const minLag = Math.floor((60 * env.rate) / MAX_BPM);
  const maxLag = Math.ceil((60 * env.rate) / MIN_BPM);
  const acf = autocorrelation(onset, mean, maxLag + 1);

  let bestLag = minLag;
  let bestScore = -Infinity;
  for (let lag = minLag; lag <= maxLag; lag++) {
    const bpm = (60 * env.rate) / lag;
    const prior = Math.exp(-0.5 * Math.log2(bpm / PRIOR_BPM) ** 2);
    const score = acf[lag]! * prior;
    if (score > bestScore) [bestScore, bestLag] = [score, lag];
  }
  // Parabolic interpolation around the peak refines the lag between hops.
  const [a, b, c] = [acf[bestLag - 1] ?? 0, acf[bestLag]!, acf[bestLag + 1] ?? 0];
  const denom = a - 2 * b + c;
  const offset = denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom)) : 0;
  const bpm = (60 * env.rate) / (bestLag + offset);

  const periodicity = new Float64Array(PERIODICITY_BINS);
  const ratio = MAX_BPM / MIN_BPM;
  for (let bin = 0; bin < PERIODICITY_BINS; bin++) {
    const lo = MIN_BPM * ratio ** (bin / PERIODICITY_BINS);
    const hi = MIN_BPM * ratio ** ((bin + 1) / PERIODICITY_BINS);
    let best = 0;
    for (let lag = Math.ceil((60 * env.rate) / hi); lag <= Math.floor((60 * env.rate) / lo); lag++)
      best = Math.max(best, acf[lag] ?? 0);
    periodicity[bin] = best;
  }

  return {
    onsetMean: mean,
    onsetStd: std,
    onsetRate: countOnsets(onset, mean + std, Math.round(env.rate * 0.06)) / (onset.length / env.rate || 1),
    bpm,
    pulseClarity: Math.max(0, b),
    periodicity,
  };
}

/** r[lag] / r[0] of the mean-removed series, for lags 0..count-1. */
function autocorrelation(x: Float64Array, mean: number, count: number): Float64Array {
  const n = x.length;
  const centered = x.map((v) => v - mean);
  const out = new Float64Array(count);
  for (let lag = 0; lag < count && lag < n; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += centered[i]! * centered[i + lag]!;
    out[lag] = sum;
  }
  const zero = out[0]!;
  if (zero > 0) for (let lag = 0; lag < count; lag++) out[lag] = out[lag]! / zero;
  return out;
}

/** Local maxima above `threshold`, at least `gap` hops apart. */
function countOnsets(onset: Float64Array, threshold: number, gap: number): number {
  let count = 0;
  let last = -gap;
  for (let i = 1; i + 1 < onset.length; i++) {
    const v = onset[i]!;
    if (v > threshold && v >= onset[i - 1]! && v > onset[i + 1]! && i - last >= gap) {
      count++;
      last = i;
    }
  }
  return count;
}

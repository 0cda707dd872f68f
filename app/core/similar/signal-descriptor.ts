// Sleeve's signal-processing descriptor of a piece of music: 128 raw numbers describing timbre (MFCC
// statistics), harmony (chroma and key), spectral shape, rhythm and loudness of mono audio at 11 025 Hz.
// The layout below is the contract: the standardizing scales and the group weights follow it.
import { Chroma, estimateKey, rotateToTonic } from './dsp/chroma.ts';
import { envelope } from './dsp/envelope.ts';
import { loudness } from './dsp/loudness.ts';
import { MelCepstrum } from './dsp/mel.ts';
import { Moments } from './dsp/moments.ts';
import { PERIODICITY_BINS, rhythm } from './dsp/rhythm.ts';
import { PowerSpectrum } from './dsp/spectrum.ts';

export const DESCRIPTOR_RATE = 11025;
const FRAME = 2048; // 186 ms: resolves semitones from A2 up
// Frames do not overlap: statistics over a track need no more, and this halves the cost per track.
const HOP = FRAME;
const ENVELOPE_HOP = 128; // 11.6 ms: onsets and tempo need a finer grid than the spectral frames
const MFCCS = 20;
const MEL_BANDS = 40;
/** Octave bands (Hz) for spectral contrast, up to Nyquist. */
const CONTRAST_EDGES = [0, 200, 400, 800, 1600, 3200, DESCRIPTOR_RATE / 2];
/** Frames quieter than this (mean square, about −70 dBFS) say nothing about timbre or harmony. */
const FRAME_GATE = 1e-7;

export type FeatureGroup = 'timbre' | 'harmony' | 'spectrum' | 'rhythm' | 'loudness';

const series = (name: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${name}${i}`);

/** Every raw feature, in order, with its group. */
export const DESCRIPTOR_LAYOUT: ReadonlyArray<{
  readonly group: FeatureGroup;
  readonly names: readonly string[];
}> = [
  {
    group: 'timbre',
    names: [...series('mfcc_mean', MFCCS), ...series('mfcc_std', MFCCS), ...series('mfcc_delta_std', MFCCS)],
  },
  {
    group: 'harmony',
    names: [...series('chroma', 12), ...series('chroma_tonic', 12), 'key_clarity', 'key_mode', 'chroma_flux'],
  },
  {
    group: 'spectrum',
    names: [
      ...['centroid', 'bandwidth', 'rolloff', 'flatness'].flatMap((n) => [`${n}_mean`, `${n}_std`]),
      ...series('contrast_mean', 6),
      ...series('contrast_std', 6),
      'zcr_mean',
      'zcr_std',
    ],
  },
  {
    group: 'rhythm',
    names: [
      'onset_mean',
      'onset_std',
      'onset_rate',
      'tempo',
      'pulse_clarity',
      ...series('periodicity', PERIODICITY_BINS),
    ],
  },
  {
    group: 'loudness',
    names: ['loudness', 'loudness_std', 'loudness_p10', 'loudness_p95', 'loudness_range', 'crest'],
  },
];

export const DESCRIPTOR_SIZE = DESCRIPTOR_LAYOUT.reduce((n, g) => n + g.names.length, 0);

export class SilentAudio extends Error {
  override name = 'SilentAudio';
}

/** Per-frame spectral analysis with its buffers allocated once. */
class FrameAnalyzer {
  readonly spectrum = new PowerSpectrum(FRAME);
  readonly mel = new MelCepstrum({
    bins: FRAME / 2 + 1,
    sampleRate: DESCRIPTOR_RATE,
    bands: MEL_BANDS,
    coefficients: MFCCS,
    firstCoefficient: 1, // c0 is overall level: left to the loudness group so gain changes little else
  });
  readonly chroma = new Chroma({ bins: FRAME / 2 + 1, sampleRate: DESCRIPTOR_RATE });
  readonly power = new Float64Array(FRAME / 2 + 1);
  readonly magnitude = new Float64Array(FRAME / 2 + 1);
  readonly binHz = DESCRIPTOR_RATE / FRAME;
  readonly contrastBins = CONTRAST_EDGES.map((hz) =>
    Math.min(FRAME / 2, Math.round(hz / (DESCRIPTOR_RATE / FRAME))),
  );
}

let analyzer: FrameAnalyzer | undefined;

/** The raw descriptor of mono audio at DESCRIPTOR_RATE (floats in −1..1). Throws SilentAudio. */
export function describeSignal(signal: Float32Array): Float64Array {
  analyzer ??= new FrameAnalyzer();
  const a = analyzer;
  const mfcc = new Float64Array(MFCCS);
  const previousMfcc = new Float64Array(MFCCS);
  const delta = new Float64Array(MFCCS);
  const chroma = new Float64Array(12);
  const previousChroma = new Float64Array(12);
  const shape = new Float64Array(4);
  const contrast = new Float64Array(6);
  const timbre = new Moments(MFCCS);
  const deltas = new Moments(MFCCS);
  const chromas = new Moments(12);
  const shapes = new Moments(4);
  const contrasts = new Moments(6);
  let chromaFlux = 0;
  let voiced = 0;

  for (let start = 0; start + FRAME <= signal.length; start += HOP) {
    a.spectrum.compute(signal, start, a.power);
    const p = a.power;
    let total = 0;
    for (let k = 1; k < p.length; k++) total += p[k]!;
    // Parseval over the half spectrum, divided by the Hann window's mean square (3/8).
    if ((2 * total) / (FRAME * FRAME) / 0.375 < FRAME_GATE) continue;
    for (let k = 0; k < p.length; k++) a.magnitude[k] = Math.sqrt(p[k]!);

    a.mel.compute(p, mfcc);
    timbre.add(mfcc);
    if (voiced > 0) {
      for (let c = 0; c < MFCCS; c++) delta[c] = mfcc[c]! - previousMfcc[c]!;
      deltas.add(delta);
    }
    previousMfcc.set(mfcc);

    a.chroma.compute(a.magnitude, chroma);
    chromas.add(chroma);
    if (voiced > 0) for (let c = 0; c < 12; c++) chromaFlux += Math.abs(chroma[c]! - previousChroma[c]!);
    previousChroma.set(chroma);

    spectralShape(a, total, shape, contrast);
    shapes.add(shape);
    contrasts.add(contrast);
    voiced++;
  }
  if (voiced < 2) throw new SilentAudio('the audio is silent');

  const env = envelope(signal, DESCRIPTOR_RATE, ENVELOPE_HOP);
  const beat = rhythm(env);
  const level = loudness(env);
  const zcr = new Moments(1);
  for (const z of env.zeroCrossings) zcr.add([z]);

  const meanChroma = chromas.mean();
  const key = estimateKey(meanChroma);
  const [shapeMean, shapeStd] = [shapes.mean(), shapes.std()];
  const out = [
    ...timbre.mean(),
    ...timbre.std(),
    ...deltas.std(),
    ...meanChroma,
    ...rotateToTonic(meanChroma, key.tonic),
    key.clarity,
    key.mode,
    chromaFlux / Math.max(1, voiced - 1),
    ...[0, 1, 2, 3].flatMap((i) => [shapeMean[i]!, shapeStd[i]!]),
    ...contrasts.mean(),
    ...contrasts.std(),
    zcr.mean()[0]!,
    zcr.std()[0]!,
    beat.onsetMean,
    beat.onsetStd,
    beat.onsetRate,
    Math.log2(beat.bpm / 120),
    beat.pulseClarity,
    ...beat.periodicity,
    level.integrated,
    level.blockStd,
    level.p10,
    level.p95,
    level.p95 - level.p10,
    level.crest,
  ];
  if (out.length !== DESCRIPTOR_SIZE) throw new Error(`descriptor layout mismatch: ${out.length}`);
  return Float64Array.from(out);
}

/** Centroid, bandwidth, roll-off (kHz), flatness (dB); per octave band, peak over geometric mean (dB).
 *  One pass over the bins: this runs for every frame. */
function spectralShape(a: FrameAnalyzer, total: number, shape: Float64Array, contrast: Float64Array): void {
  const p = a.power;
  const mag = a.magnitude;
  const edges = a.contrastBins;
  let weighted = 0;
  let weighted2 = 0;
  let magSum = 0;
  let logSum = 0;
  let cumulative = 0;
  let rolloffBin = 0;
  const threshold = 0.85 * total;
  let band = 0;
  let bandEnd = Math.max(2, edges[1]!);
  let bandLogSum = 0;
  let bandPeak = 0;
  let bandStart = 1;
  for (let k = 1; k < p.length; k++) {
    const power = p[k]!;
    const m = mag[k]!;
    weighted += m * k;
    weighted2 += m * k * k;
    magSum += m;
    const log = Math.log(power + 1e-12);
    logSum += log;
    cumulative += power;
    if (rolloffBin === 0 && cumulative >= threshold) rolloffBin = k;
    bandLogSum += log;
    if (power > bandPeak) bandPeak = power;
    if (k + 1 === bandEnd) {
      contrast[band] = (10 / Math.LN10) * (Math.log(bandPeak + 1e-12) - bandLogSum / (k + 1 - bandStart));
      band++;
      // The last band runs to Nyquist, inclusive.
      bandEnd = band === 5 ? p.length : (edges[band + 1] ?? p.length);
      bandStart = k + 1;
      bandLogSum = 0;
      bandPeak = 0;
    }
  }
  const bins = p.length - 1;
  const centroidBin = weighted / magSum;
  const spread = Math.max(0, weighted2 / magSum - centroidBin * centroidBin);
  shape[0] = (centroidBin * a.binHz) / 1000;
  shape[1] = (Math.sqrt(spread) * a.binHz) / 1000;
  shape[2] = ((rolloffBin || bins) * a.binHz) / 1000;
  shape[3] = (10 / Math.LN10) * (logSum / bins - Math.log(total / bins));
}

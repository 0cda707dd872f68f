// One track's loudness, measured as its decoded blocks stream past, no samples kept (100 ms sums, and one
// number per 400 ms block: 36,000 for an hour): BS.1770-4 integrated loudness over 400 ms blocks every
// 100 ms, EBU R128 loudness range over 3 s windows every second, true and sample peak. Block timing follows
// libebur128: the first block once 400 ms have played, an incomplete last one dropped.
import type { PcmBlock } from '../pcm.ts';
import { BlockHistogram, integratedLoudness, loudnessRange } from './gating.ts';
import { channelWeights, KWeighting } from './k-weighting.ts';
import { TruePeakMeter } from './true-peak.ts';

export interface TrackLoudness {
  /** LUFS; null when nothing is louder than the absolute gate (silence). */
  readonly integrated: number | null;
  /** LU. */
  readonly range: number;
  /** Linear, full scale 1.0 (may exceed it between samples). */
  readonly truePeak: number;
  readonly samplePeak: number;
  readonly seconds: number;
  /** The 400 ms blocks, for an album's loudness. */
  readonly histogram: BlockHistogram;
}

/** Below this, there is not one 400 ms block to measure. */
export const SHORTEST_SECONDS = 0.4;

export class LoudnessMeter {
  readonly #rate: number;
  readonly #segment: number;
  readonly #filters: KWeighting[];
  readonly #weights: number[];
  readonly #peaks: TruePeakMeter;
  /** Weighted sums of squares of the last 30 segments of 100 ms (a ring). */
  readonly #sums = new Float64Array(30);
  #segments = 0;
  /** Frames in the segment being filled, and its sum so far. */
  #filled = 0;
  #partial = 0;
  #frames = 0;
  readonly #blocks: number[] = [];
  readonly #shortTerm: number[] = [];
  readonly #histogram = new BlockHistogram();

  constructor(rate: number, channels: number) {
    this.#rate = rate;
    this.#segment = Math.floor((rate + 5) / 10);
    this.#filters = Array.from({ length: channels }, () => new KWeighting(rate));
    this.#weights = channelWeights(channels);
    this.#peaks = new TruePeakMeter(rate, channels);
  }

  push(block: PcmBlock): void {
    const { planes } = block;
    const n = planes[0]!.length;
    this.#peaks.push(planes);
    for (let at = 0; at < n; ) {
      const take = Math.min(n - at, this.#segment - this.#filled);
      for (let c = 0; c < planes.length; c++) {
        // A channel that does not count (the LFE) is not filtered at all.
        if (this.#weights[c] === 0) continue;
        this.#partial += this.#weights[c]! * this.#filters[c]!.sumOfSquares(planes[c]!, at, at + take);
      }
      at += take;
      this.#filled += take;
      if (this.#filled === this.#segment) this.#endSegment();
    }
    this.#frames += n;
  }

  #endSegment(): void {
    this.#sums[this.#segments % 30] = this.#partial;
    this.#segments++;
    this.#partial = 0;
    this.#filled = 0;
    if (this.#segments >= 4) {
      const energy = this.#recent(4);
      this.#blocks.push(energy);
      this.#histogram.add(energy);
    }
    if (this.#segments >= 30 && this.#segments % 10 === 0) this.#shortTerm.push(this.#recent(30));
  }

  /** Mean square over the last `count` segments. */
  #recent(count: number): number {
    let sum = 0;
    for (let i = 1; i <= count; i++) sum += this.#sums[(this.#segments - i) % 30]!;
    return sum / (count * this.#segment);
  }

  finish(): TrackLoudness {
    const peaks = this.#peaks.peaks;
    return {
      integrated: integratedLoudness(this.#blocks),
      range: loudnessRange(this.#shortTerm),
      truePeak: Math.max(0, ...peaks),
      samplePeak: Math.max(0, ...this.#peaks.samplePeaks),
      seconds: this.#frames / this.#rate,
      histogram: this.#histogram,
    };
  }
}

// BS.1770-4's gated loudness and EBU Tech 3342's loudness range from block energies (mean squares of the
// K-weighted signal, channel weights applied), and the histogram a track keeps of its 400 ms blocks so
// an album's loudness can be gated over all of its tracks' blocks later without decoding them again.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Loudness (LUFS) of a mean square, and back. */
const lufs = (energy: number): number => 10 * Math.log10(energy) - 0.691;
const energyOf = (loudness: number): number => 10 ** ((loudness + 0.691) / 10);

/** Blocks quieter than this are silence to every measure. */
const ABSOLUTE_GATE = -70;
const ABSOLUTE_ENERGY = energyOf(ABSOLUTE_GATE);

/** Integrated loudness: blocks above the absolute gate, then those within 10 LU of their mean. Null
 *  when no block is above the gate (silence). */
export function integratedLoudness(blocks: Iterable<number>): number | null {
  return gatedMean(weighted(blocks), 0.1);
}

/** Loudness range (LU) of short-term (3 s) energies: the spread between their 10th and 95th
 *  percentiles, of those above the absolute gate and within 20 LU of their mean. */
export function loudnessRange(shortTerm: readonly number[]): number {
  const above = shortTerm.filter((e) => e >= ABSOLUTE_ENERGY);
  if (above.length === 0) return 0;
  const gate = (above.reduce((s, e) => s + e, 0) / above.length) * 0.01;
  const kept = above.filter((e) => e >= gate).sort((a, b) => a - b);
  if (kept.length === 0) return 0;
  const at = (p: number) => kept[Math.floor((kept.length - 1) * p + 0.5)]!;
  return 10 * Math.log10(at(0.95) / at(0.1));
}

/** (energy, count) pairs. */
type Weighted = Iterable<readonly [number, number]>;

function* weighted(blocks: Iterable<number>): Weighted {
  for (const e of blocks) yield [e, 1];
}

function gatedMean(blocks: Weighted, relative: number): number | null {
  const list = [...blocks].filter(([e]) => e >= ABSOLUTE_ENERGY);
  const mean = (from: typeof list) => {
    let [sum, n] = [0, 0];
    for (const [e, c] of from) [sum, n] = [sum + e * c, n + c];
    return n === 0 ? null : sum / n;
  };
  const ungated = mean(list);
  if (ungated === null) return null;
  const gated = mean(list.filter(([e]) => e >= ungated * relative));
  return gated === null ? null : lufs(gated);
}

/** Histogram bins per LU: block loudness is kept to 0.02 LU, far inside the 0.1 dB that matters. */
const BINS_PER_LU = 50;
/** The loudest a block of integer PCM can be (+6 dB of K-weighting over full-scale surround), rounded up. */
const CEILING = 20;
const BINS = (CEILING - ABSOLUTE_GATE) * BINS_PER_LU;

/** A track's 400 ms blocks above the absolute gate, counted by loudness bin. */
export class BlockHistogram {
  readonly counts: Uint32Array;

  constructor(counts = new Uint32Array(BINS)) {
    if (counts.length !== BINS)
      throw new RangeError(`a block histogram has ${BINS} bins, not ${counts.length}`);
    this.counts = counts;
  }

  add(energy: number): void {
    if (energy < ABSOLUTE_ENERGY) return;
    const bin = Math.floor((lufs(energy) - ABSOLUTE_GATE) * BINS_PER_LU);
    this.counts[Math.min(bin, BINS - 1)]!++;
  }

  /** The counts deflated: mostly empty bins, so a few hundred bytes. */
  encode(): Uint8Array {
    return deflateRawSync(new Uint8Array(this.counts.buffer, this.counts.byteOffset, this.counts.byteLength));
  }

  /** Throws on bytes that are not an encoded histogram (inflating no further than one can be). */
  static decode(bytes: Uint8Array): BlockHistogram {
    const raw = inflateRawSync(bytes, { maxOutputLength: BINS * 4 });
    if (raw.byteLength !== BINS * 4) throw new RangeError('not a block histogram');
    return new BlockHistogram(
      new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)),
    );
  }

  /** Gated loudness over several tracks' blocks (an album), each block at its bin's centre. */
  static integrated(histograms: readonly BlockHistogram[]): number | null {
    function* pairs(): Weighted {
      for (let bin = 0; bin < BINS; bin++) {
        let n = 0;
        for (const h of histograms) n += h.counts[bin]!;
        if (n > 0) yield [energyOf(ABSOLUTE_GATE + (bin + 0.5) / BINS_PER_LU), n];
      }
    }
    return gatedMean(pairs(), 0.1);
  }
}

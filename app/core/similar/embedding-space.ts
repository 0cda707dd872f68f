// From raw descriptor numbers to an embedding: each feature standardized with scales measured on a
// reference collection, weighted so every group counts as chosen however many numbers it has (timbre
// has 60, loudness 6), then the whole vector scaled to unit length (so cosine = dot product).
import { DESCRIPTOR_LAYOUT, DESCRIPTOR_SIZE, type FeatureGroup } from './signal-descriptor.ts';

export interface DescriptorScales {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** How much each group counts in a distance, relative to timbre. Volume shifts only part of loudness, and
 *  a transcode mostly the top of the spectrum, so those groups count less than what the music is. */
const GROUP_WEIGHTS: Readonly<Record<FeatureGroup, number>> = {
  timbre: 1,
  harmony: 0.8,
  spectrum: 0.7,
  rhythm: 0.8,
  loudness: 0.4,
};

/** A feature whose reference spread is tiny would blow up its differences; this bounds its scale. */
const MIN_STD_FRACTION = 1e-3;

export function perFeatureWeights(): Float64Array {
  const w = new Float64Array(DESCRIPTOR_SIZE);
  let at = 0;
  for (const { group, names } of DESCRIPTOR_LAYOUT) {
    const each = GROUP_WEIGHTS[group] / Math.sqrt(names.length);
    for (let i = 0; i < names.length; i++) w[at++] = each;
  }
  return w;
}

export function toEmbedding(
  raw: Float64Array,
  scales: DescriptorScales,
  weights: Float64Array,
): Float32Array {
  const out = new Float32Array(raw.length);
  let norm = 0;
  for (let i = 0; i < raw.length; i++) {
    const std = Math.max(scales.std[i]!, Math.abs(scales.mean[i]!) * MIN_STD_FRACTION, 1e-9);
    const v = ((raw[i]! - scales.mean[i]!) / std) * weights[i]!;
    out[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

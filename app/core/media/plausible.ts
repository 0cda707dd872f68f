// What a file's headers claim, kept only within what audio can be: a crafted or damaged header may say
// 65,535 channels, a negative length or a sample rate of zero, and such numbers would then be summed and
// shown as facts (`sleeve stats` once reported 463 h for 326 twenty-second files).
import type { AudioProperties } from './fast-readers.ts';

/** Inclusive bounds; a week of audio, 768 kHz, 255 channels (Opus's limit), 64-bit samples, 100 Mbit/s. */
const BOUNDS = {
  duration: [0, 7 * 24 * 3600, 's'],
  sampleRate: [1, 768_000, 'Hz'],
  channels: [1, 255, 'channels'],
  bitDepth: [1, 64, 'bits'],
  bitrate: [1, 100_000_000, 'bit/s'],
} as const;

export type Bounded = keyof typeof BOUNDS;

/** Whether `value` is one a file's `field` can really have. */
export function isPlausible(field: Bounded, value: number): boolean {
  const [min, max] = BOUNDS[field];
  return Number.isFinite(value) && value >= min && value <= max;
}

/** The properties with impossible values set to null (unknown), and a warning for each. */
export function plausible<P extends Pick<AudioProperties, Bounded>>(props: P, warnings: string[]): P {
  const out: { -readonly [K in keyof P]: P[K] } = { ...props };
  for (const [field, [, , unit]] of Object.entries(BOUNDS) as [
    Bounded,
    readonly [number, number, string],
  ][]) {
    const value = props[field];
    if (value === null || isPlausible(field, value)) continue;
    warnings.push(`the file claims an impossible ${field} (${value} ${unit}): ignored`);
    out[field] = null;
  }
  return out;
}

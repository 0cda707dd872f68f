// The highest frequency a track's audio reaches, measured as its decoded blocks stream past: the average
// power spectrum of its channels' mean (a 4096-point FFT every quarter second) and the highest band whose
// level is within RANGE_DB of the loudest band's. Lossy encoders low-pass what they keep (LAME at 128 kbps
// stops near 17 kHz, at 320 near 20), and a file resampled to 22.05 kHz holds nothing above 11: a copy
// whose audio stops well below another copy's of the same recording is the lesser copy, whatever its
// bitrate or container says (app/core/fingerprint/copy-rank.ts). Where a lossy encoder cut, and how far
// the audio falls there, is measured apart (lossy-cut.ts): above the cut, the decode holds only its noise
// floor (16-bit rounding sits 70–90 dB under the music of a loud track, within the range above), so the
// edge is the highest band clear of that floor, and its cliff 30–60 dB within half a kHz where music's
// own roll-off (an old tape, a soft instrument) slopes by a few dB.
import FFT from 'fft.js';
import type { PcmBlock } from './pcm.ts';

const SIZE = 4096;
/** Bins averaged into one band (about 170 Hz at 44.1 kHz): single bins are noisy. */
const BAND = 16;
/** How far below the loudest band a band still counts as audio. Above an encoder's low-pass the decoded
 *  level falls 100 dB or more; music's own top octave sits within 70 dB of its loudest band. */
const RANGE_DB = 80;
/** Bands each side of the edge that the cliff compares: the three up to it, and three from two above it
 *  (the band just above may hold the edge of the filter's transition). */
const CLIFF_BANDS = 3;
/** The noise floor: the level the quietest 2 % of the bands are under. Above a cut, 8 % of them or more
 *  (at 20.2 kHz, where Vorbis at 160 kbps and MP3 at 256 cut; a tenth missed those, taking music's level
 *  as the floor); a recording's own converter filter leaves one or two quiet bands at the very top. */
const FLOOR_SHARE = 0.02;
/** How far over the floor a band must be to count toward the edge. */
const OVER_FLOOR_DB = 15;

/** Where a track's audio stops (Hz); and its edge clear of the noise floor (Hz) with how far (dB) the
 *  audio falls there, null when the edge is too near the highest frequency the rate holds to see past. */
export interface Bandwidth {
  readonly top: number;
  readonly edge: number;
  readonly cliff: number | null;
}

export class BandwidthMeter {
  readonly #rate: number;
  readonly #fft = new FFT(SIZE);
  readonly #window = Float64Array.from(
    { length: SIZE },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / SIZE),
  );
  readonly #frame = new Float64Array(SIZE);
  readonly #spectrum = new Float64Array(2 * SIZE);
  readonly #power = new Float64Array(SIZE / 2);
  readonly #hop: number;
  #filled = 0;
  /** Samples still to pass over before the next frame begins. */
  #skip = 0;
  #frames = 0;

  constructor(rate: number) {
    this.#rate = rate;
    this.#hop = Math.max(SIZE, Math.round(rate / 4));
  }

  push({ planes }: PcmBlock): void {
    const n = planes[0]!.length;
    const channels = planes.length;
    // Between frames the samples are passed over whole (three in five at 44.1 kHz), not one by one.
    for (let i = 0; i < n; ) {
      if (this.#skip > 0) {
        const passed = Math.min(this.#skip, n - i);
        this.#skip -= passed;
        i += passed;
        continue;
      }
      const end = Math.min(n, i + SIZE - this.#filled);
      for (; i < end; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += planes[c]![i]!;
        this.#frame[this.#filled] = (sum / channels) * this.#window[this.#filled]!;
        this.#filled++;
      }
      if (this.#filled === SIZE) this.#endFrame();
    }
  }

  #endFrame(): void {
    this.#fft.realTransform(this.#spectrum, this.#frame);
    for (let k = 0; k < SIZE / 2; k++) {
      const re = this.#spectrum[2 * k]!;
      const im = this.#spectrum[2 * k + 1]!;
      this.#power[k]! += re * re + im * im;
    }
    this.#frames++;
    this.#filled = 0;
    this.#skip = this.#hop - SIZE;
  }

  /** Null when no frame was whole or the track is silent. */
  finish(): Bandwidth | null {
    if (this.#frames === 0) return null;
    const bands = SIZE / 2 / BAND;
    const level = new Float64Array(bands);
    for (let b = 0; b < bands; b++) {
      let sum = 0;
      for (let k = b * BAND; k < (b + 1) * BAND; k++) sum += this.#power[k]!;
      level[b] = 10 * Math.log10(sum / BAND + 1e-300);
    }
    // The DC band is left out: an offset is no audio.
    const loudest = Math.max(...level.subarray(1));
    if (!(loudest > -200)) return null;
    const hz = (band: number) => Math.round(((band + 1) * BAND * this.#rate) / SIZE);
    const top = highestOver(level, loudest - RANGE_DB);
    const floor = [...level.subarray(1)].sort((a, b) => a - b)[Math.floor((bands - 1) * FLOOR_SHARE)]!;
    const edge = highestOver(level, Math.max(loudest - RANGE_DB, floor + OVER_FLOOR_DB));
    return { top: hz(top), edge: hz(edge), cliff: cliffAt(level, edge) };
  }
}

/** The highest band (but DC) at `threshold` or over it; the first when none is. */
function highestOver(level: Float64Array, threshold: number): number {
  let band = level.length - 1;
  while (band > 1 && level[band]! < threshold) band--;
  return band;
}

/** The mean level of the CLIFF_BANDS up to `top` less that of the CLIFF_BANDS from two above it. */
function cliffAt(level: Float64Array, top: number): number | null {
  const above = top + 2;
  if (above + CLIFF_BANDS > level.length || top + 1 < CLIFF_BANDS) return null;
  const mean = (from: number) => {
    let sum = 0;
    for (let b = from; b < from + CLIFF_BANDS; b++) sum += level[b]!;
    return sum / CLIFF_BANDS;
  };
  return Math.round(10 * (mean(top + 1 - CLIFF_BANDS) - mean(above))) / 10;
}

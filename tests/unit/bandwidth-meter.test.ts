import { describe, expect, it } from 'vitest';
import { type Bandwidth, BandwidthMeter } from '../../app/core/audio/bandwidth-meter.ts';
import { CLIFF_DB, CUT_BELOW_HZ } from '../../app/core/audio/lossy-cut.ts';
import type { PcmBlock } from '../../app/core/audio/pcm.ts';

const RATE = 44_100;

/** `seconds` of stereo: sines from 220 Hz, each 1.5 times the last, below `topHz`; a little noise on one
 *  channel. */
function audio(seconds: number, topHz: number): Int16Array[] {
  const n = Math.round(seconds * RATE);
  const left = new Int16Array(n);
  const right = new Int16Array(n);
  let seed = 7;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let f = 220; f < topHz; f *= 1.5) v += Math.sin((2 * Math.PI * f * i) / RATE);
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    left[i] = Math.round(v * 2000);
    right[i] = Math.round(v * 2000 + (seed % 3) - 1);
  }
  return [left, right];
}

/** `seconds` of mono noise, low-passed by four one-pole filters at `cornerHz`: a slope of 24 dB an
 *  octave above it, as music thins out, no cliff. */
function slope(seconds: number, cornerHz: number): Int16Array[] {
  const n = Math.round(seconds * RATE);
  const out = new Int16Array(n);
  const a = 1 - Math.exp((-2 * Math.PI * cornerHz) / RATE);
  const state = [0, 0, 0, 0];
  let seed = 11;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    let v = seed / 2 ** 32 - 0.5;
    for (let k = 0; k < 4; k++) v = state[k]! += a * (v - state[k]!);
    out[i] = Math.round(v * 60_000);
  }
  return [out];
}

/** `seconds` of mono white noise low-passed at `cutHz` by a steep FIR (a Blackman-windowed sinc, 255 taps,
 *  over 70 dB down within half a kHz), as a lossy encoder cuts, then rounded to 16 bits. */
function cutNoise(seconds: number, cutHz: number): Int16Array[] {
  const taps = 255;
  const mid = (taps - 1) / 2;
  const fc = cutHz / RATE;
  const h = Float64Array.from({ length: taps }, (_, i) => {
    const t = i - mid;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const w =
      0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (taps - 1));
    return sinc * w;
  });
  const n = Math.round(seconds * RATE);
  let seed = 13;
  const noise = Float64Array.from({ length: n + taps }, () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    return (seed / 2 ** 32 - 0.5) * 16_000;
  });
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < taps; k++) v += h[k]! * noise[i + k]!;
    out[i] = Math.round(v);
  }
  return [out];
}

/** `planes` with white noise of ±`amplitude` added (as a loud track's rounding noise, louder). */
function withNoise(planes: Int16Array[], amplitude: number): Int16Array[] {
  let x = 2_463_534_242; // xorshift32: white enough that no band stands out of the floor
  return planes.map((p) =>
    p.map((v) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return v + Math.round(((x >>> 0) / 2 ** 32 - 0.5) * 2 * amplitude);
    }),
  );
}

/** The meter's result for `planes` pushed in blocks of the `sizes` given, in turn. */
function band(planes: Int16Array[], sizes: readonly number[]): Bandwidth | null {
  const meter = new BandwidthMeter(RATE);
  for (let at = 0, k = 0; at < planes[0]!.length; k++) {
    const size = sizes[k % sizes.length]!;
    const block: PcmBlock = { sampleRate: RATE, planes: planes.map((p) => p.subarray(at, at + size)) };
    meter.push(block);
    at += size;
  }
  return meter.finish();
}

const measured = (planes: Int16Array[], sizes: readonly number[]) => band(planes, sizes)?.top ?? null;

describe('the bandwidth meter', () => {
  it('finds where the audio stops: the end of the band (about 170 Hz) above its top sine, or the next', () => {
    for (const [below, top] of [
      [5000, 3758],
      [15_000, 12_684],
    ] as const) {
      const hz = measured(audio(3, below), [4096])!;
      expect(hz).toBeGreaterThan(top);
      expect(hz - top).toBeLessThan(2 * 172);
    }
  });

  it('says the same however the decoder cuts the audio into blocks', () => {
    const planes = audio(4, 9000);
    const whole = measured(planes, [planes[0]!.length]);
    expect(whole).not.toBeNull();
    for (const sizes of [[1152], [1], [4095, 7, 11_025], [333, 65_536]])
      expect(measured(planes, sizes)).toBe(whole);
  });

  it("tells a lossy encoder's cliff from music's own slope by how far the audio falls at its edge", () => {
    const cut = band(audio(3, 16_000), [4096])!;
    expect(cut.edge).toBeLessThan(16_500);
    expect(cut.cliff).toBeGreaterThan(2 * CLIFF_DB);
    // A loud cut track's rounding noise, up to the top, is within 80 dB of its music: its edge is not.
    const noisy = band(withNoise(audio(3, 16_000), 40), [4096])!;
    expect(noisy.top).toBe(22_050);
    expect(Math.abs(noisy.edge - cut.edge)).toBeLessThanOrEqual(2 * 86); // within a band
    expect(noisy.cliff).toBeGreaterThan(CLIFF_DB);
    const thinning = band(slope(3, 800), [4096])!;
    expect(thinning.top).toBeLessThan(12_000);
    expect(thinning.cliff).toBeLessThan(CLIFF_DB / 2);
    expect(band(slope(3, 15_000), [4096])!.cliff).toBeLessThan(CLIFF_DB / 2);
  });

  it('finds a cut near the top (about 20.3 kHz, where MP3 at 256 kbps and Vorbis at 160 cut), with few bands above it', () => {
    // The filter passes up to 19.8 kHz and is 70 dB down half a kHz higher: above that, 1.75 kHz of the
    // 22.05 (8 % of the bands) hold only the rounding floor.
    const cut = band(cutNoise(3, 19_800), [4096])!;
    expect(cut.edge).toBeGreaterThanOrEqual(19_800);
    expect(cut.edge).toBeLessThanOrEqual(CUT_BELOW_HZ);
    expect(cut.cliff).toBeGreaterThan(CLIFF_DB);
  });

  it('has nothing to say of audio shorter than one frame', () => {
    expect(measured(audio(0.05, 5000), [512])).toBeNull();
  });
});

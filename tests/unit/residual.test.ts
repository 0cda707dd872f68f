import { describe, expect, it } from 'vitest';
import { bestLag, MAX_LAG, residualDb } from '../../app/core/audio/residual.ts';

/** A seeded generator of uniform values in [-1, 1). */
function noise(seed: number) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** `n` samples of "music": noise through a one-pole low-pass, then nothing above 0.8 of the highest
 *  frequency the rate holds (as the fingerprint stream's resampler leaves it), at about a third of full
 *  scale. */
function music(n: number, seed: number): Int16Array {
  const next = noise(seed);
  const raw = new Float64Array(n);
  let y = 0;
  for (let i = 0; i < n; i++) {
    y += 0.2 * (next() - y);
    raw[i] = y;
  }
  // A 63-tap Hann-windowed sinc low-pass at 0.4 of the rate.
  const taps = Array.from({ length: 63 }, (_, k) => {
    const x = k - 31;
    const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / 32);
    return x === 0 ? 0.8 : (window * Math.sin(0.8 * Math.PI * x)) / (Math.PI * x);
  });
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < 63; k++) v += (raw[i + k - 31] ?? 0) * taps[k]!;
    out[i] = Math.round(v * 40_000);
  }
  return out;
}

/** `a` started `lag` samples later (a[i + lag] lines up with the result's i; a fraction: interpolated by a
 *  windowed sinc), scaled by `gain`, with noise `db` under `a`'s level added, shaped as the music is (as
 *  an encoder's noise follows the music's spectrum). */
function copyOf(a: Int16Array, lag: number, gain: number, db: number, seed: number): Int16Array {
  let power = 0;
  for (const x of a) power += x * x;
  const shaped = music(a.length, seed);
  let noisePower = 0;
  for (const x of shaped) noisePower += x * x;
  const scale = Math.sqrt(power / noisePower) * 10 ** (-db / 20);
  const out = new Int16Array(a.length - Math.max(0, Math.ceil(lag)));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(gain * at(a, i + lag) + shaped[i]! * scale);
  return out;
}

/** `a` at a position between samples: a 32-tap Hann-windowed sinc (0 outside it). */
function at(a: Int16Array, t: number): number {
  const whole = Math.floor(t);
  if (whole === t) return whole >= 0 && whole < a.length ? a[whole]! : 0;
  let v = 0;
  for (let k = whole - 15; k <= whole + 16; k++) {
    if (k < 0 || k >= a.length) continue;
    const x = t - k;
    const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / 16.5);
    v += a[k]! * window * (Math.sin(Math.PI * x) / (Math.PI * x));
  }
  return v;
}

describe('the residual between two decodes', () => {
  const a = music(200_000, 3);

  it('finds the lag either way, within MAX_LAG, and a copy with its polarity turned', () => {
    expect(bestLag(a, copyOf(a, 528, 1, 30, 5))).toBe(528);
    expect(bestLag(a, copyOf(a, -1105, 1, 30, 6))).toBe(-1105);
    expect(bestLag(a, copyOf(a, 300, -1, 30, 7))).toBe(300);
    expect(Math.abs(bestLag(a, copyOf(a, MAX_LAG + 500, 1, 30, 8)))).toBeLessThanOrEqual(MAX_LAG);
  });

  it('measures the added noise under the music, whatever the copy’s lag, within a sample too, and gain', () => {
    for (const [lag, gain, db] of [
      [0, 1, 40],
      [528, 0.9, 30],
      [-700, 1.1, 20],
      [0, -1, 12],
      // Half a sample and a quarter past a whole one (an encoder's delay at four times the rate).
      [300.5, 1, 35],
      [-41.25, 0.95, 30],
    ] as const)
      expect(Math.abs(residualDb(a, copyOf(a, lag, gain, db, 11))! - db), `at lag ${lag}`).toBeLessThan(1);
  });

  it('is highest for the same samples, and unknown where either is silent', () => {
    expect(residualDb(a, a)).toBe(120);
    expect(residualDb(a, new Int16Array(a.length))).toBeNull();
    expect(residualDb(new Int16Array(10), a)).toBeNull();
  });

  it('tells a copy of other music for what it is: no lag lines it up', () => {
    expect(residualDb(a, music(a.length, 99))).toBeLessThan(1);
  });
});

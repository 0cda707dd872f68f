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

/** `n` samples of band-limited "music" (noise through a one-pole low-pass), at about a third of full
 *  scale. */
function music(n: number, seed: number): Int16Array {
  const next = noise(seed);
  const out = new Int16Array(n);
  let y = 0;
  for (let i = 0; i < n; i++) {
    y += 0.2 * (next() - y);
    out[i] = Math.round(y * 40_000);
  }
  return out;
}

/** `a` started `lag` samples later (a[i + lag] lines up with the result's i), scaled by `gain`, with noise
 *  `db` under `a`'s level added. */
function copyOf(a: Int16Array, lag: number, gain: number, db: number, seed: number): Int16Array {
  let power = 0;
  for (const x of a) power += x * x;
  const rms = Math.sqrt(power / a.length) * 10 ** (-db / 20) * Math.sqrt(3);
  const next = noise(seed);
  const out = new Int16Array(a.length - Math.max(0, lag));
  for (let i = 0; i < out.length; i++) {
    const j = i + lag;
    out[i] = Math.round((j >= 0 && j < a.length ? a[j]! * gain : 0) + next() * rms);
  }
  return out;
}

describe('the residual between two decodes', () => {
  const a = music(200_000, 3);

  it('finds the lag either way, within MAX_LAG, and a copy with its polarity turned', () => {
    expect(bestLag(a, copyOf(a, 528, 1, 30, 5))).toBe(528);
    expect(bestLag(a, copyOf(a, -1105, 1, 30, 6))).toBe(-1105);
    expect(bestLag(a, copyOf(a, 300, -1, 30, 7))).toBe(300);
    expect(Math.abs(bestLag(a, copyOf(a, MAX_LAG + 500, 1, 30, 8)))).toBeLessThanOrEqual(MAX_LAG);
  });

  it('measures the added noise under the music, whatever the copy’s lag and gain', () => {
    for (const [lag, gain, db] of [
      [0, 1, 40],
      [528, 0.9, 30],
      [-700, 1.1, 20],
      [0, -1, 12],
    ] as const)
      expect(Math.abs(residualDb(a, copyOf(a, lag, gain, db, 11))! - db)).toBeLessThan(1.5);
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

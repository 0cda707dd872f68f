// The signal descriptor fed directly (no decode): silence and short input are outcomes with reasons, and
// how the stream is chunked does not change the vector.
import { describe, expect, test } from 'vitest';
import { signalDescriptor } from '../../../app/core/similar/descriptor-extractor.ts';
import { prng } from '../../fixtures/music.ts';

const RATE = signalDescriptor.sampleRate;

/** A plucked melody with a noise tick on each beat, as mono 16-bit samples at the descriptor's rate. */
function melody(seconds: number): Int16Array {
  const rand = prng(3);
  const out = new Int16Array(Math.round(seconds * RATE));
  for (let start = 0; start < out.length; start += RATE / 4) {
    const freq = 220 * 2 ** (Math.floor(rand() * 12) / 12);
    for (let i = 0; i < RATE / 4 && start + i < out.length; i++) {
      const env = Math.exp(-i / (RATE / 20));
      out[start + i] = Math.round(
        8000 * env * Math.sin((2 * Math.PI * freq * i) / RATE) + (i < 200 ? (rand() - 0.5) * 4000 : 0),
      );
    }
  }
  return out;
}

function run(samples: Int16Array, chunk: number) {
  const session = signalDescriptor.start();
  for (let i = 0; i < samples.length; i += chunk) session.push(samples.subarray(i, i + chunk));
  try {
    return session.finish();
  } finally {
    session.close();
  }
}

describe('the signal descriptor', () => {
  test('gives the same unit vector however the stream is chunked', () => {
    const samples = melody(20);
    const [a, b] = [run(samples, 4096), run(samples, 1000)];
    if (a.status !== 'ok' || b.status !== 'ok') throw new Error('not described');
    expect(a.vector).toHaveLength(signalDescriptor.dimension);
    expect(Array.from(a.vector)).toEqual(Array.from(b.vector));
    expect(a.vector.every(Number.isFinite)).toBe(true);
    expect(Math.hypot(...a.vector)).toBeCloseTo(1, 5);
  });

  test('digital silence is silent, and so is audio below −70 dBFS', () => {
    expect(run(new Int16Array(20 * RATE), 4096)).toMatchObject({
      status: 'silent',
      reason: 'the audio is silent',
    });
    const faint = melody(20).map((v) => Math.round(v / 4000));
    expect(run(faint, 4096)).toMatchObject({ status: 'silent' });
  });

  test('under 8 s is too short, with how long it was', () => {
    expect(run(melody(5), 4096)).toMatchObject({
      status: 'too_short',
      reason: '5.0 s of audio; at least 8 s needed',
      seconds: 5,
    });
  });

  test('stops taking samples at its window', () => {
    const long = melody(130);
    const first = run(long, 4096);
    const window = run(long.subarray(0, signalDescriptor.maxSeconds * RATE), 4096);
    if (first.status !== 'ok' || window.status !== 'ok') throw new Error('not described');
    expect(first.seconds).toBe(signalDescriptor.maxSeconds);
    expect(Array.from(first.vector)).toEqual(Array.from(window.vector));
  });

  test('a session after a closed one describes only its own samples', () => {
    const samples = melody(20);
    const closed = signalDescriptor.start();
    closed.push(samples);
    closed.close();
    const next = signalDescriptor.start();
    closed.push(samples.subarray(0, 1000));
    next.push(samples.subarray(0, 4096));
    expect(closed.finish()).toMatchObject({ status: 'too_short', seconds: 0 });
    // What the closed session held does not leak into the next one's vector.
    for (let i = 4096; i < samples.length; i += 4096) next.push(samples.subarray(i, i + 4096));
    const reused = next.finish();
    next.close();
    expect(reused).toEqual(run(samples, 4096));
  });
});

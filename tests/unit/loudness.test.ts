// The loudness meter on signals whose figures are known from the standards (EBU Tech 3341 and 3342's
// constructions, BS.1770's calibration); tests/integration/loudness.test.ts compares it with loudgain.
import { describe, expect, test } from 'vitest';
import { BlockHistogram, integratedLoudness } from '../../app/core/audio/loudness/gating.ts';
import { LoudnessMeter } from '../../app/core/audio/loudness/loudness-meter.ts';

/** A sine of `amplitude` (full scale 1) at `hz`, with `phase`, in `channels` identical channels. */
function sine(rate: number, seconds: number, hz: number, amplitude: number, channels = 2, phase = 0) {
  const n = Math.round(rate * seconds);
  const plane = new Int16Array(n);
  for (let i = 0; i < n; i++)
    plane[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / rate + phase));
  return Array.from({ length: channels }, () => plane);
}

/** Measures planes fed in blocks of `block` frames (decoders hand over uneven pieces). */
function measure(rate: number, planes: Int16Array[], block = 1152) {
  const meter = new LoudnessMeter(rate, planes.length);
  for (let at = 0; at < planes[0]!.length; at += block)
    meter.push({ sampleRate: rate, planes: planes.map((p) => p.subarray(at, at + block)) });
  return meter.finish();
}

const concat = (...parts: Int16Array[][]) =>
  parts[0]!.map((_, c) => {
    const out = new Int16Array(parts.reduce((n, p) => n + p[c]!.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p[c]!, at);
      at += p[c]!.length;
    }
    return out;
  });

describe('integrated loudness', () => {
  test.each([44100, 48000, 96000])(
    'a 1 kHz sine at -20 dBFS in both channels is -20 LUFS at %i Hz',
    (rate) => {
      expect(measure(rate, sine(rate, 5, 1000, 0.1)).integrated).toBeCloseTo(-20, 1);
    },
  );

  test('the same sine in one channel of two is 3 LU quieter; mono counts one channel', () => {
    const [left] = sine(48000, 5, 1000, 0.1, 1);
    expect(measure(48000, [left!, new Int16Array(left!.length)]).integrated).toBeCloseTo(-23.01, 1);
    expect(measure(48000, [left!]).integrated).toBeCloseTo(-23.01, 1);
  });

  test('5.1: the LFE is not counted and the surrounds weigh 1.41', () => {
    const [s] = sine(48000, 5, 1000, 0.1, 1);
    const silent = new Int16Array(s!.length);
    expect(measure(48000, [silent, silent, silent, s!, silent, silent]).integrated).toBeNull();
    // Left surround alone: 10·log10(1.41) louder than the same sine in one front channel.
    expect(measure(48000, [silent, silent, silent, silent, s!, silent]).integrated).toBeCloseTo(
      -23.01 + 10 * Math.log10(1.41),
      1,
    );
  });

  test('the relative gate drops what is more than 10 LU below the rest (Tech 3341 case 3)', () => {
    // 10 s at -36 dBFS, 60 s at -23, 10 s at -36: the quiet parts are gated out.
    const quiet = sine(48000, 10, 1000, 10 ** (-36 / 20));
    const loud = sine(48000, 60, 1000, 10 ** (-23 / 20));
    expect(measure(48000, concat(quiet, loud, quiet)).integrated).toBeCloseTo(-23, 1);
  });

  test('silence measures nothing; under 400 ms there is no block', () => {
    const silent = [new Int16Array(48000 * 3), new Int16Array(48000 * 3)];
    expect(measure(48000, silent).integrated).toBeNull();
    expect(measure(48000, sine(48000, 0.39, 1000, 0.5)).integrated).toBeNull();
    expect(measure(48000, sine(48000, 0.4, 1000, 0.5)).integrated).not.toBeNull();
  });
});

describe('loudness range', () => {
  test('20 s at -20 dBFS then 20 s at -30 dBFS: a range of 10 LU (Tech 3342 case 1)', () => {
    const r = measure(48000, concat(sine(48000, 20, 1000, 0.1), sine(48000, 20, 1000, 10 ** (-30 / 20))));
    expect(r.range).toBeCloseTo(10, 0);
  });
});

describe('true peak', () => {
  test('a sine at a quarter of the rate sampled 45° off its crests peaks 3 dB above its samples', () => {
    const r = measure(48000, sine(48000, 1, 12000, 0.5, 2, Math.PI / 4));
    expect(20 * Math.log10(r.samplePeak)).toBeCloseTo(20 * Math.log10(0.5 * Math.SQRT1_2), 1);
    expect(20 * Math.log10(r.truePeak)).toBeCloseTo(20 * Math.log10(0.5), 0);
  });

  test('the peak is found however the blocks fall, and in a quiet stretch after a loud one', () => {
    const loud = sine(44100, 1, 11025, 0.9, 2, Math.PI / 4);
    const planes = concat(sine(44100, 2, 440, 0.01), loud, sine(44100, 2, 440, 0.01));
    const whole = measure(44100, planes, planes[0]!.length);
    for (const block of [1, 63, 1152, 4096])
      expect(measure(44100, planes, block).truePeak).toBe(whole.truePeak);
    expect(whole.truePeak).toBeGreaterThan(0.88);
  });

  test('at 192 kHz there is no oversampling: the true peak is the sample peak', () => {
    const r = measure(192000, sine(192000, 1, 48000, 0.5, 1, Math.PI / 4));
    expect(r.truePeak).toBe(r.samplePeak);
  });
});

describe('album loudness from block histograms', () => {
  test('gating the tracks’ histograms together gives the loudness of their blocks together', () => {
    // b is 6 dB below a: inside the relative gate, so the album is neither track's own figure.
    const a = measure(48000, sine(48000, 30, 1000, 0.1));
    const b = measure(48000, sine(48000, 20, 1000, 0.05));
    const c = measure(48000, concat(sine(48000, 30, 1000, 0.1), sine(48000, 20, 1000, 0.05)));
    const album = BlockHistogram.integrated([a.histogram, b.histogram])!;
    expect(Math.abs(album - c.integrated!)).toBeLessThan(0.05);
    expect(album).toBeLessThan(a.integrated! - 1);
    expect(album).toBeGreaterThan(b.integrated! + 1);
    expect(BlockHistogram.integrated([a.histogram])).toBeCloseTo(a.integrated!, 1);
    expect(integratedLoudness([])).toBeNull();
  });

  test('a histogram survives its bytes and refuses the wrong length', () => {
    const a = measure(48000, sine(48000, 5, 1000, 0.1)).histogram;
    expect(BlockHistogram.decode(a.encode()).counts).toEqual(a.counts);
    expect(() => BlockHistogram.decode(new Uint8Array([1, 2, 3]))).toThrow();
  });
});

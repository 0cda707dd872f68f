// Fingerprints equal `fpcalc`'s bit for bit on FLAC, WAV and AIFF (16- and 8-bit PCM) at the sample
// rates libraries hold, and the stored compressed form decodes back to fpcalc's raw items.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { Chromaprint } from '../../app/fingerprint/chromaprint-wasm.ts';
import { fingerprintAudio } from '../../app/fingerprint/fingerprint-audio.ts';
import {
  compressFingerprint,
  decompressFingerprint,
  fromFingerprintString,
  toFingerprintString,
} from '../../app/fingerprint/fingerprint-codec.ts';
import { compileKernel } from '../../app/fingerprint/kernel/build.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { tempDir, tool } from '../helpers.ts';

/** fpcalc exits 3 when the file ends before 120 s yet prints a valid result. */
function fpcalc(path: string, raw: boolean): { duration: number; fingerprint: string } {
  const out = tool('sh', ['-c', `fpcalc ${raw ? '-raw ' : ''}"${path}"; test $? -le 3`]).toString();
  return {
    duration: Number(/DURATION=(\d+)/.exec(out)![1]),
    fingerprint: /FINGERPRINT=(.*)/.exec(out)![1]!,
  };
}

const CASES = [
  { name: '44k-stereo.flac', rate: 44100, channels: 2, seconds: 40, format: 'flac' },
  { name: '48k-stereo.flac', rate: 48000, channels: 2, seconds: 30, format: 'flac' },
  { name: '32k-stereo.flac', rate: 32000, channels: 2, seconds: 20, format: 'flac' }, // interpolating path
  { name: '22k-mono.flac', rate: 22050, channels: 1, seconds: 30, format: 'flac' },
  { name: '11k-mono.wav', rate: 11025, channels: 1, seconds: 25, format: 'wav' }, // no conversion at all
  { name: '44k-stereo.wav', rate: 44100, channels: 2, seconds: 130, format: 'wav' }, // past the 120 s window
  { name: '8bit.wav', rate: 44100, channels: 2, seconds: 20, format: 'wav', bits: 8 },
  { name: '44k-stereo.aiff', rate: 44100, channels: 2, seconds: 20, format: 'aiff' },
];

let dir: string;
const chromaprint = new Chromaprint();

beforeAll(() => {
  dir = tempDir();
  const master = join(dir, 'master.wav');
  writeWav(master, synthesizePiece(7, 130));
  for (const c of CASES) {
    const args = [master, '-r', String(c.rate), '-c', String(c.channels), '-b', String(c.bits ?? 16)];
    tool('sox', [...args, join(dir, c.name), 'trim', '0', String(c.seconds)]);
  }
}, 60_000);

describe('bit-identical to fpcalc', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const path = join(dir, c.name);
      const fp = await fingerprintAudio(
        {
          path,
          format: c.format,
          audioStart: null,
          audioEnd: null,
          sampleRate: c.rate,
          channels: c.channels,
        },
        chromaprint,
      );
      expect(Array.from(fp.raw).join(',')).toBe(fpcalc(path, true).fingerprint);
      expect(toFingerprintString(fp.compressed)).toBe(fpcalc(path, false).fingerprint);
      expect(fp.status).toBe('ok');
    });
  }

  test("fpcalc's compressed string decodes to its raw items", () => {
    const path = join(dir, '44k-stereo.flac');
    const { raw, algorithm } = decompressFingerprint(fromFingerprintString(fpcalc(path, false).fingerprint));
    expect(algorithm).toBe(1);
    expect(Array.from(raw).join(',')).toBe(fpcalc(path, true).fingerprint);
    expect(toFingerprintString(compressFingerprint(raw))).toBe(fpcalc(path, false).fingerprint);
  });

  test('the committed SIMD kernel is the one its source compiles to', async () => {
    const committed = readFileSync(new URL('../../app/fingerprint/kernel/resample.wasm', import.meta.url));
    expect(Buffer.from(await compileKernel()).equals(committed)).toBe(true);
  });
});

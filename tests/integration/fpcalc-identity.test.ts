// Fingerprints equal `fpcalc`'s bit for bit in every format (FLAC, WAV and AIFF at the sample rates
// libraries hold, 8- to 16-bit; MP3, Ogg Vorbis, Opus, AAC), and the stored compressed form decodes back
// to fpcalc's raw items.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { fingerprintAudio } from '../../app/core/fingerprint/fingerprint-audio.ts';
import {
  compressFingerprint,
  decompressFingerprint,
  fromFingerprintString,
  toFingerprintString,
} from '../../app/core/fingerprint/fingerprint-codec.ts';
import { decodeMono } from '../../app/core/fingerprint/mono-decode.ts';
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

/** fpcalc's converter as an FFmpeg filter: swresample at 11 025 Hz in Chromaprint's compatible mode. */
const FPCALC_RESAMPLER =
  'aresample=11025:filter_size=16:phase_shift=8:linear_interp=1:cutoff=0.8:internal_sample_fmt=s16p';

/** The 16-bit 11 025 Hz mono stream Sleeve feeds Chromaprint for the file's first 120 s. */
async function convertedStream(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  // A copy: the view is valid only during the call.
  const sink = { push: (s: Int16Array) => parts.push(Buffer.from(s.slice().buffer)) };
  const source = { path, format: 'wav' };
  await decodeMono(source, 120, [sink]);
  return Buffer.concat(parts);
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
  // Hi-res: the filter bank no longer fits the kernel's first memory page (192 kHz failed).
  { name: '192k-stereo.flac', rate: 192000, channels: 2, seconds: 20, format: 'flac' },
];

const LOSSY = [
  { name: 'lossy.mp3', format: 'mp3', encode: ['-c:a', 'libmp3lame', '-b:a', '192k'] },
  { name: 'lossy.ogg', format: 'ogg-vorbis', encode: ['-c:a', 'libvorbis', '-q:a', '5'] },
  { name: 'lossy.opus', format: 'opus', encode: ['-c:a', 'libopus', '-b:a', '128k'] },
  { name: 'lossy.m4a', format: 'm4a', encode: ['-c:a', 'aac', '-b:a', '192k'] },
];

let dir: string;

beforeAll(() => {
  dir = tempDir();
  const master = join(dir, 'master.wav');
  writeWav(master, synthesizePiece(7, 130));
  for (const c of CASES) {
    const args = [master, '-r', String(c.rate), '-c', String(c.channels), '-b', String(c.bits ?? 16)];
    // -R: the same dither every run, so that a failure can be repeated.
    tool('sox', ['-R', ...args, join(dir, c.name), 'trim', '0', String(c.seconds)]);
  }
  for (const c of LOSSY)
    tool('ffmpeg', ['-v', 'error', '-i', master, '-t', '40', ...c.encode, join(dir, c.name)]);
});

describe('bit-identical to fpcalc', () => {
  for (const c of [...CASES, ...LOSSY]) {
    test(c.name, async () => {
      const path = join(dir, c.name);
      const fp = await fingerprintAudio({ path, format: c.format });
      expect(Array.from(fp.raw).join(',')).toBe(fpcalc(path, true).fingerprint);
      expect(toFingerprintString(fp.compressed)).toBe(fpcalc(path, false).fingerprint);
      expect(fp.status).toBe('ok');
    });
  }

  test('a FLAC behind an ID3v2 tag (v2.4, with footer) fingerprints like the bare file', async () => {
    const bare = join(dir, '22k-mono.flac');
    const tagged = join(dir, 'id3-prefixed.flac');
    // An ID3v2.4 header with the footer flag, 300 bytes of padding, then the footer ("3DI").
    const header = Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0x10, 0, 0, 2, 44);
    const footer = Uint8Array.of(0x33, 0x44, 0x49, 4, 0, 0x10, 0, 0, 2, 44);
    writeFileSync(tagged, Buffer.concat([header, new Uint8Array(300), footer, readFileSync(bare)]));
    const plain = await fingerprintAudio({ format: 'flac', path: bare });
    const prefixed = await fingerprintAudio({ format: 'flac', path: tagged });
    expect(prefixed.status).toBe('ok');
    expect(Array.from(prefixed.raw)).toEqual(Array.from(plain.raw));
  });

  test('a rate of a few hertz, as a damaged header may claim, is resampled like fpcalc, a block at a time', async () => {
    // An 11 kHz file whose header says 2 Hz: each sample becomes 5,512 outputs, so the converter's step is
    // below one phase (it divided by zero) and a whole block would be resampled into gigabytes.
    const wav = readFileSync(join(dir, '11k-mono.wav'));
    const path = join(dir, '2hz.wav');
    wav.writeUInt32LE(2, 24); // sample rate
    wav.writeUInt32LE(4, 28); // bytes per second
    writeFileSync(path, wav);
    const fp = await fingerprintAudio({ path, format: 'wav' });
    // fpcalc stops short of its 120 s there (FFmpeg keeps part of such an expansion buffered): the same
    // items as far as it goes.
    const reference = fpcalc(path, true).fingerprint.split(',');
    expect(reference.length).toBeGreaterThan(500);
    // The 11 025 Hz stream is FFmpeg's sample for sample whatever the input.
    const pcm = join(dir, '2hz.raw');
    tool('ffmpeg', ['-v', 'error', '-i', path, '-t', '120', '-af', FPCALC_RESAMPLER, '-f', 's16le', pcm]);
    const ffmpeg = readFileSync(pcm);
    const ours = await convertedStream(path);
    expect(ffmpeg.length).toBe(120 * 11025 * 2);
    expect(Buffer.compare(ours.subarray(0, ffmpeg.length), ffmpeg)).toBe(0);
    expect(Array.from(fp.raw.subarray(0, reference.length)).join(',')).toBe(reference.join(','));
    expect(fp.seconds).toBeLessThanOrEqual(120);
  });

  test("fpcalc's compressed string decodes to its raw items", () => {
    const path = join(dir, '44k-stereo.flac');
    const { raw, algorithm } = decompressFingerprint(fromFingerprintString(fpcalc(path, false).fingerprint));
    expect(algorithm).toBe(1);
    expect(Array.from(raw).join(',')).toBe(fpcalc(path, true).fingerprint);
    expect(toFingerprintString(compressFingerprint(raw))).toBe(fpcalc(path, false).fingerprint);
  });
});

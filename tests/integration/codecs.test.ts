// Sleeve's own WebAssembly decoders (app/core/audio/codecs) against FFmpeg, the decoder behind `fpcalc`: FLAC
// sample for sample over every coding tool the encoders use, MPEG audio (gapless) and Ogg Vorbis
// sample-aligned and within a rounding step; damaged and foreign input fails or recovers as documented; the committed
// .wasm files are what their sources compile to.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CLANG, CODECS, compileCodec } from '../../app/core/audio/codecs/build.ts';
import { decodeAudio } from '../../app/core/audio/decode.ts';
import { type AudioSource, DecodeError } from '../../app/core/audio/pcm.ts';
import { fixOggChecksums } from '../fixtures/fuzz-mutate.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { lcg, tempDir, tool } from '../helpers.ts';

let dir: string;

interface Pcm {
  sampleRate: number;
  planes: Int16Array[];
}

async function decode(name: string, format: string, known: Partial<AudioSource> = {}): Promise<Pcm> {
  const chunks: Int16Array[][] = [];
  let sampleRate = 0;
  const source: AudioSource = {
    path: join(dir, name),
    format,
    audioStart: null,
    audioEnd: null,
    sampleRate: null,
    channels: null,
    ...known,
  };
  await decodeAudio(source, 1e9, (block) => {
    sampleRate = block.sampleRate;
    chunks.push(block.planes.map((p) => p.slice())); // the planes are views, valid during the call
    return true;
  });
  const channels = chunks[0]!.length;
  const planes = Array.from({ length: channels }, (_, c) => {
    const out = new Int16Array(chunks.reduce((n, ch) => n + ch[c]!.length, 0));
    let at = 0;
    for (const ch of chunks) {
      out.set(ch[c]!, at);
      at += ch[c]!.length;
    }
    return out;
  });
  return { sampleRate, planes };
}

/** FFmpeg's decode, converted to 16 bits as `fpcalc` converts it. */
function ffmpegDecode(name: string, channels: number): Int16Array[] {
  const raw = join(dir, `${name}.s16`);
  tool('ffmpeg', ['-v', 'error', '-y', '-i', join(dir, name), '-f', 's16le', '-acodec', 'pcm_s16le', raw]);
  const bytes = readFileSync(raw);
  const all = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  const n = all.length / channels;
  return Array.from({ length: channels }, (_, c) =>
    Int16Array.from({ length: n }, (_, i) => all[i * channels + c]!),
  );
}

/** The samples' bytes, for exact comparison. */
const bytesOf = (a: Int16Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function maxDifference(a: Int16Array, b: Int16Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** A lossy decode against FFmpeg's: same rate and layout, aligned from the first sample, within one
 *  rounding step, and at most `extra` samples longer (end trimming FFmpeg does and we need not). */
async function expectLikeFfmpeg(name: string, format: string, channels: number, rate: number, extra: number) {
  const ours = await decode(name, format);
  const ref = ffmpegDecode(name, channels);
  expect(ours.sampleRate).toBe(rate);
  expect(ours.planes.length).toBe(channels);
  expect(ours.planes[0]!.length).toBeGreaterThanOrEqual(ref[0]!.length);
  expect(ours.planes[0]!.length - ref[0]!.length).toBeLessThan(extra);
  for (let c = 0; c < channels; c++)
    expect(maxDifference(ours.planes[c]!.subarray(0, ref[c]!.length), ref[c]!)).toBeLessThanOrEqual(1);
}

/** The first half of a file decodes to the start of the whole file's samples, exactly. */
async function expectCutToDecodeItsStart(name: string, format: string) {
  const bytes = readFileSync(join(dir, name));
  writeFileSync(join(dir, `cut-${name}`), bytes.subarray(0, Math.floor(bytes.length / 2)));
  const full = await decode(name, format);
  const cut = await decode(`cut-${name}`, format);
  const n = cut.planes[0]!.length;
  expect(n).toBeGreaterThan(full.planes[0]!.length * 0.4);
  expect(maxDifference(cut.planes[0]!, full.planes[0]!.subarray(0, n))).toBe(0);
}

const sox = (args: string[]) => tool('sox', args);
const flac = (args: string[]) => tool('flac', ['-s', '-f', ...args]);

beforeAll(() => {
  dir = tempDir();
  writeWav(join(dir, 'master.wav'), synthesizePiece(11, 12));
  const master = join(dir, 'master.wav');
  // Lossless sources at the depths, rates and layouts FLAC libraries hold.
  sox([master, '-b', '16', join(dir, 's16.wav')]);
  sox([master, '-b', '24', join(dir, 's24.wav'), 'gain', '-1']);
  sox([master, '-b', '24', '-c', '1', '-r', '96000', join(dir, 's24-mono-96k.wav')]);
  sox([master, '-b', '8', '-c', '1', '-r', '22050', join(dir, 's8-mono.wav')]);
  sox([
    master,
    '-b',
    '16',
    '-c',
    '6',
    '-r',
    '48000',
    join(dir, 's16-6ch.wav'),
    'remix',
    '1',
    '2',
    '1v0.5',
    '2v0.5',
    '1,2',
    '2',
  ]);
  sox([master, '-b', '32', join(dir, 's32.wav')]);
  // Samples whose two low bits are always zero: the encoder codes them as "wasted bits".
  const pcm = synthesizePiece(12, 6).map((v) => v & ~3);
  writeWav(join(dir, 'wasted.wav'), pcm);
  // Full-scale noise, which no predictor helps: verbatim subframes.
  const rand = lcg(5, 16);
  writeWav(
    join(dir, 'noise.wav'),
    Int16Array.from({ length: 44100 * 4 }, () => (rand() & 0xffff) - 32768),
  );
  // Silence: constant subframes.
  writeWav(join(dir, 'silence.wav'), new Int16Array(44100 * 4));

  flac(['-8', '-o', join(dir, 's16-8.flac'), join(dir, 's16.wav')]);
  flac(['-0', '-o', join(dir, 's16-0.flac'), join(dir, 's16.wav')]);
  flac(['-8', '-o', join(dir, 's24-8.flac'), join(dir, 's24.wav')]);
  flac(['-5', '-o', join(dir, 's24-mono-96k.flac'), join(dir, 's24-mono-96k.wav')]);
  flac(['-5', '-o', join(dir, 's8-mono.flac'), join(dir, 's8-mono.wav')]);
  flac(['-5', '-o', join(dir, 's16-6ch.flac'), join(dir, 's16-6ch.wav')]);
  flac(['--lax', '-l', '32', '-b', '32768', '-r', '15', '-o', join(dir, 'lax.flac'), join(dir, 's24.wav')]);
  flac(['-b', '192', '-o', join(dir, 'small-blocks.flac'), join(dir, 's16.wav')]);
  flac(['-o', join(dir, 'wasted.flac'), join(dir, 'wasted.wav')]);
  flac(['-o', join(dir, 'noise.flac'), join(dir, 'noise.wav')]);
  flac(['-o', join(dir, 'silence.flac'), join(dir, 'silence.wav')]);
  flac(['-o', join(dir, 's32.flac'), join(dir, 's32.wav')]);
  tool('ffmpeg', [
    '-v',
    'error',
    '-i',
    join(dir, 's24.wav'),
    '-compression_level',
    '12',
    join(dir, 'ffmpeg.flac'),
  ]);

  tool('lame', ['--quiet', '-b', '192', join(dir, 's16.wav'), join(dir, 'lame-cbr.mp3')]);
  tool('lame', ['--quiet', '-V', '4', join(dir, 's16.wav'), join(dir, 'lame-vbr.mp3')]);
  tool('lame', ['--quiet', '-t', '-b', '128', join(dir, 's16.wav'), join(dir, 'no-info-tag.mp3')]);
  tool('lame', [
    '--quiet',
    '-m',
    'm',
    '--resample',
    '22.05',
    '-b',
    '64',
    join(dir, 's16.wav'),
    join(dir, 'mpeg2-mono.mp3'),
  ]);
  tool('ffmpeg', [
    '-v',
    'error',
    '-i',
    join(dir, 's16.wav'),
    '-c:a',
    'mp2',
    '-b:a',
    '192k',
    join(dir, 'layer2.mp2'),
  ]);
  const vorbis = (input: string, out: string, args: string[]) =>
    tool('ffmpeg', ['-v', 'error', '-i', join(dir, input), '-c:a', 'libvorbis', ...args, join(dir, out)]);
  vorbis('s16.wav', 'q5.ogg', ['-q:a', '5']);
  vorbis('s16.wav', 'mono-22k.ogg', ['-q:a', '0', '-ac', '1', '-ar', '22050']);
  vorbis('s24.wav', 'q9-48k.ogg', ['-q:a', '9', '-ar', '48000']);
}, 60_000);

describe('FLAC decodes sample for sample as FFmpeg decodes it', () => {
  const CASES = [
    ['s16-8.flac', 2, 44100, '16-bit, flac -8'],
    ['s16-0.flac', 2, 44100, '16-bit, flac -0: fixed predictors'],
    ['s24-8.flac', 2, 44100, '24-bit, 64-bit LPC sums'],
    ['s24-mono-96k.flac', 1, 96000, '24-bit mono at 96 kHz'],
    ['s8-mono.flac', 1, 22050, '8-bit mono'],
    ['s16-6ch.flac', 6, 48000, 'six channels'],
    ['lax.flac', 2, 44100, 'order-32 LPC, 32768-sample blocks'],
    ['small-blocks.flac', 2, 44100, '192-sample blocks'],
    ['wasted.flac', 2, 44100, 'wasted bits'],
    ['noise.flac', 2, 44100, 'verbatim subframes'],
    ['silence.flac', 2, 44100, 'constant subframes'],
    ['ffmpeg.flac', 2, 44100, "FFmpeg's own encoder"],
  ] as const;
  for (const [name, channels, rate, what] of CASES)
    test(`${what} (${name})`, async () => {
      const ours = await decode(name, 'flac', { sampleRate: rate, channels });
      const ref = ffmpegDecode(name, channels);
      expect(ours.sampleRate).toBe(rate);
      expect(ours.planes.length).toBe(channels);
      expect(ref[0]!.length).toBeGreaterThan(rate);
      for (let c = 0; c < channels; c++) expect(bytesOf(ours.planes[c]!).equals(bytesOf(ref[c]!))).toBe(true);
    });
});

test('32-bit FLAC goes to FFmpeg, or fails naming why when FFmpeg cannot decode it (before 6.0)', async () => {
  const ref = ffmpegDecode('s32.flac', 2);
  const decoding = decode('s32.flac', 'flac', { sampleRate: 44100, channels: 2 });
  if (ref[0]!.length === 0) {
    await expect(decoding).rejects.toThrow(/32-bit FLAC is beyond Sleeve's decoder, and ffmpeg failed/);
    return;
  }
  const ours = await decoding;
  for (let c = 0; c < 2; c++) expect(bytesOf(ours.planes[c]!).equals(bytesOf(ref[c]!))).toBe(true);
});

function crc8(bytes: readonly number[] | Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** Offsets of the frames of a fixed-blocksize (4096), 44.1 kHz, 16-bit stereo FLAC: sync, codes, a
 *  one- or two-byte frame number and a matching CRC-8. */
function frameStarts(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  for (let i = 0; i + 8 < bytes.length; i++) {
    if (
      bytes[i] !== 0xff ||
      bytes[i + 1] !== 0xf8 ||
      bytes[i + 2] !== 0xc9 ||
      (bytes[i + 3]! & 0x0f) !== 0x08
    )
      continue;
    const length = bytes[i + 4]! < 0x80 ? 5 : 6;
    if (crc8(bytes.subarray(i, i + length)) === bytes[i + length]) starts.push(i);
  }
  return starts;
}

describe('damaged FLAC', () => {
  test('a truncated file yields its whole frames', async () => {
    const bytes = readFileSync(join(dir, 's16-8.flac'));
    writeFileSync(join(dir, 'cut.flac'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const full = await decode('s16-8.flac', 'flac');
    const cut = await decode('cut.flac', 'flac');
    const n = cut.planes[0]!.length;
    expect(n).toBeGreaterThan(full.planes[0]!.length * 0.5);
    expect(n % 4096).toBe(0);
    expect(bytesOf(cut.planes[1]!).equals(bytesOf(full.planes[1]!.subarray(0, n)))).toBe(true);
  });

  test('garbage inside the stream costs only the frames it hit', async () => {
    const bytes = Buffer.from(readFileSync(join(dir, 's16-8.flac')));
    const rand = lcg(9, 24);
    const at = Math.floor(bytes.length / 2);
    for (let i = 0; i < 3000; i++) bytes[at + i] = rand();
    writeFileSync(join(dir, 'garbled.flac'), bytes);
    const full = await decode('s16-8.flac', 'flac');
    const garbled = await decode('garbled.flac', 'flac');
    const lost = full.planes[0]!.length - garbled.planes[0]!.length;
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(3 * 4096);
    // Everything after the damage is intact, just earlier by what was lost.
    const tail = (p: Int16Array) => bytesOf(p.subarray(p.length - 44100));
    expect(tail(garbled.planes[0]!).equals(tail(full.planes[0]!))).toBe(true);
  });

  test('a 4.5 MiB run of zeros (an unfinished download) is skipped, and decoding goes on after it', async () => {
    const bytes = readFileSync(join(dir, 's16-8.flac'));
    const at = frameStarts(bytes).find((i) => i > bytes.length / 2)!;
    writeFileSync(
      join(dir, 'hole.flac'),
      Buffer.concat([bytes.subarray(0, at), Buffer.alloc(4.5 * 2 ** 20), bytes.subarray(at)]),
    );
    const full = await decode('s16-8.flac', 'flac');
    const holed = await decode('hole.flac', 'flac');
    expect(bytesOf(holed.planes[0]!).equals(bytesOf(full.planes[0]!))).toBe(true);
  });

  test('a forged frame header (valid CRC-8) costs nothing: its CRC-16 fails and the real frame follows', async () => {
    const bytes = readFileSync(join(dir, 's16-8.flac'));
    const at = frameStarts(bytes).find((i) => i > bytes.length / 2)!;
    // Mono, 24-bit, 65536 samples: decoded as a verbatim subframe it would swallow ~190 KB of real frames.
    const header = [0xff, 0xf8, 0x79, 0x0c, 0x00, 0xff, 0xff];
    const forged = Buffer.from([...header, crc8(header), 0x02]);
    writeFileSync(
      join(dir, 'forged.flac'),
      Buffer.concat([bytes.subarray(0, at), forged, bytes.subarray(at)]),
    );
    const full = await decode('s16-8.flac', 'flac');
    const damaged = await decode('forged.flac', 'flac');
    expect(bytesOf(damaged.planes[1]!).equals(bytesOf(full.planes[1]!))).toBe(true);
  });

  test('a file that is not FLAC fails with the reason', async () => {
    writeFileSync(join(dir, 'fake.flac'), Buffer.from('RIFF....WAVEfmt this is not a FLAC stream at all'));
    await expect(decode('fake.flac', 'flac')).rejects.toThrow(/not a FLAC stream/);
    const metadataOnly = readFileSync(join(dir, 's16-8.flac'));
    // STREAMINFO and no frames at all.
    writeFileSync(
      join(dir, 'no-frames.flac'),
      Buffer.concat([
        metadataOnly.subarray(0, 4),
        Buffer.from([0x80, 0, 0, 34]),
        metadataOnly.subarray(8, 42),
      ]),
    );
    await expect(decode('no-frames.flac', 'flac')).rejects.toThrow(DecodeError);
  });
});

describe('MPEG audio decodes aligned with FFmpeg (gapless) and within a rounding step', () => {
  const CASES = [
    ['lame-cbr.mp3', 2, 44100, 'LAME CBR with its Info/LAME tag'],
    ['lame-vbr.mp3', 2, 44100, 'LAME VBR with its Xing/LAME tag'],
    ['no-info-tag.mp3', 2, 44100, 'no Xing tag: nothing to trim'],
    ['mpeg2-mono.mp3', 1, 22050, 'MPEG-2 mono'],
    ['layer2.mp2', 2, 44100, 'layer II'],
  ] as const;
  // Gapless trimming keeps the start aligned; FFmpeg also trims the end padding, which we need not.
  for (const [name, channels, rate, what] of CASES)
    test(`${what} (${name})`, () => expectLikeFfmpeg(name, 'mp3', channels, rate, 1152 * 2));

  test('a file cut mid-stream (no bit reservoir at first) stays aligned with FFmpeg', async () => {
    const bytes = readFileSync(join(dir, 'no-info-tag.mp3'));
    writeFileSync(join(dir, 'mid.mp3'), bytes.subarray(Math.floor(bytes.length * 0.4) + 7));
    const ours = await decode('mid.mp3', 'mp3');
    const ref = ffmpegDecode('mid.mp3', 2);
    expect(ours.planes[0]!.length).toBe(ref[0]!.length);
    // The first frames lack the previous frames' data; from the third on, samples agree.
    const from = 1152 * 3;
    expect(maxDifference(ours.planes[0]!.subarray(from), ref[0]!.subarray(from))).toBeLessThanOrEqual(1);
  });

  test('decoding keeps to the audio byte range', async () => {
    const bytes = readFileSync(join(dir, 'lame-cbr.mp3'));
    // A tag-like block of junk before and after, outside the range the scanner recorded.
    const junk = Buffer.alloc(5000, 0xff);
    writeFileSync(join(dir, 'wrapped.mp3'), Buffer.concat([junk, bytes, junk]));
    const plain = await decode('lame-cbr.mp3', 'mp3');
    const wrapped = await decode('wrapped.mp3', 'mp3', {
      audioStart: junk.length,
      audioEnd: junk.length + bytes.length,
    });
    expect(bytesOf(wrapped.planes[0]!).equals(bytesOf(plain.planes[0]!))).toBe(true);
  });

  test('a truncated file yields the frames before the cut; a file with none fails', async () => {
    await expectCutToDecodeItsStart('lame-cbr.mp3', 'mp3');
    const rand = lcg(3, 24);
    writeFileSync(
      join(dir, 'noise.mp3'),
      Uint8Array.from({ length: 20000 }, () => rand() & 0xff),
    );
    await expect(decode('noise.mp3', 'mp3')).rejects.toThrow(/no decodable MPEG audio frames/);
  });
});

describe('Ogg Vorbis decodes aligned with FFmpeg and within a rounding step', () => {
  const CASES = [
    ['q5.ogg', 2, 44100, 'stereo, quality 5'],
    ['mono-22k.ogg', 1, 22050, 'mono at 22.05 kHz, quality 0'],
    ['q9-48k.ogg', 2, 48000, '48 kHz, quality 9'],
  ] as const;
  // FFmpeg trims the last packet to the stream's final granule position; we need not.
  for (const [name, channels, rate, what] of CASES)
    test(`${what} (${name})`, () => expectLikeFfmpeg(name, 'ogg-vorbis', channels, rate, 2048));

  test('a 9 MB comment header (cover art) is read through', async () => {
    const tagged = join(dir, 'big-comment.ogg');
    writeFileSync(tagged, readFileSync(join(dir, 'q5.ogg')));
    // Debian's Python, which has mutagen.
    tool('/usr/bin/python3', [
      '-c',
      `from mutagen.oggvorbis import OggVorbis\nf = OggVorbis('${tagged}')\nf['comment'] = 'x' * 9000000\nf.save()`,
    ]);
    const plain = await decode('q5.ogg', 'ogg-vorbis');
    const big = await decode('big-comment.ogg', 'ogg-vorbis');
    expect(bytesOf(big.planes[0]!).equals(bytesOf(plain.planes[0]!))).toBe(true);
  });

  test('a damaged page costs about that page, not the rest of the file', async () => {
    const bytes = Buffer.from(readFileSync(join(dir, 'q5.ogg')));
    const page = bytes.indexOf('OggS', Math.floor(bytes.length / 2));
    bytes[page + 1] = 0x41; // no longer a capture pattern
    for (let i = 0; i < 200; i++) bytes[page + 3000 + i]! ^= 0x55; // and garbage inside the next page
    writeFileSync(join(dir, 'damaged.ogg'), bytes);
    const full = await decode('q5.ogg', 'ogg-vorbis');
    const damaged = await decode('damaged.ogg', 'ogg-vorbis');
    // Pages here hold ~0.85 s. FFmpeg keeps 92 % of the samples; stb_vorbis resynchronizes a page later (83 %).
    expect(damaged.planes[0]!.length).toBeGreaterThan(0.8 * full.planes[0]!.length);
    const tail = (p: Int16Array) => bytesOf(p.subarray(p.length - 44100));
    expect(tail(damaged.planes[0]!).equals(tail(full.planes[0]!))).toBe(true);
  });

  test('comment lengths that are negative or overflow 32 bits fail the open, and write nothing astray', async () => {
    // stb_vorbis took -1 (a 0-byte allocation, written at [-1]), -2^31 (the arena pointer moved back 2 GB:
    // a trap) and 2^30 + 1 comments (a pointer array of 4 bytes after wasm32's size_t wrapped).
    const original = readFileSync(join(dir, 'q5.ogg'));
    const header = original.indexOf('\x03vorbis', 0, 'latin1') + 7;
    const vendor = original.readUInt32LE(header);
    const count = header + 4 + vendor;
    for (const [at, value] of [
      [header, 0xffffffff],
      [count + 4, 0x80000000],
      [count, 0x40000001],
    ] as const) {
      const bytes = Buffer.from(original);
      bytes.writeUInt32LE(value, at);
      fixOggChecksums(bytes);
      writeFileSync(join(dir, 'bad-comment.ogg'), bytes);
      await expect(
        decode('bad-comment.ogg', 'ogg-vorbis'),
        `0x${value.toString(16)} at ${at}`,
      ).rejects.toThrow(/^not a readable Ogg Vorbis stream \(stb_vorbis error 20\)$/);
    }
  });

  test('a truncated file yields the packets before the cut; a file that is not Vorbis fails', async () => {
    await expectCutToDecodeItsStart('q5.ogg', 'ogg-vorbis');
    writeFileSync(join(dir, 'not-vorbis.ogg'), Buffer.concat([Buffer.from('OggS'), Buffer.alloc(3000, 7)]));
    await expect(decode('not-vorbis.ogg', 'ogg-vorbis')).rejects.toThrow(/Ogg Vorbis|Vorbis headers/);
  });
});

test("an Opus header no decoder may accept fails the decode saying why (npm's decoder threw a TypeError)", async () => {
  tool('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    join(dir, 's16.wav'),
    '-t',
    '2',
    '-c:a',
    'libopus',
    join(dir, 'opus.opus'),
  ]);
  const original = readFileSync(join(dir, 'opus.opus'));
  const head = original.indexOf('OpusHead');
  for (const [at, value, why] of [
    [head + 9, 32, '32 channels without a channel mapping'],
    [head + 9, 0, 'no channels'],
    [head + 8, 0x20, 'version 2.0, which this decoder does not know'],
  ] as const) {
    const bytes = Buffer.from(original);
    bytes[at] = value;
    fixOggChecksums(bytes);
    writeFileSync(join(dir, 'bad-head.opus'), bytes);
    await expect(decode('bad-head.opus', 'opus')).rejects.toThrow(`an impossible Opus header: ${why}`);
  }
  expect((await decode('opus.opus', 'opus')).planes).toHaveLength(2);
});

test("Opus pages npm's parser cannot follow fail the decode with that reason, not its TypeError", async () => {
  // A page numbered 0 mid-stream (checksum valid): the parser takes it for the identification header.
  const bytes = Buffer.from(readFileSync(join(dir, 'opus.opus')));
  let page = 0;
  for (let i = 0; i < 3; i++) {
    const segments = bytes[page + 26]!;
    page += 27 + segments + bytes.subarray(page + 27, page + 27 + segments).reduce((a, b) => a + b, 0);
  }
  bytes.writeUInt32LE(0, page + 18);
  fixOggChecksums(bytes);
  writeFileSync(join(dir, 'renumbered.opus'), bytes);
  await expect(decode('renumbered.opus', 'opus')).rejects.toThrow(
    "its Ogg pages are damaged past what npm's Opus decoder can follow",
  );
});

test('a WAV or AIFF cut inside a chunk header fails the decode saying so (it was a RangeError)', async () => {
  const wav = readFileSync(join(dir, 's16.wav'));
  writeFileSync(join(dir, 'cut-fmt.wav'), wav.subarray(0, 12 + 8 + 10)); // inside "fmt "
  await expect(decode('cut-fmt.wav', 'wav')).rejects.toThrow('the "fmt " chunk is cut short');
  tool('sox', [join(dir, 's16.wav'), join(dir, 's16.aiff')]);
  const aiff = readFileSync(join(dir, 's16.aiff'));
  writeFileSync(join(dir, 'cut-ssnd.aiff'), aiff.subarray(0, aiff.indexOf('SSND') + 10)); // inside its offset
  await expect(decode('cut-ssnd.aiff', 'aiff')).rejects.toThrow('the "SSND" chunk is cut short');
});

test('a header claiming a rate no audio has (2^31 Hz, an infinite AIFF rate) fails the decode saying so', async () => {
  const wav = join(dir, 'huge-rate.wav');
  writeWav(wav, synthesizePiece(5, 1));
  const aiff = join(dir, 'huge-rate.aiff');
  tool('sox', [wav, aiff]);
  const wavBytes = readFileSync(wav);
  wavBytes.writeUInt32LE(0x7fffffff, 24); // the resampler would have built a 2 GB filter for it
  writeFileSync(wav, wavBytes);
  const aiffBytes = readFileSync(aiff);
  aiffBytes.writeUInt16BE(0x7fff, aiffBytes.indexOf('COMM') + 16); // the 80-bit rate's exponent
  writeFileSync(aiff, aiffBytes);
  await expect(decode('huge-rate.wav', 'wav')).rejects.toThrow(
    /^the audio stream claims an impossible format: 2147483647 Hz, 2 channels$/,
  );
  await expect(decode('huge-rate.aiff', 'aiff')).rejects.toThrow(/impossible format: Infinity Hz/);
});

test('damaged files of every format either decode or fail with a DecodeError, never anything else', async () => {
  const rand = lcg(77, 8);
  const samples = (pcm: Pcm) => pcm.planes[0]!.length;
  const outcomes = { decoded: 0, failed: 0 };
  for (const [name, format] of [
    ['s24-8.flac', 'flac'],
    ['lame-vbr.mp3', 'mp3'],
    ['q5.ogg', 'ogg-vorbis'],
  ] as const) {
    const original = readFileSync(join(dir, name));
    const full = samples(await decode(name, format));
    // A few damaged bytes in the audio cost a few frames, not the rest of the file.
    for (let round = 1; round <= 5; round++) {
      const bytes = Buffer.from(original);
      for (let i = 0; i < round; i++) {
        const at = 16384 + (rand() % (bytes.length - 16384));
        bytes[at] = bytes[at]! ^ (1 + (rand() % 255));
      }
      writeFileSync(join(dir, `light-${name}`), bytes);
      expect(samples(await decode(`light-${name}`, format)), `${name}, ${round} bytes`).toBeGreaterThan(
        0.8 * full,
      );
    }
    for (let round = 0; round < 25; round++) {
      const bytes = Buffer.from(original);
      // Flip bytes all over, headers included, more of them each round.
      for (let i = 0; i <= round * 20; i++) bytes[rand() % bytes.length] = rand() & 0xff;
      writeFileSync(join(dir, `fuzz-${name}`), bytes);
      try {
        await decode(`fuzz-${name}`, format);
        outcomes.decoded++;
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
        outcomes.failed++;
      }
    }
  }
  expect(outcomes.decoded).toBeGreaterThan(0);
});

/** Whether clang is here; CI installs it (.ci/run), so there the check always runs. */
const hasClang = (() => {
  try {
    execFileSync(CLANG, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test.runIf(hasClang || process.env.CI)('the committed codecs are what their sources compile to', () => {
  for (const name of CODECS) {
    const committed = readFileSync(new URL(`../../app/core/audio/codecs/${name}.wasm`, import.meta.url));
    expect(
      Buffer.from(compileCodec(name)).equals(committed),
      `${name}.wasm is stale: run node app/core/audio/codecs/build.ts`,
    ).toBe(true);
  }
});

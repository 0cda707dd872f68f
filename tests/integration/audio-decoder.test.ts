// The scan's decoder (FFmpeg's libraries in the audio addon): every format the scanner recognises decodes
// sample for sample as the `ffmpeg` command decodes it; damaged input costs what it hit, or fails with a
// DecodeError saying why, never anything else; a file cannot make it open any other file; each decode
// closes its file.
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CodecMessages } from '../../app/core/audio/codec-messages.ts';
import { type AudioSource, DecodeError } from '../../app/core/audio/pcm.ts';
import { decodeMono } from '../../app/core/fingerprint/mono-decode.ts';
import { readTrack } from '../../app/core/media/read-track.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { lcg, tempDir, tool } from '../helpers.ts';

let dir: string;

interface Pcm {
  sampleRate: number;
  planes: Int16Array[];
  mono: Int16Array;
  messages: CodecMessages;
}

/** The whole track at its own rate, and the first 5 s of the fingerprint stream; `range`: where the
 *  audio is, as the scan found it (its tags are then left unread). */
async function decode(name: string, format: string, range: Partial<AudioSource> = {}): Promise<Pcm> {
  const blocks: Int16Array[][] = [];
  const mono: Int16Array[] = [];
  let sampleRate = 0;
  const messages = new CodecMessages();
  // Copies: the arrays handed over are the decoder's, valid during the call.
  const sink = { push: (s: Int16Array) => mono.push(s.slice()) };
  await decodeMono({ path: join(dir, name), format, ...range }, 5, [sink], messages, (block) => {
    sampleRate = block.sampleRate;
    blocks.push(block.planes.map((p) => p.slice()));
  });
  const planes = blocks[0]!.map((_, c) => concat(blocks.map((b) => b[c]!)));
  return { sampleRate, planes, mono: concat(mono), messages };
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The `ffmpeg` command's decode of `name` at 16 bits, a plane per channel. */
function ffmpegDecode(name: string, channels: number): Int16Array[] {
  const raw = join(dir, `${name}.s16`);
  tool('ffmpeg', ['-v', 'quiet', '-y', '-i', join(dir, name), '-f', 's16le', '-acodec', 'pcm_s16le', raw]);
  const bytes = readFileSync(raw);
  const all = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  const n = all.length / channels;
  return Array.from({ length: channels }, (_, c) =>
    Int16Array.from({ length: n }, (_, i) => all[i * channels + c]!),
  );
}

const bytesOf = (a: Int16Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

const encode = (args: string[]) => tool('ffmpeg', ['-v', 'error', '-y', ...args]);

beforeAll(() => {
  dir = tempDir();
  const master = join(dir, 'master.wav');
  writeWav(master, synthesizePiece(11, 12));
  const sox = (args: string[]) => tool('sox', [master, ...args]);
  sox(['-b', '16', join(dir, 's16.wav')]);
  sox(['-b', '24', join(dir, 's24.wav'), 'gain', '-1']);
  sox(['-b', '8', '-c', '1', '-r', '22050', join(dir, 's8-mono.wav')]);
  sox([
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
  sox(['-b', '16', join(dir, 's16.aiff')]);
  const flac = (input: string, out: string) =>
    tool('flac', ['-s', '-f', '-8', '-o', join(dir, out), join(dir, input)]);
  flac('s16.wav', 's16.flac');
  flac('s24.wav', 's24.flac');
  flac('s8-mono.wav', 's8-mono.flac');
  flac('s16-6ch.wav', 's16-6ch.flac');
  tool('lame', ['--quiet', '-V', '4', join(dir, 's16.wav'), join(dir, 'vbr.mp3')]);
  encode(['-i', join(dir, 's16.wav'), '-c:a', 'mp2', '-b:a', '192k', join(dir, 'layer2.mp2')]);
  encode(['-i', join(dir, 's16.wav'), '-c:a', 'libvorbis', '-q:a', '5', join(dir, 'q5.ogg')]);
  encode(['-i', join(dir, 's16.wav'), '-c:a', 'libopus', '-b:a', '96k', join(dir, 'opus.opus')]);
  encode(['-i', join(dir, 's16.wav'), '-c:a', 'aac', '-b:a', '160k', join(dir, 'aac.m4a')]);
  encode(['-i', join(dir, 's16.wav'), '-c:a', 'flac', '-f', 'ogg', join(dir, 'ogg.oga')]);
  tool('wavpack', ['-q', '-y', join(dir, 's16.wav'), '-o', join(dir, 's16.wv')]);
  tool('mpcenc', ['--silent', '--overwrite', join(dir, 's16.wav'), join(dir, 's16.mpc')]);
});

describe('every format decodes sample for sample as the ffmpeg command decodes it', () => {
  const CASES = [
    ['s16.flac', 'flac', 2, 44100],
    ['s24.flac', 'flac', 2, 44100],
    ['s8-mono.flac', 'flac', 1, 22050],
    ['s16-6ch.flac', 'flac', 6, 48000],
    ['s16.wav', 'wav', 2, 44100],
    ['s16.aiff', 'aiff', 2, 44100],
    ['vbr.mp3', 'mp3', 2, 44100],
    ['layer2.mp2', 'mp2', 2, 44100],
    ['q5.ogg', 'ogg-vorbis', 2, 44100],
    ['opus.opus', 'opus', 2, 48000],
    ['aac.m4a', 'm4a', 2, 44100],
    ['ogg.oga', 'ogg-flac', 2, 44100],
    ['s16.wv', 'wavpack', 2, 44100],
    ['s16.mpc', 'musepack', 2, 44100],
  ] as const;
  for (const [name, format, channels, rate] of CASES)
    test(`${name} (${format})`, async () => {
      const ours = await decode(name, format);
      const ref = ffmpegDecode(name, channels);
      expect(ours.sampleRate).toBe(rate);
      expect(ours.planes).toHaveLength(channels);
      expect(ref[0]!.length).toBeGreaterThan(rate * 10);
      for (let c = 0; c < channels; c++) expect(bytesOf(ours.planes[c]!).equals(bytesOf(ref[c]!))).toBe(true);
      // The fingerprint stream: 5 s at 11 025 Hz, as asked.
      expect(ours.mono.length).toBe(5 * 11025);
      expect(ours.messages.count).toBe(0);
    });
});

test('a cover picture (FLAC, MP3, M4A) changes nothing in the audio decoded', async () => {
  const cover = join(dir, 'cover.png');
  encode(['-f', 'lavfi', '-i', 'mandelbrot=s=800x800', '-frames:v', '1', cover]);
  const withCover = (input: string, out: string, extra: string[]) =>
    encode(['-i', join(dir, input), '-i', cover, '-map', '0:a', '-map', '1', ...extra, join(dir, out)]);
  withCover('s16.flac', 'cover.flac', ['-c', 'copy', '-disposition:v', 'attached_pic']);
  withCover('vbr.mp3', 'cover.mp3', ['-c', 'copy', '-id3v2_version', '3']);
  withCover('aac.m4a', 'cover.m4a', ['-c:a', 'copy', '-c:v', 'png', '-disposition:v', 'attached_pic']);
  for (const [plain, covered, format] of [
    ['s16.flac', 'cover.flac', 'flac'],
    ['vbr.mp3', 'cover.mp3', 'mp3'],
    ['aac.m4a', 'cover.m4a', 'm4a'],
  ] as const) {
    const a = await decode(plain, format);
    const b = await decode(covered, format);
    expect(bytesOf(b.planes[0]!).equals(bytesOf(a.planes[0]!)), covered).toBe(true);
    expect(bytesOf(b.mono).equals(bytesOf(a.mono)), covered).toBe(true);
    expect(b.messages.count, covered).toBe(0);
  }
});

describe('damaged input', () => {
  test('a truncated file yields the audio before the cut', async () => {
    for (const [name, format] of [
      ['s16.flac', 'flac'],
      ['vbr.mp3', 'mp3'],
      ['q5.ogg', 'ogg-vorbis'],
    ] as const) {
      const bytes = readFileSync(join(dir, name));
      writeFileSync(join(dir, `cut-${name}`), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const full = await decode(name, format);
      const cut = await decode(`cut-${name}`, format);
      const n = cut.planes[0]!.length;
      expect(n, name).toBeGreaterThan(full.planes[0]!.length * 0.5);
      // All but the last frame or two, which the cut may have ended early.
      const sure = n - 4096;
      expect(
        bytesOf(cut.planes[0]!.subarray(0, sure)).equals(bytesOf(full.planes[0]!.subarray(0, sure))),
        name,
      ).toBe(true);
    }
  });

  test('garbage inside a FLAC stream costs only the frames it hit, and is said', async () => {
    const bytes = Buffer.from(readFileSync(join(dir, 's16.flac')));
    const rand = lcg(9, 24);
    const at = Math.floor(bytes.length / 2);
    for (let i = 0; i < 3000; i++) bytes[at + i] = rand();
    writeFileSync(join(dir, 'garbled.flac'), bytes);
    const full = await decode('s16.flac', 'flac');
    const garbled = await decode('garbled.flac', 'flac');
    const lost = full.planes[0]!.length - garbled.planes[0]!.length;
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(3 * 4096);
    const tail = (p: Int16Array) => bytesOf(p.subarray(p.length - 44100));
    expect(tail(garbled.planes[0]!).equals(tail(full.planes[0]!))).toBe(true);
    expect(garbled.messages.summary()).toMatch(/\[flac\]/);
  });

  test('a file that is not in its format fails saying so', async () => {
    writeFileSync(join(dir, 'fake.flac'), Buffer.from('RIFF....WAVEfmt this is not a FLAC stream at all'));
    await expect(decode('fake.flac', 'flac')).rejects.toThrow(/^cannot read the file as audio: /);
    const rand = lcg(3, 24);
    writeFileSync(
      join(dir, 'noise.mp3'),
      Uint8Array.from({ length: 20000 }, () => rand() & 0xff),
    );
    await expect(decode('noise.mp3', 'mp3')).rejects.toThrow(DecodeError);
    // A real WAV named as FLAC: only FLAC's demuxer may read it.
    await expect(decode('s16.wav', 'flac')).rejects.toThrow(/^cannot read the file as audio: /);
  });

  test('a header claiming a rate no audio has fails saying so, before any converter is built for it', async () => {
    const bytes = readFileSync(join(dir, 's16.wav'));
    bytes.writeUInt32LE(0x7fffffff, 24);
    writeFileSync(join(dir, 'huge-rate.wav'), bytes);
    await expect(decode('huge-rate.wav', 'wav')).rejects.toThrow(
      /^the audio stream claims an impossible format: 2147483647 Hz, 2 channels$/,
    );
  });

  test('damaged files of every format either decode or fail with a DecodeError, never anything else', async () => {
    const rand = lcg(77, 8);
    const outcomes = { decoded: 0, failed: 0 };
    for (const [name, format] of [
      ['s24.flac', 'flac'],
      ['vbr.mp3', 'mp3'],
      ['q5.ogg', 'ogg-vorbis'],
      ['opus.opus', 'opus'],
      ['aac.m4a', 'm4a'],
      ['s16.wv', 'wavpack'],
    ] as const) {
      const original = readFileSync(join(dir, name));
      for (let round = 0; round < 12; round++) {
        const bytes = Buffer.from(original);
        // Bytes flipped all over, headers included, more of them each round.
        for (let i = 0; i <= round * 20; i++) bytes[rand() % bytes.length] = rand() & 0xff;
        writeFileSync(join(dir, `fuzz-${name}`), bytes);
        try {
          await decode(`fuzz-${name}`, format);
          outcomes.decoded++;
        } catch (err) {
          expect(err, name).toBeInstanceOf(DecodeError);
          outcomes.failed++;
        }
      }
    }
    expect(outcomes.decoded).toBeGreaterThan(0);
  });
});

describe('what a decode may touch', () => {
  test('a playlist posing as audio cannot make the decoder open the files it names', async () => {
    const secret = join(dir, 's16.flac');
    writeFileSync(
      join(dir, 'playlist.mp3'),
      `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:${secret}\n#EXT-X-ENDLIST\n`,
    );
    writeFileSync(join(dir, 'concat.flac'), `ffconcat version 1.0\nfile '${secret}'\n`);
    await expect(decode('playlist.mp3', 'mp3')).rejects.toThrow(DecodeError);
    await expect(decode('concat.flac', 'flac')).rejects.toThrow(/^cannot read the file as audio: /);
  });

  test('a path that looks like a URL is a file name', async () => {
    writeFileSync(join(dir, 'http:x.flac'), readFileSync(join(dir, 's16.flac')));
    const ours = await decode('http:x.flac', 'flac');
    expect(ours.planes).toHaveLength(2);
  });

  test("a FLAC's and an MP3's tags are left unread where the scan found the audio: the same samples", async () => {
    const tags = Array.from({ length: 3000 }, (_, i) => `KEY${i}=value ${i}`).join('\n');
    writeFileSync(join(dir, 'tags.txt'), tags);
    tool('cp', [join(dir, 's16.flac'), join(dir, 'tagged.flac')]);
    tool('metaflac', [`--import-tags-from=${join(dir, 'tags.txt')}`, join(dir, 'tagged.flac')]);
    // ID3v2 in front of the MP3 and ID3v1 behind it, both outside its audio.
    tool('lame', [
      '--quiet',
      '-V',
      '4',
      '--add-id3v2',
      '--tt',
      'x'.repeat(200),
      '--tl',
      'album',
      join(dir, 's16.wav'),
      join(dir, 'tagged.mp3'),
    ]);
    for (const [name, format] of [
      ['tagged.flac', 'flac'],
      ['tagged.mp3', 'mp3'],
    ] as const) {
      const track = await readTrack(join(dir, name), new Set());
      expect(track.audioStart).toBeGreaterThan(0);
      const whole = await decode(name, format);
      const view = await decode(name, format, { audioStart: track.audioStart, audioEnd: track.audioEnd });
      expect(view.planes.map(bytesOf)).toEqual(whole.planes.map(bytesOf));
      expect(bytesOf(view.mono)).toEqual(bytesOf(whole.mono));
    }
    // A range that does not hold the audio fails as damaged input does, reading nothing outside the file.
    const size = readFileSync(join(dir, 'tagged.flac')).length;
    await expect(
      decode('tagged.flac', 'flac', { audioStart: size - 10, audioEnd: size + 99 }),
    ).rejects.toThrow(DecodeError);
  });

  test('every decode closes its file, finished, failed or stopped early', async () => {
    // This test's files only: other parts of the process (a kept scan thread ending) open and close theirs.
    const open = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
        } catch {
          return false; // the listing's own descriptor, closed meanwhile
        }
      }).length;
    const before = open();
    for (let i = 0; i < 20; i++) {
      await decode('s16.flac', 'flac');
      await expect(decode('fake.flac', 'flac')).rejects.toThrow();
      // Only the fingerprint stream's first second: the decode stops long before the end.
      await decodeMono({ path: join(dir, 's16.flac'), format: 'flac' }, 1, [{ push: () => {} }]);
    }
    expect(open()).toBe(before);
  });
});

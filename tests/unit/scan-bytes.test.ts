// What the scan's reader reads of each file, counted (readTrack's tally): a library on a slow disk or a
// NAS pays for every byte of every file, so each format has a budget here — the 16 KiB head and what its
// tags and checks need — and a change that reads more fails. Guards two cases that read far more: a FLAC
// whose last frame is larger than the first 16 KiB tail (dense or high-resolution audio: the tail grew
// straight to 256 KiB), and WavPack (music-metadata walked every block: the whole file). The fast WavPack
// reader agrees with music-metadata on what it reads. Each file is pink noise, many times its budget (noise
// hardly compresses), so a reader that read a whole file, or its tail past the budget, would show here.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuffer } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileWindow } from '../../app/core/media/file-window.ts';
import { readTrack } from '../../app/core/media/read-track.ts';
import { readWavPack } from '../../app/core/media/wavpack-reader.ts';
import { normalizeTags } from '../../app/core/tags/normalize.ts';
import { run } from '../fixtures/library.ts';
import { tempDir } from '../helpers.ts';

const KiB = 1024;
const dir = tempDir();
const at = (name: string) => join(dir, name);
const TAGS = { artist: 'Budget Band', album: 'Counted', title: 'Bytes' };
const metadata = Object.entries(TAGS).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);

/** name → [how it is made, its budget in bytes]. */
const FILES: Record<string, [() => void, number]> = {
  'noise.flac': [
    () => run('ffmpeg', ['-v', 'error', '-i', at('noise.wav'), ...metadata, at('noise.flac')]),
    32 * KiB,
  ],
  // White noise, 40 full frames of 4,096 stereo samples (sox counts samples at 48 kHz): every frame,
  // the last too, over 16 KiB.
  'dense.flac': [
    () =>
      run('sox', [
        '-n',
        '-r',
        '48000',
        '-c',
        '2',
        '-b',
        '16',
        at('dense.flac'),
        'synth',
        '163840s',
        'whitenoise',
      ]),
    48 * KiB,
  ],
  'noise.mp3': [
    () => run('ffmpeg', ['-v', 'error', '-i', at('noise.wav'), ...metadata, at('noise.mp3')]),
    32 * KiB,
  ],
  'noise.ogg': [
    () => run('ffmpeg', ['-v', 'error', '-i', at('noise.wav'), ...metadata, at('noise.ogg')]),
    32 * KiB,
  ],
  'noise.opus': [
    () => run('ffmpeg', ['-v', 'error', '-i', at('noise.wav'), ...metadata, at('noise.opus')]),
    32 * KiB,
  ],
  'noise.m4a': [
    () => run('ffmpeg', ['-v', 'error', '-i', at('noise.wav'), '-c:a', 'aac', ...metadata, at('noise.m4a')]),
    32 * KiB,
  ],
  'noise.wv': [
    () =>
      run('wavpack', [
        '-q',
        '-w',
        'Artist=Budget Band',
        '-w',
        'Title=Bytes',
        at('noise.wav'),
        '-o',
        at('noise.wv'),
      ]),
    32 * KiB,
  ],
  'mono24.wv': [
    () => run('wavpack', ['-q', '-w', 'Album=Counted', at('mono24.wav'), '-o', at('mono24.wv')]),
    32 * KiB,
  ],
  'hybrid.wv': [() => run('wavpack', ['-q', '-b256', at('noise.wav'), '-o', at('hybrid.wv')]), 32 * KiB],
};

beforeAll(() => {
  run('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', at('noise.wav'), 'synth', '20', 'pinknoise']);
  run('sox', ['-n', '-r', '48000', '-c', '1', '-b', '24', at('mono24.wav'), 'synth', '20', 'pinknoise']);
  for (const [make] of Object.values(FILES)) make();
}, 60_000);

describe('bytes the scan reads per file', () => {
  it.each(Object.keys(FILES))('%s stays within its budget', async (name) => {
    const budget = FILES[name]![1];
    expect(statSync(at(name)).size).toBeGreaterThan(4 * budget); // a whole file read would not fit
    const tally = { bytes: 0 };
    const track = await readTrack(at(name), new Set(), at(name), {}, tally);
    expect(track.duration).toBeGreaterThan(1);
    expect(tally.bytes).toBeLessThanOrEqual(budget);
  });
});

describe('the WavPack reader agrees with music-metadata', () => {
  it.each(['noise.wv', 'mono24.wv', 'hybrid.wv'])('%s', async (name) => {
    const window = FileWindow.open(at(name));
    try {
      const fast = readWavPack(window);
      const mm = await parseBuffer(readFileSync(at(name)), { mimeType: 'audio/wavpack' }, { duration: true });
      expect(normalizeTags(fast.native)).toEqual(normalizeTags(mm.native, mm.common));
      expect(fast.properties).toMatchObject({
        codec: mm.format.codec,
        lossless: mm.format.lossless,
        sampleRate: mm.format.sampleRate,
        channels: mm.format.numberOfChannels,
        bitDepth: mm.format.bitsPerSample,
        duration: mm.format.duration,
      });
      // music-metadata leaves 8 bytes of each block header out of the audio's bytes.
      expect(Math.abs(fast.properties.bitrate! / mm.format.bitrate! - 1)).toBeLessThan(0.005);
    } finally {
      window.close();
    }
  });
});

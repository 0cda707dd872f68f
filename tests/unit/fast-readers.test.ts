import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuffer } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { flacAudioRange, mpegAudioRange } from '../../app/core/media/audio-range.ts';
import { readFlac, readMpeg } from '../../app/core/media/fast-readers.ts';
import { FileWindow } from '../../app/core/media/file-window.ts';
import { sniff } from '../../app/core/media/sniff.ts';
import { NotHandledHere } from '../../app/core/tags/native.ts';
import { normalizeTags } from '../../app/core/tags/normalize.ts';
import { FIXTURE_MANIFEST } from '../fixtures/library.ts';
import { copyFixtures } from '../helpers.ts';

const root = copyFixtures();
// The APEv2-tagged MP3 is left to music-metadata on purpose (see the last test).
const APE = 'Beta/Second Album/02 Ape.mp3';
const files = Object.entries(FIXTURE_MANIFEST.good).filter(
  ([rel, f]) => (f === 'flac' || f === 'mp3') && rel !== APE,
);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('fast FLAC and MP3 readers agree with music-metadata', () => {
  it.each(files)('%s', async (rel) => {
    const path = join(root, rel);
    const window = FileWindow.open(path);
    try {
      const s = sniff(window, rel.endsWith('.mp3'));
      if (s.kind !== 'audio') throw new Error(s.kind);
      const fast =
        s.format === 'flac'
          ? readFlac(window, s.offset, flacAudioRange(window, s.offset))
          : readMpeg(window, mpegAudioRange(window, s.offset));
      const mimeType = s.format === 'flac' ? 'audio/flac' : 'audio/mpeg';
      const mm = await parseBuffer(readFileSync(path), { mimeType }, { duration: true });
      expect(normalizeTags(fast.native)).toEqual(normalizeTags(mm.native, mm.common));
      expect(fast.pictures.map((p) => [p.mime, sha(p.data)])).toEqual(
        (mm.common.picture ?? []).map((p) => [p.format, sha(p.data)]),
      );
      expect(fast.properties).toMatchObject({
        sampleRate: mm.format.sampleRate,
        channels: mm.format.numberOfChannels,
        lossless: mm.format.lossless,
      });
      expect(fast.properties.duration).toBeCloseTo(mm.format.duration!, 2);
      // The general path reads a bounded window; the fast one should not read more.
      expect(window.bytesRead).toBeLessThanOrEqual(Math.max(window.size, 200 * 1024));
    } finally {
      window.close();
    }
  });
});

it('declines trailing tags other than ID3v1 (APEv2), leaving them to the general parser', () => {
  const window = FileWindow.open(join(root, APE));
  try {
    expect(() => readMpeg(window, mpegAudioRange(window, 0))).toThrow(NotHandledHere);
  } finally {
    window.close();
  }
});

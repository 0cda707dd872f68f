import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuffer } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { flacAudioRange, mpegAudioRange } from '../../app/core/media/audio-range.ts';
import { readFlac, readMpeg, readOgg, readOggFlac } from '../../app/core/media/fast-readers.ts';
import { FileWindow } from '../../app/core/media/file-window.ts';
import { sniff } from '../../app/core/media/sniff.ts';
import { NotHandledHere } from '../../app/core/tags/native.ts';
import { normalizeTags } from '../../app/core/tags/normalize.ts';
import { FIXTURE_MANIFEST, makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { copyFixtures, tempDir, tool } from '../helpers.ts';

const root = copyFixtures();
const files = Object.entries(FIXTURE_MANIFEST.good).filter(([, f]) => f === 'flac' || f === 'mp3');
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

it('declines trailing tags other than ID3v1 and APEv2 (Lyrics3), leaving them to the general parser', () => {
  const path = join(tempDir(), 'lyrics3.mp3');
  const lyrics = 'LYRICSBEGININD0000210LYR00005hello';
  const tail = `${lyrics}${String(lyrics.length).padStart(6, '0')}LYRICS200`;
  writeFileSync(
    path,
    Buffer.concat([readFileSync(join(root, 'Beta/Second Album/01 Song.mp3')), Buffer.from(tail)]),
  );
  const window = FileWindow.open(path);
  try {
    expect(() => readMpeg(window, mpegAudioRange(window, 0))).toThrow(NotHandledHere);
  } finally {
    window.close();
  }
});

describe('the fast Ogg Vorbis, Opus and FLAC readers agree with music-metadata', () => {
  const dir = tempDir();
  const cover = join(dir, 'cover.png');
  makeImage(cover, '20x10', 'green');
  const tagged = (rel: string) => {
    const path = join(dir, `covered${rel.slice(rel.lastIndexOf('.'))}`);
    writeFileSync(path, readFileSync(join(root, rel)));
    mutagenTag([
      {
        kind: 'vorbis_comments',
        path,
        comments: [
          ['TITLE', 'Çover'],
          ['ARTIST', 'One'],
          ['ARTIST', 'Two'],
          ['TRACKNUMBER', '3/9'],
          ['Custom', 'x=y'],
        ],
        picture: { path: cover, mime: 'image/png' },
      },
    ]);
    return path;
  };
  const cases: Array<[string, string]> = [
    ['Gamma/vorbis.ogg', join(root, 'Gamma/vorbis.ogg')],
    ['Gamma/opus.opus', join(root, 'Gamma/opus.opus')],
    ['vorbis.ogg with a cover', tagged('Gamma/vorbis.ogg')],
    ['opus.opus with a cover', tagged('Gamma/opus.opus')],
  ];
  it.each(cases)('%s', async (_name, path) => {
    const window = FileWindow.open(path);
    try {
      const s = sniff(window, false);
      if (s.kind !== 'audio' || (s.format !== 'opus' && s.format !== 'ogg-vorbis')) throw new Error(s.kind);
      const fast = readOgg(window, s.format);
      const mm = await parseBuffer(readFileSync(path), { mimeType: 'audio/ogg' }, { duration: true });
      expect(normalizeTags(fast.native)).toEqual(normalizeTags(mm.native, mm.common));
      expect(fast.pictures.map((p) => [p.mime, p.type, p.description, sha(p.data)])).toEqual(
        (mm.common.picture ?? []).map((p) => [p.format, 3, p.description, sha(p.data)]),
      );
      expect(fast.properties).toMatchObject({
        codec: mm.format.codec,
        sampleRate: mm.format.sampleRate,
        channels: mm.format.numberOfChannels,
        lossless: false,
        bitDepth: null,
      });
      expect(fast.properties.duration).toBeCloseTo(mm.format.duration!, 2);
      expect(fast.properties.bitrate).toBeGreaterThan(8000);
      expect(fast.properties.bitrate).toBeLessThan(400_000);
    } finally {
      window.close();
    }
  });

  // music-metadata reads no tags from FLAC in Ogg (its Ogg FLAC stream stops at STREAMINFO): the tags are
  // checked against what mutagen wrote, the properties against music-metadata.
  it('reads FLAC in Ogg: tags and cover as mutagen wrote them, STREAMINFO as music-metadata reads it', async () => {
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 523, 1, 44100, 2);
    const path = join(dir, 'flac.oga');
    tool('flac', ['--silent', '--ogg', '-f', '-o', path, wav]);
    mutagenTag([
      {
        kind: 'vorbis_comments',
        path,
        comments: [
          ['TITLE', 'Ogg FLAC'],
          ['ARTIST', 'One'],
          ['ARTIST', 'Two'],
        ],
        picture: { path: cover, mime: 'image/png' },
      },
    ]);
    const window = FileWindow.open(path);
    try {
      const fast = readOggFlac(window);
      const mm = await parseBuffer(readFileSync(path), { mimeType: 'audio/ogg' }, { duration: true });
      expect(normalizeTags(fast.native)).toEqual([
        ['title', ['Ogg FLAC']],
        ['artist', ['One', 'Two']],
      ]);
      expect(fast.pictures.map((p) => [p.mime, p.type, sha(p.data)])).toEqual([
        ['image/png', 3, sha(readFileSync(cover))],
      ]);
      expect(fast.properties).toMatchObject({
        codec: mm.format.codec,
        sampleRate: 44100,
        channels: 2,
        bitDepth: 16,
        lossless: true,
      });
      expect(fast.properties.duration).toBeCloseTo(1, 2);
    } finally {
      window.close();
    }
  });

  it('declines what it does not read itself (a second stream among the headers); a cut header is a reason', () => {
    const ogg = readFileSync(join(root, 'Gamma/opus.opus'));
    const firstPage = 27 + ogg[26]! + ogg.subarray(27, 27 + ogg[26]!).reduce((a, b) => a + b, 0);
    const other = Buffer.from(ogg.subarray(0, firstPage));
    other.writeUInt32LE(other.readUInt32LE(14) + 1, 14); // another stream's first page
    const cases = [
      [Buffer.concat([ogg.subarray(0, firstPage), other, ogg.subarray(firstPage)]), NotHandledHere],
      // Cut inside the second page's body, inside its lacing values, and right after the first page.
      [ogg.subarray(0, firstPage + 40), 'truncated: the file ends inside its Ogg headers'],
      [ogg.subarray(0, firstPage + 28), 'truncated: the file ends inside its Ogg headers'],
      [ogg.subarray(0, firstPage + 10), 'truncated: the file ends inside its Ogg headers'],
    ] as const;
    for (const [bytes, outcome] of cases) {
      const path = join(dir, 'declined.opus');
      writeFileSync(path, bytes);
      const window = FileWindow.open(path);
      try {
        expect(() => readOgg(window, 'opus')).toThrow(outcome);
      } finally {
        window.close();
      }
    }
  });
});

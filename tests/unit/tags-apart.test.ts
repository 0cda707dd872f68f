// MP4 iTunes items, APEv2 tags and WAV/AIFF text and ID3 chunks are read by Sleeve's own readers (music-metadata reads the rest of the
// file with the tags hidden): what comes out must be what music-metadata reads from the whole file.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseFile } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTrack } from '../../app/core/media/read-track.ts';
import { normalizeTags } from '../../app/core/tags/normalize.ts';
import { makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { tempDir, tool } from '../helpers.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const dir = tempDir();
const jpeg = join(dir, 'front.jpg');
const png = join(dir, 'back.png');
const ITUNES = {
  '©nam': ['Title'],
  '©ART': ['First Artist', 'Second Artist'],
  aART: ['Album Artist'],
  '©alb': ['Album'],
  '©day': ['2004-05-06'],
  '©gen': ['Ambient'],
  '©wrt': ['Composer'],
  '©cmt': ['A comment'],
  trkn: [[3, 12]],
  disk: [[1, 2]],
  tmpo: [120],
  cpil: [true],
  soar: ['Artist, The'],
  '----:com.apple.iTunes:MusicBrainz Track Id': ['5e1b3b6c-4b0b-4c5b-9d1c-0b1e5f0a3c2d'],
  '----:com.apple.iTunes:MusicBrainz Album Id': ['a1b2c3d4-0000-4000-8000-000000000001'],
  '----:com.apple.iTunes:CATALOGNUMBER': ['CAT-001'],
  '----:com.apple.iTunes:Custom Thing': ['custom'],
};
const APE = {
  Title: 'Title',
  Artist: ['First Artist', 'Second Artist'],
  Album: 'Album',
  Track: '3/12',
  Disc: '1/2',
  Year: '2004',
  Genre: 'Ambient',
  MUSICBRAINZ_TRACKID: '5e1b3b6c-4b0b-4c5b-9d1c-0b1e5f0a3c2d',
  CATALOGNUMBER: 'CAT-001',
};

function encode(name: string, args: readonly string[]): string {
  const out = join(dir, name);
  tool('ffmpeg', ['-loglevel', 'error', '-i', join(dir, 'tone.wav'), ...args, out]);
  return out;
}

const files: Record<string, string> = {};
beforeAll(() => {
  makeWav(join(dir, 'tone.wav'), 440, 1, 44100, 2);
  makeImage(jpeg, '32x24', 'red');
  makeImage(png, '16x16', 'blue');
  files.aac = encode('aac.m4a', ['-c:a', 'aac', '-b:a', '96k']);
  files.alac = encode('alac.m4a', ['-c:a', 'alac']);
  files.wavpack = encode('tone.wv', ['-c:a', 'wavpack']);
  files.mp3 = encode('tone.mp3', ['-c:a', 'libmp3lame', '-b:a', '128k']);
  // RIFF INFO and AIFF text chunks as ffmpeg writes them; ID3 chunks as mutagen (Picard) does.
  const info = Object.entries({
    title: 'Title',
    artist: 'First Artist',
    album: 'Album',
    date: '2004',
    track: '3',
    genre: 'Ambient',
    comment: 'A comment',
  }).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  files['wav INFO'] = encode('info.wav', ['-c:a', 'pcm_s16le', ...info]);
  // ffmpeg names AIFF's AUTH chunk "author".
  files['aiff text chunks'] = encode('text.aiff', [
    '-c:a',
    'pcm_s16be',
    ...info,
    '-metadata',
    'author=First Artist',
  ]);
  files['wav id3'] = encode('id3.wav', ['-c:a', 'pcm_s16le', ...info]);
  files['aiff id3'] = encode('id3.aiff', ['-c:a', 'pcm_s16be']);
  mutagenTag([
    { kind: 'mp4', path: files.aac, items: ITUNES, covers: [jpeg, png] },
    { kind: 'mp4', path: files.alac, items: ITUNES, covers: [jpeg] },
    { kind: 'apev2', path: files.wavpack, items: APE, cover: jpeg },
    { kind: 'apev2', path: files.mp3, items: APE, cover: jpeg },
    ...['wav id3', 'aiff id3'].map((name) => ({
      kind: 'id3_chunk',
      path: files[name],
      frames: { TIT2: ['Title'], TPE1: ['First Artist', 'Second Artist'], TALB: ['Album'], TRCK: ['3/12'] },
      cover: jpeg,
    })),
  ]);
}, 60_000);

describe('tags read apart agree with music-metadata reading the whole file', () => {
  it.each(['aac', 'alac', 'wavpack', 'mp3', 'wav INFO', 'aiff text chunks', 'wav id3', 'aiff id3'])(
    '%s',
    async (name) => {
      const path = files[name]!;
      const track = await readTrack(path, new Set());
      const mm = await parseFile(path);
      const expected = normalizeTags(mm.native, mm.common);
      expect(track.tags).toEqual(expected);
      const textOnly = name.includes('INFO') || name.includes('text');
      expect(track.tags.find(([k]) => k === 'artist')?.[1]).toEqual(
        textOnly ? ['First Artist'] : ['First Artist', 'Second Artist'],
      );
      expect(track.tags.find(([k]) => k === 'title')?.[1]).toEqual(['Title']);
      expect(track.pictures.map((p) => p.hash)).toEqual((mm.common.picture ?? []).map((p) => sha(p.data)));
      expect(track.pictures.length).toBe(textOnly ? 0 : 1 + Number(name === 'aac'));
      expect(track).toMatchObject({
        codec: mm.format.codec,
        sampleRate: mm.format.sampleRate,
        channels: mm.format.numberOfChannels,
        lossless: mm.format.lossless,
      });
      expect(track.duration).toBeCloseTo(mm.format.duration!, 2);
    },
  );
});

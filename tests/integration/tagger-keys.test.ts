// Files tagged by the real tools, read by Sleeve's reader: a WavPack whose album artist ffmpeg wrote
// (`album_artist`, an APEv2 item named as ffmpeg names the field) or mutagen wrote under each spelling
// taggers use reads as albumartist, so the track joins its album's tile and the mount files it under the
// album artist, not the track artist (issue 64); and ffmpeg's other names, copied into FLAC and MP3, read
// as their fields. The table of every format's keys is tests/unit/tag-names.test.ts.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { servedOfRead } from '../../app/core/library/served-facts.ts';
import { readTrack } from '../../app/core/media/read-track.ts';
import { makeWav, mutagenTag, run } from '../fixtures/library.ts';
import { tempDir, tool } from '../helpers.ts';

const dir = tempDir('tagger-keys-');
const wav = join(dir, 'tone.wav');

async function tagsOf(path: string): Promise<Record<string, string[]>> {
  return Object.fromEntries((await readTrack(path, new Set())).tags);
}

/** The default template's path the scan would record for the file. */
async function servedPath(path: string): Promise<string | null> {
  return servedOfRead(path, statSync(path).size, await readTrack(path, new Set())).path;
}

beforeAll(() => {
  makeWav(wav, 440);
});

describe('a WavPack file tagged by ffmpeg', () => {
  const file = join(dir, 'ffmpeg.wv');

  beforeAll(() => {
    // ffmpeg's WavPack muxer writes its metadata keys as APEv2 items, as they are.
    run('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=1'],
      ...['-metadata', 'album_artist=The Album Artist', '-metadata', 'artist=A Track Artist'],
      ...['-metadata', 'album=The Album', '-metadata', 'title=Song', '-metadata', 'track=3/12'],
      ...['-metadata', 'disc=1/2', '-metadata', 'album-sort=Album, The'],
      file,
    ]);
  });

  it('reads its album_artist item as albumartist, and its other keys as their fields', async () => {
    const items = JSON.parse(
      tool('/usr/bin/python3', [
        '-c',
        'import json, sys, mutagen.apev2; print(json.dumps(sorted(mutagen.apev2.APEv2(sys.argv[1]).keys())))',
        file,
      ]).toString(),
    );
    // What ffmpeg wrote: its own names, not Picard's.
    expect(items).toEqual(expect.arrayContaining(['album_artist', 'disc', 'track', 'album-sort']));
    expect(await tagsOf(file)).toMatchObject({
      albumartist: ['The Album Artist'],
      artist: ['A Track Artist'],
      tracknumber: ['3'],
      totaltracks: ['12'],
      discnumber: ['1'],
      totaldiscs: ['2'],
      albumsort: ['Album, The'],
    });
    expect(await tagsOf(file)).not.toHaveProperty('album_artist');
  });

  it('is filed under its album artist in the mount', async () => {
    expect(await servedPath(file)).toBe('The Album Artist/The Album/1-03 Song.wv');
  });
});

describe('a WavPack file whose APEv2 album artist mutagen wrote', () => {
  // Picard and foobar2000, Mp3tag, other taggers, ffmpeg.
  const SPELLINGS = ['Album Artist', 'ALBUM ARTIST', 'ALBUMARTIST', 'album_artist'];

  beforeAll(() => {
    for (const [i, key] of SPELLINGS.entries()) {
      const path = join(dir, `mutagen-${i}.wv`);
      tool('wavpack', ['-q', '-o', path, wav]);
      mutagenTag([
        {
          kind: 'apev2',
          path,
          items: {
            [key]: 'The Album Artist',
            Artist: 'A Track Artist',
            Album: 'The Album',
            Disc: '1/2',
            TRACKTOTAL: '9',
          },
        },
      ]);
    }
  });

  it.each(SPELLINGS.map((key, i) => [key, i] as const))('reads %s as albumartist', async (_, i) => {
    const path = join(dir, `mutagen-${i}.wv`);
    expect(await tagsOf(path)).toEqual({
      albumartist: ['The Album Artist'],
      artist: ['A Track Artist'],
      album: ['The Album'],
      discnumber: ['1'],
      totaldiscs: ['2'],
      totaltracks: ['9'],
    });
    expect((await servedPath(path))?.split('/').slice(0, 2)).toEqual(['The Album Artist', 'The Album']);
  });
});

describe("ffmpeg's names copied into other formats", () => {
  it('a FLAC converted from an MP3 by ffmpeg: its sort names and comment (DESCRIPTION) read as their fields', async () => {
    const mp3 = join(dir, 'source.mp3');
    const flac = join(dir, 'from-mp3.flac');
    run('ffmpeg', [
      ...['-v', 'error', '-i', wav, '-metadata', 'album_artist=AA', '-metadata', 'artist-sort=Artist, The'],
      ...['-metadata', 'title-sort=Song, A', '-metadata', 'publisher=Label', '-metadata', 'comment=Hello'],
      mp3,
    ]);
    run('ffmpeg', ['-v', 'error', '-i', mp3, flac]);
    expect(await tagsOf(flac)).toMatchObject({
      albumartist: ['AA'],
      artistsort: ['Artist, The'],
      titlesort: ['Song, A'],
      label: ['Label'],
      comment: ['Hello'],
    });
  });

  it("an ID3v2.3 MP3 made from an MP4 by ffmpeg: TXXX frames named as ffmpeg names MP4's sort atoms", async () => {
    const m4a = join(dir, 'source.m4a');
    const mp3 = join(dir, 'from-m4a.mp3');
    run('ffmpeg', ['-v', 'error', '-i', wav, '-metadata', 'album_artist=AA', m4a]);
    mutagenTag([{ kind: 'mp4', path: m4a, items: { aART: ['AA'], soaa: ['AA, The'], sonm: ['Song, A'] } }]);
    run('ffmpeg', ['-v', 'error', '-i', m4a, '-id3v2_version', '3', mp3]);
    expect(await tagsOf(mp3)).toMatchObject({
      albumartist: ['AA'],
      albumartistsort: ['AA, The'],
      titlesort: ['Song, A'],
    });
  });
});

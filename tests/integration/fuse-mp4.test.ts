// MP4/M4A (AAC and ALAC) through the mount: the served file carries a moov rebuilt with the library's
// tags in udta/meta/ilst (iTunes and freeform atoms, covr), every chunk offset moved when moov comes
// first, and the original mdat byte for byte. Checked with FFmpeg (tags, identical PCM), mutagen and
// TagLib (kid3-cli): reads, and saves through the mount that grow moov past its padding.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { sleeveHere, tool } from '../helpers.ts';
import {
  expectReadsMatchWhole,
  ffprobeTags,
  PY,
  pcmMd5,
  sha256,
  TestMount,
  waitFor,
} from '../mount-helpers.ts';

// What mutagen reads from an MP4: text items, trkn/disk, freeform values, cover sizes.
const READ = `
import json, sys, mutagen
f = mutagen.File(sys.argv[1])
def value(v):
    if isinstance(v, tuple): return list(v)
    if isinstance(v, bytes): return v.decode()
    return str(v) if not isinstance(v, (int, bool)) else v
tags = {k: [value(x) for x in (v if isinstance(v, list) else [v])] for k, v in f.tags.items() if k != 'covr'}
print(json.dumps({'tags': tags, 'covers': [len(c) for c in f.tags.get('covr', [])]}))
`;
// Sets the title and, with a second argument, that image as the cover.
const WRITE = `
import sys, mutagen
from mutagen.mp4 import MP4Cover
f = mutagen.File(sys.argv[1])
f.tags['\\xa9nam'] = [sys.argv[2]]
if len(sys.argv) > 3:
    f.tags['covr'] = [MP4Cover(open(sys.argv[3], 'rb').read(), imageformat=MP4Cover.FORMAT_JPEG)]
f.save()
`;

const mutagenRead = (path: string): { tags: Record<string, unknown[]>; covers: number[] } =>
  JSON.parse(execFileSync(PY, ['-c', READ, path]).toString());

/** The top-level boxes of an MP4 file, in order. */
function topBoxes(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    out.push(bytes.toString('latin1', at + 4, at + 8));
    at += bytes.readUInt32BE(at);
  }
  return out;
}

describe('sleeve mount: MP4/M4A with the library’s tags', () => {
  const t = new TestMount();
  const { dir, music } = t;
  const cover = join(dir, 'cover.jpg');
  const big = join(dir, 'big.jpg');
  const served = (name: string) => t.served(name);
  const title = (name: string) => t.field(name, 'title');

  beforeAll(() => {
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 440, 3, 44100, 2);
    makeImage(cover, '64x48', 'red');
    // A cover larger than any padding: a save that adds it grows moov, and moves mdat if moov is first.
    makeImage(big, '1000x1000', 'mandelbrot');
    const encode = (name: string, ...args: string[]) =>
      tool('ffmpeg', ['-v', 'error', '-i', wav, ...args, join(music, name)]);
    encode('last.m4a', '-c:a', 'aac', '-b:a', '96k'); // FFmpeg's default: moov after mdat
    encode('first.m4a', '-c:a', 'aac', '-movflags', '+faststart'); // moov first: every offset moves
    encode('alac.m4a', '-c:a', 'alac', '-movflags', '+faststart');
    encode('frag.m4a', '-c:a', 'aac', '-movflags', 'frag_keyframe+empty_moov');
    // Tags and a cover as mutagen (Picard) writes them, on a moov-first file.
    mutagenTag([
      {
        kind: 'mp4',
        path: join(music, 'first.m4a'),
        items: { '©nam': ['Old Title'], '----:com.apple.iTunes:MusicBrainz Album Id': ['old-id'] },
        covers: [cover],
      },
    ]);
    t.start(
      ['last.m4a', 'first.m4a', 'alac.m4a', 'frag.m4a'],
      [
        [
          'first.m4a',
          'title=Édité',
          'artist=One',
          'artist=Two',
          'album=Album',
          'tracknumber=4',
          'totaltracks=12',
          'discnumber=1',
          'totaldiscs=2',
          'date=2001-02-03',
          'musicbrainz_albumid=0f3b7f4e-1b7a-4c1e-9a35-2d8f0a0c6a11',
          'musicbrainz_recordingid=9d1c9e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
          'label=Label',
        ],
        ['last.m4a', 'title=Last Edited', 'compilation=1', 'bpm=120'],
        ['alac.m4a', 'title=Alac Edited'],
        ['frag.m4a', 'title=Frag Edited'],
      ],
    );
  });

  afterAll(() => t.stop());

  it('serves the library’s tags as FFmpeg and mutagen read them, moov where it was', () => {
    const first = served('Édité.m4a');
    expect(ffprobeTags(first)).toMatchObject({
      title: 'Édité',
      album: 'Album',
      track: '4/12',
      disc: '1/2',
      date: '2001-02-03',
    });
    const { tags, covers } = mutagenRead(first);
    expect(tags).toMatchObject({
      '©nam': ['Édité'],
      '©ART': ['One', 'Two'],
      trkn: [[4, 12]],
      disk: [[1, 2]],
      '----:com.apple.iTunes:MusicBrainz Album Id': ['0f3b7f4e-1b7a-4c1e-9a35-2d8f0a0c6a11'],
      '----:com.apple.iTunes:MusicBrainz Track Id': ['9d1c9e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f'],
      '----:com.apple.iTunes:LABEL': ['Label'],
    });
    expect(covers).toEqual([readFileSync(cover).length]);
    expect(mutagenRead(served('Last Edited.m4a')).tags).toMatchObject({
      '©nam': ['Last Edited'],
      cpil: [true],
      tmpo: [120],
    });
    // TagLib reads them too.
    expect(
      tool('kid3-cli', ['-c', 'get title', served('Alac Edited.m4a')])
        .toString()
        .trim(),
    ).toBe('Alac Edited');
    expect(topBoxes(readFileSync(first)).indexOf('moov')).toBeLessThan(
      topBoxes(readFileSync(first)).indexOf('mdat'),
    );
    expect(topBoxes(readFileSync(served('Last Edited.m4a'))).slice(-1)).toEqual(['moov']);
  });

  it('serves the original mdat byte for byte, identical PCM, and a read anywhere as a whole read gives', () => {
    for (const [name, path] of [
      ['first.m4a', served('Édité.m4a')],
      ['last.m4a', served('Last Edited.m4a')],
      ['alac.m4a', served('Alac Edited.m4a')],
    ] as const) {
      expect(pcmMd5(path)).toBe(pcmMd5(join(music, name)));
      const { audioStart, audioEnd } = t.info(name);
      const original = readFileSync(join(music, name)).subarray(audioStart, audioEnd);
      expect(readFileSync(path).indexOf(original)).toBeGreaterThan(0);
    }
    const path = served('Édité.m4a');
    expectReadsMatchWhole(path, 17);
  });

  it('serves a fragmented MP4 as it is and says why in the log', () => {
    expect(sha256(readFileSync(served('Frag Edited.m4a')))).toBe(t.originals.get('frag.m4a'));
    expect(t.log()).toContain('frag.m4a: served as it is: a fragmented MP4 (moof boxes)');
  });

  it('shows an edit from the CLI without a remount', async () => {
    expect(sleeveHere(t.home, ['set', 'path:alac.m4a', 'title=Alac Again', '-y']).status).toBe(0);
    const path = await waitFor('the edit', () => served('Alac Again.m4a') || undefined);
    expect(mutagenRead(path).tags['©nam']).toEqual(['Alac Again']);
  });

  it('takes in saves by mutagen (moov grown and moved) and TagLib, and refuses ones that change the audio', async () => {
    execFileSync(PY, ['-c', WRITE, served('Édité.m4a'), 'From Mutagen', big]);
    const saved = await waitFor('the mutagen save', () => served('From Mutagen.m4a') || undefined);
    expect(title('first.m4a')).toEqual(['From Mutagen']);
    expect(mutagenRead(saved).covers).toEqual([readFileSync(big).length]);
    expect(pcmMd5(saved)).toBe(pcmMd5(join(music, 'first.m4a')));
    tool('kid3-cli', ['-c', 'set title "From TagLib"', served('Last Edited.m4a')]);
    await waitFor('the TagLib save', () => served('From TagLib.m4a') || undefined);
    expect(title('last.m4a')).toEqual(['From TagLib']);
    expect(sleeveHere(t.home, ['history']).stdout).toContain('written through the mount');

    // The mdat payload written over, then a sample size changed: both refused, nothing saved.
    const path = served('From Mutagen.m4a');
    const bytes = readFileSync(path);
    for (const at of [bytes.length - 100, bytes.indexOf('stsz') + 16]) {
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.from([bytes[at]! ^ 0xff]), 0, 1, at);
      expect(() => closeSync(fd)).toThrow(/EIO/);
    }
    expect(title('first.m4a')).toEqual(['From Mutagen']);
    expect(t.log()).toMatch(/the audio differs[^\n]*\n[^\n]*the sample tables differ/);
  });
});

// WAV and AIFF through the mount: the served file carries the library's tags in an ID3v2.4 chunk (and,
// for WAV, a LIST/INFO chunk), the original's other chunks, and the original audio chunk byte for byte.
// Checked with FFmpeg (tags, identical PCM), mutagen (tags, cover) and saves by mutagen and TagLib
// (kid3-cli) through the mount.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { tool } from '../helpers.ts';
import {
  expectReadsMatchWhole,
  ffprobeTags,
  PY,
  pcmMd5,
  sha256,
  TestMount,
  waitFor,
} from '../mount-helpers.ts';

// What mutagen reads from a WAV/AIFF's ID3 chunk: text frames and pictures.
const READ = `
import json, sys, mutagen
f = mutagen.File(sys.argv[1])
tags = {k: [str(t) for t in v.text] for k, v in f.tags.items() if hasattr(v, 'text')}
pics = [[p.mime, p.type, len(p.data)] for p in f.tags.getall('APIC')]
print(json.dumps({'tags': tags, 'pictures': pics}))
`;
const WRITE = `
import sys, mutagen
from mutagen.id3 import TIT2
f = mutagen.File(sys.argv[1])
f.tags.add(TIT2(encoding=3, text=[sys.argv[2]]))
f.save()
`;

describe('sleeve mount: WAV and AIFF with the library’s tags', () => {
  const t = new TestMount();
  const { dir, music } = t;
  const cover = join(dir, 'cover.jpg');
  const served = (name: string) => t.served(name);
  const title = (name: string) => t.field(name, 'title');

  beforeAll(() => {
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 330, 2, 44100, 2);
    makeImage(cover, '48x32', 'green');
    const encode = (name: string, ...args: string[]) =>
      tool('ffmpeg', ['-v', 'error', '-i', wav, ...args, join(music, name)]);
    // RIFF INFO and AIFF text chunks as FFmpeg writes them; an ID3 chunk and a cover as mutagen does.
    encode('info.wav', '-c:a', 'pcm_s16le', '-metadata', 'title=Info Title', '-metadata', 'artist=Info');
    encode('text.aiff', '-c:a', 'pcm_s16be', '-metadata', 'title=Text Title');
    encode('id3.wav', '-c:a', 'pcm_s24le');
    mutagenTag([{ kind: 'id3_chunk', path: join(music, 'id3.wav'), frames: { TIT2: ['Id3 Title'] }, cover }]);
    // A WAV whose data chunk says more than the file holds: served as it is.
    const cut = readFileSync(join(music, 'info.wav'));
    writeFileSync(join(music, 'cut.wav'), cut.subarray(0, cut.length - 1000));
    t.start(
      ['info.wav', 'text.aiff', 'id3.wav', 'cut.wav'],
      [
        ['info.wav', 'title=Édité', 'artist=One', 'artist=Two', 'album=Album', 'tracknumber=4'],
        ['text.aiff', 'title=Aiff Edited', 'album=Aiff Album'],
        ['cut.wav', 'title=Cut Edited'],
      ],
    );
  });

  afterAll(() => t.stop());

  it('serves the library’s tags, the original audio chunk byte for byte and identical PCM', () => {
    const wav = served('Édité.wav');
    const aiff = served('Aiff Edited.aiff');
    expect(ffprobeTags(wav)).toMatchObject({
      title: 'Édité',
      artist: 'One; Two',
      album: 'Album',
      track: '4',
    });
    expect(ffprobeTags(aiff)).toMatchObject({ title: 'Aiff Edited', album: 'Aiff Album' });
    expect(JSON.parse(execFileSync(PY, ['-c', READ, wav]).toString()).tags).toMatchObject({
      TIT2: ['Édité'],
      TPE1: ['One', 'Two'],
      TRCK: ['4'],
    });
    for (const [name, path] of [
      ['info.wav', wav],
      ['text.aiff', aiff],
      ['id3.wav', served('Id3 Title.wav')],
    ] as const) {
      expect(pcmMd5(path)).toBe(pcmMd5(join(music, name)));
      const { audioStart, audioEnd } = t.info(name);
      const bytes = readFileSync(path);
      expect(sha256(bytes.subarray(bytes.length - (audioEnd - audioStart)))).toBe(
        sha256(readFileSync(join(music, name)).subarray(audioStart, audioEnd)),
      );
    }
  });

  it('serves cover art as APIC, and a read anywhere gives the bytes of a whole read', () => {
    const path = served('Id3 Title.wav');
    expect(JSON.parse(execFileSync(PY, ['-c', READ, path]).toString()).pictures).toEqual([
      ['image/jpeg', 3, readFileSync(cover).length],
    ]);
    expectReadsMatchWhole(path, 11);
  });

  it('serves a WAV whose data chunk runs past the end of the file as it is', () => {
    expect(sha256(readFileSync(served('Cut Edited.wav')))).toBe(t.originals.get('cut.wav'));
  });

  it('takes in saves by mutagen and by TagLib (kid3-cli), and refuses one that changes the audio', async () => {
    execFileSync(PY, ['-c', WRITE, served('Édité.wav'), 'From Mutagen']);
    await waitFor('the mutagen save', () => served('From Mutagen.wav') || undefined);
    expect(title('info.wav')).toEqual(['From Mutagen']);
    tool('kid3-cli', ['-c', 'set title "From TagLib"', served('Aiff Edited.aiff')]);
    await waitFor('the TagLib save', () => served('From TagLib.aiff') || undefined);
    expect(title('text.aiff')).toEqual(['From TagLib']);
    const path = served('From Mutagen.wav');
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from('not audio'), 0, 9, statSync(path).size - 100);
    expect(() => closeSync(fd)).toThrow(/EIO/);
    expect(title('info.wav')).toEqual(['From Mutagen']);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'info.wav')));
  });
});

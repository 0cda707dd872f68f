// WAV and AIFF through the mount: the served file carries the library's tags in an ID3v2.4 chunk (and,
// for WAV, a LIST/INFO chunk), the original's other chunks, and the original audio chunk byte for byte.
// Checked with FFmpeg (tags, identical PCM), mutagen (tags, cover) and saves by mutagen and TagLib
// (kid3-cli) through the mount.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { hashTree, lcg, sleeve, sleeveJson, tempDir, tool } from '../helpers.ts';
import { findServed, pcmMd5, sha256, waitFor } from '../mount-helpers.ts';

const PY = '/usr/bin/python3'; // Debian's, which has mutagen

interface Info {
  audioStart: number;
  audioEnd: number;
  fields: Array<{ key: string; effective: string[] }>;
}

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

const ffprobeTags = (path: string) =>
  (
    JSON.parse(tool('ffprobe', ['-v', 'error', '-show_format', '-of', 'json', path]).toString()) as {
      format: { tags?: Record<string, string> };
    }
  ).format.tags ?? {};

describe('sleeve mount: WAV and AIFF with the library’s tags', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const cover = join(dir, 'cover.jpg');
  let originals: Map<string, string>;
  const ids: Record<string, number> = {};
  const served = (name: string) => findServed(mnt, name);
  const info = (name: string) => sleeveJson<Info>(home, ['info', String(ids[name]), '--json']);
  const title = (name: string) => info(name).fields.find((f) => f.key === 'title')?.effective;

  beforeAll(() => {
    mkdirSync(music);
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
    originals = hashTree(music);
    expect(sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    for (const name of ['info.wav', 'text.aiff', 'id3.wav', 'cut.wav']) {
      ids[name] = Number(sleeve(home, ['ls', `path:${name}`, '-f', '$id']).stdout.trim());
    }
    const set = (query: string, ...fields: string[]) =>
      expect(sleeve(home, ['set', query, ...fields, '-y']).status).toBe(0);
    set('path:info.wav', 'title=Édité', 'artist=One', 'artist=Two', 'album=Album', 'tracknumber=4');
    set('path:text.aiff', 'title=Aiff Edited', 'album=Aiff Album');
    set('path:cut.wav', 'title=Cut Edited');
    const r = sleeve(home, ['mount', mnt]);
    expect(r.stderr).toBe('');
  }, 60_000);

  afterAll(() => {
    const r = sleeve(home, ['umount', mnt]);
    if (r.status !== 0) execFileSync('fusermount3', ['-uz', mnt]);
    expect(hashTree(music)).toEqual(originals);
  });

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
      const { audioStart, audioEnd } = info(name);
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
    const whole = readFileSync(path);
    const fd = openSync(path, 'r');
    try {
      const next = lcg(11);
      for (let i = 0; i < 50; i++) {
        const pos = next() % whole.length;
        const buf = Buffer.alloc(1 + (next() % 9000));
        const n = readSync(fd, buf, 0, buf.length, pos);
        expect(buf.subarray(0, n)).toEqual(whole.subarray(pos, pos + n));
      }
    } finally {
      closeSync(fd);
    }
  });

  it('serves a WAV whose data chunk runs past the end of the file as it is', () => {
    expect(sha256(readFileSync(served('Cut Edited.wav')))).toBe(originals.get('cut.wav'));
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

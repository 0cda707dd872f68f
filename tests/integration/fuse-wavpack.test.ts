// WavPack and Musepack through the mount: the original up to its trailing tags, then an APEv2 tag made
// from the library (tags and the front cover), as Picard writes it. Checked with each format's own
// decoder (wvunpack, mpcdec), FFmpeg (identical PCM), mutagen (tags, cover), reads across the audio's
// end, and saves by mutagen and TagLib (kid3-cli).
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { tool } from '../helpers.ts';
import { expectReadsMatchWhole, PY, pcmMd5, sha256, TestMount, waitFor } from '../mount-helpers.ts';

// What mutagen reads from an APEv2 tag: text items (values split at NULs) and the front cover's size.
const READ = `
import json, sys
from mutagen.apev2 import APEv2
t = APEv2(sys.argv[1])
tags = {k: list(v) for k, v in t.items() if v.kind == 0}
cover = t.get('Cover Art (Front)')
print(json.dumps({'tags': tags, 'cover': len(cover.value.split(b'\\0', 1)[1]) if cover else None}))
`;
const WRITE = `
import sys
from mutagen.apev2 import APEv2
t = APEv2(sys.argv[1])
t['Title'] = sys.argv[2]
t.save()
`;

const FORMATS = [
  {
    format: 'WavPack',
    ext: 'wv',
    encode: (wav: string, out: string) => tool('wavpack', ['-q', '-o', out, wav]),
    decode: (path: string) => tool('wvunpack', ['-q', '-v', path]),
  },
  {
    format: 'Musepack',
    ext: 'mpc',
    encode: (wav: string, out: string) => tool('mpcenc', ['--silent', wav, out]),
    decode: (path: string) => tool('mpcdec', [path, '/dev/null']),
  },
];

describe.each(FORMATS)(
  'sleeve mount: $format with the library’s tags in an APEv2 tag after the audio',
  ({ ext, encode, decode }) => {
    const t = new TestMount();
    const { dir, music } = t;
    const cover = join(dir, 'cover.jpg');
    const name = `a.${ext}`;
    const original = join(music, name);
    const served = (title: string) => t.served(`${title}.${ext}`);
    const title = () => t.field(name, 'title');

    beforeAll(() => {
      const wav = join(dir, 'tone.wav');
      makeWav(wav, 550, 2, 44100, 2);
      makeImage(cover, '40x30', 'yellow');
      encode(wav, original);
      mutagenTag([{ kind: 'apev2', path: original, items: { Title: 'Original', Artist: 'Someone' }, cover }]);
      t.start([name], [[name, 'title=Édité', 'artist=One', 'artist=Two', 'tracknumber=2', 'totaltracks=9']]);
    });

    afterAll(() => t.stop());

    it('serves the original audio, then the library’s tags and cover in a new APEv2 tag', () => {
      const path = served('Édité');
      const read = JSON.parse(execFileSync(PY, ['-c', READ, path]).toString());
      expect(read).toEqual({
        tags: { Title: ['Édité'], Artist: ['One', 'Two'], Track: ['2/9'] },
        cover: readFileSync(cover).length,
      });
      decode(path);
      expect(pcmMd5(path)).toBe(pcmMd5(original));
      const info = t.info(name);
      expect(sha256(readFileSync(path).subarray(0, info.audioEnd))).toBe(
        sha256(readFileSync(original).subarray(info.audioStart, info.audioEnd)),
      );
      // Reads anywhere, and across the audio's end, give the bytes of a whole read.
      expectReadsMatchWhole(path, 5, info.audioEnd);
    });

    it('takes in saves by mutagen and by TagLib (kid3-cli), and refuses one that changes the audio', async () => {
      execFileSync(PY, ['-c', WRITE, served('Édité'), 'From Mutagen']);
      await waitFor('the mutagen save', () => served('From Mutagen') || undefined);
      expect(title()).toEqual(['From Mutagen']);
      tool('kid3-cli', ['-c', 'set title "From TagLib"', served('From Mutagen')]);
      const path = await waitFor('the TagLib save', () => served('From TagLib') || undefined);
      expect(title()).toEqual(['From TagLib']);
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.from('not audio'), 0, 9, 100);
      expect(() => closeSync(fd)).toThrow(/EIO/);
      expect(title()).toEqual(['From TagLib']);
      expect(statSync(path).size).toBeGreaterThan(0);
      expect(pcmMd5(path)).toBe(pcmMd5(original));
    });
  },
);

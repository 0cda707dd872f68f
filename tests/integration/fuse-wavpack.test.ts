// WavPack through the mount: the original up to its trailing tags, then an APEv2 tag made from the
// library (tags and the front cover), as Picard writes it. Checked with wvunpack, FFmpeg (identical
// PCM), mutagen (tags, cover), reads across the audio's end, and saves by mutagen and TagLib (kid3-cli).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { hashTree, lcg, sleeve, sleeveJson, tempDir, tool } from '../helpers.ts';
import { findServed, pcmMd5, sha256, waitFor } from '../mount-helpers.ts';

const PY = '/usr/bin/python3'; // Debian's, which has mutagen

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

describe('sleeve mount: WavPack with the library’s tags in an APEv2 tag after the audio', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const cover = join(dir, 'cover.jpg');
  const original = join(music, 'a.wv');
  let originals: Map<string, string>;
  let id = 0;
  const served = (name: string) => findServed(mnt, name);
  const title = () =>
    sleeveJson<{ fields: Array<{ key: string; effective: string[] }> }>(home, [
      'info',
      String(id),
      '--json',
    ]).fields.find((f) => f.key === 'title')?.effective;

  beforeAll(() => {
    mkdirSync(music);
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 550, 2, 44100, 2);
    makeImage(cover, '40x30', 'yellow');
    tool('wavpack', ['-q', '-o', original, wav]);
    mutagenTag([{ kind: 'apev2', path: original, items: { Title: 'Original', Artist: 'Someone' }, cover }]);
    originals = hashTree(music);
    expect(sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    id = Number(sleeve(home, ['ls', 'path:a.wv', '-f', '$id']).stdout.trim());
    const fields = ['title=Édité', 'artist=One', 'artist=Two', 'tracknumber=2', 'totaltracks=9'];
    expect(sleeve(home, ['set', 'path:a.wv', ...fields, '-y']).status).toBe(0);
    expect(sleeve(home, ['mount', mnt]).stderr).toBe('');
  }, 60_000);

  afterAll(() => {
    const r = sleeve(home, ['umount', mnt]);
    if (r.status !== 0) execFileSync('fusermount3', ['-uz', mnt]);
    expect(hashTree(music)).toEqual(originals);
  });

  it('serves the original audio, then the library’s tags and cover in a new APEv2 tag', () => {
    const path = served('Édité.wv');
    const read = JSON.parse(execFileSync(PY, ['-c', READ, path]).toString());
    expect(read).toEqual({
      tags: { Title: ['Édité'], Artist: ['One', 'Two'], Track: ['2/9'] },
      cover: readFileSync(cover).length,
    });
    tool('wvunpack', ['-q', '-v', path]);
    expect(pcmMd5(path)).toBe(pcmMd5(original));
    const info = sleeveJson<{ audioStart: number; audioEnd: number }>(home, ['info', String(id), '--json']);
    expect(sha256(readFileSync(path).subarray(0, info.audioEnd))).toBe(
      sha256(readFileSync(original).subarray(info.audioStart, info.audioEnd)),
    );
    // Reads anywhere, and across the audio's end, give the bytes of a whole read.
    const whole = readFileSync(path);
    const fd = openSync(path, 'r');
    try {
      const next = lcg(5);
      for (let i = 0; i < 60; i++) {
        const pos = i < 10 ? info.audioEnd - 1 - i * 37 : next() % whole.length;
        const buf = Buffer.alloc(1 + (next() % 5000));
        const n = readSync(fd, buf, 0, buf.length, pos);
        expect(buf.subarray(0, n)).toEqual(whole.subarray(pos, pos + n));
      }
    } finally {
      closeSync(fd);
    }
  });

  it('takes in saves by mutagen and by TagLib (kid3-cli), and refuses one that changes the audio', async () => {
    execFileSync(PY, ['-c', WRITE, served('Édité.wv'), 'From Mutagen']);
    await waitFor('the mutagen save', () => served('From Mutagen.wv') || undefined);
    expect(title()).toEqual(['From Mutagen']);
    tool('kid3-cli', ['-c', 'set title "From TagLib"', served('From Mutagen.wv')]);
    const path = await waitFor('the TagLib save', () => served('From TagLib.wv') || undefined);
    expect(title()).toEqual(['From TagLib']);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from('not audio'), 0, 9, 100);
    expect(() => closeSync(fd)).toThrow(/EIO/);
    expect(title()).toEqual(['From TagLib']);
    expect(statSync(path).size).toBeGreaterThan(0);
    expect(pcmMd5(path)).toBe(pcmMd5(original));
  });
});

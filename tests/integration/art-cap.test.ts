// Embedded pictures are capped where they come in (config.json's art.maxBytes): a scan leaves a larger one
// out with a warning on the file, a save through the mount refuses one and says so; everything else of the
// file or the save is kept, and the originals never change.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { type FileInfo, PY, sha256, TestMount, waitFor } from '../mount-helpers.ts';

const CAP = 4096;
const capConfig = JSON.stringify({ art: { maxBytes: CAP } });
const overCap = (bytes: number) =>
  `cover art of ${bytes} bytes is over the 4 KiB cap (art.maxBytes in config.json): not kept`;

/** A "PNG" of `bytes` bytes (its signature, then `fill`): an image by its bytes, as the readers type them. */
function png(dir: string, name: string, bytes: number, fill: number): { path: string; data: Buffer } {
  const data = Buffer.alloc(bytes, fill);
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

/** Sets the title and adds pictures ("TYPE:PATH") with mutagen, as Picard would: FLAC or MP3 (ID3v2.4). */
const TAG_SCRIPT = `
import sys
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, TIT2
from mutagen.mp3 import MP3
path, title, pictures = sys.argv[1], sys.argv[2], [a.split(':', 1) for a in sys.argv[3:]]
if path.endswith('.flac'):
    f = FLAC(path)
    f['title'] = title
    for kind, image in pictures:
        p = Picture(); p.type = int(kind); p.mime = 'image/png'; p.data = open(image, 'rb').read()
        f.add_picture(p)
else:
    f = MP3(path)
    if f.tags is None:
        f.add_tags()
    f.tags.add(TIT2(encoding=3, text=title))
    for i, (kind, image) in enumerate(pictures):
        f.tags.add(APIC(encoding=3, mime='image/png', type=int(kind), desc=str(i), data=open(image, 'rb').read()))
f.save()
`;

function tagWithPictures(path: string, title: string, pictures: ReadonlyArray<readonly [number, string]>) {
  const r = spawnSync(PY, ['-c', TAG_SCRIPT, path, title, ...pictures.map(([t, p]) => `${t}:${p}`)], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

function makeFlac(path: string, freq: number, tags: Record<string, string>) {
  const wav = join(tempDir(), 'tone.wav');
  makeWav(wav, freq);
  tool('flac', [
    '--silent',
    '-f',
    ...Object.entries(tags).map(([k, v]) => `--tag=${k}=${v}`),
    '-o',
    path,
    wav,
  ]);
}

function makeMp3(path: string, freq: number, title: string, artist: string, album: string) {
  const wav = join(tempDir(), 'tone.wav');
  makeWav(wav, freq);
  tool('lame', ['--quiet', '-b', '96', '--tt', title, '--ta', artist, '--tl', album, wav, path]);
}

describe('a scan with art.maxBytes set', () => {
  it('leaves a larger picture out with a warning naming its size and the cap, keeping the rest', () => {
    const dir = tempDir();
    const music = join(dir, 'music');
    const home = join(dir, 'home');
    mkdirSync(music);
    mkdirSync(home);
    writeFileSync(join(home, 'config.json'), capConfig);
    const small = png(dir, 'small.png', 600, 1);
    const big = png(dir, 'big.png', 10_000, 2);
    makeFlac(join(music, 'one.flac'), 440, { TITLE: 'One', ARTIST: 'Capped' });
    makeMp3(join(music, 'two.mp3'), 494, 'Two', 'Capped', 'Scanned');
    for (const [name, title] of [
      ['one.flac', 'One'],
      ['two.mp3', 'Two'],
    ] as const) {
      tagWithPictures(join(music, name), title, [
        [3, small.path],
        [4, big.path],
      ]);
    }
    const originals = hashTree(music);

    const r = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]);
    expect(r.status).toBe(0);
    const items = sleeveHereJson<Array<{ id: number; path: string }>>(home, ['ls', '--json']);
    expect(items).toHaveLength(2);
    for (const { id, path } of items) {
      const info = sleeveHereJson<FileInfo & { warning: string | null }>(home, [
        'info',
        String(id),
        '--json',
      ]);
      expect(info.warning, path).toBe(overCap(10_000));
      expect(info.art).toEqual([expect.objectContaining({ hash: sha256(small.data), bytes: 600, type: 3 })]);
      expect(info.fields.find((f) => f.key.toLowerCase() === 'title')?.effective).toEqual([
        path.endsWith('.flac') ? 'One' : 'Two',
      ]);
      expect(sleeveHere(home, ['info', String(id)]).stdout).toContain(`ok, warning: ${overCap(10_000)}`);
    }
    // The picture's bytes never reached the library.
    const db = new Database(join(home, 'library.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM art WHERE bytes > ?').pluck().get(CAP)).toBe(0);
    } finally {
      db.close();
    }
    expect(hashTree(music)).toEqual(originals);
  });
});

describe('a save through the mount with art.maxBytes set', () => {
  const t = new TestMount();
  const batches = () =>
    sleeveHereJson<Array<{ id: number; description: string }>>(t.home, ['history', '--json']);
  const title = (name: string) => t.field(name, 'title');
  let small: ReturnType<typeof png>;
  let big: ReturnType<typeof png>;
  let bigger: ReturnType<typeof png>;
  let held: ReturnType<typeof png>;

  beforeAll(() => {
    const dir = tempDir();
    small = png(dir, 'small.png', 600, 1);
    big = png(dir, 'big.png', 10_000, 2);
    bigger = png(dir, 'bigger.png', 12_000, 3);
    held = png(dir, 'held.png', 9_000, 4);
    makeFlac(join(t.music, 'one.flac'), 440, { TITLE: 'One', ARTIST: 'Capper', ALBUM: 'Saved' });
    makeMp3(join(t.music, 'two.mp3'), 494, 'Two', 'Capper', 'Saved');
    makeFlac(join(t.music, 'three.flac'), 523, { TITLE: 'Three', ARTIST: 'Capper', ALBUM: 'Saved' });
    tagWithPictures(join(t.music, 'three.flac'), 'Three', [[3, held.path]]);
    t.originals = hashTree(t.music);
    // Scanned under the default cap: three.flac's picture is in the library before the cap is lowered.
    expect(
      sleeveHere(t.home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', t.music]).status,
    ).toBe(0);
    for (const name of ['one.flac', 'two.mp3', 'three.flac'])
      t.ids[name] = Number(sleeveHere(t.home, ['ls', `path:${name}`, '-f', '$id']).stdout.trim());
    expect(t.info('three.flac').art).toEqual([expect.objectContaining({ bytes: 9_000 })]);
    writeFileSync(join(t.home, 'config.json'), capConfig);
    expect(sleeveHere(t.home, ['mount', t.mnt]).stderr).toBe('');
  });

  afterAll(() => t.stop());

  it('keeps the other edits of a save adding a larger picture, and says the picture was refused', async () => {
    const before = batches().length;
    tagWithPictures(t.served('Two.mp3'), 'Two, edited', [
      [3, small.path],
      [4, big.path],
    ]);
    expect(batches()).toHaveLength(before + 1);
    expect(title('two.mp3')).toEqual(['Two, edited']);
    expect(t.info('two.mp3').art).toEqual([
      expect.objectContaining({ hash: sha256(small.data), bytes: 600, type: 3 }),
    ]);
    expect(batches()[0]!.description).toBe(`written through the mount: Two.mp3; ${overCap(10_000)}`);
    await waitFor('the save in the log', () =>
      /saved \S*Two\.mp3 as edit batch \d+; cover art of 10000 bytes is over the 4 KiB cap/.test(t.log())
        ? true
        : undefined,
    );
  });

  it('keeps a picture the library already holds over the cap; refuses only the new one', () => {
    const before = batches().length;
    tagWithPictures(t.served('Three.flac'), 'Three, edited', [[4, bigger.path]]);
    expect(batches()).toHaveLength(before + 1);
    expect(title('three.flac')).toEqual(['Three, edited']);
    expect(t.info('three.flac').art).toEqual([
      expect.objectContaining({ hash: sha256(held.data), bytes: 9_000, type: 3 }),
    ]);
    expect(batches()[0]!.description).toBe(`written through the mount: Three.flac; ${overCap(12_000)}`);
  });

  it('saves nothing when a refused picture is all a save brings, and says so', async () => {
    const before = batches().length;
    const path = t.served('One.flac');
    tagWithPictures(path, 'One', [[3, big.path]]);
    expect(batches()).toHaveLength(before);
    expect(t.info('one.flac').art).toEqual([]);
    await waitFor('the refusal in the log', () =>
      t.log().includes(`nothing saved of ${path.slice(t.mnt.length)}: ${overCap(10_000)}`) ? true : undefined,
    );
  });
});

// Cover art by hand: set from an image, replaced, removed, each one undoable edit that reaches a mount's
// files (ffmpeg extracts the very bytes); bad images refused with the reason; originals never written.
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { TestMount, waitFor } from '../mount-helpers.ts';

interface Listed {
  path: string;
  pictures: Array<{ hash: string; type: number; mime: string; width: number; height: number }>;
}

describe('sleeve art: cover art as an undoable edit', () => {
  const m = new TestMount();
  const images = tempDir();
  const png = join(images, 'front.png');
  const jpeg = join(images, 'other.jpg');

  beforeAll(() => {
    tool('sox', ['-n', '-r', '44100', '-c', '2', join(m.music, 'one.flac'), 'synth', '2', 'sine', '440']);
    tool('sox', ['-n', '-r', '44100', '-c', '2', join(m.music, 'two.wav'), 'synth', '2', 'sine', '660']);
    tool('lame', ['--quiet', join(m.music, 'two.wav'), join(m.music, 'two.mp3')]);
    tool('rm', [join(m.music, 'two.wav')]);
    makeImage(png, '320x320', 'red');
    makeImage(jpeg, '200x100', 'blue');
    m.start(['one.flac', 'two.mp3'], []);
  });

  afterAll(() => m.stop()); // unmounts and checks no original changed

  const listed = () => sleeveHereJson<Listed[]>(m.home, ['art', 'path:/one|two/', '--json']);
  /** The attached picture ffmpeg finds in a served file, or undefined. */
  const servedPicture = (suffix: string): Buffer | undefined => {
    const out = join(tempDir(), 'cover.bin');
    const r = tool('sh', [
      '-c',
      `ffmpeg -v error -y -i "${m.served(suffix)}" -map 0:v:0 -c copy -f data "${out}" 2>&1 || true`,
    ]).toString();
    if (/does not contain|matches no streams|Output file .* does not contain any stream/.test(r))
      return undefined;
    try {
      return readFileSync(out);
    } catch {
      return undefined;
    }
  };

  it('sets a front cover on every matching track, seen through the mount', async () => {
    const set = sleeveHere(m.home, ['art', 'path:/one|two/', '--set', png, '-y']);
    expect(set.stdout).toMatch(
      /^set the front picture \(front\.png\) of 2 file\(s\)\nsaved as edit batch \d+/,
    );
    const [one, two] = listed();
    expect(one!.pictures).toEqual([
      expect.objectContaining({ type: 3, mime: 'image/png', width: 320, height: 320 }),
    ]);
    expect(two!.pictures).toEqual(one!.pictures);
    const bytes = readFileSync(png);
    await waitFor('the FLAC served with its cover', () =>
      servedPicture('.flac')?.equals(bytes) ? true : undefined,
    );
    expect(servedPicture('.mp3')?.equals(bytes)).toBe(true);
  });

  it('replaces it, removes it, and undoes each', async () => {
    expect(sleeveHere(m.home, ['art', 'path:one', '--set', jpeg, '-y']).status).toBe(0);
    expect(listed()[0]!.pictures).toEqual([
      expect.objectContaining({ type: 3, mime: 'image/jpeg', width: 200 }),
    ]);
    const jpegBytes = readFileSync(jpeg);
    await waitFor('the replaced cover', () => (servedPicture('.flac')?.equals(jpegBytes) ? true : undefined));
    // A back cover is added beside the front one, after it.
    expect(sleeveHere(m.home, ['art', 'path:one', '--set', png, '--type', 'back', '-y']).status).toBe(0);
    expect(listed()[0]!.pictures.map((p) => p.type)).toEqual([3, 4]);
    expect(sleeveHere(m.home, ['art', 'path:one', '--remove', '--type', 'all', '-y']).status).toBe(0);
    expect(listed()[0]!.pictures).toEqual([]);
    await waitFor('the cover gone from the mount', () =>
      servedPicture('.flac') === undefined ? true : undefined,
    );
    expect(sleeveHere(m.home, ['undo']).status).toBe(0);
    expect(sleeveHere(m.home, ['undo']).status).toBe(0);
    expect(listed()[0]!.pictures.map((p) => p.mime)).toEqual(['image/jpeg']);
    expect(sleeveHere(m.home, ['undo']).status).toBe(0);
    expect(listed()[0]!.pictures.map((p) => p.mime)).toEqual(['image/png']);
    await waitFor('the first cover back', () =>
      servedPicture('.flac')?.equals(readFileSync(png)) ? true : undefined,
    );
    // Nothing to do is said, not saved.
    expect(sleeveHere(m.home, ['art', 'path:one', '--set', png, '-y']).stdout).toMatch(/^nothing to change/);
  });

  it('refuses what is not an image, with the reason, and changes nothing', () => {
    const svg = join(images, 'cover.svg');
    writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const text = join(images, 'notes.txt');
    writeFileSync(text, 'not a picture');
    const before = listed();
    for (const [file, why] of [
      [svg, /cover\.svg is not a PNG, JPEG, GIF, WebP or BMP image/],
      [text, /notes\.txt is not a PNG, JPEG, GIF, WebP or BMP image/],
      [join(images, 'missing.png'), /cannot read .*missing\.png: no such file or directory \(ENOENT\)/],
    ] as const) {
      const r = sleeveHere(m.home, ['art', 'path:one', '--set', file, '-y']);
      expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(why)]);
    }
    const bad = sleeveHere(m.home, ['art', 'path:one', '--remove', '--type', 'inside', '-y']);
    expect(bad.stderr).toMatch(/unknown picture type "inside"/);
    expect(listed()).toEqual(before);
  });
  it('serves a cover larger than a read from the library, byte for byte, however it is read', async () => {
    // A noisy picture compresses badly: over a megabyte, many of the kernel's reads.
    const big = join(images, 'noise.png');
    tool(
      'ffmpeg',
      ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=800x800,noise=alls=100:allf=t'].concat([
        '-frames:v',
        '1',
        big,
      ]),
    );
    const bytes = readFileSync(big);
    expect(bytes.length).toBeGreaterThan(1_000_000);
    expect(sleeveHere(m.home, ['art', 'path:/one|two/', '--set', big, '-y']).status).toBe(0);
    for (const suffix of ['.flac', '.mp3']) {
      await waitFor(`the big cover in the ${suffix}`, () =>
        servedPicture(suffix)?.equals(bytes) ? true : undefined,
      );
      // Reads of odd sizes at odd offsets, across the picture's edges, give what one whole read gives.
      const whole = readFileSync(m.served(suffix));
      const fd = openSync(m.served(suffix), 'r');
      try {
        const piece = Buffer.alloc(70_001);
        for (let at = 0; at < whole.length; at += 70_001 - 13) {
          const n = readSync(fd, piece, 0, piece.length, at);
          expect(piece.subarray(0, n).equals(whole.subarray(at, at + n))).toBe(true);
        }
      } finally {
        closeSync(fd);
      }
    }
  });
});

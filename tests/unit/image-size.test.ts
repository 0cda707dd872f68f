import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { imageSize } from '../../app/shared/image-size.ts';
import { olderLibrary } from '../fixtures/older-library.ts';
import { tempDir, tool } from '../helpers.ts';

/** An image of 124×46 made by ffmpeg, in the pixel format given (else the format's default). */
function made(ext: string, pixels?: string): Buffer {
  const path = join(tempDir(), `img.${ext}`);
  const format = pixels ? ['-pix_fmt', pixels] : [];
  tool('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'color=c=green:s=124x46',
    '-frames:v',
    '1',
    ...format,
    path,
  ]);
  return readFileSync(path);
}

describe('imageSize', () => {
  it.each([
    ['png', undefined, 24],
    ['png', 'rgba', 32],
    ['png', 'gray', 8],
    ['jpg', undefined, 24],
    ['gif', undefined, 8],
    ['bmp', undefined, 24],
    ['webp', undefined, 24],
  ])('reads width, height and bits a pixel of a %s (%s) made by ffmpeg', (ext, pixels, depth) => {
    expect(imageSize(made(ext, pixels))).toEqual({ width: 124, height: 46, depth });
  });

  it('returns undefined for bytes that are no image', () => {
    expect(imageSize(new Uint8Array([1, 2, 3, 4]))).toBeUndefined();
  });
});

it('gives the depth of each image an older library stored without it (migration 59)', () => {
  const { file, old } = olderLibrary(58);
  const store = old.prepare(
    'INSERT INTO art (hash, mime, width, height, bytes, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const rgba = made('png', 'rgba');
  store.run('a', 'image/png', 124, 46, rgba.length, rgba);
  store.run('b', 'image/png', null, null, 3, Buffer.from([1, 2, 3]));
  old.close();
  const db = openDatabase(file);
  expect(db.prepare('SELECT hash, depth FROM art ORDER BY hash').raw().all()).toEqual([
    ['a', 32],
    ['b', null],
  ]);
  db.close();
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageSize } from '../../app/core/media/image-size.ts';
import { tempDir, tool } from '../helpers.ts';

describe('imageSize', () => {
  it.each(['png', 'jpg', 'gif', 'bmp', 'webp'])('reads width and height of a %s made by ffmpeg', (ext) => {
    const path = join(tempDir(), `img.${ext}`);
    tool('ffmpeg', [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=green:s=124x46',
      '-frames:v',
      '1',
      path,
    ]);
    expect(imageSize(readFileSync(path))).toEqual({ width: 124, height: 46 });
  });

  it('returns undefined for bytes that are no image', () => {
    expect(imageSize(new Uint8Array([1, 2, 3, 4]))).toBeUndefined();
  });
});

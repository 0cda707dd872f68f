// Covers scaled for Subsonic clients: a picture too large to decode is sent as stored, without starting
// ffmpeg; one ffmpeg could not scale is not tried again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoverSizes, MAX_PIXELS } from '../../../app/server/subsonic/cover-size.ts';
import { imageSize } from '../../../app/shared/image-size.ts';
import { makeImage } from '../../fixtures/library.ts';
import { tempDir } from '../../helpers.ts';

describe('cover sizes', () => {
  const png = join(tempDir(), 'cover.png');
  makeImage(png, '300x200', 'green');
  const data = readFileSync(png);

  it('scales a cover to the size asked for', async () => {
    const out = await new CoverSizes().resized('a', data, 60, 300 * 200);
    expect(imageSize(out!)).toMatchObject({ width: 60, height: 40 });
  });

  it('sends a picture of more than MAX_PIXELS as stored', async () => {
    expect(await new CoverSizes().resized('b', data, 60, MAX_PIXELS + 1)).toBeUndefined();
  });

  it('does not try again a picture it could not scale', async () => {
    const sizes = new CoverSizes();
    expect(await sizes.resized('c', Buffer.from('not a picture'), 60)).toBeUndefined();
    // The same picture (its hash) is not handed to ffmpeg again, whatever the bytes given.
    expect(await sizes.resized('c', data, 60)).toBeUndefined();
    expect(await sizes.resized('d', data, 60)).toBeDefined();
  });
});

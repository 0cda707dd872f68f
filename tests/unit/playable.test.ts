// Which recorded formats the player gets as they are, and which the backend transcodes.
import { describe, expect, it } from 'vitest';
import { playsAsIs } from '../../app/shared/playable.ts';

describe('playsAsIs', () => {
  it.each([
    ['flac', 'FLAC'],
    ['ogg-flac', 'FLAC'],
    ['mp3', 'MPEG 1 Layer 3'],
    ['ogg-vorbis', 'Vorbis I'],
    ['opus', 'Opus'],
    ['m4a', 'MPEG-4/AAC'],
    ['wav', 'PCM'],
    ['wav', 'IEEE_FLOAT'],
    ['wav', 'non-PCM (65534)'],
  ])('plays %s (%s) as it is', (format, codec) => {
    expect(playsAsIs(format, codec)).toBe(true);
  });

  it.each([
    ['m4a', 'ALAC'],
    ['m4a', null],
    ['wav', 'ADPCM'],
    ['aiff', 'PCM'],
    ['wavpack', null],
    ['ape', null],
    ['musepack', null],
    ['mp2', 'MPEG 1 Layer 2'],
    [null, null],
  ])('transcodes %s (%s)', (format, codec) => {
    expect(playsAsIs(format, codec)).toBe(false);
  });
});

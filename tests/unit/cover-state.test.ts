// What the tag editor says of the selection's front cover (renderer/src/cover-state.ts).
import { describe, expect, it } from 'vitest';
import { coverState } from '../../renderer/src/cover-state.ts';

const front = {
  hash: 'ab',
  type: 3,
  description: '',
  mime: 'image/jpeg',
  width: 600,
  height: 500,
  bytes: 1000,
};

describe('coverState', () => {
  it('says there is none when no track has one', () => {
    expect(coverState({ tracks: 4, withFront: 0, front: null })).toBe('No cover');
  });
  it('gives the size and type of the cover every track shares', () => {
    expect(coverState({ tracks: 4, withFront: 4, front })).toBe('600×500 JPEG');
    expect(coverState({ tracks: 1, withFront: 1, front: { ...front, width: null, mime: 'image/png' } })).toBe(
      '?×500 PNG',
    );
  });
  it('says how many tracks have it when only some do', () => {
    expect(coverState({ tracks: 4, withFront: 3, front })).toBe('On 3 tracks of 4');
  });
  it('says the covers differ, and on how many tracks, when they are not one', () => {
    expect(coverState({ tracks: 4, withFront: 2, front: null })).toBe('Covers differ (2 tracks have one)');
  });
});

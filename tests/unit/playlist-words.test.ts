// The Playlists view's small decisions (renderer/src/playlist-words.ts).
import { describe, expect, it } from 'vitest';
import type { PlaylistInfo } from '../../app/shared/rpc-contract.ts';
import { kindOf, smartProblem, smartRequest, withoutEntry } from '../../renderer/src/playlist-words.ts';

const playlist = (query: string | null, limit: number | null) => ({ query, limit }) as PlaylistInfo;

describe("the Playlists view's decisions", () => {
  it('says a list is a list, and a smart playlist its query and limit', () => {
    expect(kindOf(playlist(null, null))).toBe('list');
    expect(kindOf(playlist('genre:jazz', null))).toBe('smart: genre:jazz');
    expect(kindOf(playlist('genre:jazz', 50))).toBe('smart: genre:jazz, at most 50');
  });

  it('asks for a smart playlist with no limit when the field is left empty, else the number typed', () => {
    expect(smartRequest({ name: 'Jazz', query: 'genre:jazz', limit: '  ' })).toEqual({
      name: 'Jazz',
      from: { kind: 'smart', query: 'genre:jazz', limit: null },
    });
    expect(smartRequest({ name: 'Jazz', query: 'genre:jazz', limit: '25' }).from).toMatchObject({
      limit: 25,
    });
  });

  it("says why a draft cannot be made, in the library's words, before it is asked", () => {
    const draft = (name: string, limit: string) => ({ name, query: 'genre:jazz', limit });
    expect(smartProblem(draft('', ''))).toBeNull(); // a name not typed yet: Create waits
    expect(smartProblem(draft('Jazz', '25'))).toBeNull();
    for (const limit of ['-5', '2.5', '0', '100001', '99999999999999999999', 'ten'])
      expect(smartProblem(draft('Jazz', limit)), limit).toBe(
        "a playlist's limit is a whole number from 1 to 100000",
      );
    expect(smartProblem(draft('x'.repeat(201), ''))).toBe('a playlist name has at most 200 characters');
    expect(smartProblem(draft('a\u0007b', ''))).toMatch(/^a playlist name cannot contain control characters/);
  });

  it('removes the one entry asked, a track listed twice keeping its other entry', () => {
    expect(withoutEntry([7, 8, 7, 9], 2)).toEqual([7, 8, 9]);
    expect(withoutEntry([7, 8, 7, 9], 0)).toEqual([8, 7, 9]);
  });
});

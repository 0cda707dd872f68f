// A media server as the Mount view's form drafts it (renderer/src/player-draft.ts): adding it asks for
// what its kind uses and nothing it does not.
import { describe, expect, it } from 'vitest';
import { canAdd, EMPTY_PLAYER, playerRequest } from '../../renderer/src/player-draft.ts';

const draft = { ...EMPTY_PLAYER, address: ' 10.0.0.2:6600 ', secret: 's3cret', user: 'me', root: ' music/ ' };

describe('a player drafted in the Mount view', () => {
  it('asks for an mpd by its trimmed address, password and folder, never a user or section', () => {
    expect(playerRequest(draft)).toEqual({
      kind: 'mpd',
      address: '10.0.0.2:6600',
      secret: 's3cret',
      root: 'music/',
    });
  });

  it("asks for a Subsonic server's user and never a root; a Plex server's section as a number", () => {
    expect(playerRequest({ ...draft, kind: 'subsonic' })).toEqual({
      kind: 'subsonic',
      address: '10.0.0.2:6600',
      secret: 's3cret',
      user: 'me',
    });
    expect(playerRequest({ ...draft, kind: 'plex', section: '3' })).toMatchObject({
      section: 3,
      root: 'music/',
    });
  });

  it('leaves out an empty secret and root, and cannot be added without an address', () => {
    expect(playerRequest({ ...draft, kind: 'jellyfin', secret: '', root: '  ' })).toEqual({
      kind: 'jellyfin',
      address: '10.0.0.2:6600',
    });
    expect(canAdd({ ...draft, address: '   ' })).toBe(false);
    expect(canAdd(draft)).toBe(true);
  });
});

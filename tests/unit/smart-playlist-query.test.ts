// A smart playlist's query is checked as the library runs it: a field no file has and Sleeve does not know
// is refused when the playlist is made or edited, and a saved query that stops running (the last file with
// a custom field it names is gone) lists nothing instead of breaking every list of playlists.
import { describe, expect, it } from 'vitest';
import { createPlaylist, listPlaylists, playlistTracks } from '../../app/core/library/playlists.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe('smart playlists and unknown fields', () => {
  it('refuses an unknown field, and survives a custom field that disappears', () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'], mood_score: ['5'] } }]);
    expect(() => createPlaylist(db, 'typo', { kind: 'smart', query: 'titel:a', limit: null })).toThrow(
      /unknown field "titel": did you mean title/,
    );
    const p = createPlaylist(db, 'moods', { kind: 'smart', query: 'mood_score:5', limit: null });
    expect(playlistTracks(db, p)).toHaveLength(1);
    db.prepare("DELETE FROM tags WHERE key = 'mood_score'").run();
    expect(playlistTracks(db, p)).toEqual([]);
    expect(listPlaylists(db).map((x) => x.name)).toContain('moods');
    db.close();
  });
});

// A smart playlist of dates from now (`added:-1w..`) on the mount follows the clock, not only the library's
// changes: each minute it is rendered again on the playlists' worker, though nothing changed; a playlist
// of no such date is not, and with none the mount's check asks nothing of the worker.
import { describe, expect, it } from 'vitest';
import { createPlaylist, deletePlaylist } from '../../../app/core/library/playlists.ts';
import { LibraryView } from '../../../app/core/mounted/library-view.ts';
import { PlaylistFiles } from '../../../app/core/mounted/playlist-files.ts';
import { PathTemplate } from '../../../app/core/served/path-template.ts';
import { taggedLibrary } from '../../fixtures/tagged-library.ts';
import { waitFor } from '../../mount-helpers.ts';

describe('a smart playlist of dates from now on the mount', () => {
  it('is rendered again each minute, nothing else changing', async () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['a'] } }]);
    const titled = createPlaylist(db, 'Titled', { kind: 'smart', query: 'title:a', limit: null });
    const lines: string[] = [];
    let now = Date.UTC(2026, 11, 5, 12, 0, 10);
    const files = new PlaylistFiles(
      db,
      db.name,
      { log: (l) => lines.push(l), problem: (l) => lines.push(l) },
      () => now,
    );
    await files.start(new LibraryView(db, new PathTemplate()), async () => {});
    now += 60_000;
    expect(files.follow([])).toBe(false); // no query reads the clock

    const recent = createPlaylist(db, 'Recent', { kind: 'smart', query: 'added:-1w..', limit: null });
    expect(files.follow([])).toBe(true); // a playlist came
    await waitFor('the new playlist rendered', () => lines.find((l) => l.includes('“Recent”')));
    now += 30_000; // the same minute
    expect(files.follow([])).toBe(false);
    now += 30_000;
    expect(files.follow([])).toBe(true);
    const ticked = await waitFor('a render in the next minute', () =>
      lines.find((l) => l.endsWith('a minute on (dates from now)')),
    );
    expect(ticked).toMatch(/^playlists: 1 of 2 rendered \(“Recent”\) in /);

    // The last playlist gone, its worker goes too.
    deletePlaylist(db, recent.id);
    deletePlaylist(db, titled.id);
    expect(files.follow([])).toBe(true);
    await waitFor('no playlist left', () => (files.count === 0 ? true : undefined));
    expect(lines.filter((l) => !l.startsWith('playlists: '))).toEqual([]);
    db.close();
  });
});

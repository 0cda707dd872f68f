// An artist's album count in the artist list is the tiles the album grid gives them: their tracks on no
// album are a tile of their own ("Unknown Album"), Unknown Artist's too.
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { listAlbums, listArtists } from '../../app/core/library/albums.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

it("counts an artist's tracks on no album as an album, as the grid shows them", () => {
  const { db } = taggedLibrary([
    { path: '/music/1.flac', tags: { artist: ['Ada'], album: ['First'], title: ['One'] } },
    { path: '/music/2.flac', tags: { artist: ['Ada'], title: ['Loose'] } },
    { path: '/music/3.flac', tags: { title: ['Nobody'] } },
  ]);
  open.push(db);
  expect(listAlbums(db, '', 'library').map((a) => [a.albumartist, a.album])).toEqual([
    ['', ''],
    ['Ada', ''],
    ['Ada', 'First'],
  ]);
  expect(listArtists(db, '', 'library').map((a) => [a.name, a.albums, a.tracks])).toEqual([
    ['Ada', 2, 2],
    ['', 1, 1],
  ]);
});

// A name is one name in either of Unicode's canonical forms: "Café" written as é (NFC, as typed) or as e
// and a combining accent (NFD, as macOS writes names taken from its file names) is one album and one
// artist — in the app's album grid and artist list, their counts, and the catalog a Subsonic player
// browses — as `album:="Café"` already selects both and the mount's folders are one. A name that differs
// by more (no accent at all) stays a name of its own.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { countAlbums, countArtists, listAlbums, listArtists } from '../../app/core/library/albums.ts';
import { Catalog } from '../../app/core/library/catalog.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const NFC = { album: 'Café Tacuba', artist: 'Björk' };
const NFD = { album: NFC.album.normalize('NFD'), artist: NFC.artist.normalize('NFD') };

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** Two tracks of the album in each form, and one of an album spelled without the accent. */
function library(): Db {
  const track = (n: number, names: { album: string; artist: string }) => ({
    path: `/music/${n}.flac`,
    tags: { album: [names.album], artist: [names.artist], title: [`Song ${n}`], tracknumber: [String(n)] },
  });
  const { db } = taggedLibrary([
    track(1, NFC),
    track(2, NFD),
    track(3, NFC),
    track(4, NFD),
    track(5, { album: 'Cafe Tacuba', artist: 'Bjork' }),
  ]);
  open.push(db);
  return db;
}

describe('names in either canonical form', () => {
  it('are one album and one artist in the album grid and the artist list, and in their counts', () => {
    const db = library();
    expect(NFD.album).not.toBe(NFC.album);
    for (const scope of ['library', 'recordings'] as const) {
      const albums = listAlbums(db, '', scope);
      expect(albums.map((a) => [a.album, a.albumartist, a.tracks, a.files])).toEqual([
        ['Cafe Tacuba', 'Bjork', 1, 1],
        [NFC.album, NFC.artist, 4, 4],
      ]);
      expect(countAlbums(db, scope)).toBe(albums.length);
      const artists = listArtists(db, '', scope);
      expect(artists.map((a) => [a.name, a.tracks, a.albums])).toEqual([
        ['Bjork', 1, 1],
        [NFC.artist, 4, 1],
      ]);
      expect(countArtists(db, scope)).toBe(artists.length);
    }
    // A query narrows the list as before.
    expect(listAlbums(db, 'title:"Song 2"', 'library').map((a) => [a.album, a.tracks])).toEqual([
      [NFC.album, 1],
    ]);
  });

  it('are one album and one artist in the catalog a player browses', () => {
    const catalog = new Catalog(library());
    catalog.refresh();
    const groups = catalog.groups();
    expect([...groups.albums.values()].map((a) => [a.name, a.artist, a.tracks.length])).toEqual([
      [NFC.album, NFC.artist, 4],
      ['Cafe Tacuba', 'Bjork', 1],
    ]);
    expect([...groups.artists.keys()].sort()).toEqual(['Bjork', NFC.artist]);
    expect(groups.artists.get(NFC.artist)!.albums.map((a) => a.tracks.length)).toEqual([4]);
  });
});

// A name is one name in either of Unicode's canonical forms: "Café" written as é (NFC, as typed) or as e
// and a combining accent (NFD, as macOS writes names taken from its file names) is one album and one
// artist — in the app's album grid and artist list, their counts, and the catalog a Subsonic player
// browses — as `album:="Café"` already selects both and the mount's folders are one; its album year
// (and so its folder's name) is derived over all its tracks, and a library derived before under a
// decomposed name derives it again. A name that differs by more (no accent at all) stays a name of its own.
import { afterEach, describe, expect, it } from 'vitest';
import { mayBeDecomposedSql } from '../../app/core/db/canonical-name.ts';
import type { Db } from '../../app/core/db/database.ts';
import { openDatabase } from '../../app/core/db/database.ts';
import { derivedAlbumValues } from '../../app/core/library/album-years.ts';
import { countAlbums, countArtists, listAlbums, listArtists } from '../../app/core/library/albums.ts';
import { Catalog } from '../../app/core/library/catalog.ts';
import { catchUp } from '../../app/core/library/derivation.ts';
import { applyEdit, planEdit } from '../../app/core/library/edits.ts';
import { allGroupMarks, groupKey } from '../../app/core/library/listening.ts';
import { olderFiles, olderLibrary } from '../fixtures/older-library.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const NFC = { album: 'Café Tacuba', artist: 'Björk' };
const NFD = { album: NFC.album.normalize('NFD'), artist: NFC.artist.normalize('NFD') };

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** Two tracks of the album in each form (the decomposed ones dated earlier), and one of an album spelled
 *  without the accent. */
function library(): Db {
  const track = (n: number, names: { album: string; artist: string }) => ({
    path: `/music/${n}.flac`,
    tags: {
      album: [names.album],
      artist: [names.artist],
      title: [`Song ${n}`],
      tracknumber: [String(n)],
      date: [names === NFD ? '2001' : '2004'],
    },
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

  it('are one album whose year is derived over all its tracks', () => {
    const db = library();
    catchUp(db);
    const years = derivedAlbumValues(db, new Set(['albumyear']));
    const ids = db.prepare('SELECT id FROM files ORDER BY path').pluck().all() as number[];
    expect(ids.map((id) => years(id).albumYear)).toEqual(['2001', '2001', '2001', '2001', '2004']);
  });

  it('are grouped from their composed form as stored, with no call into JavaScript per name', () => {
    const db = library();
    catchUp(db);
    // nfc() counted from here: what a listing or a derivation asks of it, and nothing else.
    let calls = 0;
    db.function('nfc', { deterministic: true }, (v: unknown) => {
      calls++;
      return typeof v === 'string' ? v.normalize('NFC') : v;
    });
    for (const scope of ['library', 'recordings'] as const) {
      expect(listAlbums(db, '', scope)).toHaveLength(2);
      countAlbums(db, scope);
      expect(listArtists(db, '', scope)).toHaveLength(2);
      countArtists(db, scope);
    }
    const years = derivedAlbumValues(db, new Set(['albumyear']));
    const ids = db.prepare('SELECT id FROM files ORDER BY path').pluck().all() as number[];
    expect(ids.map((id) => years(id).albumYear)).toEqual(['2001', '2001', '2001', '2001', '2004']);
    expect(calls).toBe(0);
  });

  it('keeps the composed form of a value an edit gives, as of one a file gives', () => {
    const db = library();
    const [bonus] = db.prepare("SELECT id FROM files WHERE path = '/music/5.flac'").pluck().all() as number[];
    applyEdit(db, planEdit(db, [bonus!], [{ key: 'artist', values: [NFD.artist] }]), {
      description: 'an edit',
      origin: 'cli',
    });
    expect(
      db.prepare('SELECT value, composed FROM tags WHERE file_id = ? AND key = ?').raw().get(bonus, 'artist'),
    ).toEqual([NFD.artist, NFC.artist]);
    expect(listArtists(db, '', 'library').map((a) => [a.name, a.tracks])).toEqual([[NFC.artist, 5]]);
  });

  it('keeps the composed form of each value an older library holds (migration 58)', () => {
    const { file, old } = olderLibrary(57);
    olderFiles(old, [{ id: 1, change_seq: 1 }]);
    const tag = old.prepare("INSERT INTO tags (file_id, key, idx, value, fold) VALUES (1, ?, 0, ?, '')");
    for (const [key, value] of [
      ['album', NFD.album],
      ['artist', NFC.artist],
      ['title', 'ASCII'],
    ])
      tag.run(key, value);
    old.close();
    const db = openDatabase(file);
    open.push(db);
    expect(db.prepare('SELECT key, composed FROM tags ORDER BY key').raw().all()).toEqual([
      ['album', NFC.album],
      ['artist', null],
      ['title', null],
    ]);
  });

  it('derives again what a library derived under a decomposed name (migration 57)', () => {
    const { file, old } = olderLibrary(56);
    olderFiles(
      old,
      [1, 2, 3].map((id) => ({ id, change_seq: 10 + id })),
    );
    const derived = old.prepare('INSERT INTO album_years (file_id, artist, album, year) VALUES (?, ?, ?, ?)');
    for (const [id, names] of [
      [1, NFD],
      [2, NFC],
      [3, { album: 'Cafe', artist: 'Bjork' }],
    ] as const) {
      derived.run(id, names.artist, names.album, '2001');
    }
    old.close();
    const db = openDatabase(file);
    open.push(db);
    const seqs = db.prepare('SELECT change_seq FROM files ORDER BY id').pluck().all() as number[];
    expect(seqs).toEqual([14, 12, 13]);
  });
});

it('keeps a star given an artist under a decomposed name on the artist as the catalog names it', () => {
  const db = library();
  db.prepare("INSERT INTO group_marks (kind, artist, album, starred_at) VALUES ('artist', ?, '', 5)").run(
    NFD.artist,
  );
  expect([...allGroupMarks(db, 'artist').keys()]).toEqual([groupKey(NFC.artist, '')]);
});

describe('a name that may be decomposed, as SQL tells it', () => {
  it('is any that NFC changes, in any script, and never text NFC leaves as it is', () => {
    const db = taggedLibrary([]).db;
    open.push(db);
    const told = db.prepare(`SELECT ${mayBeDecomposedSql('v')} FROM (SELECT ? AS v)`).pluck();
    // Latin, Arabic, Tamil, Hangul, kana as NFD writes them; the ångström sign, a singleton.
    for (const name of ['Café', 'أحمد', 'சொல்', '한국', 'が', 'Ångström'])
      expect([name, told.get(name.normalize('NFD'))]).toEqual([name, 1]);
    expect(told.get('\u212b')).toBe(1);
    for (const name of ['Björk Guðmundsdóttir’s Café', 'アーティスト', 'Sigur Rós', 'ASCII only'])
      expect([name, told.get(name)]).toEqual([name, 0]);
  });
});

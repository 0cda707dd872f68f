// The album grid's and the artist list's entries after edits: the lists of the version before are
// patched (the entries the changed files were on and are on now counted again), never made again whole,
// and they are what a full listing gives — files moved between albums, artists added to a track and taken
// from it (into Unknown Artist), a query the edits move files into and out of, names in both Unicode
// forms; and with copies grouped, the one-per-recording lists.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { copyPlaces, otherCopies, preferCopy } from '../../app/core/fingerprint/duplicates.ts';
import { AlbumLists, binaryCompare } from '../../app/core/library/album-lists.ts';
import { listAlbums, listArtists } from '../../app/core/library/albums.ts';
import { Derivation } from '../../app/core/library/derivation.ts';
import { IngestWriter } from '../../app/core/library/ingest.ts';
import { namesCopyField } from '../../app/core/library/library-query.ts';
import { matchingIds } from '../../app/core/library/list.ts';
import { preferCarrying } from '../../app/core/library/prefer-copy.ts';
import type { ListScope } from '../../app/core/library/query-sql.ts';
import { changedSince, TrackWindows } from '../../app/core/library/track-window.ts';
import { prng } from '../fixtures/music.ts';
import {
  groupCopies,
  setField,
  syntheticDb,
  syntheticHome,
  syntheticLibrary,
} from '../fixtures/synthetic-library.ts';
import { tempDir } from '../helpers.ts';

const TRACKS = 3000;
const QUERIES = ['', 'genre:Rock', 'artist:a'];

/** Edits of one or two tracks a round, each moving them between entries of the lists. */
function edits(
  db: Db,
  tracks: number,
  rounds: number,
  round: (edit: (ids: number[], key: string, values: string[]) => void, r: () => number, i: number) => void,
) {
  const r = prng(7);
  const edit = (ids: number[], key: string, values: string[]) => setField(db, ids, key, values);
  for (let i = 0; i < rounds; i++) round(edit, () => 1 + Math.floor(r() * tracks), i);
}

/** Each list as a full listing gives it now. */
function expectListed(db: Db, lists: AlbumLists, scope: ListScope, round: number) {
  for (const query of QUERIES) {
    expect(lists.albums.list(query, scope), `albums of '${query}', round ${round}`).toEqual(
      listAlbums(db, query, scope),
    );
    expect(lists.artists.list(query, scope), `artists of '${query}', round ${round}`).toEqual(
      listArtists(db, query, scope),
    );
  }
}

describe('the album and artist lists after edits', () => {
  let db: Db;
  beforeAll(async () => {
    db = await syntheticDb(TRACKS);
  }, 120_000);
  afterAll(() => db?.close());

  it('are patched for a few changed files, and are what a full listing gives', () => {
    const lists = new AlbumLists(db);
    expectListed(db, lists, 'library', -1);
    expect([lists.albums.fullLists, lists.artists.fullLists]).toEqual([QUERIES.length, QUERIES.length]);
    edits(db, TRACKS, 14, (edit, track, i) => {
      const a = track();
      const b = track();
      [
        () => edit([a], 'album', [`Moved ${i % 3}`]), // to an album of its own, then onto it again
        () => edit([a, b], 'albumartist', ['Zz Top']),
        () => {
          // Onto two artists, another track onto the second; then a third onto the first, whose new count
          // is taken over files that are on the second artist too.
          edit([a], 'artist', [`Aa First ${i}`, `Mm Second ${i}`]);
          edit([b], 'artist', [`Mm Second ${i}`]);
          expectListed(db, lists, 'library', i);
          edit([track()], 'artist', [`Aa First ${i}`]);
        },
        () => edit([a], 'artist', []), // to Unknown Artist
        () => edit([a], 'album', []), // to its artist's Unknown Album
        () => edit([a, b], 'genre', [i % 2 ? 'Rock' : 'Jazz']), // into the query's matches and out of them
        () => edit([a], 'title', ['Only the title']), // on the same entries
      ][i % 7]!();
      expectListed(db, lists, 'library', i);
    });
    expect([lists.albums.fullLists, lists.artists.fullLists]).toEqual([QUERIES.length, QUERIES.length]);
    expect(lists.albums.length('', 'library', () => -1)).toBe(listAlbums(db, '', 'library').length);
  });

  it('give their lengths as the footer asks: counted, then listed once changes come few, then patched', () => {
    const lists = new AlbumLists(db);
    let counted = 0;
    const length = () =>
      lists.albums.length('', 'library', () => {
        counted++;
        return listAlbums(db, '', 'library').length;
      });
    const asks: Array<[number, number]> = [];
    const ask = () => {
      expect(length()).toBe(listAlbums(db, '', 'library').length);
      asks.push([counted, lists.albums.fullLists]);
    };
    const all = Array.from({ length: TRACKS }, (_, i) => i + 1);
    const derivation = new Derivation(db); // a large edit's tags are derived after it
    ask(); // the first: counted
    edits(db, TRACKS, 1, (edit, track) => edit([track()], 'album', ['Few 1']));
    ask(); // few changes since: listed whole
    edits(db, TRACKS, 1, (edit, track) => edit([track()], 'album', ['Few 2']));
    ask(); // patched
    edits(db, TRACKS, 1, (edit) => edit(all, 'comment', ['every track']));
    while (derivation.chunk(1000) > 0);
    ask(); // past a patch's reach: counted
    edits(db, TRACKS, 1, (edit, track) => edit([track()], 'album', ['Few 3']));
    ask(); // few again: listed whole
    expect(asks).toEqual([
      [1, 0],
      [1, 1],
      [1, 1],
      [2, 1],
      [2, 2],
    ]);
  });
});

it('patches lists whose names come in both Unicode forms, in SQLite’s order', () => {
  const home = tempDir();
  syntheticLibrary(home, 600, 'accented');
  const db = openDatabase(join(home, 'library.db'));
  try {
    const lists = new AlbumLists(db);
    expectListed(db, lists, 'library', -1);
    edits(db, 600, 6, (edit, track, i) => {
      const name = ['Ångström', 'A\u030angström', 'Zürich 𝄞', 'Zürich \uffee', 'ñ', 'n\u0303'][i]!;
      edit([track(), track()], i % 2 ? 'albumartist' : 'artist', [name]);
      expectListed(db, lists, 'library', i);
    });
    expect([lists.albums.fullLists, lists.artists.fullLists]).toEqual([QUERIES.length, QUERIES.length]);
  } finally {
    db.close();
  }
});

it('gives the one-per-recording lists of grouped copies as a full listing does', async () => {
  const home = await syntheticHome(TRACKS);
  groupCopies(home);
  const db = openDatabase(join(home, 'library.db'));
  try {
    const lists = new AlbumLists(db);
    expectListed(db, lists, 'recordings', -1);
    // A file on no copy, then one of a recording (which may move its kept copy: made again).
    edits(db, TRACKS, 2, (edit, _track, i) => edit([i ? 5 : 2995], 'album', [`Copy ${i}`]));
    expectListed(db, lists, 'recordings', 2);
  } finally {
    db.close();
  }
});

it('patches the lists and the track order as the kept copies move, as a full listing gives them', async () => {
  const home = await syntheticHome(TRACKS);
  groupCopies(home); // files 1 and 11 are one recording, on two albums
  const db = openDatabase(join(home, 'library.db'));
  try {
    const lists = new AlbumLists(db);
    const windows = new TrackWindows(db);
    const queries = ['', 'genre:Solo'];
    const scopes: ListScope[] = ['recordings', 'library'];
    const expectAll = (round: string) => {
      for (const scope of scopes)
        for (const query of queries) {
          const at = `'${query}' in ${scope}, ${round}`;
          expect(lists.albums.list(query, scope), `albums of ${at}`).toEqual(listAlbums(db, query, scope));
          expect(lists.artists.list(query, scope), `artists of ${at}`).toEqual(listArtists(db, query, scope));
          expect(windows.window(query, null, 0, TRACKS, scope).ids, `tracks of ${at}`).toEqual(
            matchingIds(db, query, scope, null),
          );
        }
    };
    const made = () => lists.albums.fullLists + lists.artists.fullLists + windows.fullSorts;
    const copiesSeq = () => db.prepare('SELECT seq FROM copies_state').pluck().get() as number;
    const kept = () => [1, 11].find((id) => !otherCopies(db).has(id))!;
    expectAll('first');
    const first = made();
    // Each round is patched; all but the third move the copies' ranking (copies_state).
    const rounds: Array<[string, () => void, boolean]> = [
      // Both copies' first edit: the recordings scope lists the kept one of them.
      ['both copies edited', () => setField(db, [1, 11], 'genre', ['Solo']), true],
      ['the other copy preferred', () => preferCarrying(db, kept() === 1 ? 11 : 1, 'cli'), true],
      // The kept copy stops matching: its other copy, unchanged, matches and shows in its place.
      ['the kept copy out of the query', () => setField(db, [kept()], 'genre', ['Other']), false],
      ['the kept copy missing', () => new IngestWriter(db).markMissing([kept()], Date.now()), true],
    ];
    for (const [round, act, moves] of rounds) {
      const seq = copiesSeq();
      act();
      expect(copiesSeq() > seq, round).toBe(moves);
      expectAll(round);
    }
    expect(made()).toBe(first);
  } finally {
    db.close();
  }
});

it('checks again a copy whose place stayed while the copies above it changed', async () => {
  const home = await syntheticHome(TRACKS);
  groupCopies(home);
  const db = openDatabase(join(home, 'library.db'));
  try {
    // One recording of three copies: 1 (X), 11 (Y) and 21 (Z); the query matches X and Z, not Y.
    db.prepare(
      'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (21, 1, NULL, 0)',
    ).run();
    setField(db, [1, 21], 'genre', ['Trio']);
    const order = () =>
      copyPlaces(db)
        .filter(([, group]) => group === 1)
        .sort((a, b) => a[2] - b[2])
        .map(([id]) => id);
    const lists = new AlbumLists(db);
    const windows = new TrackWindows(db);
    const expectListed = (round: string) => {
      expect(windows.window('genre:Trio', null, 0, TRACKS, 'recordings').ids, round).toEqual(
        matchingIds(db, 'genre:Trio', 'recordings', null),
      );
      expect(lists.albums.list('genre:Trio', 'recordings'), round).toEqual(
        listAlbums(db, 'genre:Trio', 'recordings'),
      );
    };
    preferCopy(db, 11);
    expect(order()).toEqual([11, 1, 21]); // Y X Z: X listed, Z under it
    expectListed('Y kept');
    preferCopy(db, 21);
    expect(order()).toEqual([21, 1, 11]); // Z X Y: X, in the same place, now under Z
    expectListed('Z kept');
    expect(windows.window('genre:Trio', null, 0, TRACKS, 'recordings').ids).toEqual([21]);
    expect(windows.fullSorts + lists.albums.fullLists).toBe(2);
  } finally {
    db.close();
  }
});

it('makes a list whose query or sort names a field of the other copies again when the copies change', () => {
  // Where the copies stand can change `transcodedfrom` with no file's place moving (a transcode measured).
  expect(namesCopyField('transcodedfrom:')).toBe(true);
  expect(namesCopyField('genre:Rock transcodedfrom-')).toBe(true);
  expect(namesCopyField('genre:Rock', { field: 'transcodedfrom', descending: false })).toBe(true);
  expect(namesCopyField('lossycut:16 title+')).toBe(false);
  const before = { seq: 1, copies: 1 };
  const db = openDatabase(join(tempDir(), 'library.db'));
  try {
    const by = { scope: 'library' as const, recordingsCounted: false };
    expect(changedSince(db, before, { seq: 1, copies: 2 }, 100, { ...by, copyField: true })).toBeNull();
    expect(changedSince(db, before, { seq: 1, copies: 2 }, 100, { ...by, copyField: false })).toEqual([]);
  } finally {
    db.close();
  }
});

it('orders text as SQLite does: by code point, past U+FFFF too', () => {
  const words = ['a', 'ab', 'b', '\uffee', '𝄞', 'é', 'e\u0301', ''];
  expect([...words].sort(binaryCompare)).toEqual(
    [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
  );
});

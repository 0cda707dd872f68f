// A star or rating of an album or an artist follows it when its name is edited: renaming an album left
// its star on a name no album had (the Subsonic client showed the album unstarred). It moves when the
// album's last files leave for one other album (back on undo); an album split in two keeps it where it was.
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { AlbumYears } from '../../app/core/library/album-years.ts';
import { applyEdit, undoBatch } from '../../app/core/library/edits.ts';
import { allGroupMarks, groupKey, rateGroup, starGroups } from '../../app/core/library/listening.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function library() {
  const tags = (album: string, n: number, artist = 'Ada') => ({
    album: [album],
    albumartist: [artist],
    title: [`Song ${n}`],
  });
  const made = taggedLibrary([
    { path: '/music/a/1.flac', tags: tags('Blu', 1) },
    { path: '/music/a/2.flac', tags: tags('Blu', 2) },
    { path: '/music/b/3.flac', tags: tags('Red', 3) },
    { path: '/music/c/4.flac', tags: tags('Green', 4, 'Bo') },
  ]);
  open.push(made.db);
  const years = new AlbumYears(made.db);
  while (made.db.transaction(() => years.round())() > 0);
  return made;
}

const edit = (db: Db, ids: readonly number[], key: string, from: string, to: string) =>
  applyEdit(
    db,
    ids.map((fileId) => ({ fileId, key, before: [from], after: [to] })),
    { description: 'rename', origin: 'cli' },
  )!;

const marks = (db: Db, kind: 'album' | 'artist') =>
  Object.fromEntries([...allGroupMarks(db, kind)].map(([k, m]) => [k.replace('\u0000', '/'), m]));

it("moves an album's star and rating with its new name, and back on undo", () => {
  const { db, ids } = library();
  starGroups(db, [{ kind: 'album', artist: 'Ada', album: 'Blu' }], 1000);
  rateGroup(db, { kind: 'album', artist: 'Ada', album: 'Blu' }, 4);
  const batch = edit(db, ids.slice(0, 2), 'album', 'Blu', 'Blue');
  expect(marks(db, 'album')).toEqual({ 'Ada/Blue': { starredAt: 1000, rating: 4 } });
  undoBatch(db, batch);
  expect(marks(db, 'album')).toEqual({ 'Ada/Blu': { starredAt: 1000, rating: 4 } });
});

it('follows an album renamed file by file (a tagger saving through the mount), not one split in two', () => {
  const { db, ids } = library();
  starGroups(db, [{ kind: 'album', artist: 'Ada', album: 'Blu' }], 1000);
  edit(db, [ids[0]!], 'album', 'Blu', 'Blue');
  expect(Object.keys(marks(db, 'album'))).toEqual(['Ada/Blu']); // a file of it is still there
  edit(db, [ids[1]!], 'album', 'Blu', 'Blue');
  expect(Object.keys(marks(db, 'album'))).toEqual(['Ada/Blue']);
  applyEdit(
    db,
    [
      { fileId: ids[0]!, key: 'album', before: ['Blue'], after: ['Navy'] },
      { fileId: ids[1]!, key: 'album', before: ['Blue'], after: ['Azure'] },
    ],
    { description: 'split', origin: 'cli' },
  );
  expect(Object.keys(marks(db, 'album'))).toEqual(['Ada/Blue']);
});

it('leaves an album merged into one marked already its marks on its old name, found again by an undo', () => {
  const { db, ids } = library();
  starGroups(db, [{ kind: 'album', artist: 'Ada', album: 'Blu' }], 1000);
  rateGroup(db, { kind: 'album', artist: 'Ada', album: 'Blu' }, 2);
  rateGroup(db, { kind: 'album', artist: 'Ada', album: 'Red' }, 5);
  const batch = edit(db, ids.slice(0, 2), 'album', 'Blu', 'Red');
  const before = { 'Ada/Blu': { starredAt: 1000, rating: 2 }, 'Ada/Red': { starredAt: null, rating: 5 } };
  expect(marks(db, 'album')).toEqual(before);
  undoBatch(db, batch);
  expect(marks(db, 'album')).toEqual(before);
});

it('follows an album with no artist under the name the Subsonic server gives it', () => {
  const made = taggedLibrary([{ path: '/music/live.flac', tags: { album: ['Live'], title: ['One'] } }]);
  open.push(made.db);
  starGroups(made.db, [{ kind: 'album', artist: 'Unknown Artist', album: 'Live' }], 5);
  edit(made.db, made.ids, 'album', 'Live', 'Live 1999');
  expect(Object.keys(marks(made.db, 'album'))).toEqual(['Unknown Artist/Live 1999']);
});

it("moves an artist's star when all of the artist's albums take its new name", () => {
  const { db, ids } = library();
  starGroups(db, [{ kind: 'artist', artist: 'Bo', album: '' }], 7);
  starGroups(db, [{ kind: 'artist', artist: 'Ada', album: '' }], 8);
  edit(db, [ids[3]!], 'albumartist', 'Bo', 'Bö');
  edit(db, ids.slice(0, 2), 'albumartist', 'Ada', 'Ada Lovelace'); // Red is still Ada's
  expect(marks(db, 'artist')).toEqual({
    'Bö/': { starredAt: 7, rating: null },
    'Ada/': { starredAt: 8, rating: null },
  });
  expect(allGroupMarks(db, 'album').has(groupKey('Bö', 'Green'))).toBe(false); // nothing made where none was
});

it("keeps an artist's star while a track still names the artist", () => {
  const made = taggedLibrary([
    { path: '/music/1.flac', tags: { album: ['Hits'], artist: ['Cy'], title: ['One'] } },
    { path: '/music/2.flac', tags: { album: ['Hits'], artist: ['Cy'], title: ['Two'] } },
  ]);
  open.push(made.db);
  starGroups(made.db, [{ kind: 'artist', artist: 'Cy', album: '' }], 3);
  edit(made.db, made.ids, 'albumartist', '', 'Various Artists');
  expect(Object.keys(marks(made.db, 'artist'))).toEqual(['Cy/']);
});

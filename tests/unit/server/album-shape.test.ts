// An album as a Subsonic client is given it. Its dates agree: its year is its earliest track's, and so is
// its release date (the most precise of that year's), whichever track comes first in play order; the
// original release date likewise (the mount's folder shows the same year: album-years.ts). Its songs'
// paths, which clients name their cached files by, are one a song: a disc's number before the track's
// wherever the track has one, as the mount's default file names have it.
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../../app/core/db/database.ts';
import { Catalog } from '../../../app/core/library/catalog.ts';
import { album, song } from '../../../app/server/subsonic/shape.ts';
import { Views } from '../../../app/server/subsonic/view.ts';
import { taggedLibrary } from '../../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

it("gives an album's year and release date from its earliest track, not its first", async () => {
  const track = (n: number, date: string, originaldate?: string) => ({
    path: `/music/${n}.flac`,
    tags: {
      album: ['OST'],
      albumartist: ['Composer'],
      tracknumber: [String(n)],
      title: [`Piece ${n}`],
      date: [date],
      ...(originaldate ? { originaldate: [originaldate] } : {}),
    },
  });
  const { db } = taggedLibrary([
    track(1, '2008-03-01', '1999'),
    track(2, '2004'),
    track(3, '2004-10-01', '1998-06'),
  ]);
  open.push(db);
  const views = new Views(db, new Catalog(db));
  await views.read(new AbortController().signal);
  const view = views.now();
  const shaped = album([...view.groups.albums.values()][0]!, view);
  expect(shaped.year).toBe(2004);
  expect(shaped.releaseDate).toEqual({ year: 2004, month: 10, day: 1 });
  expect(shaped.originalReleaseDate).toEqual({ year: 1998, month: 6 });
});

it("names each song's path apart on an album of several discs", async () => {
  const track = (path: string, album: string, disc: string, n: number, title: string) => ({
    path,
    tags: {
      album: [album],
      albumartist: ['Band'],
      discnumber: [disc],
      tracknumber: [String(n)],
      title: [title],
    },
  });
  const { db } = taggedLibrary([
    track('/music/a1.flac', 'Live', '1', 1, 'Intro'),
    track('/music/a2.flac', 'Live', '2', 1, 'Intro'),
    track('/music/b1.flac', 'Studio', '1', 1, 'Intro'),
    {
      path: '/music/c1.flac',
      tags: { album: ['Single'], albumartist: ['Band'], tracknumber: ['1'], title: ['Intro'] },
    },
  ]);
  open.push(db);
  const views = new Views(db, new Catalog(db));
  await views.read(new AbortController().signal);
  const view = views.now();
  expect(view.groups.tracks.map((t) => song(t, view).path)).toEqual([
    'Band/Live/1-01 Intro.flac',
    'Band/Live/2-01 Intro.flac',
    'Band/Studio/01 Intro.flac',
    'Band/Single/01 Intro.flac',
  ]);
});

// Lists: albums by a rule (getAlbumList2, every type), random songs, a genre's songs, search3 (words in
// names; an empty query pages through the whole library, as the protocol asks for offline sync, in pages
// of any size: streamed, response.ts) and what is starred; each v1 list (getAlbumList, search2,
// getStarred) is the same with its albums as folders, and the first search (`search`) finds songs by field. Orders over the whole library are made once per catalog
// generation.

import { fold } from '../../core/db/fold.ts';
import type {
  CatalogAlbum,
  CatalogArtist,
  CatalogGroups,
  CatalogTrack,
} from '../../core/library/catalog-groups.ts';
import { compareNames } from '../../core/library/catalog-groups.ts';
import { checkFolder } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import {
  albumArtistSortText,
  albumArtistsBySort,
  artistsBySort,
  genreNames,
  genreTracks,
  perGeneration,
} from './names.ts';
import type { Params } from './params.ts';
import { type Fields, Streamed } from './response.ts';
import { album, albumFolder, artist, song } from './shape.ts';
import type { View } from './view.ts';

/** Most items a list gives at once (the protocol's maximum for album lists and random songs). search2 and
 *  search3 take any count: the specification sets none, clients syncing ask for pages of 1,000 and more, and
 *  a client given fewer than it asked takes it for the end; their answers are streamed, an item shaped as
 *  it is sent, so a page of the whole library costs no more memory than a page of 20. */
export const MAX_PAGE = 500;
/** Most different words a search looks for. */
export const MAX_WORDS = 32;

const albumSortName = (a: CatalogAlbum) => a.tracks[0]!.tags.albumsort?.[0] ?? a.name;
const byName = perGeneration((g) =>
  [...g.albums.values()].sort((a, b) => compareNames(albumSortName(a), albumSortName(b))),
);
const byArtist = perGeneration((g) => {
  const filed = new Map([...g.albums.values()].map((a) => [a, albumArtistSortText(g, a)]));
  return [...filed.keys()].sort(
    (a, b) =>
      compareNames(filed.get(a)!, filed.get(b)!) ||
      (a.year ?? 0) - (b.year ?? 0) ||
      compareNames(a.name, b.name),
  );
});
const newest = perGeneration((g) => [...g.albums.values()].sort((a, b) => b.addedAt - a.addedAt));
/** Each album's tracks' words folded, kept while the album is (a new generation shares the albums an edit
 *  did not touch: folding a million tracks again took 0.3 s after every edit). */
const albumTexts = new WeakMap<CatalogAlbum, readonly string[]>();
const songTexts = (a: CatalogAlbum): readonly string[] => {
  let texts = albumTexts.get(a);
  if (texts === undefined) {
    texts = a.tracks.map((t) => fold(`${t.title} ${t.artists.join(' ')} ${t.album} ${t.albumArtist}`));
    albumTexts.set(a, texts);
  }
  return texts;
};

/** The searched text of every album and artist (a song's is its album's: songTexts). */
const searchText = perGeneration((g) => ({
  albums: byName(g).map((a) => fold(`${a.name} ${a.artists.join(' ')}`)),
  artists: artistsBySort(g).map((a) => fold(a.name)),
}));

/** `count` items picked at random from `items` (each once). */
function sample<T>(items: readonly T[], count: number): T[] {
  const picked = [...items];
  const n = Math.min(count, picked.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (picked.length - i));
    [picked[i], picked[j]] = [picked[j]!, picked[i]!];
  }
  return picked.slice(0, n);
}

function byMarks(albums: Iterable<CatalogAlbum>, value: (a: CatalogAlbum) => number | null): CatalogAlbum[] {
  return [...albums]
    .map((a) => ({ a, v: value(a) }))
    .filter((x): x is { a: CatalogAlbum; v: number } => x.v !== null && x.v > 0)
    .sort((x, y) => y.v - x.v)
    .map((x) => x.a);
}

const TYPES = [
  'random',
  'newest',
  'highest',
  'frequent',
  'recent',
  'alphabeticalByName',
  'alphabeticalByArtist',
  'starred',
  'byYear',
  'byGenre',
] as const;

/** The albums getAlbumList and getAlbumList2 list, in their order, the page asked for. */
function albumList(view: View, p: Params): readonly CatalogAlbum[] {
  checkFolder(p);
  const type = p.required('type');
  const size = p.pageSize('size', 10, MAX_PAGE);
  const offset = p.int('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const g = view.groups;
  const all = () => g.albums.values();
  let list: readonly CatalogAlbum[];
  switch (type as (typeof TYPES)[number]) {
    case 'random':
      return sample([...all()], size);
    case 'newest':
      list = newest(g);
      break;
    case 'alphabeticalByName':
      list = byName(g);
      break;
    case 'alphabeticalByArtist':
      list = byArtist(g);
      break;
    case 'highest':
      list = byMarks(all(), (a) => view.marks.albums.get(a.key)?.rating ?? null);
      break;
    case 'starred':
      list = byMarks(all(), (a) => view.marks.albums.get(a.key)?.starredAt ?? null);
      break;
    case 'frequent':
      list = byMarks(all(), (a) => view.albumPlays(a).plays);
      break;
    case 'recent':
      list = byMarks(all(), (a) => view.albumPlays(a).playedAt);
      break;
    case 'byYear': {
      const from = p.int('fromYear', undefined, 0, 9999) ?? missing('fromYear');
      const to = p.int('toYear', undefined, 0, 9999) ?? missing('toYear');
      const [low, high] = from <= to ? [from, to] : [to, from];
      list = byName(g)
        .filter((a) => a.year !== null && a.year >= low && a.year <= high)
        .sort((a, b) => (from <= to ? a.year! - b.year! : b.year! - a.year!));
      break;
    }
    case 'byGenre': {
      const genre = p.required('genre');
      const names = genreNames(g, genre);
      list = byName(g).filter((a) => a.genres.some((name) => names.has(name)));
      break;
    }
    default:
      throw new SubsonicError(ERROR.generic, `type "${type.slice(0, 40)}" is not one of ${TYPES.join(', ')}`);
  }
  return list.slice(offset, offset + size);
}

export function getAlbumList2(view: View, p: Params): Fields {
  return { albumList2: { album: albumList(view, p).map((a) => album(a, view)) } };
}

/** The same list as the folders of the browsing by folder (a Child each, isDir): DSub's and older
 *  clients' lists. */
export function getAlbumList(view: View, p: Params): Fields {
  return { albumList: { album: albumList(view, p).map((a) => albumFolder(a, view)) } };
}

function missing(name: string): never {
  throw new SubsonicError(ERROR.missing, `required parameter "${name}" is missing`);
}

export function getRandomSongs(view: View, p: Params): Fields {
  checkFolder(p);
  const size = p.pageSize('size', 10, MAX_PAGE);
  const genre = p.get('genre');
  const from = p.int('fromYear', undefined, 0, 9999);
  const to = p.int('toYear', undefined, 0, 9999);
  const pool =
    genre === undefined && from === undefined && to === undefined
      ? view.groups.tracks
      : (genre === undefined ? view.groups.tracks : genreTracks(view.groups, genre)).filter(
          (t) =>
            (from === undefined || (t.year !== null && t.year >= from)) &&
            (to === undefined || (t.year !== null && t.year <= to)),
        );
  return { randomSongs: { song: sample(pool, size).map((t) => song(t, view)) } };
}

export function getSongsByGenre(view: View, p: Params): Fields {
  checkFolder(p);
  const genre = p.required('genre');
  const count = p.pageSize('count', 10, MAX_PAGE);
  const offset = p.int('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const tracks = genreTracks(view.groups, genre);
  return { songsByGenre: { song: tracks.slice(offset, offset + count).map((t) => song(t, view)) } };
}

/** The items of `items` whose text holds every word, from `offset`, at most `count`. */
function page<T>(
  items: readonly T[],
  texts: readonly string[] | undefined,
  words: readonly string[],
  offset: number,
  count: number,
): T[] {
  if (!texts || words.length === 0) return items.slice(offset, offset + count);
  const out: T[] = [];
  let skipped = 0;
  for (let i = 0; i < items.length && out.length < count; i++) {
    const text = texts[i]!;
    if (!words.every((w) => text.includes(w))) continue;
    if (skipped++ < offset) continue;
    out.push(items[i]!);
  }
  return out;
}

/** The songs, album by album, whose text holds every word, from `offset`, at most `count` (no list of a
 *  million songs' texts made after each edit: each album's are kept while it is). */
function pageSongs(
  g: CatalogGroups,
  words: readonly string[],
  offset: number,
  count: number,
): CatalogTrack[] {
  const out: CatalogTrack[] = [];
  if (count === 0) return out; // songCount=0: the client searches artists and albums only
  let skipped = 0;
  for (const album of g.albums.values()) {
    const texts = songTexts(album);
    for (let i = 0; i < texts.length; i++) {
      if (!words.every((w) => texts[i]!.includes(w)) || skipped++ < offset) continue;
      out.push(album.tracks[i]!);
      if (out.length === count) return out;
    }
  }
  return out;
}

/** `words`, refused past MAX_WORDS: each is looked for in every name, and a query of thousands of words
 *  would hold the server. */
function capped(words: string[]): string[] {
  if (words.length > MAX_WORDS)
    throw new SubsonicError(ERROR.generic, `a search holds at most ${MAX_WORDS} different words`);
  return words;
}

/** A query's words, folded, each once. A word is found inside a name, so the wildcards clients put
 *  around one (`abbey*`, as Subsonic's Lucene search took them) are dropped, as is a lone `*`. */
const wordsOf = (query: string): string[] =>
  capped([
    ...new Set(
      fold(query.replace(/^"(.*)"$/, '$1'))
        .split(/\s+/)
        .map((w) => w.replace(/^\*+|\*+$/g, ''))
        .filter((w) => w !== ''),
    ),
  ]);

/** What search2 and search3 find: artists, albums and songs holding every word of the query. */
function search(
  view: View,
  p: Params,
): { artists: CatalogArtist[]; albums: CatalogAlbum[]; songs: CatalogTrack[] } {
  checkFolder(p);
  // Clients ask for everything with an empty query, or with "" (two quotes) as some send it.
  const words = wordsOf(p.get('query') ?? '');
  const counts = (name: string, fallback: number) =>
    [
      p.int(`${name}Count`, fallback, 0, Number.MAX_SAFE_INTEGER),
      p.int(`${name}Offset`, 0, 0, Number.MAX_SAFE_INTEGER),
    ] as const;
  const [artistCount, artistOffset] = counts('artist', 20);
  const [albumCount, albumOffset] = counts('album', 20);
  const [songCount, songOffset] = counts('song', 20);
  const g = view.groups;
  // An empty query pages through the lists as they are: no text to fold and search.
  const texts = words.length > 0 ? searchText(g) : undefined;
  // Words find any artist, a guest or a composer too (getArtist opens them); no words page through the
  // album artists, getArtists' list, which clients syncing take as the library's artists.
  const artists: CatalogArtist[] = texts
    ? page(artistsBySort(g), texts.artists, words, artistOffset, artistCount)
    : albumArtistsBySort(g).slice(artistOffset, artistOffset + artistCount);
  const albums: CatalogAlbum[] = page(byName(g), texts?.albums, words, albumOffset, albumCount);
  const songs = texts
    ? pageSongs(g, words, songOffset, songCount)
    : g.tracks.slice(songOffset, songOffset + songCount);
  return { artists, albums, songs };
}

export function search3(view: View, p: Params): Fields {
  const { artists, albums, songs } = search(view, p);
  return {
    searchResult3: {
      artist: new Streamed(artists, (a) => artist(a, view)),
      album: new Streamed(albums, (a) => album(a, view)),
      song: new Streamed(songs, (t) => song(t, view)),
    },
  };
}

/** search3's answer with its albums as folders (search2, the protocol's first search by words). */
export function search2(view: View, p: Params): Fields {
  const { artists, albums, songs } = search(view, p);
  return {
    searchResult2: {
      artist: new Streamed(artists, (a) => artist(a, view)),
      album: new Streamed(albums, (a) => albumFolder(a, view)),
      song: new Streamed(songs, (t) => song(t, view)),
    },
  };
}

/** What is starred, the latest first. */
function starredOf(view: View, p: Params) {
  checkFolder(p);
  const g = view.groups;
  const starred = <T>(items: Iterable<T>, at: (item: T) => number | null | undefined) =>
    [...items]
      .flatMap((item) => {
        const when = at(item);
        return when ? [{ item, when }] : [];
      })
      .sort((a, b) => b.when - a.when)
      .map((x) => x.item);
  return {
    artists: starred(g.artists.values(), (a) => view.marks.artists.get(a.name)?.starredAt),
    albums: starred(g.albums.values(), (a) => view.marks.albums.get(a.key)?.starredAt),
    songs: starred(g.tracks, (t) => view.marks.tracks.get(t.id)?.starredAt),
  };
}

export function getStarred2(view: View, p: Params): Fields {
  const { artists, albums, songs } = starredOf(view, p);
  return {
    starred2: {
      artist: artists.map((a) => artist(a, view)),
      album: albums.map((a) => album(a, view)),
      song: songs.map((t) => song(t, view)),
    },
  };
}

/** getStarred2's answer with its albums as folders. */
export function getStarred(view: View, p: Params): Fields {
  const { artists, albums, songs } = starredOf(view, p);
  return {
    starred: {
      artist: artists.map((a) => artist(a, view)),
      album: albums.map((a) => albumFolder(a, view)),
      song: songs.map((t) => song(t, view)),
    },
  };
}

/** The first search (`search`, deprecated since 1.4.0, as the oldest clients still ask it): the songs whose
 *  title, artists and album hold the words asked of each, with the `any` words in any of them, added after
 *  `newerThan` (ms), a page of them and how many there are. */
export function searchByFields(view: View, p: Params): Fields {
  const asked = {
    title: wordsOf(p.get('title') ?? ''),
    artist: wordsOf(p.get('artist') ?? ''),
    album: wordsOf(p.get('album') ?? ''),
  };
  // `any` is words looked for anywhere (Subsonic's first API); the OpenSubsonic description types it a
  // flag, so true or false from a client that follows it are no words.
  const any = p.get('any') ?? '';
  const anyWords = any === 'true' || any === 'false' ? [] : wordsOf(any);
  const every = capped([...new Set([...anyWords, ...Object.values(asked).flat()])]);
  const count = p.pageSize('count', 20, MAX_PAGE);
  const offset = p.int('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const newerThan = p.int('newerThan', 0, 0, Number.MAX_SAFE_INTEGER);
  const holds = (text: string, words: readonly string[]) => {
    if (words.length === 0) return true;
    const folded = fold(text);
    return words.every((w) => folded.includes(w));
  };
  const match: CatalogTrack[] = [];
  let totalHits = 0;
  for (const album of view.groups.albums.values()) {
    const texts = songTexts(album);
    for (let i = 0; i < texts.length; i++) {
      const t = album.tracks[i]!;
      // Every word is somewhere in a song's text: the fields are folded only for the songs that hold them.
      if (t.addedAt <= newerThan || !every.every((w) => texts[i]!.includes(w))) continue;
      if (!holds(t.title, asked.title)) continue;
      if (!holds(`${t.artists.join(' ')} ${t.albumArtist}`, asked.artist)) continue;
      if (!holds(t.album, asked.album)) continue;
      if (totalHits++ >= offset && match.length < count) match.push(t);
    }
  }
  return { searchResult: { offset, totalHits, match: match.map((t) => song(t, view)) } };
}

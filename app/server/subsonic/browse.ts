// Browsing by tags: the one music folder, the artists indexed by letter (getIndexes, getArtists), an
// artist's albums, an album's songs, a song, the genres. Browsing by folder (getIndexes, getMusicDirectory,
// what DSub and older clients do by default) walks the tree the mount makes with the server's template:
// under the default one, the music folder, an album artist's folder, an album's folder of songs; under
// another, its own folders (folders.ts). An album or artist folder a v1 list names opens under either.
import type { CatalogArtist } from '../../core/library/catalog-groups.ts';
import { compareNames } from '../../core/library/catalog-groups.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { folderChild, type TemplateFolder } from './folders.ts';
import { idNumber, MUSIC_FOLDER, parseId } from './ids.ts';
import {
  albumArtistsBySort,
  artistNamed,
  artistSortText,
  IGNORED_ARTICLES,
  withoutArticle,
} from './names.ts';
import { type Params, wholeNumber } from './params.ts';
import type { Fields } from './response.ts';
import { album, albumFolder, artist, artistAlbums, artistFolder, song } from './shape.ts';
import type { View } from './view.ts';

function indexLetter(text: string): string {
  const c = text.normalize('NFD').charAt(0).toUpperCase();
  return /\p{L}/u.test(c) ? c : '#';
}

/** Entries by their letter, in the order given. */
function byLetter<T>(items: readonly T[], text: (item: T) => string, entry: (item: T) => object): Fields[] {
  const letters = new Map<string, object[]>();
  for (const item of items) {
    const letter = indexLetter(text(item));
    const list = letters.get(letter) ?? [];
    list.push(entry(item));
    letters.set(letter, list);
  }
  return [...letters].map(([name, list]) => ({ name, artist: list }));
}

/** Whether `id` names the one music folder, written as a client may write a number ("01"). */
const isMusicFolder = (id: string): boolean => wholeNumber(id) === MUSIC_FOLDER.id;

/** A musicFolderId other than the one folder's is refused. */
export function checkFolder(p: Params): void {
  const folder = p.get('musicFolderId');
  if (folder !== undefined && folder !== '' && !isMusicFolder(folder))
    throw new SubsonicError(
      ERROR.notFound,
      `there is no music folder ${folder.slice(0, 20)} (Sleeve has one: 1)`,
    );
}

/** Album artists by letter, made once per catalog generation and marks version. */
const indexCache = new WeakMap<View['groups'], { marks: number; index: Fields[] }>();

function artistIndex(view: View): Fields[] {
  const hit = indexCache.get(view.groups);
  if (hit?.marks === view.marks.version) return hit.index;
  const index = byLetter(albumArtistsBySort(view.groups), artistSortText, (a) => artist(a, view));
  indexCache.set(view.groups, { marks: view.marks.version, index });
  return index;
}

export function getMusicFolders(): Fields {
  return { musicFolders: { musicFolder: [MUSIC_FOLDER] } };
}

/** The music folder's own entries by letter: the album artists, or a template's top folders (their
 *  ids open with getMusicDirectory), and the tracks a template files at the top. */
export function getIndexes(view: View, p: Params, changedAt: number): Fields {
  checkFolder(p);
  const since = p.int('ifModifiedSince', undefined, 0, Number.MAX_SAFE_INTEGER);
  const unchanged = since !== undefined && since >= changedAt;
  const top = view.folders()?.top;
  const indexes = { ignoredArticles: IGNORED_ARTICLES, lastModified: changedAt };
  if (unchanged) return { indexes: { ...indexes, index: [] } };
  if (!top) return { indexes: { ...indexes, index: artistIndex(view) } };
  return {
    indexes: {
      ...indexes,
      index: byLetter(
        top.folders,
        (f) => withoutArticle(f.name),
        (f) => ({ id: f.id, name: f.name }),
      ),
      child: top.songs.map((t) => song(t, view)),
    },
  };
}

export function getArtists(view: View, p: Params): Fields {
  checkFolder(p);
  return { artists: { ignoredArticles: IGNORED_ARTICLES, index: artistIndex(view) } };
}

export function findArtist(view: View, text: string): CatalogArtist {
  const found = view.artistById.get(`ar-${parseId(text, ['ar']).value}`);
  if (!found) throw new SubsonicError(ERROR.notFound, `artist ${text} is not in the library`);
  return found;
}

export function findAlbum(view: View, text: string) {
  const found = view.albumById.get(`al-${parseId(text, ['al']).value}`);
  if (!found) throw new SubsonicError(ERROR.notFound, `album ${text} is not in the library`);
  return found;
}

export function getArtist(view: View, p: Params): Fields {
  const a = findArtist(view, p.required('id'));
  const albums = artistAlbums(a);
  return {
    artist: {
      ...artist(a, view),
      albumCount: albums.length,
      album: [...albums]
        .sort((x, y) => (x.year ?? 0) - (y.year ?? 0) || compareNames(x.name, y.name))
        .map((al) => album(al, view)),
    },
  };
}

export function getAlbum(view: View, p: Params): Fields {
  const a = findAlbum(view, p.required('id'));
  return { album: { ...album(a, view), song: a.tracks.map((t) => song(t, view)) } };
}

export function findTrack(view: View, text: string) {
  const found = view.track(idNumber(parseId(text, ['tr'])));
  if (!found) throw new SubsonicError(ERROR.notFound, `song ${text} is not in the library`);
  return found;
}

/** The song an OpenSubsonic extension's `mediaId` names (its `mediaType` must say song: Sleeve serves no
 *  podcasts). */
export function findMedia(view: View, p: Params) {
  const mediaType = p.required('mediaType');
  if (mediaType !== 'song')
    throw new SubsonicError(ERROR.generic, `mediaType "${mediaType.slice(0, 20)}": Sleeve serves songs only`);
  return findTrack(view, p.required('mediaId'));
}

export function getSong(view: View, p: Params): Fields {
  return { song: song(findTrack(view, p.required('id')), view) };
}

export function getGenres(view: View): Fields {
  const genres = [...view.groups.genres].map(([value, tracks]) => ({
    value,
    songCount: tracks.length,
    albumCount: new Set(tracks.map((t) => view.groups.albumOf.get(t.id))).size,
  }));
  genres.sort((a, b) => compareNames(a.value, b.value));
  return { genres: { genre: genres } };
}

/** A folder of the browsing by folder: the music folder (its album artists), an album artist (their
 *  albums, oldest first) or an album (its songs). */
export function getMusicDirectory(view: View, p: Params): Fields {
  const asked = p.required('id');
  const id = isMusicFolder(asked) ? String(MUSIC_FOLDER.id) : asked;
  const tree = view.folders();
  if (tree && id === String(MUSIC_FOLDER.id)) return templateDirectory(tree.top, MUSIC_FOLDER.name, view);
  if (tree && parseId(id, ['ar', 'al', 'fo']).kind === 'fo') {
    const folder = tree.byId.get(id);
    if (!folder) throw new SubsonicError(ERROR.notFound, `folder ${id} is not in the library`);
    return templateDirectory(folder, folder.name, view);
  }
  if (id === String(MUSIC_FOLDER.id)) {
    const artists = albumArtistsBySort(view.groups);
    return {
      directory: {
        id,
        name: MUSIC_FOLDER.name,
        child: artists.map((a) => ({ ...artistFolder(a, view), parent: id })),
      },
    };
  }
  const { kind } = parseId(id, ['ar', 'al']);
  if (kind === 'ar') {
    const a = findArtist(view, id);
    const marks = view.marks.artists.get(a.name);
    const albums = [...artistAlbums(a)].sort(
      (x, y) => (x.year ?? 0) - (y.year ?? 0) || compareNames(x.name, y.name),
    );
    return {
      directory: {
        id,
        parent: String(MUSIC_FOLDER.id),
        name: a.name,
        starred: marks?.starredAt ? new Date(marks.starredAt).toISOString() : undefined,
        userRating: marks?.rating ?? undefined,
        child: albums.map((al) => albumFolder(al, view)),
      },
    };
  }
  const al = findAlbum(view, id);
  const folder = albumFolder(al, view);
  return {
    directory: {
      id,
      parent: folder.parent,
      name: al.name,
      starred: folder.starred,
      userRating: folder.userRating,
      playCount: folder.playCount,
      child: al.tracks.map((t) => song(t, view)),
    },
  };
}

/** A template folder's folders, then its songs. */
function templateDirectory(folder: TemplateFolder, name: string, view: View): Fields {
  return {
    directory: {
      id: folder.id,
      parent: folder.parent,
      name,
      child: [...folder.folders.map(folderChild), ...folder.songs.map((t) => song(t, view))],
    },
  };
}

/** What the library knows of an album (never the web): its MusicBrainz release id, from its tags. Both
 *  getAlbumInfo and getAlbumInfo2 answer `albumInfo`. */
export function getAlbumInfo(view: View, p: Params): Fields {
  const id = p.required('id');
  const { kind } = parseId(id, ['al', 'tr']);
  const al = kind === 'al' ? findAlbum(view, id) : view.groups.albumOf.get(findTrack(view, id).id);
  const mbid = al?.tracks.map((t) => t.tags.musicbrainz_albumid?.[0]).find((x) => x !== undefined);
  return { albumInfo: { musicBrainzId: mbid } };
}

/** An artist's most played songs (the library's plays, never the web), by name as clients ask (any case). */
export function getTopSongs(view: View, p: Params): Fields {
  const a = artistNamed(view.groups, p.required('artist'));
  const count = p.int('count', 50, 0, 500);
  if (!a) return { topSongs: { song: [] } };
  const played = [...a.albums, ...a.appearsOn]
    .flatMap((al) => al.tracks)
    .filter((t) => t.artists.includes(a.name) || t.albumArtist === a.name)
    .map((t) => ({ t, plays: view.marks.tracks.get(t.id)?.plays ?? 0 }))
    .filter((x) => x.plays > 0)
    .sort((x, y) => y.plays - x.plays);
  const unique = [...new Map(played.map((x) => [x.t.id, x.t])).values()];
  return { topSongs: { song: unique.slice(0, count).map((t) => song(t, view)) } };
}

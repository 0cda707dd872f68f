// Names as the server orders them and as clients give them back. Artists and albums by artist are filed
// past a leading article, as getArtists says it does (`ignoredArticles`): every list ordered by artist
// agrees, so "The Beatles" is under B in the index, the album list by artist and a search's artists. A
// genre or an artist asked by name is the one so written, else the one written with other case or accents
// ("rock" for Rock: clients that take a name typed or spoken, or from another server, lowercase it).
import { fold } from '../../core/db/fold.ts';
import type {
  CatalogAlbum,
  CatalogArtist,
  CatalogGroups,
  CatalogTrack,
} from '../../core/library/catalog-groups.ts';
import { compareNames, isAlbumArtist } from '../../core/library/catalog-groups.ts';

export const IGNORED_ARTICLES = 'The El La Los Las Le Les';
const ARTICLE = new RegExp(`^(?:${IGNORED_ARTICLES.split(' ').join('|')})\\s+`, 'i');

export const withoutArticle = (name: string): string => name.replace(ARTICLE, '');

/** What an artist is filed under: its sort name, else its name without a leading article. */
export const artistSortText = (a: CatalogArtist): string => a.sortName ?? withoutArticle(a.name);

/** What an album is filed under by artist: where getArtists files its album artist. */
export function albumArtistSortText(g: CatalogGroups, a: CatalogAlbum): string {
  const artist = g.artists.get(a.artist);
  return artist ? artistSortText(artist) : withoutArticle(a.artist);
}

/** A value computed once per catalog generation (an edit makes a new one). */
export function perGeneration<T>(make: (groups: CatalogGroups) => T): (groups: CatalogGroups) => T {
  const cache = new WeakMap<CatalogGroups, T>();
  return (groups) => {
    const hit = cache.get(groups);
    if (hit !== undefined) return hit;
    const value = make(groups);
    cache.set(groups, value);
    return value;
  };
}

/** `artists` by what each is filed under, worked out once an artist (not twice a comparison). */
function bySortText(artists: readonly CatalogArtist[]): CatalogArtist[] {
  const filed = artists.map((a) => ({ a, text: artistSortText(a) }));
  filed.sort((x, y) => compareNames(x.text, y.text));
  return filed.map((x) => x.a);
}

/** The album artists as getArtists lists them. */
export const albumArtistsBySort = perGeneration((g) =>
  bySortText([...g.artists.values()].filter(isAlbumArtist)),
);

/** Every artist, album artists and those only a track names or credits, in the same order. */
export const artistsBySort = perGeneration((g) => bySortText([...g.artists.values()]));

/** Names by their folding, for a name asked in another case or with other accents. */
function byFolding(names: Iterable<string>): Map<string, string[]> {
  const folded = new Map<string, string[]>();
  for (const name of names) {
    const key = fold(name);
    const list = folded.get(key);
    if (list) list.push(name);
    else folded.set(key, [name]);
  }
  return folded;
}
const genresByFolding = perGeneration((g) => byFolding(g.genres.keys()));
const artistsByFolding = perGeneration((g) => byFolding(g.artists.keys()));

/** The genres a client's `asked` means: itself if the library has it so written, else every genre that
 *  differs from it only in case or accents (none if no genre does). */
export function genreNames(g: CatalogGroups, asked: string): ReadonlySet<string> {
  if (g.genres.has(asked)) return new Set([asked]);
  return new Set(genresByFolding(g).get(fold(asked)) ?? []);
}

/** The tracks of the genres `asked` means, each once, in album order when it is one genre. */
export function genreTracks(g: CatalogGroups, asked: string): readonly CatalogTrack[] {
  const lists = [...genreNames(g, asked)].map((name) => g.genres.get(name) ?? []);
  if (lists.length <= 1) return lists[0] ?? [];
  return [...new Map(lists.flat().map((t) => [t.id, t])).values()];
}

/** The artist a client's `asked` names: the one so written, else the first differing only in case or accents. */
export function artistNamed(g: CatalogGroups, asked: string): CatalogArtist | undefined {
  const name = g.artists.has(asked) ? asked : artistsByFolding(g).get(fold(asked))?.[0];
  return name === undefined ? undefined : g.artists.get(name);
}

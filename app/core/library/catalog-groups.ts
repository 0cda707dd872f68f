// The catalog's model (catalog.ts): the tracks a player is given, and how they are grouped — albums by
// album-tile.ts's key (album artist, else first artist, and title), artists by name (album artists,
// track artists and credited names), genres. A full grouping makes every album and artist from the
// tracks; a patch, after a few files changed, remakes only the albums those files were and are on and the
// artists of those albums, the rest kept as they were (an edit at 100k tracks: tens of milliseconds, not hundreds).

import { joined } from '../../../kit/joined.ts';
import { FIELD_TABLE } from '../../shared/field-table.ts';
import { performerParts } from '../../shared/performer-credit.ts';
import { discsSaid } from '../../shared/track-numbers.ts';
import { PatchedMap } from './patched-map.ts';

/** The fields a player is shown (list.ts reads only these: lyrics and pictures stay in the library). */
export const CATALOG_KEYS: readonly string[] = Object.keys(FIELD_TABLE).filter(
  (key) => FIELD_TABLE[key]!.catalog,
);

export interface CatalogTrack {
  readonly id: number;
  readonly format: string | null;
  readonly codec: string | null;
  readonly duration: number | null;
  /** Bits per second. */
  readonly bitrate: number | null;
  readonly sampleRate: number | null;
  readonly channels: number | null;
  readonly bitDepth: number | null;
  /** Bytes a player receives (served-file.ts: the served size recorded for this version), else the
   *  original's. */
  readonly size: number;
  /** When the library first found the file (ms). */
  readonly addedAt: number;
  readonly hasArt: boolean;
  readonly tags: Readonly<Partial<Record<string, readonly string[]>>>;
  /** Its title tag, else its file's name without the extension (path-source.ts's fileStem): what the app,
   *  `sleeve ls` and the mount call it. */
  readonly title: string;
  /** The album it is on (album-tile.ts's key): its artist and title, each unknown-names.ts's when the
   *  track names none. */
  readonly albumArtist: string;
  readonly album: string;
  /** Its artists, one a value: the `artists` field when it has one, else the `artist` values, else the
   *  album artists, else the unknown artist (as the mount's $artist). */
  readonly artists: readonly string[];
  readonly year: number | null;
  /** Its folder under the catalog's path template ('' : at the top), when the catalog renders one. */
  readonly folder?: string;
  /** Its file name there. */
  readonly fileName?: string;
}

export interface CatalogAlbum {
  /** groupKey(artist, name) of listening.ts: what names it. */
  readonly key: string;
  readonly name: string;
  /** The tile's artist: the album artist, else the first track's first artist (the unknown artist's name
   *  when it names none: catalog.ts). */
  readonly artist: string;
  /** Every album artist (the field's values), else the tile's artist. */
  readonly artists: readonly string[];
  /** By disc, track number, title. */
  readonly tracks: readonly CatalogTrack[];
  /** How many discs its tracks say it has (track-numbers.ts: discsSaid), 0 when none says. */
  readonly discs: number;
  readonly year: number | null;
  readonly genres: readonly string[];
  /** Its tracks by genre, in its order (a track once under each genre it names). */
  readonly byGenre: ReadonlyMap<string, readonly CatalogTrack[]>;
  readonly duration: number;
  readonly addedAt: number;
  /** A track whose pictures are the album's cover. */
  readonly artTrack: CatalogTrack | undefined;
}

export interface CatalogArtist {
  readonly name: string;
  /** Albums they are the album artist of. */
  readonly albums: readonly CatalogAlbum[];
  /** Albums they only appear on (a track's artist, or a credit): what getArtist falls back to. */
  readonly appearsOn: readonly CatalogAlbum[];
  readonly sortName: string | null;
}

/** The albums, artists and genres made of the tracks at one moment. */
export interface CatalogGroups {
  /** A number that changes whenever the groups are made again. */
  readonly generation: number;
  /** Served tracks (kept copies), in album order. */
  readonly tracks: readonly CatalogTrack[];
  readonly albums: ReadonlyMap<string, CatalogAlbum>;
  readonly albumOf: ReadonlyMap<number, CatalogAlbum>;
  readonly artists: ReadonlyMap<string, CatalogArtist>;
  /** Genre → its tracks, in album order. */
  readonly genres: ReadonlyMap<string, readonly CatalogTrack[]>;
}

/** The roles whose names a track credits: the field table's credits (app/shared/field-table.ts), each a
 *  field the catalog reads. */
export const CREDIT_KEYS = Object.keys(FIELD_TABLE).filter((key) => FIELD_TABLE[key]!.credit);

export const number = (text: string | undefined): number | null => {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isFinite(n) ? n : null;
};

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
/** Names as a list orders them: case and accents aside. */
export const compareNames = (a: string, b: string): number =>
  collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** Tracks of one album in play order: disc, track number, title. */
function albumOrder(a: CatalogTrack, b: CatalogTrack): number {
  return (
    (number(a.tags.discnumber?.[0]) ?? 1) - (number(b.tags.discnumber?.[0]) ?? 1) ||
    (number(a.tags.tracknumber?.[0]) ?? 0) - (number(b.tags.tracknumber?.[0]) ?? 0) ||
    compareNames(a.title, b.title) ||
    a.id - b.id
  );
}

/** The album a track is on: its key, what listening.ts's groupKey makes of its artist and title. */
export const albumKeyOf = (t: CatalogTrack): string => `${t.albumArtist}\u0000${t.album}`;

/** An album of `tracks` (sorted here in play order). */
function makeAlbum(key: string, tracks: CatalogTrack[]): CatalogAlbum {
  tracks.sort(albumOrder);
  const first = tracks[0]!;
  const byGenre = new Map<string, CatalogTrack[]>();
  for (const t of tracks)
    for (const genre of new Set(t.tags.genre ?? [])) {
      const list = byGenre.get(genre);
      if (list) list.push(t);
      else byGenre.set(genre, [t]);
    }
  return {
    key,
    name: first.album,
    artist: first.albumArtist,
    artists: first.tags.albumartist?.length ? first.tags.albumartist : [first.albumArtist],
    tracks,
    discs: tracks.reduce(
      (most, t) => Math.max(most, discsSaid(t.tags.discnumber?.[0], t.tags.totaldiscs?.[0])),
      0,
    ),
    year: tracks.reduce<number | null>(
      (y, t) => (t.year !== null && (y === null || t.year < y) ? t.year : y),
      null,
    ),
    genres: [...byGenre.keys()],
    byGenre,
    duration: tracks.reduce((s, t) => s + (t.duration ?? 0), 0),
    addedAt: tracks.reduce((at, t) => Math.min(at, t.addedAt), Number.POSITIVE_INFINITY),
    artTrack: tracks.find((t) => t.hasArt),
  };
}

/** The names an album gives: its album artists', and every track artist's and credited name. */
function namesOn(album: CatalogAlbum): { own: readonly string[]; appears: Set<string> } {
  const appears = new Set<string>();
  for (const t of album.tracks) {
    for (const name of t.artists) appears.add(name);
    for (const role of CREDIT_KEYS)
      for (const value of t.tags[role] ?? [])
        appears.add(role === 'performer' ? performerParts(value).name : value);
  }
  return { own: album.artists, appears };
}

/** Whether an artist is an album's artist: those an artist list shows (not one only credited on tracks). */
export const isAlbumArtist = (a: CatalogArtist): boolean => a.albums.length > 0;

/** What an artist is in the library, as OpenSubsonic's roles name it: the album artist of an album, a
 *  track's artist, and each credit (composer, performer, …) a track gives them. */
export function rolesOf(a: CatalogArtist): string[] {
  const roles = new Set<string>();
  if (isAlbumArtist(a)) roles.add('albumartist');
  for (const album of [...a.albums, ...a.appearsOn])
    for (const t of album.tracks) {
      if (t.artists.includes(a.name)) roles.add('artist');
      for (const role of CREDIT_KEYS)
        for (const value of t.tags[role] ?? [])
          if ((role === 'performer' ? performerParts(value).name : value) === a.name) roles.add(role);
    }
  return [...roles];
}

/** An artist's sort name: on the first of their albums (in album order) that gives one, the album
 *  artist sort of an album they are the album artist of, else the artist sort of a track they lead. */
function sortNameOf(name: string, albums: readonly CatalogAlbum[]): string | null {
  for (const album of albums) {
    const first = album.tracks[0]!.tags;
    if (first.albumartist?.[0] === name && first.albumartistsort?.[0]) return first.albumartistsort[0];
    for (const t of album.tracks)
      if (t.artists[0] === name && t.tags.artistsort?.[0]) return t.tags.artistsort[0];
  }
  return null;
}

/** Who is on which album, kept from one grouping to the next so that a patch changes only the names of
 *  the albums it remakes. */
export class ArtistIndex {
  readonly #names = new Map<string, { own: Set<CatalogAlbum>; appears: Set<CatalogAlbum> }>();

  /** Adds (or removes) an album under each name it gives; the names go into `touched`. */
  change(album: CatalogAlbum, add: boolean, touched: Set<string>): void {
    const { own, appears } = namesOn(album);
    const entry = (name: string) => {
      touched.add(name);
      let e = this.#names.get(name);
      if (!e) {
        e = { own: new Set(), appears: new Set() };
        this.#names.set(name, e);
      }
      return e;
    };
    for (const name of own) add ? entry(name).own.add(album) : entry(name).own.delete(album);
    for (const name of appears) add ? entry(name).appears.add(album) : entry(name).appears.delete(album);
  }

  /** The artist named, their albums in album order (`place`: each album's place); undefined when no
   *  album names them any more. */
  artist(name: string, place: ReadonlyMap<string, number>): CatalogArtist | undefined {
    const e = this.#names.get(name);
    if (!e || (e.own.size === 0 && e.appears.size === 0) || name === '') {
      this.#names.delete(name);
      return undefined;
    }
    const inOrder = (albums: Iterable<CatalogAlbum>) =>
      [...albums].sort((a, b) => place.get(a.key)! - place.get(b.key)!);
    const albums = inOrder(e.own);
    const appearsOn = inOrder([...e.appears].filter((a) => !e.own.has(a)));
    return {
      name,
      albums,
      appearsOn,
      sortName: sortNameOf(name, inOrder(new Set([...e.own, ...e.appears]))),
    };
  }
}

/** The groups with their lists of every track and each genre's, made when first asked for: a search, an
 *  album or a folder needs neither, and an edit makes a new generation. */
function withLists(groups: Omit<CatalogGroups, 'tracks' | 'genres'>): CatalogGroups {
  let lists: ReturnType<typeof flatten> | undefined;
  return {
    ...groups,
    get tracks() {
      lists ??= flatten(groups.albums);
      return lists.tracks;
    },
    get genres() {
      lists ??= flatten(groups.albums);
      return lists.genres;
    },
  };
}

/** Every served track in album order, and each genre's: the albums' own lists joined, not a million
 *  tracks pushed one by one and read for their genres (0.35 s at a million tracks, after every edit). */
function flatten(albums: ReadonlyMap<string, CatalogAlbum>) {
  const tracks: Array<readonly CatalogTrack[]> = [];
  const genres = new Map<string, Array<readonly CatalogTrack[]>>();
  for (const album of albums.values()) {
    tracks.push(album.tracks);
    for (const [genre, ofGenre] of album.byGenre) {
      const parts = genres.get(genre);
      if (parts) parts.push(ofGenre);
      else genres.set(genre, [ofGenre]);
    }
  }
  return {
    tracks: joined(tracks),
    genres: new Map([...genres].map(([genre, parts]) => [genre, joined(parts)])),
  };
}

const places = (albums: ReadonlyMap<string, CatalogAlbum>) =>
  new Map([...albums.keys()].map((k, i) => [k, i]));

/** Groups made from the served tracks (in the catalog's order), and the index they were made with. */
export function groupAll(
  served: Iterable<CatalogTrack>,
  generation: number,
): { groups: CatalogGroups; index: ArtistIndex } {
  const byAlbum = new Map<string, CatalogTrack[]>();
  for (const t of served) {
    const key = albumKeyOf(t);
    const list = byAlbum.get(key);
    if (list) list.push(t);
    else byAlbum.set(key, [t]);
  }
  const albums = new Map<string, CatalogAlbum>();
  const albumOf = new Map<number, CatalogAlbum>();
  const index = new ArtistIndex();
  const touched = new Set<string>();
  for (const [key, tracks] of byAlbum) {
    const album = makeAlbum(key, tracks);
    albums.set(key, album);
    for (const t of album.tracks) albumOf.set(t.id, album);
    index.change(album, true, touched);
  }
  const place = places(albums);
  const artists = new Map<string, CatalogArtist>();
  for (const name of touched) {
    const artist = index.artist(name, place);
    if (artist) artists.set(name, artist);
  }
  return { groups: withLists({ generation, albums, albumOf, artists }), index };
}

/**
 * `prev` with the albums that the `changed` files were and are on made again from `tracksOf` (the served
 * tracks of an album key, now), and the artists of those albums; every other album and artist kept. The
 * albums keep their order (a new one goes last), so a client paging through the library is not thrown.
 */
export function patchGroups(
  prev: CatalogGroups,
  index: ArtistIndex,
  changed: Iterable<{ readonly id: number; readonly now: CatalogTrack | undefined }>,
  tracksOf: (key: string) => CatalogTrack[],
  generation: number,
): CatalogGroups {
  const keys = new Set<string>();
  for (const { id, now } of changed) {
    const was = prev.albumOf.get(id);
    if (was) keys.add(was.key);
    if (now) keys.add(albumKeyOf(now));
  }
  const remade = new Map<string, CatalogAlbum | undefined>();
  for (const key of keys) {
    const tracks = tracksOf(key);
    remade.set(key, tracks.length > 0 ? makeAlbum(key, tracks) : undefined);
  }
  const albums = new Map<string, CatalogAlbum>();
  for (const [key, album] of prev.albums) {
    const now = remade.has(key) ? remade.get(key) : album;
    if (now) albums.set(key, now);
  }
  for (const [key, album] of remade) if (album && !prev.albums.has(key)) albums.set(key, album);
  const touched = new Set<string>();
  const left: number[] = [];
  const placed: Array<[number, CatalogAlbum]> = [];
  for (const key of keys) {
    const was = prev.albums.get(key);
    if (!was) continue;
    for (const t of was.tracks) left.push(t.id);
    index.change(was, false, touched);
  }
  for (const album of remade.values()) {
    if (!album) continue;
    for (const t of album.tracks) placed.push([t.id, album]);
    index.change(album, true, touched);
  }
  const albumOf = PatchedMap.patch(prev.albumOf, left, placed);
  const place = places(albums);
  const artists = new Map(prev.artists);
  for (const name of touched) {
    const artist = index.artist(name, place);
    if (artist) artists.set(name, artist);
    else artists.delete(name);
  }
  return withLists({ generation, albums, albumOf, artists });
}

// What one request answers from: the catalog's groups now, the listening marks now, and the ids of the
// albums and artists — made once per catalog generation and marks version, so a request only looks up.
import type { Db } from '../../core/db/database.ts';
import type { Catalog } from '../../core/library/catalog.ts';
import type {
  CatalogAlbum,
  CatalogArtist,
  CatalogGroups,
  CatalogTrack,
} from '../../core/library/catalog-groups.ts';
import { isAlbumArtist } from '../../core/library/catalog-groups.ts';
import {
  allGroupMarks,
  allTrackMarks,
  type GroupMarks,
  groupKey,
  marksVersion,
  type TrackMarks,
} from '../../core/library/listening.ts';
import { type FolderTree, folderTree, type MadeTree } from './folders.ts';
import { albumId, artistId } from './ids.ts';

export interface Marks {
  readonly version: number;
  readonly tracks: ReadonlyMap<number, TrackMarks>;
  /** By album key. */
  readonly albums: ReadonlyMap<string, GroupMarks>;
  /** By artist name. */
  readonly artists: ReadonlyMap<string, GroupMarks>;
}

export interface View {
  readonly groups: CatalogGroups;
  readonly marks: Marks;
  readonly albumById: ReadonlyMap<string, CatalogAlbum>;
  readonly artistById: ReadonlyMap<string, CatalogArtist>;
  /** A present file by id, kept copy or not (a playlist may name another copy). */
  track(id: number): CatalogTrack | undefined;
  /** An album's plays and last play: its tracks' together. */
  albumPlays(album: CatalogAlbum): { plays: number; playedAt: number | null };
  /** The folders of the server's path template; null under the default template, whose folders are the
   *  album artists and their albums. */
  folders(): FolderTree | null;
}

/** What the server read: the songs, albums and artists (those its artist lists show) it serves. */
export interface LibraryRead {
  readonly songs: number;
  readonly albums: number;
  readonly artists: number;
}

export class Views {
  readonly #db: Db;
  readonly #catalog: Catalog;
  #ids: {
    generation: number;
    albums: Map<string, CatalogAlbum>;
    artists: Map<string, CatalogArtist>;
  } | null = null;
  #marks: Marks | null = null;
  /** The template's folder tree last made, patched to the next generation when a client browses. */
  #tree: MadeTree | undefined;
  /** Whether the library has been read (read()). */
  #read = false;
  #generation = -1;
  #changedAt = Date.now();

  constructor(db: Db, catalog: Catalog) {
    this.#db = db;
    this.#catalog = catalog;
  }

  #folders(groups: CatalogGroups): FolderTree {
    const tree = folderTree(groups, this.#tree);
    this.#tree = { generation: groups.generation, albums: groups.albums, tree };
    return tree;
  }

  /** Reads the library once, a chunk at a time with the event loop free between chunks (a client logs in
   *  meanwhile, a backend hosting the server goes on answering); a template's folders are made then too,
   *  so that a phone's first browse by folder is answered from them (273 ms at 100k tracks when the first
   *  getIndexes made them). Rejects with the signal's reason once it is aborted. */
  async read(signal: AbortSignal): Promise<LibraryRead> {
    await this.#catalog.prime(signal);
    this.#read = true;
    this.now().folders();
    // What clients are served: a song a recording (its kept copy), not a song a file; the artists their
    // artist lists show (getArtists: album artists), not those only credited on a track.
    const { tracks, albums, artists } = this.#catalog.groups();
    let listed = 0;
    for (const a of artists.values()) if (isAlbumArtist(a)) listed++;
    return { songs: tracks.length, albums: albums.size, artists: listed };
  }

  /** When the albums and artists last changed, as far as an answer has seen (getIndexes' lastModified). */
  get changedAt(): number {
    return this.#changedAt;
  }

  /** The library now (after read(): before, this would read it all at once, the event loop held). */
  now(): View {
    if (!this.#read) throw new Error('the library is not read yet');
    this.#catalog.refresh();
    const groups = this.#catalog.groups();
    if (groups.generation !== this.#generation) {
      this.#generation = groups.generation;
      this.#changedAt = Date.now();
    }
    if (this.#ids?.generation !== groups.generation)
      this.#ids = {
        generation: groups.generation,
        albums: new Map([...groups.albums.values()].map((a) => [albumId(a.key), a])),
        artists: new Map([...groups.artists.values()].map((a) => [artistId(a.name), a])),
      };
    const version = marksVersion(this.#db);
    if (this.#marks?.version !== version) {
      const artists = new Map<string, GroupMarks>();
      for (const [key, m] of allGroupMarks(this.#db, 'artist')) artists.set(key.split('\u0000')[0]!, m);
      this.#marks = {
        version,
        tracks: allTrackMarks(this.#db),
        albums: allGroupMarks(this.#db, 'album'),
        artists,
      };
    }
    const marks = this.#marks;
    const catalog = this.#catalog;
    return {
      track: (id) => catalog.track(id),
      groups,
      marks,
      albumById: this.#ids.albums,
      artistById: this.#ids.artists,
      folders: () => (catalog.rendersPaths ? this.#folders(groups) : null),
      albumPlays(album) {
        let plays = 0;
        let playedAt: number | null = null;
        for (const t of album.tracks) {
          const m = marks.tracks.get(t.id);
          if (!m) continue;
          plays += m.plays;
          if (m.playedAt !== null && (playedAt === null || m.playedAt > playedAt)) playedAt = m.playedAt;
        }
        return { plays, playedAt };
      },
    };
  }
}

/** The key an artist's marks are kept under (listening.ts: an artist is a group with album ''). */
export const artistKey = (name: string): string => groupKey(name, '');

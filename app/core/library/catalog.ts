// The library as a remote player browses it (the Subsonic server): the tracks the mount serves — present
// files, one per recording (its kept copy, fingerprint/duplicates.ts) — with their effective tags and
// served ReplayGain, grouped into albums (album-tile.ts: album artist, else first artist, and title) and
// artists. Held in memory and kept in step with the change feed (change-feed.ts) and the kept copies
// (copies_state.seq): a refresh reads only the files that changed, so an edit shows in the next answer,
// and each answer is read from memory (a client pages through 100k tracks). The groups are made again
// from memory after a change, once, when next asked for.
import type { Db } from '../db/database.ts';
import { otherCopies } from '../fingerprint/duplicates.ts';
import { filesByIds } from './list.ts';

/** The fields a player is shown (list.ts reads only these: lyrics and pictures stay in the library). */
export const CATALOG_KEYS = [
  'title',
  'artist',
  'artists',
  'albumartist',
  'album',
  'tracknumber',
  'discnumber',
  'discsubtitle',
  'date',
  'originaldate',
  'genre',
  'composer',
  'lyricist',
  'writer',
  'conductor',
  'performer',
  'arranger',
  'producer',
  'remixer',
  'mixer',
  'engineer',
  'djmixer',
  'director',
  'titlesort',
  'artistsort',
  'albumsort',
  'albumartistsort',
  'composersort',
  'bpm',
  'comment',
  'mood',
  'isrc',
  'label',
  'releasetype',
  'compilation',
  'grouping',
  'musicbrainz_recordingid',
  'musicbrainz_albumid',
  'replaygain_track_gain',
  'replaygain_track_peak',
  'replaygain_album_gain',
  'replaygain_album_peak',
  'r128_track_gain',
  'r128_album_gain',
] as const;

export type CatalogKey = (typeof CATALOG_KEYS)[number];

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
  readonly size: number;
  /** When the library first found the file (ms). */
  readonly addedAt: number;
  readonly hasArt: boolean;
  readonly tags: Readonly<Partial<Record<CatalogKey, readonly string[]>>>;
  /** The album it is on (album-tile.ts): its artist ('' none) and title ('' none). */
  readonly albumArtist: string;
  readonly album: string;
  /** Its artists, one a value: the `artists` field when it has one, else the `artist` values. */
  readonly artists: readonly string[];
  readonly year: number | null;
}

export interface CatalogAlbum {
  /** groupKey(artist, name) of listening.ts: what names it. */
  readonly key: string;
  readonly name: string;
  /** The tile's artist: the album artist, else the first track's first artist ('' none). */
  readonly artist: string;
  /** Every album artist (the field's values), else the tile's artist. */
  readonly artists: readonly string[];
  /** By disc, track number, title. */
  readonly tracks: readonly CatalogTrack[];
  readonly year: number | null;
  readonly genres: readonly string[];
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

/** The roles whose names a track credits (app/shared/field-table.ts: the credits). */
export const CREDIT_KEYS = [
  'composer',
  'lyricist',
  'writer',
  'conductor',
  'performer',
  'arranger',
  'producer',
  'remixer',
  'mixer',
  'engineer',
  'djmixer',
  'director',
] as const satisfies readonly CatalogKey[];

/** A performer value "Name (role)", as Picard writes it: the name and the role apart. */
export function performerParts(value: string): { name: string; role: string | null } {
  const m = value.match(/^(.*\S)\s*\(([^()]*)\)$/);
  return m ? { name: m[1]!, role: m[2]!.trim() || null } : { name: value, role: null };
}

/** Files read per query when changes are taken in. */
const CHUNK = 2000;

const number = (text: string | undefined): number | null => {
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
    compareNames(a.tags.title?.[0] ?? '', b.tags.title?.[0] ?? '') ||
    a.id - b.id
  );
}

/** Whether a file's newest active art edit leaves it pictures, else whether the file holds any. */
const HAS_ART = `coalesce((SELECT ae.pictures <> '[]' FROM art_edits ae JOIN edit_batches b ON b.id = ae.batch_id
    WHERE ae.file_id = f.id AND b.undone_at IS NULL ORDER BY ae.batch_id DESC LIMIT 1),
  EXISTS (SELECT 1 FROM file_art WHERE file_id = f.id))`;

export class Catalog {
  readonly #db: Db;
  /** Every present file (a copy another copy hides included: a playlist may name it). */
  readonly #files = new Map<number, CatalogTrack>();
  #seenChange = -1;
  #seenCopies = -1;
  #hidden = new Set<number>();
  #groups: CatalogGroups | null = null;
  #generation = 0;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Takes in what changed since the last look: one query when nothing did. */
  refresh(): void {
    const [change, copies] = this.#db
      .prepare('SELECT coalesce(max(change_seq), 0), (SELECT seq FROM copies_state) FROM files')
      .raw()
      .get() as [number, number];
    if (change === this.#seenChange && copies === this.#seenCopies) return;
    if (change !== this.#seenChange) {
      const ids = this.#db
        .prepare('SELECT id FROM files WHERE change_seq > ?')
        .pluck()
        .all(this.#seenChange) as number[];
      for (let i = 0; i < ids.length; i += CHUNK) this.#load(ids.slice(i, i + CHUNK));
      this.#seenChange = change;
    }
    if (copies !== this.#seenCopies) {
      this.#hidden = otherCopies(this.#db);
      this.#seenCopies = copies;
    }
    this.#groups = null;
  }

  /** The first read, a chunk at a time with the event loop free between chunks: a backend hosting the
   *  server goes on answering while 100k tracks are read. What changes meanwhile is read by refresh(). */
  async prime(): Promise<void> {
    const change = this.#db.prepare('SELECT coalesce(max(change_seq), 0) FROM files').pluck().get() as number;
    const ids = this.#db
      .prepare('SELECT id FROM files WHERE change_seq > ? AND change_seq <= ?')
      .pluck()
      .all(this.#seenChange, change) as number[];
    for (let i = 0; i < ids.length; i += CHUNK) {
      this.#load(ids.slice(i, i + CHUNK));
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#seenChange = change;
    this.refresh();
  }

  #load(ids: readonly number[]): void {
    const extra = new Map(
      (
        this.#db
          .prepare(
            `SELECT f.id, f.status, f.added_at, ${HAS_ART} FROM json_each(?) j JOIN files f ON f.id = j.value`,
          )
          .raw()
          .all(JSON.stringify(ids)) as Array<[number, string, number, number]>
      ).map(([id, status, addedAt, hasArt]) => [id, { status, addedAt, hasArt: hasArt === 1 }]),
    );
    for (const id of ids) if (extra.get(id)?.status !== 'ok') this.#files.delete(id);
    const present = ids.filter((id) => extra.get(id)?.status === 'ok');
    for (const item of filesByIds(this.#db, present, CATALOG_KEYS)) {
      const tags = item.tags as CatalogTrack['tags'];
      const artists = tags.artists?.length ? tags.artists : (tags.artist ?? []);
      const { addedAt, hasArt } = extra.get(item.id)!;
      this.#files.set(item.id, {
        id: item.id,
        format: item.format,
        codec: item.codec,
        duration: item.duration,
        bitrate: item.bitrate,
        sampleRate: item.sampleRate,
        channels: item.channels,
        bitDepth: item.bitDepth,
        size: item.size,
        addedAt,
        hasArt,
        tags,
        albumArtist: tags.albumartist?.[0] ?? tags.artist?.[0] ?? '',
        album: tags.album?.[0] ?? '',
        artists,
        year: number(tags.date?.[0]?.slice(0, 4)),
      });
    }
  }

  /** A present file by id, whether or not it is its recording's kept copy (after refresh()). */
  track(id: number): CatalogTrack | undefined {
    return this.#files.get(id);
  }

  /** The albums, artists and genres now (refresh() first), made again only after a change. */
  groups(): CatalogGroups {
    this.#groups ??= this.#group();
    return this.#groups;
  }

  #group(): CatalogGroups {
    const served = [...this.#files.values()].filter((t) => !this.#hidden.has(t.id));
    const byAlbum = new Map<string, CatalogTrack[]>();
    for (const t of served) {
      const key = `${t.albumArtist}\u0000${t.album}`;
      const list = byAlbum.get(key);
      if (list) list.push(t);
      else byAlbum.set(key, [t]);
    }
    const albums = new Map<string, CatalogAlbum>();
    const albumOf = new Map<number, CatalogAlbum>();
    const artistAlbums = new Map<
      string,
      { albums: Set<CatalogAlbum>; appears: Set<CatalogAlbum>; sort: string | null }
    >();
    const artist = (name: string) => {
      const known = artistAlbums.get(name);
      if (known) return known;
      const a = {
        albums: new Set<CatalogAlbum>(),
        appears: new Set<CatalogAlbum>(),
        sort: null as string | null,
      };
      artistAlbums.set(name, a);
      return a;
    };
    for (const [key, tracks] of byAlbum) {
      tracks.sort(albumOrder);
      const first = tracks[0]!;
      const album: CatalogAlbum = {
        key,
        name: first.album,
        artist: first.albumArtist,
        artists: first.tags.albumartist?.length ? first.tags.albumartist : [first.albumArtist],
        tracks,
        year: tracks.reduce<number | null>(
          (y, t) => (t.year !== null && (y === null || t.year < y) ? t.year : y),
          null,
        ),
        genres: [...new Set(tracks.flatMap((t) => t.tags.genre ?? []))],
        duration: tracks.reduce((s, t) => s + (t.duration ?? 0), 0),
        addedAt: tracks.reduce((at, t) => Math.min(at, t.addedAt), Number.POSITIVE_INFINITY),
        artTrack: tracks.find((t) => t.hasArt),
      };
      albums.set(key, album);
      for (const t of tracks) albumOf.set(t.id, album);
      for (const name of album.artists) {
        const a = artist(name);
        a.albums.add(album);
        if (name === first.tags.albumartist?.[0]) a.sort ??= first.tags.albumartistsort?.[0] ?? null;
      }
      for (const t of tracks) {
        t.artists.forEach((name, i) => {
          const a = artist(name);
          a.appears.add(album);
          if (i === 0) a.sort ??= t.tags.artistsort?.[0] ?? null;
        });
        for (const role of CREDIT_KEYS)
          for (const value of t.tags[role] ?? [])
            artist(role === 'performer' ? performerParts(value).name : value).appears.add(album);
      }
    }
    const artists = new Map<string, CatalogArtist>();
    for (const [name, a] of artistAlbums) {
      if (name === '') continue;
      const albumsOf = [...a.albums];
      artists.set(name, {
        name,
        albums: albumsOf,
        appearsOn: [...a.appears].filter((al) => !a.albums.has(al)),
        sortName: a.sort,
      });
    }
    const ordered = [...albums.values()].flatMap((a) => a.tracks);
    const genres = new Map<string, CatalogTrack[]>();
    for (const t of ordered)
      for (const g of new Set(t.tags.genre ?? [])) {
        const list = genres.get(g);
        if (list) list.push(t);
        else genres.set(g, [t]);
      }
    return { generation: ++this.#generation, tracks: ordered, albums, albumOf, artists, genres };
  }
}

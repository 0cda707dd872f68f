// The library as a remote player browses it (the Subsonic server): the tracks the mount serves — present
// files whose audio decodes, one per recording (its kept copy, fingerprint/duplicates.ts) — with their effective tags and
// served ReplayGain, grouped into albums and artists (catalog-groups.ts). Held in memory and kept in step
// with the change feed (change-feed.ts) and the kept copies (copies_state.seq): a refresh reads only the
// files that changed, so an edit shows in the next answer, and each answer is read from memory (a client
// pages through 100k tracks). After a few files changed (read again, or made a kept copy or no longer one),
// only their albums and those albums' artists are made again; after many, everything is, once, when next
// asked for.

import { type AlbumValues, albumValuesOf } from '../../shared/fields.ts';
import { UNKNOWN_ALBUM, UNKNOWN_ARTIST } from '../../shared/unknown-names.ts';
import { canonicalName } from '../db/canonical-name.ts';
import type { Db } from '../db/database.ts';
import { fileStem, pathSource } from '../served/path-source.ts';
import type { PathTemplate } from '../served/path-template.ts';
import { SERVED_VERSION } from '../served/served-plan.ts';
import { derivedAlbumColumns } from './album-tile.ts';
import { hasArtSql } from './art.ts';
import {
  ArtistIndex,
  albumKeyOf,
  CATALOG_KEYS,
  type CatalogGroups,
  type CatalogTrack,
  CREDIT_KEYS,
  groupAll,
  number,
  patchGroups,
} from './catalog-groups.ts';
import { currentPlaces, otherCopiesIn } from './copy-places.ts';
import { FILE_COLUMNS, type FileItem, withServedTags } from './list.ts';

const CATALOG_KEY_SET: ReadonlySet<string> = new Set(CATALOG_KEYS);
/** The artists of a track that names none (one array for all of them). */
const NO_ARTISTS: readonly string[] = Object.freeze([UNKNOWN_ARTIST]);
/** Files read per query when changes are taken in. */
const CHUNK = 2000;
/** Changed files up to which the groups are patched rather than made again. */
const PATCH_LIMIT = 2000;
/** The fields whose values many tracks share, held once (a title, nearly every track's own, is not), and
 *  in their composed form: the names an album or an artist is grouped by (canonical-name.ts) and every
 *  credited name. */
const SHARED_KEYS = [
  ...CREDIT_KEYS,
  'artist',
  'artists',
  'albumartist',
  'album',
  'genre',
  'date',
  'originaldate',
  'tracknumber',
  'discnumber',
  'label',
  'releasetype',
  'compilation',
  'grouping',
  'artistsort',
  'albumsort',
  'albumartistsort',
  'mood',
  'musicbrainz_albumid',
  'replaygain_album_gain',
  'replaygain_album_peak',
].filter((key, i, keys) => keys.indexOf(key) === i);
/** Distinct shared values held before the sharing starts again (a bound, not a policy). */
const MAX_SHARED = 1_000_000;

/** A file's row as the catalog reads it. */
interface CatalogRow extends Omit<FileItem, 'tags' | 'addedAt'>, AlbumValues {
  readonly addedAt: number;
  readonly undecodable: 0 | 1;
  readonly hasArt: 0 | 1;
  readonly servedSize: number | null;
}

export class Catalog {
  readonly #db: Db;
  /** Every present file (a copy another copy hides included: a playlist may name it). */
  readonly #files = new Map<number, CatalogTrack>();
  /** The present files of each album key. */
  readonly #byAlbum = new Map<string, Set<number>>();
  #seenChange = -1;
  #seenCopies = -1;
  #hidden = new Set<number>();
  #groups: CatalogGroups | null = null;
  #index = new ArtistIndex();
  /** Files changed since the groups were made; null: make them all again. */
  #changed: Set<number> | null = new Set();
  #generation = 0;

  /** Values many tracks share (an album's name, its artist, a genre, a track number), held once: each
   *  row read from the library brings its own copy of every string and array, and a million tracks held
   *  that way took 2 GB. By the values joined; made again when it holds more than MAX_SHARED. */
  #sharedValues = new Map<string, readonly string[]>();
  #sharedStrings = new Map<string, string>();
  /** The path template each track's folder and file name are rendered with (browsing by folder under a
   *  template other than the default); null: none rendered. */
  readonly #paths: { template: PathTemplate; keys: readonly string[]; album: Set<string> } | null;

  constructor(db: Db, paths?: PathTemplate) {
    this.#db = db;
    this.#paths = paths
      ? {
          template: paths,
          keys: [...new Set([...CATALOG_KEYS, ...paths.tagKeys()])],
          album: paths.albumFields(),
        }
      : null;
  }

  /** Whether each track's folder and file name under a path template are rendered. */
  get rendersPaths(): boolean {
    return this.#paths !== null;
  }

  /** `value` held once, composed (canonical-name.ts). */
  #one(value: string): string {
    const known = this.#sharedStrings.get(value);
    if (known !== undefined) return known;
    if (this.#sharedStrings.size >= MAX_SHARED) this.#sharedStrings.clear();
    const name = canonicalName(value);
    this.#sharedStrings.set(value, name);
    return name;
  }

  /** The tags with the values of SHARED_KEYS held once (tags are never changed in place: read only). */
  #shared(tags: Record<string, string[]>): Record<string, readonly string[]> {
    for (const key of SHARED_KEYS) {
      const values = tags[key];
      if (!values) continue;
      const joined = values.join('\u0000');
      let known = this.#sharedValues.get(joined);
      if (!known) {
        if (this.#sharedValues.size >= MAX_SHARED) this.#sharedValues.clear();
        known = Object.freeze(values.map((v) => this.#one(v)));
        this.#sharedValues.set(joined, known);
      }
      tags[key] = known as string[];
    }
    return tags;
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
      // The kept copies may have moved (an edit of a copy does this often and moves none): only the files
      // whose hidden state flipped change the groups.
      const places = currentPlaces(this.#db);
      const hidden = otherCopiesIn(places);
      if (this.#seenCopies !== -1) {
        for (const id of hidden) if (!this.#hidden.has(id)) this.#note(id);
        for (const id of this.#hidden) if (!hidden.has(id)) this.#note(id);
      }
      this.#hidden = hidden;
      // The seq the ranking is of: a change committed since the read above is taken in next time.
      this.#seenCopies = places.seq;
    }
  }

  /** A file whose place in the groups may have changed: patched in, or past PATCH_LIMIT all made again. */
  #note(id: number): void {
    if (this.#changed && this.#changed.size < PATCH_LIMIT) this.#changed.add(id);
    else this.#changed = null;
  }

  /** The first read, a chunk at a time with the event loop free between chunks: a backend hosting the
   *  server goes on answering while 100k tracks are read. What changes meanwhile is read by refresh().
   *  Rejects with the signal's reason once it is aborted. */
  async prime(signal?: AbortSignal): Promise<void> {
    const change = this.#db.prepare('SELECT coalesce(max(change_seq), 0) FROM files').pluck().get() as number;
    const ids = this.#db
      .prepare('SELECT id FROM files WHERE change_seq > ? AND change_seq <= ?')
      .pluck()
      .all(this.#seenChange, change) as number[];
    for (let i = 0; i < ids.length; i += CHUNK) {
      signal?.throwIfAborted();
      this.#load(ids.slice(i, i + CHUNK));
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#seenChange = change;
    this.refresh();
  }

  #load(ids: readonly number[]): void {
    // One read of each file's row: its facts, and what the catalog adds to them.
    const rows = this.#db
      .prepare(
        `SELECT ${FILE_COLUMNS}, f.undecodable IS NOT NULL AS undecodable, ${hasArtSql('f')} AS hasArt,
           CASE WHEN f.served_seq = f.change_seq AND f.served_version = ${SERVED_VERSION} THEN f.served_size END AS servedSize,
           ${derivedAlbumColumns(this.#paths?.album ?? new Set())}
         FROM json_each(?) j JOIN files f ON f.id = j.value`,
      )
      .all(JSON.stringify(ids)) as Array<CatalogRow>;
    for (const id of ids) {
      this.#forget(id);
      this.#note(id);
    }
    const present = rows.filter((r) => r.status === 'ok' && r.undecodable === 0);
    for (const item of withServedTags(this.#db, present, this.#paths?.keys ?? CATALOG_KEYS)) {
      const { addedAt, servedSize } = item;
      const path = this.#paths?.template.components(
        pathSource(item, Object.entries(item.tags), albumValuesOf(item)),
      );
      const tags = this.#shared(this.#catalogTags(item.tags)) as CatalogTrack['tags'];
      const track: CatalogTrack = {
        id: item.id,
        format: item.format === null ? null : this.#one(item.format),
        codec: item.codec === null ? null : this.#one(item.codec),
        duration: item.duration,
        bitrate: item.bitrate,
        sampleRate: item.sampleRate,
        channels: item.channels,
        bitDepth: item.bitDepth,
        size: servedSize ?? item.size,
        addedAt,
        hasArt: item.hasArt === 1,
        tags,
        title: tags.title?.[0] || fileStem(item.path),
        // A track that names no artist or album is filed as the mount files it ($albumartist, $artist,
        // $album: unknown-names.ts), so that every artist and album a client is given has a name and an id
        // that opens it, and browsing by folder reaches the track where its path says it is.
        albumArtist: tags.albumartist?.[0] ?? tags.artist?.[0] ?? UNKNOWN_ARTIST,
        album: tags.album?.[0] ?? UNKNOWN_ALBUM,
        artists: tags.artists?.length ? tags.artists : (tags.artist ?? tags.albumartist ?? NO_ARTISTS),
        year: number(tags.date?.[0]?.slice(0, 4)),
        folder: path && this.#one(path.slice(0, -1).join('/')),
        fileName: path?.at(-1),
      };
      this.#files.set(item.id, track);
      const key = albumKeyOf(track);
      const ofAlbum = this.#byAlbum.get(key);
      if (ofAlbum) ofAlbum.add(track.id);
      else this.#byAlbum.set(key, new Set([track.id]));
    }
  }

  /** The tags a track keeps: a template's own fields were read only to render its path. */
  #catalogTags(tags: Record<string, string[]>): Record<string, string[]> {
    if (!this.#paths) return tags;
    for (const key of Object.keys(tags)) if (!CATALOG_KEY_SET.has(key)) delete tags[key];
    return tags;
  }

  /** Takes a file out (it is read again, or gone). */
  #forget(id: number): void {
    const was = this.#files.get(id);
    if (!was) return;
    this.#files.delete(id);
    const key = albumKeyOf(was);
    const ofAlbum = this.#byAlbum.get(key)!;
    ofAlbum.delete(id);
    if (ofAlbum.size === 0) this.#byAlbum.delete(key);
  }

  /** A present file by id, whether or not it is its recording's kept copy (after refresh()). */
  track(id: number): CatalogTrack | undefined {
    return this.#files.get(id);
  }

  /** The albums, artists and genres now (refresh() first), made again only after a change. */
  groups(): CatalogGroups {
    const changed = this.#changed;
    if (this.#groups && changed?.size === 0) return this.#groups;
    const served = (t: CatalogTrack | undefined) => (t && !this.#hidden.has(t.id) ? t : undefined);
    if (this.#groups && changed)
      this.#groups = patchGroups(
        this.#groups,
        this.#index,
        [...changed].map((id) => ({ id, now: served(this.#files.get(id)) })),
        (key) => [...(this.#byAlbum.get(key) ?? [])].flatMap((id) => served(this.#files.get(id)) ?? []),
        ++this.#generation,
      );
    else {
      const made = groupAll(
        [...this.#files.values()].filter((t) => served(t)),
        ++this.#generation,
      );
      this.#groups = made.groups;
      this.#index = made.index;
    }
    this.#changed = new Set();
    return this.#groups;
  }
}

// Albums and artists of the tracks matching a query, for the album grid and the artist list. Each list
// is one aggregate query over the effective tags, over the files the track list shows in the same scope:
// one per recording (its kept copy, so an album made only of other copies is no album, and an album's
// year, artist and cover are its kept copies'), or every file. Callers cache it per library version.

import { composedValueSql } from '../db/canonical-name.ts';
import type { Db } from '../db/database.ts';
import { firstTag, TILE_ALBUM, TILE_ARTIST } from './album-tile.ts';
import { editCounts } from './edit-counts.ts';
import { libraryQuery } from './library-query.ts';
import { compileQuery, type ListScope } from './query-sql.ts';
import { readyScope } from './recordings-scope.ts';

/** An album's key (album-tile.ts), as every album-level value is derived over it. */
export { TILE_ALBUM, TILE_ARTIST };

export interface AlbumEntry {
  /** '' for the tracks without an album (an "Unknown Album" of their artist). */
  readonly album: string;
  readonly albumartist: string;
  readonly year: string | null;
  /** Whether the albumartist tag names the artist (else it is the first track artist). */
  readonly artistField: 'albumartist' | 'artist';
  /** Recordings: copies of one recording (sleeve dup) count once. */
  readonly tracks: number;
  /** Files listed: more than `tracks` only when every copy is. */
  readonly files: number;
  /** A track of the album that has pictures (file or edited), for its cover. */
  readonly artFileId: number | null;
}

export interface ArtistEntry {
  /** '' for the tracks without an artist ("Unknown Artist"), listed last. */
  readonly name: string;
  /** Recordings: copies of one recording count once. */
  readonly tracks: number;
  /** Files listed: more than `tracks` only when every copy is. */
  readonly files: number;
  readonly albums: number;
}

/** The recording a file is a copy of, as one number: its group, else the file itself (negated). */
const recording = (file: string) =>
  `coalesce((SELECT group_id FROM recording_members WHERE file_id = ${file}), -${file})`;
/** A file of Unknown Artist's entry: no artist tag (the others are on one entry per artist value). */
const NO_ARTIST = `NOT EXISTS (SELECT 1 FROM tags t WHERE t.file_id = f.id AND t.key = 'artist')`;

/** The files `query` matches in `scope`, as a WHERE over `files f` (album-lists.ts patches over it too). */
export function matching(db: Db, query: string, scope: ListScope) {
  readyScope(db, scope);
  return compileQuery(libraryQuery(db, query), scope);
}

/** An entry as a list kept across changes holds it (album-lists.ts): the files it counts and its place. */
export interface Grouped<E> {
  readonly entry: E;
  readonly members: Int32Array;
  /** Its place in the list: these strings compared in turn, as SQLite orders text (binaryCompare). */
  readonly order: readonly string[];
}

/** The files of a group, from group_concat's text. */
const membersOf = (ids: string | null): Int32Array =>
  ids ? Int32Array.from(ids.split(','), Number) : new Int32Array(0);

/** The albums of the files `where` (over `files f`) selects, in the grid's order; `grouped`: with each
 *  album's files and its order's strings (members, artistFold, albumFold). */
const albumsSql = (where: string, grouped: boolean) =>
  `SELECT album, albumartist, min(year) AS year, count(DISTINCT rec) AS tracks, count(*) AS files,
     CASE WHEN max(has_albumartist) THEN 'albumartist' ELSE 'artist' END AS artistField,
     min(CASE WHEN has_art THEN id END) AS artFileId
     ${grouped ? ', group_concat(id) AS members, fold(albumartist) AS artistFold, fold(album) AS albumFold' : ''}
   FROM (
     SELECT f.id, ${recording('f.id')} AS rec, ${TILE_ALBUM} AS album, ${TILE_ARTIST} AS albumartist,
       substr(${firstTag('date')}, 1, 4) AS year,
       ${firstTag('albumartist')} IS NOT NULL AS has_albumartist,
       EXISTS (SELECT 1 FROM file_art WHERE file_id = f.id) OR EXISTS (
         SELECT 1 FROM art_edits ae JOIN edit_batches b ON b.id = ae.batch_id
         WHERE ae.file_id = f.id AND ${editCounts('ae', 'b')} AND ae.pictures <> '[]') AS has_art
     FROM files f WHERE ${where}
   )
   GROUP BY albumartist, album
   ORDER BY fold(albumartist), fold(album), albumartist, album`;

/**
 * Albums by album artist (else the first artist), then title; grouped exactly as `field:=value` selects.
 * Tracks without an album are one entry per artist (album ''), so no track is missing from the grid.
 */
export function listAlbums(db: Db, query: string, scope: ListScope): AlbumEntry[] {
  const q = matching(db, query, scope);
  return db.prepare(albumsSql(q.where, false)).all(...q.whereParams) as AlbumEntry[];
}

/** listAlbums over the files `where` selects, each album with its files and place. */
export function albumGroups(db: Db, where: string, params: readonly unknown[]): Grouped<AlbumEntry>[] {
  type Row = AlbumEntry & { members: string; artistFold: string; albumFold: string };
  return (db.prepare(albumsSql(where, true)).all(...params) as Row[]).map(
    ({ members, artistFold, albumFold, ...entry }) => ({
      entry,
      members: membersOf(members),
      order: [artistFold, albumFold, entry.albumartist, entry.album],
    }),
  );
}

/** A file's album as the artist list counts it: one on no album is on its artist's "Unknown Album", a
 *  tile of the grid too. */
const albumOf = (file: string) =>
  `coalesce((SELECT a.fold FROM tags a WHERE a.file_id = ${file} AND a.key = 'album' AND a.idx = 0), '')`;

/** The artists of the files `where` selects: each artist value's entry, by name; `grouped` as albumsSql. */
const namedArtistsSql = (where: string, grouped: boolean) =>
  `SELECT ${composedValueSql('t')} AS name, count(DISTINCT ${recording('t.file_id')}) AS tracks,
     count(DISTINCT t.file_id) AS files, count(DISTINCT ${albumOf('t.file_id')}) AS albums
     ${grouped ? ', group_concat(DISTINCT t.file_id) AS members, t.fold AS nameFold' : ''}
   FROM tags t
   WHERE t.key = 'artist' AND t.file_id IN (SELECT f.id FROM files f WHERE ${where})
   GROUP BY name ORDER BY t.fold, name`;

/** …and the entry named '' of those without an artist. */
const unknownArtistSql = (where: string, grouped: boolean) =>
  `SELECT '' AS name, count(DISTINCT ${recording('f.id')}) AS tracks, count(*) AS files,
     count(DISTINCT ${albumOf('f.id')}) AS albums ${grouped ? ', group_concat(f.id) AS members' : ''}
   FROM files f WHERE ${where} AND ${NO_ARTIST}`;

/**
 * Every artist value (multi-valued artists count for each), by name, with track and album counts; the
 * tracks without an artist last, as one entry named ''.
 */
export function listArtists(db: Db, query: string, scope: ListScope): ArtistEntry[] {
  const q = matching(db, query, scope);
  const named = db.prepare(namedArtistsSql(q.where, false)).all(...q.whereParams) as ArtistEntry[];
  const unknown = db.prepare(unknownArtistSql(q.where, false)).get(...q.whereParams) as ArtistEntry;
  return unknown.files > 0 ? [...named, unknown] : named;
}

/** listArtists over the files `where` selects, each artist with its files and place (Unknown last). */
export function artistGroups(db: Db, where: string, params: readonly unknown[]): Grouped<ArtistEntry>[] {
  type Row = ArtistEntry & { members: string | null; nameFold?: string };
  const grouped = ({ members, nameFold, ...entry }: Row, order: string[]): Grouped<ArtistEntry> => ({
    entry,
    members: membersOf(members),
    order,
  });
  const named = db.prepare(namedArtistsSql(where, true)).all(...params) as Row[];
  const unknown = db.prepare(unknownArtistSql(where, true)).get(...params) as Row;
  return [
    ...named.map((row) => grouped(row, ['0', row.nameFold ?? '', row.name])),
    ...(unknown.files > 0 ? [grouped(unknown, ['1'])] : []),
  ];
}

/** How many entries listAlbums gives for the whole library, without the list (~2.5× cheaper at 100k). */
export function countAlbums(db: Db, scope: ListScope): number {
  const q = matching(db, '', scope);
  return db
    .prepare(
      `SELECT count(*) FROM (SELECT DISTINCT ${TILE_ARTIST}, ${TILE_ALBUM} FROM files f WHERE ${q.where})`,
    )
    .pluck()
    .get(...q.whereParams) as number;
}

/** How many entries listArtists gives for the whole library, without the list. */
export function countArtists(db: Db, scope: ListScope): number {
  const q = matching(db, '', scope);
  return db
    .prepare(
      `SELECT (SELECT count(DISTINCT ${composedValueSql('t')}) FROM tags t
               WHERE t.key = 'artist' AND t.file_id IN (SELECT f.id FROM files f WHERE ${q.where}))
         + EXISTS (SELECT 1 FROM files f WHERE ${q.where} AND ${NO_ARTIST})`,
    )
    .pluck()
    .get(...q.whereParams, ...q.whereParams) as number;
}

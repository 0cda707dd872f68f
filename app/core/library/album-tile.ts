// The album a file is on — its tile in the album grid (albums.ts), the key every album-level value is
// derived over (album loudness, the album year, what tells its releases apart) — and the values derived
// for it, as SQL over a file row `f`. Plain SQL text: the query compiler, the listings and the derivations all import it.

import { composedValueSql } from '../db/canonical-name.ts';

/** A file `f`'s first value of tag `key` (lower case), as SQL. */
export const firstTag = (key: string) =>
  `(SELECT value FROM tags WHERE file_id = f.id AND key = '${key}' AND idx = 0)`;

/** The same, composed (canonical-name.ts): a name of an album, whichever canonical form a file has it in. */
const firstName = (key: string) =>
  `(SELECT ${composedValueSql('tags')} FROM tags WHERE file_id = f.id AND key = '${key}' AND idx = 0)`;

/** The album tile a file `f` is on: its album artist (else its first artist) and its album, '' if none;
 *  composed, so that an album whose files spell it in both canonical forms is one album, its year and its
 *  loudness too. */
export const TILE_ARTIST = `coalesce(${firstName('albumartist')}, ${firstName('artist')}, '')`;
export const TILE_ALBUM = `coalesce(${firstName('album')}, '')`;

/** Whether tag row `t` holds album `@album` (a tile's, composed) as its value: found through tags_by_key by
 *  its folded form first. */
export const HOLDS_ALBUM = `t.key = 'album' AND t.idx = 0 AND t.fold = fold(@album) AND ${composedValueSql('t')} = @album`;

/**
 * The album year derived for file `f` on the album it is on now (album-years.ts): the year, '' when no track
 * of the album has one; NULL when none is derived for that album (a file new to the library, or one moved
 * to another album, until its album is derived again). app/shared/fields.ts (albumYearText) says what a
 * template shows for each.
 */
const DERIVED_ALBUM_YEAR = `(SELECT coalesce(a.year, '') FROM album_years a
  WHERE a.file_id = f.id AND a.album <> '' AND a.artist = ${TILE_ARTIST} AND a.album = ${TILE_ALBUM})`;

/** What tells file `f`'s release from the others of its album (album-years.ts: $albumunique): '' when none
 *  does (one release) or none is derived for the album it is on now. */
export const DERIVED_ALBUM_UNIQUE = `coalesce((SELECT a.disambig FROM album_years a
  WHERE a.file_id = f.id AND a.album <> '' AND a.artist = ${TILE_ARTIST} AND a.album = ${TILE_ALBUM}), '')`;

/** What tells file `f`, a track on no album, from the other such tracks of its artist and title
 *  (album-years.ts: $singletonunique): '' when none does or none is derived for the title it has now. */
export const DERIVED_SINGLETON_UNIQUE = `coalesce((SELECT a.disambig FROM album_years a
  WHERE a.file_id = f.id AND a.album = '' AND ${TILE_ALBUM} = ''
    AND a.artist = coalesce(${firstTag('artist')}, '') AND a.title = ${firstTag('title')}), '')`;

/** How many discs the tracks of file `f`'s album say it has (album-years.ts: $multidisc), 0 when none
 *  says; NULL when none is derived for the album it is on now. */
const DERIVED_ALBUM_DISCS = `(SELECT a.discs FROM album_years a
  WHERE a.file_id = f.id AND a.album <> '' AND a.artist = ${TILE_ARTIST} AND a.album = ${TILE_ALBUM})`;

/** The columns `albumYear`, `albumUnique`, `singletonUnique` and `albumDiscs` (path-source.ts:
 *  AlbumValues) of file `f`, each read only when a template names it (`names`, lower case; else NULL) and
 *  `when` (SQL) holds. */
export function derivedAlbumColumns(names: ReadonlySet<string>, when = 'TRUE'): string {
  const column = (field: string, sql: string) =>
    names.has(field) ? (when === 'TRUE' ? sql : `CASE WHEN ${when} THEN ${sql} END`) : 'NULL';
  return `${column('albumyear', DERIVED_ALBUM_YEAR)} AS albumYear, ${column('albumunique', DERIVED_ALBUM_UNIQUE)} AS albumUnique,
    ${column('singletonunique', DERIVED_SINGLETON_UNIQUE)} AS singletonUnique, ${column('multidisc', DERIVED_ALBUM_DISCS)} AS albumDiscs`;
}

/** A stored number's value, 0 for text that is none ("A1", "2a"): stored unpadded, each total apart, as
 *  track-numbers.ts reads them. */
const storedCount = (sql: string) =>
  `coalesce((SELECT CASE WHEN v GLOB '[0-9]*' AND v NOT GLOB '*[^0-9]*' THEN CAST(v AS INTEGER) END
    FROM (SELECT ${sql} AS v)), 0)`;

/** Whether file `f`'s album has more than one disc, as a query compares it (1 or 0): NULL on no album; as
 *  derived, else as the file's own numbers say (discsSaid). */
export const MULTI_DISC_VALUE = `(CASE WHEN ${TILE_ALBUM} <> '' THEN coalesce(${DERIVED_ALBUM_DISCS},
  max(${storedCount(firstTag('discnumber'))}, ${storedCount(firstTag('totaldiscs'))})) > 1 END)`;

/** The album year of file `f` as a query compares it: NULL on no album; the derived year, else the file's
 *  own (the first four characters of its date, as a query's `year` reads it); NULL when there is none. */
export const ALBUM_YEAR_VALUE = `(CASE WHEN ${TILE_ALBUM} <> ''
  THEN nullif(coalesce(${DERIVED_ALBUM_YEAR}, substr(${firstTag('date')}, 1, 4)), '') END)`;

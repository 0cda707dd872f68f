// A listener's star and rating of an album or an artist (listening.ts) follow it when its name is edited.
// They are kept by name, as the album grid groups tracks (album-tile.ts) and as the Subsonic ids are made,
// so renaming an album (a typo fixed, "Live" added) left its star behind on a name no album had, and the
// client showed the album unstarred. A group's marks move when its last present files leave it, all for
// one other group, in one refresh of album years (album-years.ts: an edit, an undo, a scan, a save through
// the mount — a tagger renames an album file by file, and the last file takes the star along), and only
// to a group with no marks of its own: an album merged into one marked already keeps its marks on its old
// name, where an undo finds them. An artist's move only once no present file names the old artist at all.
// An album split in two by one edit keeps them where they were (split by an edit so large that its
// derivation took the halves in two chunks, the later half's album takes them). Nothing is looked up
// unless the group that emptied has marks.
import type Database from 'better-sqlite3';
import { UNKNOWN_ARTIST } from '../../shared/unknown-names.ts';
import { composedValueSql } from '../db/canonical-name.ts';
import type { Db } from '../db/database.ts';
import type { GroupKind } from './listening.ts';

/** An album as album-tile.ts names it (artist: its album artist, else its first artist). */
export interface AlbumName {
  readonly artist: string;
  readonly album: string;
}

/** A file that moved between albums: what it was on, and what it is on now (undefined: none, or gone). */
export interface AlbumMove {
  readonly was: AlbumName | undefined;
  readonly now: AlbumName | undefined;
}

export class MarksFollow {
  readonly #marked: Database.Statement;
  readonly #artistNamed: Database.Statement;
  readonly #move: Database.Statement;

  constructor(db: Db) {
    this.#marked = db
      .prepare('SELECT 1 FROM group_marks WHERE kind = ? AND artist = ? AND album = ?')
      .pluck();
    // The names the Subsonic server lists artists by (catalog.ts: album artists, and tracks' artists),
    // composed as it names them and as the album tiles a move comes from are.
    this.#artistNamed = db
      .prepare(
        `SELECT 1 FROM tags t JOIN files f ON f.id = t.file_id AND f.status = 'ok'
         WHERE t.key IN ('albumartist', 'artist', 'artists') AND t.fold = fold(@name)
           AND ${composedValueSql('t')} = @name LIMIT 1`,
      )
      .pluck();
    this.#move = db.prepare(
      `UPDATE group_marks SET artist = @toArtist, album = @toAlbum
       WHERE kind = @kind AND artist = @artist AND album = @album`,
    );
  }

  /** After the albums of `moves` were derived again: `emptied`, whether an album has no present file now. */
  follow(moves: readonly AlbumMove[], emptied: (album: AlbumName) => boolean): void {
    for (const { from, to } of destinations(moves, (n) => `${n.artist}\u0000${n.album}`))
      if (emptied(from)) this.#moveTo('album', listed(from), listed(to));
    const renamed = moves.filter((m) => m.was?.artist && m.now?.artist && m.was.artist !== m.now.artist);
    for (const { from, to } of destinations(renamed, (n) => n.artist)) {
      const artist = { artist: from.artist, album: '' };
      if (this.#has('artist', artist) && !this.#artistNamed.get({ name: from.artist }))
        this.#moveTo('artist', artist, { artist: to.artist, album: '' });
    }
  }

  #has(kind: GroupKind, name: AlbumName): boolean {
    return this.#marked.get(kind, name.artist, name.album) !== undefined;
  }

  #moveTo(kind: GroupKind, from: AlbumName, to: AlbumName): void {
    if (this.#has(kind, from) && !this.#has(kind, to))
      this.#move.run({ kind, ...from, toArtist: to.artist, toAlbum: to.album });
  }
}

/** An album as the Subsonic server names it: one with no artist under Unknown Artist (catalog.ts). */
const listed = (n: AlbumName): AlbumName => (n.artist === '' ? { ...n, artist: UNKNOWN_ARTIST } : n);

/** Each group (by `key`) its files left, when they all went to one other group on an album. */
function destinations(
  moves: readonly AlbumMove[],
  key: (n: AlbumName) => string,
): Array<{ from: AlbumName; to: AlbumName }> {
  const to = new Map<string, { from: AlbumName; to: AlbumName | null }>();
  for (const { was, now } of moves) {
    if (!was?.album) continue;
    const k = key(was);
    const there = now?.album && key(now) !== k ? now : null;
    const seen = to.get(k);
    if (!seen) to.set(k, { from: was, to: there });
    else if (seen.to && (!there || key(seen.to) !== key(there))) seen.to = null;
  }
  return [...to.values()].flatMap((d) => (d.to ? [{ from: d.from, to: d.to }] : []));
}

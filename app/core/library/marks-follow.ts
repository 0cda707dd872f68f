// A listener's star and rating of an album or an artist (listening.ts) follow it when its name is edited.
// They are kept by name, as the album grid groups tracks (album-tile.ts) and as the Subsonic ids are made,
// so renaming an album (a typo fixed, "Live" added) left its star behind on a name no album had, and the
// client showed the album unstarred. A group's marks move when its last present files leave it, all for
// one other group, in one refresh of album years (album-years.ts: an edit, an undo, a scan, a save through
// the mount — a tagger renames an album file by file, and the last file takes the star along). An album
// split in two by one edit keeps them where they were; one merged into an album marked already gives it
// only the marks it lacks. Nothing is looked up unless the group that emptied has marks.
import type Database from 'better-sqlite3';
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
  readonly #artistHasAlbums: Database.Statement;
  readonly #merge: Database.Statement;
  readonly #drop: Database.Statement;

  constructor(db: Db) {
    this.#marked = db
      .prepare('SELECT 1 FROM group_marks WHERE kind = ? AND artist = ? AND album = ?')
      .pluck();
    // Only when the artist has marks: album_years has no index by artist (its rows are the albums' files).
    this.#artistHasAlbums = db
      .prepare("SELECT 1 FROM album_years WHERE artist = ? AND album <> '' LIMIT 1")
      .pluck();
    this.#merge = db.prepare(
      `INSERT INTO group_marks (kind, artist, album, starred_at, rating)
       SELECT kind, @toArtist, @toAlbum, starred_at, rating FROM group_marks
       WHERE kind = @kind AND artist = @artist AND album = @album
       ON CONFLICT (kind, artist, album) DO UPDATE SET
         starred_at = coalesce(starred_at, excluded.starred_at), rating = coalesce(rating, excluded.rating)`,
    );
    this.#drop = db.prepare('DELETE FROM group_marks WHERE kind = ? AND artist = ? AND album = ?');
  }

  /** After the albums of `moves` were derived again: `emptied`, whether an album has no present file now. */
  follow(moves: readonly AlbumMove[], emptied: (album: AlbumName) => boolean): void {
    const albums = destinations(moves, (n) => `${n.artist}\u0000${n.album}`);
    for (const { from, to } of albums)
      if (this.#has('album', from) && emptied(from)) this.#move('album', from, to);
    const artists = destinations(
      moves.filter((m) => m.was?.artist !== m.now?.artist),
      (n) => n.artist,
    );
    for (const { from, to } of artists) {
      const a = { artist: from.artist, album: '' };
      if (this.#has('artist', a) && !this.#artistHasAlbums.get(from.artist))
        this.#move('artist', a, { artist: to.artist, album: '' });
    }
  }

  #has(kind: GroupKind, name: AlbumName): boolean {
    return this.#marked.get(kind, name.artist, name.album) !== undefined;
  }

  #move(kind: GroupKind, from: AlbumName, to: AlbumName): void {
    this.#merge.run({ kind, ...from, toArtist: to.artist, toAlbum: to.album });
    this.#drop.run(kind, from.artist, from.album);
  }
}

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

// Each measured file's album figures — the loudness of its album's measured tracks gated together
// (their block histograms), and the loudest true peak among them — kept in album_loudness, which the
// mount serves as REPLAYGAIN_ALBUM_*. An album is a tile of the album grid (album artist, else first
// artist, and album); each recording on it counts once, in the copy the album lists (`ls album:…`, the
// app's album): its kept copy, else the best placed of its copies there — copies of one recording need not
// measure alike (one turned down, a partial one). A recording kept on another album counts here in its
// own copy, which this album lists; no album counts a file of another. The figures follow the change
// feed: whatever moves a file into, out of or within an album (a measurement, an edit, a rescan, a
// removal), or into or out of a recording another file holds (grouping, a split or join: migration 32's
// triggers), moves its change_seq, and a round here recomputes the albums of the files changed since the
// last one, a few hundred measured files per short transaction (files never measured are only passed
// over). They follow the kept copies too (album-copies.ts): an album holding two copies of a recording
// whose kept copy may have moved is figured again, a few hundred recordings per round. A file whose served
// tags change with them changes too.
import type Database from 'better-sqlite3';
import { BlockHistogram } from '../audio/loudness/gating.ts';
import type { Db } from '../db/database.ts';
import {
  AlbumCopiesFollow,
  type AlbumCopiesTables,
  copiesBehindSql,
  listedCopies,
  placesOnAlbum,
  RECORDING_OF_FILE,
} from './album-copies.ts';
import { HOLDS_ALBUM, TILE_ALBUM, TILE_ARTIST } from './album-tile.ts';
import { AlbumYears } from './album-years.ts';
import { ChangeFeed } from './change-feed.ts';
import { ServedRecorder } from './served-recorder.ts';
import { ownGainSql } from './served-tags.ts';

/** Measured files (whose albums are the work) per transaction, and changed files looked at: a file
 *  never measured is only passed over, so a scan's thousands of new files take one short round. */
const ROUND = 300;
const LOOK = 5000;

interface Tile {
  readonly artist: string;
  readonly album: string;
}

interface Member {
  readonly id: number;
  readonly histogram: Uint8Array;
  readonly truePeak: number;
  readonly rec: number;
}

interface Figures {
  readonly integrated: number;
  readonly peak: number;
  readonly tracks: number;
}

const TABLES: AlbumCopiesTables = { derived: 'album_loudness', state: 'album_loudness_state' };

/** Whether files, or the copies recordings keep, changed since the album figures were last brought up to
 *  date. */
export function albumLoudnessBehind(db: Db): boolean {
  return Boolean(
    db
      .prepare(
        'SELECT 1 FROM files WHERE change_seq > (SELECT seq FROM album_loudness_state) ORDER BY change_seq LIMIT 1',
      )
      .get() || db.prepare(copiesBehindSql(TABLES.state)).get(),
  );
}

/** An album tile's measured files. Through tags_by_key: the album's files by their folded title, then the
 *  exact tile. CROSS JOIN keeps that order: left to itself, SQLite walked every present file for its
 *  loudness row (1.5 s an edit at a million tracks; an album is a hundred tag rows). */
export const ALBUM_MEMBERS_SQL = `SELECT f.id, l.histogram, l.true_peak AS truePeak,
         ${RECORDING_OF_FILE} AS rec
       FROM tags t CROSS JOIN files f ON f.id = t.file_id AND f.status = 'ok'
       CROSS JOIN loudness l ON l.file_id = f.id AND l.status = 'ok' AND l.size = f.size AND l.mtime_ms = f.mtime_ms
       WHERE ${HOLDS_ALBUM} AND ${TILE_ARTIST} = @artist
       ORDER BY f.id`;

export class AlbumLoudness {
  readonly #position: Database.Statement;
  readonly #advance: Database.Statement;
  readonly #changed: Database.Statement;
  readonly #tile: Database.Statement;
  readonly #stored: Database.Statement;
  readonly #members: Database.Statement;
  readonly #put: Database.Statement;
  readonly #drop: Database.Statement;
  readonly #carries: Database.Statement;
  readonly #copies: AlbumCopiesFollow;
  readonly #feed: ChangeFeed;
  readonly #served: ServedRecorder;
  readonly #db: Db;
  #years: AlbumYears | undefined;

  constructor(db: Db) {
    this.#db = db;
    this.#position = db.prepare('SELECT seq FROM album_loudness_state').pluck();
    this.#advance = db.prepare('UPDATE album_loudness_state SET seq = ?');
    // Only a measured file (or one that was) can move an album's figures.
    this.#changed = db.prepare(
      `SELECT id, change_seq AS seq,
         EXISTS (SELECT 1 FROM loudness l WHERE l.file_id = f.id AND l.status = 'ok')
           OR EXISTS (SELECT 1 FROM album_loudness a WHERE a.file_id = f.id) AS measured
       FROM files f WHERE change_seq > ? ORDER BY change_seq LIMIT ?`,
    );
    this.#tile = db.prepare(
      `SELECT ${TILE_ARTIST} AS artist, ${TILE_ALBUM} AS album FROM files f WHERE f.id = ? AND f.status = 'ok'`,
    );
    this.#stored = db.prepare(
      'SELECT artist, album, integrated, peak, tracks FROM album_loudness WHERE file_id = ?',
    );
    this.#members = db.prepare(ALBUM_MEMBERS_SQL);
    this.#put = db.prepare(
      `INSERT OR REPLACE INTO album_loudness (file_id, artist, album, integrated, peak, tracks)
       VALUES (@id, @artist, @album, @integrated, @peak, @tracks)`,
    );
    this.#drop = db.prepare('DELETE FROM album_loudness WHERE file_id = ?');
    this.#carries = db.prepare(`SELECT ${ownGainSql('@id')}`).pluck();
    this.#copies = new AlbumCopiesFollow(db, TABLES, (ids) => this.refreshAlbumsOf(ids));
    this.#feed = new ChangeFeed(db);
    this.#served = new ServedRecorder(db);
  }

  /** One round, inside the caller's write transaction: the files passed (0 when caught up). The files it
   *  moves changed only in their album's figures: the album years pass them without a look (a round of
   *  theirs after every round here would look at each measured album again). */
  round(): number {
    this.#years ??= new AlbumYears(this.#db, this.#served);
    // The copies' round once the files' is caught up: each round stays one short transaction's worth.
    return this.#feed.measuring(this.#years, () => this.#round() || this.#copies.round());
  }

  #round(): number {
    const measured: number[] = [];
    let passed = 0;
    let last = 0;
    // Read only as far as needed: a round of measured files stops at the ROUNDth.
    for (const c of this.#changed.iterate(this.#position.get(), LOOK) as Iterable<{
      id: number;
      seq: number;
      measured: number;
    }>) {
      passed++;
      last = c.seq;
      if (c.measured && measured.push(c.id) === ROUND) break;
    }
    if (passed === 0) return 0;
    this.refreshAlbumsOf(measured);
    this.#advance.run(last);
    return passed;
  }

  /**
   * Recomputes the albums these files are on and were on, inside the caller's write transaction: what an
   * edit of a few files does at once (the round that follows finds them up to date).
   */
  refreshAlbumsOf(ids: readonly number[]): void {
    const tiles = new Map<string, Tile>();
    const add = (t: Tile | undefined) => {
      if (t?.album) tiles.set(JSON.stringify([t.artist, t.album]), { artist: t.artist, album: t.album });
    };
    for (const id of ids) {
      add(this.#tile.get(id) as Tile | undefined);
      add(this.#stored.get(id) as Tile | undefined);
    }
    const placed = new Set<number>();
    for (const tile of tiles.values()) for (const id of this.#refresh(tile)) placed.add(id);
    // A file on no measured album any more keeps no figures.
    for (const id of ids) if (!placed.has(id) && this.#drop.run(id).changes > 0) this.#changedServed(id);
  }

  /** Recomputes one album's figures for its measured files; their ids. */
  #refresh(tile: Tile): number[] {
    const members = this.#members.all(tile) as Member[];
    if (members.length === 0) return [];
    const figures = albumFigures(members, placesOnAlbum(this.#db, members));
    for (const m of members) {
      const was = this.#stored.get(m.id) as (Tile & Figures) | undefined;
      const row = { id: m.id, ...tile, ...figures };
      if (
        was?.artist === tile.artist &&
        was.album === tile.album &&
        was.integrated === figures.integrated &&
        was.peak === figures.peak &&
        was.tracks === figures.tracks
      )
        continue;
      this.#put.run(row);
      this.#changedServed(m.id);
    }
    return members.map((m) => m.id);
  }

  /** A file's album figures changed: if it serves them (its own gain is not served), so did it. */
  #changedServed(id: number): void {
    if (this.#carries.get({ id }) === 1) return;
    this.#feed.bumpMeasured(id);
    this.#served.record(id);
  }
}

/** The album's loudness over one copy of each recording — the one the album lists: the best placed among
 *  its copies on it (`places`, 1: the kept copy), of copies alike the lowest id — and its loudest peak over
 *  every copy: a copy that peaks higher than the one counted must not clip either (a mount of every copy
 *  serves it). Not the lowest id alone: a copy turned down 6 dB, or a partial one, is one recording too. */
function albumFigures(members: readonly Member[], places: ReadonlyMap<number, number>): Figures {
  const counted = [...listedCopies(members, places).values()];
  const integrated = BlockHistogram.integrated(counted.map((m) => BlockHistogram.decode(m.histogram)));
  return {
    // Never null: every member measured 'ok', so each has blocks above the gate.
    integrated: integrated!,
    peak: Math.max(...members.map((m) => m.truePeak)),
    tracks: counted.length,
  };
}

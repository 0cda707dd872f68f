// Each file's album year — the earliest year among its album's tracks (its release's, where the album has
// several: below) — what tells its album from others
// of the same album artist and name, and how many discs its album has, kept in album_years, which path
// templates name as $albumyear, $albumunique (beets' %aunique{}) and $multidisc (app/shared/fields.ts:
// ALBUM_FIELDS). The discs are the most any of its tracks says (a disc number or a total, counted as years
// are: the copies the album lists), so disc 1 of a set of two takes the default
// template's disc prefix though its own tags give no total, and an album tagged disc 1 alone takes none.
// The default template's folder
// "Album (2004)" is then one folder for the whole album, where $year, a track's own, split one album into
// a folder per year (a soundtrack whose later releases added tracks: "(2004)", "(2012)" and one with none).
//
// The earliest, because an album's tracks dated later are a reissue's or a bonus track's, and its first
// release is what the album grid shows (albums.ts: min(year)); it also holds still when a later track
// joins. An album is a tile of the album grid (album-tile.ts: album artist, else first artist, and album),
// each recording on it counting once, in the copy the album lists (album-copies.ts: its kept copy, else
// the best placed there), so a copy not kept — dated, numbered or released otherwise, by its own tags or
// an edit of it alone — moves none of the album's values, and the kept copies' edits do; a file on no
// album has no album year. They follow the kept copies as the album's loudness does (album-copies.ts).
//
// Releases: the listed copies by their MusicBrainz release id (a copy not listed takes its recording's;
// files with none join the album's one release; beside two or more, they are one of their own). Each
// release is an album of its own, as in beets: its year is the earliest of its tracks', its discs the most
// they say. When a tile holds more than one, each release is told by the first of beets' disambiguators
// (its config's aunique.disambiguators) whose values differ across them all — release type, the release's
// earliest year, label, catalog number — as beets' %aunique{} does; when none does, by the release's
// lowest file id (beets: the album's id). beets' albumdisambig and releasegroupdisambig are no fields of
// Sleeve: they count as empty, which tells no releases apart.
//
// Tracks on no album (beets' singletons): those of one first artist and title are told apart as beets'
// %sunique{} does — by their years when no two share one, else by file id — each recording once (copies
// of one recording are one track, whichever the mount serves), into $singletonunique. Such a track's row
// (album '') holds its first artist, title, own year and recording; it is made once another track of its
// artist and title is present (a copy too), so a change of either, or of their recordings, is followed.
//
// Derived, not computed per track as a path is rendered: a change to one track (its date, its album, its
// presence) changes its album's year for every track of it, and each file whose year so changes moves in
// the change feed with its served path recorded again, so a live mount moves the whole album at once.
// EffectiveTags brings the albums of the files it changes up to date in the same transaction (an edit, an
// undo, a scan's writes, a save through the mount), and moves album_years_state.seq past them when it
// found it caught up, as a scan's loudness saves and the album loudness rounds do past theirs, which no
// album year depends on (`passing`); rounds following the change feed from that position catch the rest
// (files gone missing, libraries from before this table, the changes of a batch that found it behind).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type AlbumValues, yearOf } from '../../shared/fields.ts';
import { discsSaid } from '../../shared/track-numbers.ts';
import type { Db } from '../db/database.ts';
import {
  AlbumCopiesFollow,
  type AlbumCopiesTables,
  type AlbumCopy,
  copiesBehindSql,
  listedCopies,
  placesOnAlbum,
  RECORDING_OF_FILE,
} from './album-copies.ts';
import { derivedAlbumColumns, firstTag, HOLDS_ALBUM, TILE_ALBUM, TILE_ARTIST } from './album-tile.ts';
import { ChangeFeed } from './change-feed.ts';
import { MarksFollow } from './marks-follow.ts';
import { ServedRecorder } from './served-recorder.ts';

/** Files whose albums are recomputed per round, and changed files looked at (most have moved nothing:
 *  an edit or a scan already brought their albums up to date). */
const ROUND = 300;
const LOOK = 5000;
/** How long a round looks at changed files. At a million tracks each look takes ~13 µs, and 5,000 of them
 *  held the write lock 65–76 ms after a retag of 111,100 tracks (another writer waited for each). */
const LOOK_MS = 25;

const FIRST_DATE = firstTag('date');
/** A track on no album's first artist as %sunique compares it, '' when it has none (beets' empty field). */
const SOLO_ARTIST = `coalesce(${firstTag('artist')}, '')`;
/** A file's recording as the text album_years.release keeps for a track on no album: copies of one
 *  recording are one track to tell apart, whichever is served. */
const RECORDING = `CAST(${RECORDING_OF_FILE} AS TEXT)`;
/** What a file says of its album's discs (track-numbers.ts: discsSaid reads them). */
const DISC_NUMBERS = `${firstTag('discnumber')} AS disc, ${firstTag('totaldiscs')} AS discTotal`;
/** What a file's release is known by, and the tags that may tell releases apart (beets'
 *  aunique.disambiguators that are Sleeve's fields, in beets' order; `year` is the release's, derived). */
const RELEASE = `json_array(${firstTag('musicbrainz_albumid')}, ${firstTag('releasetype')}, ${firstTag('label')},
  ${firstTag('catalognumber')})`;

interface Tile {
  readonly artist: string;
  readonly album: string;
}

/** A file's album year as last derived: the album it was on, its own year then, its album's. A track on
 *  no album (album ''): its first artist, its title, its own year and its recording (RECORDING). */
interface Stored extends Tile {
  readonly own: string | null;
  readonly year: string | null;
  /** The discs its own numbers said (discsSaid) and its album's; null: derived before discs were
   *  (migration 61), or a track on no album. */
  readonly ownDiscs: number | null;
  readonly discs: number | null;
  /** RELEASE as derived (releaseKey), or a track's on no album RECORDING; null: derived before releases
   *  were (migration 47). */
  readonly release: string | null;
  readonly title: string | null;
}

/** A changed file that may move its album's values: what it is on now, and what it was derived on. */
interface Moved {
  readonly id: number;
  readonly now: Now | undefined;
  readonly was: Stored | undefined;
}

/** RELEASE as album_years keeps it, to tell a change: 12 hex digits of its hash, not the text itself
 *  (ids, labels and catalog numbers: a hundred bytes a track). */
const releaseKey = (release: string): string => createHash('sha1').update(release).digest('hex').slice(0, 12);

interface Now extends Tile, DiscNumbers {
  readonly ok: number;
  readonly date: string | null;
  readonly release: string;
  /** What a track on no album is told apart by: its first artist ('' if none), title and recording. */
  readonly soloArtist: string;
  readonly title: string | null;
  readonly recording: string;
}

/** A track on no album, among those of its artist and title (`#single`). */
interface Single {
  readonly id: number;
  readonly date: string | null;
  readonly recording: string;
  readonly artist: string | null;
  readonly album: string | null;
  readonly title: string | null;
  readonly own: string | null;
  readonly release: string | null;
  readonly disambig: string | null;
}

/** The tracks on no album of one artist and title, the key %sunique tells them apart within. */
interface SingleKey {
  readonly artist: string;
  readonly title: string;
}

/** A file's first disc number and disc total (DISC_NUMBERS). */
interface DiscNumbers {
  readonly disc: string | null;
  readonly discTotal: string | null;
}

interface Member extends DiscNumbers, AlbumCopy {
  readonly date: string | null;
  readonly release: string;
  /** Its release as last derived (releaseKey). */
  readonly stored: string | null;
  readonly artist: string | null;
  readonly album: string | null;
  readonly own: string | null;
  readonly year: string | null;
  readonly ownDiscs: number | null;
  readonly discs: number | null;
  readonly disambig: string | null;
}

/** RELEASE's values, as JSON gives them back. */
type ReleaseTags = [id: string | null, type: string | null, label: string | null, catalog: string | null];

/** A file changed since the album years were last brought up to date, if any. */
const BEHIND =
  'SELECT 1 FROM files WHERE change_seq > (SELECT seq FROM album_years_state) ORDER BY change_seq LIMIT 1';

const TABLES: AlbumCopiesTables = { derived: 'album_years', state: 'album_years_state' };

/** Whether files, or the copies recordings keep, changed since the album years were last brought up to
 *  date. */
export function albumYearsBehind(db: Db): boolean {
  return Boolean(db.prepare(BEHIND).get() || db.prepare(copiesBehindSql(TABLES.state)).get());
}

/** A file's derived album values by id (album-tile.ts: derivedAlbumColumns), those of `names` (lower case:
 *  albumyear, albumunique) read. */
export function derivedAlbumValues(db: Db, names: ReadonlySet<string>): (fileId: number) => AlbumValues {
  const statement = db.prepare(`SELECT ${derivedAlbumColumns(names)} FROM files f WHERE f.id = ?`);
  return (fileId) => (statement.get(fileId) as AlbumValues | undefined) ?? {};
}

export class AlbumYears {
  readonly #position: Database.Statement;
  readonly #advance: Database.Statement;
  readonly #changed: Database.Statement;
  readonly #behind: Database.Statement;
  readonly #now: Database.Statement;
  readonly #stored: Database.Statement;
  readonly #members: Database.Statement;
  readonly #singles: Database.Statement;
  readonly #put: Database.Statement;
  readonly #drop: Database.Statement;
  readonly #feed: ChangeFeed;
  readonly #served: ServedRecorder;
  readonly #marks: MarksFollow;
  readonly #copies: AlbumCopiesFollow;
  readonly #db: Db;

  /** `served`: the recorder to record moved files' paths with (a caller's own, else a new one). */
  constructor(db: Db, served?: ServedRecorder) {
    this.#db = db;
    this.#position = db.prepare('SELECT seq FROM album_years_state').pluck();
    this.#advance = db.prepare('UPDATE album_years_state SET seq = ?');
    this.#changed = db
      .prepare('SELECT id, change_seq AS seq FROM files WHERE change_seq > ? ORDER BY change_seq LIMIT ?')
      .raw();
    this.#behind = db.prepare(BEHIND);
    this.#now = db.prepare(
      `SELECT f.status = 'ok' AS ok, ${TILE_ARTIST} AS artist, ${TILE_ALBUM} AS album, ${FIRST_DATE} AS date,
         ${RELEASE} AS release, ${SOLO_ARTIST} AS soloArtist, ${firstTag('title')} AS title,
         ${RECORDING} AS recording, ${DISC_NUMBERS}
       FROM files f WHERE f.id = ?`,
    );
    this.#stored = db.prepare(
      `SELECT artist, album, own, year, release, title, own_discs AS ownDiscs, discs
       FROM album_years WHERE file_id = ?`,
    );
    // Through tags_by_key: the album's files by their folded title, then the exact tile. CROSS JOIN: the
    // tags first (else, planned without statistics, every present file is looked at for each album).
    this.#members = db.prepare(
      `SELECT f.id, ${FIRST_DATE} AS date, ${RELEASE} AS release, a.release AS stored, a.artist, a.album, a.own, a.year,
         a.own_discs AS ownDiscs, a.discs, a.disambig, ${RECORDING_OF_FILE} AS rec, ${DISC_NUMBERS}
       FROM tags t CROSS JOIN files f ON f.id = t.file_id AND f.status = 'ok'
       LEFT JOIN album_years a ON a.file_id = f.id
       WHERE ${HOLDS_ALBUM} AND ${TILE_ARTIST} = @artist
       ORDER BY f.id`,
    );
    // The same through the title: the tracks on no album of an artist and title.
    this.#singles = db.prepare(
      `SELECT f.id, ${FIRST_DATE} AS date, ${RECORDING} AS recording, a.artist, a.album, a.title, a.own,
         a.release, a.disambig
       FROM tags t CROSS JOIN files f ON f.id = t.file_id AND f.status = 'ok'
       LEFT JOIN album_years a ON a.file_id = f.id
       WHERE t.key = 'title' AND t.idx = 0 AND t.fold = fold(@title) AND t.value = @title
         AND ${TILE_ALBUM} = '' AND ${SOLO_ARTIST} = @artist
       ORDER BY f.id`,
    );
    this.#put = db.prepare(
      `INSERT OR REPLACE INTO album_years (file_id, artist, album, own, year, release, disambig, title, own_discs, discs)
       VALUES (@id, @artist, @album, @own, @year, @release, @disambig, @title, @ownDiscs, @discs)`,
    );
    this.#drop = db.prepare('DELETE FROM album_years WHERE file_id = ?');
    this.#feed = new ChangeFeed(db);
    this.#served = served ?? new ServedRecorder(db);
    this.#marks = new MarksFollow(db);
    this.#copies = new AlbumCopiesFollow(db, TABLES, (ids) =>
      this.#refreshAlbumsOf(
        ids.map((id) => ({
          id,
          now: this.#now.get(id) as Now | undefined,
          was: this.#stored.get(id) as Stored | undefined,
        })),
      ),
    );
  }

  /** One round, inside the caller's write transaction: the changed files passed, else — those caught up —
   *  the recordings whose copies changed looked at (0 when both are caught up). */
  round(): number {
    return this.#filesRound() || this.#copies.round();
  }

  #filesRound(): number {
    const moved: Moved[] = [];
    let passed = 0;
    let last = 0;
    const start = performance.now();
    for (const [id, seq] of this.#changed.iterate(this.#position.get(), LOOK) as Iterable<[number, number]>) {
      passed++;
      last = seq;
      const change = this.#moves(id);
      if ((change && moved.push(change) === ROUND) || performance.now() - start >= LOOK_MS) break;
    }
    if (passed === 0) return 0;
    this.#refreshAlbumsOf(moved);
    this.#advance.run(last);
    return passed;
  }

  /**
   * Runs `fn`, changes inside the caller's write transaction, and when the album years were caught up
   * before it, moves their position past its changes: the files of `fresh` (filled by `fn`: files whose
   * albums it brought up to date, or changed only in what is measured of them) passed without a look, any
   * other file it changed (one whose change went past EffectiveTags, an album mate a refresh moved) looked
   * at as a round would. Without it, a round would look again at every file a scan wrote or measured:
   * 1.6 s at the end of a 100,000-file scan.
   */
  passing<T>(fresh: ReadonlySet<number>, fn: () => T): T {
    const caughtUp = this.#behind.get() === undefined;
    const result = fn();
    if (caughtUp) this.#passChanges(fresh);
    return result;
  }

  #passChanges(fresh: ReadonlySet<number>): void {
    const moved: Moved[] = [];
    let last = 0;
    for (const [id, seq] of this.#changed.iterate(this.#position.get(), -1) as Iterable<[number, number]>) {
      last = seq;
      const change = !fresh.has(id) && this.#moves(id);
      if (change) moved.push(change);
    }
    if (last === 0) return;
    if (moved.length > 0) {
      this.#refreshAlbumsOf(moved);
      // What that refresh moved (album mates, their rows just written) is passed too.
      for (const [, seq] of this.#changed.iterate(last, -1) as Iterable<[number, number]>) last = seq;
    }
    this.#advance.run(last);
  }

  /** Brings the album years of these changed files' albums up to date, inside the caller's write
   *  transaction: the albums they are on and were on, where they moved (else nothing is read but them). */
  refreshChanged(ids: Iterable<number>): void {
    const moved = [...ids].flatMap((id) => this.#moves(id) || []);
    if (moved.length > 0) this.#refreshAlbumsOf(moved);
  }

  /** A changed file that may move its album's values — it came, went or changed album since they were
   *  derived, or its own year or release changed — with what it is on now and was on; else false. */
  #moves(id: number): Moved | false {
    const now = this.#now.get(id) as Now | undefined;
    const was = this.#stored.get(id) as Stored | undefined;
    if (now?.ok && now.album === '' && now.title !== null) {
      const moved =
        was?.album !== '' ||
        was.artist !== now.soloArtist ||
        was.title !== now.title ||
        was.own !== yearOf(now.date ?? undefined) ||
        was.release !== now.recording;
      return moved && { id, now, was };
    }
    if (!now?.ok || now.album === '') return was !== undefined && { id, now, was };
    const moved =
      was?.artist !== now.artist ||
      was.album !== now.album ||
      was.own !== yearOf(now.date ?? undefined) ||
      was.release !== releaseKey(now.release) ||
      was.ownDiscs !== discsSaid(now.disc, now.discTotal);
    return moved && { id, now, was };
  }

  #refreshAlbumsOf(moved: readonly Moved[]): void {
    const tiles = new Map<string, Tile>();
    const add = (t: Tile | undefined) => {
      if (t?.album) tiles.set(JSON.stringify([t.artist, t.album]), { artist: t.artist, album: t.album });
    };
    const singles = new Map<string, SingleKey>();
    const addSingle = (artist: string, title: string | null | undefined) => {
      if (typeof title === 'string') singles.set(JSON.stringify([artist, title]), { artist, title });
    };
    for (const { now, was } of moved) {
      if (now?.ok) add(now);
      add(was);
      if (now?.ok && now.album === '') addSingle(now.soloArtist, now.title);
      if (was?.album === '') addSingle(was.artist, was.title);
    }
    const placed = new Set<number>();
    const emptied = new Set<string>();
    for (const [key, tile] of tiles) {
      const ids = this.#refresh(tile);
      if (ids.length === 0) emptied.add(key);
      for (const id of ids) placed.add(id);
    }
    this.#marks.follow(
      moved.map(({ now, was }) => ({ was, now: now?.ok ? now : undefined })),
      (t) => emptied.has(JSON.stringify([t.artist, t.album])),
    );
    for (const key of singles.values()) for (const id of this.#refreshSingles(key)) placed.add(id);
    // Off every album now (gone, or its album tag cleared): its path never used the year derived for the
    // album it left (DERIVED_ALBUM_YEAR matches the album a file is on), so only the row goes.
    for (const { id } of moved) if (!placed.has(id)) this.#drop.run(id);
  }

  /** Recomputes one album's year and its releases' texts for its files; their ids. */
  #refresh(tile: Tile): number[] {
    const members = this.#members.all(tile) as Member[];
    const owns = members.map((m) => yearOf(m.date ?? undefined));
    const ownDiscs = members.map((m) => discsSaid(m.disc, m.discTotal));
    const listed = listedCopies(members, placesOnAlbum(this.#db, members));
    const values = releaseValues(members, owns, ownDiscs, listed);
    members.forEach((m, i) => {
      const own = owns[i]!;
      const { year, discs, text: disambig } = values[i]!;
      const release = releaseKey(m.release);
      const current = m.artist === tile.artist && m.album === tile.album;
      const same =
        m.own === own &&
        m.year === year &&
        m.stored === release &&
        m.disambig === disambig &&
        m.ownDiscs === ownDiscs[i] &&
        m.discs === discs;
      if (current && same) return;
      // What its recorded path used (app/shared/fields.ts: albumYearText, multiDiscText): the values
      // derived for this album, else — none derived for it yet — its own; the release's text ('' when none).
      const before = current ? m.year : own;
      const beforeText = (current ? m.disambig : null) ?? '';
      const beforeDiscs = (current ? m.discs : null) ?? ownDiscs[i]!;
      this.#put.run({
        id: m.id,
        ...tile,
        own,
        year,
        release,
        disambig,
        title: null,
        ownDiscs: ownDiscs[i],
        discs,
      });
      if (before !== year || beforeText !== disambig || beforeDiscs > 1 !== discs > 1) {
        this.#feed.bumpAlbumLevel(m.id);
        this.#served.record(m.id);
      }
    });
    return members.map((m) => m.id);
  }

  /** Tells apart the tracks on no album of one artist and title again (beets' %sunique); their ids. */
  #refreshSingles(key: SingleKey): number[] {
    const members = this.#singles.all(key) as Single[];
    const owns = members.map((m) => yearOf(m.date ?? undefined));
    const texts = singleTexts(members, owns);
    members.forEach((m, i) => {
      const own = owns[i]!;
      const disambig = texts[i]!;
      const current = m.album === '' && m.artist === key.artist && m.title === key.title;
      if (current && m.own === own && m.release === m.recording && m.disambig === disambig) return;
      // Alone (most tracks on no album): no row made; one is made when another of its artist and title comes.
      if (m.album === null && members.length === 1) return;
      this.#put.run({
        id: m.id,
        artist: key.artist,
        album: '',
        own,
        year: null,
        release: m.recording,
        disambig,
        title: key.title,
        ownDiscs: null,
        discs: null,
      });
      if (((current ? m.disambig : null) ?? '') !== disambig) {
        this.#feed.bumpAlbumLevel(m.id);
        this.#served.record(m.id);
      }
    });
    return members.map((m) => m.id);
  }
}

/**
 * Each track's text ($singletonunique) among the tracks on no album of one artist and title, as beets'
 * %sunique tells singletons apart: '' while they are one recording; else the recordings' years (as beets
 * pads them, "0000" when none) when no two share one; else each recording's lowest file id (beets: the
 * item's id; copies of one recording show one text, whichever the mount serves). beets' trackdisambig is
 * no field of Sleeve: it tells none apart.
 */
function singleTexts(members: readonly Single[], owns: readonly (string | null)[]): string[] {
  const recordings = new Map<string, { first: number; years: (string | null)[] }>();
  members.forEach((m, i) => {
    const recording = recordings.get(m.recording);
    if (recording) recording.years.push(owns[i]!);
    else recordings.set(m.recording, { first: m.id, years: [owns[i]!] });
  });
  if (recordings.size < 2) return members.map(() => '');
  const yearOfRecording = new Map([...recordings].map(([key, r]) => [key, earliest(r.years) ?? '0000']));
  const byYear = new Set(yearOfRecording.values()).size === recordings.size;
  return members.map((m) =>
    byYear ? yearOfRecording.get(m.recording)! : String(recordings.get(m.recording)!.first),
  );
}

/** The earliest of some years, null when there is none. */
function earliest(years: Iterable<string | null>): string | null {
  let first: string | null = null;
  for (const y of years) if (y !== null && (first === null || y < first)) first = y;
  return first;
}

/** What a file's path takes from its release: its year and discs ($albumyear, $multidisc) and the text
 *  telling it from the album's other releases ($albumunique). */
interface ReleaseValues {
  readonly year: string | null;
  readonly discs: number;
  readonly text: string;
}

/** A release of an album, of its listed copies: its lowest file id, the first value each of RELEASE's
 *  tags has among its files (beets keeps one per album), its tracks' years and the most discs they say. */
interface Release {
  readonly first: number;
  tags: ReleaseTags;
  readonly years: (string | null)[];
  discs: number;
}

/**
 * Each member's release values, from the copies the album lists (a copy not listed takes its recording's
 * listed copy's: one folder under a mount of every copy). Each release of the album is an album of its
 * own, as in beets: its year is the earliest of its tracks', its discs the most they say — not another
 * release's (a "Greatest Hits [2011]" of 2011 tracks is not of the other release's 1981).
 */
function releaseValues(
  members: readonly Member[],
  owns: readonly (string | null)[],
  ownDiscs: readonly number[],
  listed: ReadonlyMap<number, Member>,
): ReleaseValues[] {
  const counted = members.flatMap((m, i) => (listed.get(m.rec) === m ? [i] : []));
  const tags = counted.map((i) => JSON.parse(members[i]!.release) as ReleaseTags);
  // By MusicBrainz release id, '' for none; all '' while the album has one id or none (files with no id
  // are in that release: a bonus track tagged by hand).
  const several = new Set(tags.flatMap(([id]) => id ?? [])).size >= 2;
  const keyOf = new Map<number, string>();
  const releases = new Map<string, Release>();
  counted.forEach((i, k) => {
    const key = several ? (tags[k]![0] ?? '') : '';
    keyOf.set(members[i]!.id, key);
    const release = releases.get(key);
    if (!release) {
      releases.set(key, { first: members[i]!.id, tags: tags[k]!, years: [owns[i]!], discs: ownDiscs[i]! });
      return;
    }
    release.tags = release.tags.map((v, j) => v ?? tags[k]![j] ?? null) as ReleaseTags;
    release.years.push(owns[i]!);
    release.discs = Math.max(release.discs, ownDiscs[i]!);
  });
  const texts = releaseTexts(releases);
  return members.map((m) => {
    const key = keyOf.get(listed.get(m.rec)!.id)!;
    const release = releases.get(key)!;
    return { year: earliest(release.years), discs: release.discs, text: texts.get(key)! };
  });
}

/**
 * Each release's text ($albumunique), by its key: '' while the album is one release; else the first
 * disambiguator whose values differ across its releases (beets' %aunique: a release with an empty value
 * gets none, the others theirs; the year as beets pads it, "0000" when none), else the release's lowest
 * file id.
 */
function releaseTexts(releases: ReadonlyMap<string, Release>): Map<string, string> {
  const all = [...releases.values()];
  if (all.length < 2) return new Map([...releases.keys()].map((key) => [key, '']));
  const columns: Array<(r: Release) => string> = [
    (r) => r.tags[1] ?? '',
    (r) => earliest(r.years) ?? '0000',
    (r) => r.tags[2] ?? '',
    (r) => r.tags[3] ?? '',
  ];
  const telling = columns.find((value) => new Set(all.map(value)).size === all.length);
  return new Map([...releases].map(([key, r]) => [key, telling ? telling(r) : String(r.first)]));
}

// Album-level values are the album's (app/core/library/album-years.ts): three tracks of one album dated
// 2004, 2012 and not at all are one folder "Album (2004)" under the default template — not one per year —
// whatever renders the path (the recorded one, the mount's view of the library, `ls -f`, a query); an edit
// of one track's date moves every track of the album at once, each moved file in the change feed with its
// recorded path current; a track going missing, one changing album, an undo and a library derived before
// the album years existed all end the same way.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatItem } from '../../app/cli/format.ts';
import type { Db } from '../../app/core/db/database.ts';
import { MIGRATIONS } from '../../app/core/db/migrations.ts';
import { albumYearsBehind, derivedAlbumValues } from '../../app/core/library/album-years.ts';
import { feedPosition } from '../../app/core/library/change-feed.ts';
import { checkedTemplate } from '../../app/core/library/checked-template.ts';
import { catchUp, Derivation } from '../../app/core/library/derivation.ts';
import { applyEdit, planEdit, undoBatch } from '../../app/core/library/edits.ts';
import { IngestWriter } from '../../app/core/library/ingest.ts';
import { filesByIds, matchingIds } from '../../app/core/library/list.ts';
import { preferCarrying } from '../../app/core/library/prefer-copy.ts';
import { ServedRecorder } from '../../app/core/library/served-recorder.ts';
import { LibraryView } from '../../app/core/mounted/library-view.ts';
import { DEFAULT_TEMPLATE, PathTemplate } from '../../app/core/served/path-template.ts';
import { SERVED_VERSION } from '../../app/core/served/served-plan.ts';
import { addTagged, flacRecord, taggedLibrary } from '../fixtures/tagged-library.ts';

const ALBUM = 'The Battle for Wesnoth OST';
const ARTIST = 'David H. Millar';
const FOLDER = `${ARTIST}/${ALBUM}`;

/** Three tracks of one album, dated 2004, 2012 and not at all; and a track of another album. */
function library(): { db: Db; ids: number[]; other: number } {
  const track = (n: number, title: string, date?: string) => ({
    path: `/music/${n} ${title}.flac`,
    tags: {
      albumartist: [ARTIST],
      artist: [ARTIST],
      album: [ALBUM],
      tracknumber: [String(n)],
      title: [title],
      ...(date ? { date: [date] } : {}),
    },
  });
  const { db, ids } = taggedLibrary([
    track(1, 'Main Theme', '2004-10-01'),
    track(2, 'Battle Music', '2012'),
    track(3, 'Wanderer'),
    {
      path: '/music/9 Other.flac',
      tags: { artist: ['Someone'], album: ['Elsewhere'], title: ['Other'], date: ['1990'] },
    },
  ]);
  open.push(db);
  return { db, ids: ids.slice(0, 3), other: ids[3]! };
}

/** A scan's writer under library folder `folder`, the album years caught up first (as a scan finds
 *  them once the library's rounds have run). */
function scanBatchesUnder(db: Db, folder: string): { writer: IngestWriter; root: number; now: number } {
  catchUp(db);
  const writer = new IngestWriter(db);
  const now = Date.now();
  return { writer, root: writer.ensureRoot(folder, now), now };
}

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** The recorded default-template paths of `ids`, each current (served_seq = change_seq, this version). */
function recorded(db: Db, ids: readonly number[]): string[] {
  const statement = db.prepare(
    'SELECT served_path AS path, served_seq = change_seq AND served_version = ? AS current FROM files WHERE id = ?',
  );
  return ids.map((id) => {
    const row = statement.get(SERVED_VERSION, id) as { path: string; current: number };
    expect(row.current, `file ${id}'s recorded path is current`).toBe(1);
    return row.path;
  });
}

/** What a mount shows: the view's paths of `ids`, under `template` (of every copy: `allCopies`). */
function mounted(db: Db, ids: readonly number[], template = DEFAULT_TEMPLATE, allCopies = false): string[] {
  const view = new LibraryView(db, new PathTemplate(template), { allCopies });
  return ids.map((id) => view.tree.pathOf(id)!);
}

/** The path each file would have, rendered from its tags now rather than read as recorded. */
function rendered(db: Db, ids: readonly number[]): string[] {
  // Recorded paths made stale (an older version's): the view renders every one itself.
  db.prepare('UPDATE files SET served_version = ?').run(SERVED_VERSION - 1);
  try {
    return mounted(db, ids);
  } finally {
    db.prepare('UPDATE files SET served_version = ?').run(SERVED_VERSION);
  }
}

const setDate = (db: Db, id: number, date: string | null) =>
  applyEdit(db, planEdit(db, [id], [{ key: 'date', values: date === null ? [] : [date] }]), {
    description: 'date',
    origin: 'cli',
  })!;

const seqs = (db: Db, ids: readonly number[]) =>
  ids.map((id) => db.prepare('SELECT change_seq FROM files WHERE id = ?').pluck().get(id) as number);

/** Runs `act`; each of `moved` must then be in the change feed after where it stood, none of `still`. */
const feedMoves = (db: Db, act: () => void, moved: readonly number[], still: readonly number[] = []) => {
  const position = feedPosition(db);
  act();
  for (const seq of seqs(db, moved)) expect(seq).toBeGreaterThan(position);
  for (const seq of seqs(db, still)) expect(seq).toBeLessThanOrEqual(position);
};

/** The library as an older Sleeve left it: no album years, each path with its track's own year. */
function asAnOlderSleeveLeftIt(db: Db, ids: readonly number[]): void {
  db.prepare('DELETE FROM album_years').run();
  db.prepare('UPDATE album_years_state SET seq = 0').run();
  const served = new ServedRecorder(db);
  db.transaction(() => {
    for (const id of ids) served.record(id);
  })();
  expect(recorded(db, ids).map((p) => p.split('/')[1])).toEqual([
    `${ALBUM} (2004)`,
    `${ALBUM} (2012)`,
    ALBUM,
  ]);
}

/** Two tracks of an album dated 2004 and 2012, and a copy of the first (dated `copyDate`) that the
 *  recording does not keep; each file's folder as recorded. */
function withCopy(copyDate: string) {
  const tags = (n: number, title: string, date: string) => ({
    albumartist: [ARTIST],
    album: [ALBUM],
    tracknumber: [String(n)],
    title: [title],
    date: [date],
  });
  const { db, ids } = taggedLibrary([
    { path: '/music/1 Main Theme.flac', tags: tags(1, 'Main Theme', '2004') },
    { path: '/music/2 Battle Music.flac', tags: tags(2, 'Battle Music', '2012') },
    { path: '/music/copies/1 Main Theme.flac', tags: tags(1, 'Main Theme', copyDate) },
  ]);
  open.push(db);
  const [kept, other, copy] = ids as [number, number, number];
  db.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, 1, NULL, 0), (?, 1, NULL, 0)',
  ).run(kept, copy);
  catchUp(db);
  const folders = () => recorded(db, [kept, other, copy]).map((p) => p.split('/')[1]);
  return { db, kept, other, copy, folders };
}

describe('the album year', () => {
  it('puts an album whose tracks are dated 2004, 2012 and not at all in one folder, with its earliest year', () => {
    const { db, ids, other } = library();
    const expected = [
      `${FOLDER} (2004)/01 Main Theme.flac`,
      `${FOLDER} (2004)/02 Battle Music.flac`,
      `${FOLDER} (2004)/03 Wanderer.flac`,
    ];
    expect(recorded(db, ids)).toEqual(expected);
    expect(mounted(db, ids)).toEqual(expected.map((p) => `/${p}`));
    expect(rendered(db, ids)).toEqual(expected.map((p) => `/${p}`));
    // $year is still each track's own.
    expect(mounted(db, ids, '$album/$year/$title')).toEqual([
      `/${ALBUM}/2004/Main Theme.flac`,
      `/${ALBUM}/2012/Battle Music.flac`,
      `/${ALBUM}/Wanderer.flac`,
    ]);
    // Another album keeps its own year; `ls -f` and queries know the field as templates do.
    expect(recorded(db, [other])).toEqual(['Someone/Elsewhere (1990)/Other.flac']);
    const ls = checkedTemplate(db, '$albumyear $year $title');
    const lookup = derivedAlbumValues(db, new Set(['albumyear']));
    expect(filesByIds(db, [...ids, other]).map((item) => formatItem(ls, item, lookup))).toEqual([
      '2004 2004 Main Theme',
      '2004 2012 Battle Music',
      '2004  Wanderer',
      '1990 1990 Other',
    ]);
    expect(matchingIds(db, 'albumyear:2004')).toEqual(ids);
    expect(matchingIds(db, 'albumyear:2012')).toEqual([]);
    expect(matchingIds(db, 'albumyear:..2000')).toEqual([other]);
  });

  it("moves every track of the album when one track's date changes, each in the change feed", () => {
    const { db, ids, other } = library();
    const view = new LibraryView(db, new PathTemplate());
    const position = feedPosition(db);

    // The 2004 track redated 2010: the album's earliest year is now 2010, for all three.
    setDate(db, ids[0]!, '2010');
    const in2010 = [
      `${FOLDER} (2010)/01 Main Theme.flac`,
      `${FOLDER} (2010)/02 Battle Music.flac`,
      `${FOLDER} (2010)/03 Wanderer.flac`,
    ];
    expect(recorded(db, ids)).toEqual(in2010);
    for (const seq of seqs(db, ids)) expect(seq).toBeGreaterThan(position);
    expect(seqs(db, [other])[0]).toBeLessThanOrEqual(position);
    // A live mount takes in the change: all three changed, none left behind in the old folder.
    expect(view.refresh(true).sort()).toEqual([...ids].sort());
    expect(ids.map((id) => view.tree.pathOf(id))).toEqual(in2010.map((p) => `/${p}`));
    expect(view.tree.lookup(`/${FOLDER} (2004)`)).toBeUndefined();
    expect(rendered(db, ids)).toEqual(in2010.map((p) => `/${p}`));

    // The undated track dated 1999: earliest again, the album moves with it.
    const batch = setDate(db, ids[2]!, '1999');
    expect(recorded(db, ids).map((p) => p.split('/')[1])).toEqual(Array(3).fill(`${ALBUM} (1999)`));
    expect(view.refresh(true).sort()).toEqual([...ids].sort());
    expect(new Set(ids.map((id) => view.tree.pathOf(id)!.split('/')[2]))).toEqual(
      new Set([`${ALBUM} (1999)`]),
    );

    // Undone: back to 2010, all three.
    undoBatch(db, batch);
    expect(recorded(db, ids)).toEqual(in2010);
    view.refresh(true);
    expect(ids.map((id) => view.tree.pathOf(id))).toEqual(in2010.map((p) => `/${p}`));

    // A change of date that leaves the album's year as it is moves nothing but the track edited.
    const before = seqs(db, ids);
    setDate(db, ids[1]!, '2013');
    const after = seqs(db, ids);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    expect(recorded(db, ids)).toEqual(in2010);
  });

  it("takes a recording's year from the copy the album lists: not a copy left as it was, nor one dated alone", () => {
    const { db, kept, other, copy, folders } = withCopy('2004');
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (2004)`));
    // The album redated 2010 where it is listed (the copy the recording keeps): its folder follows.
    const batch = setDate(db, kept, '2010');
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (2010)`));
    undoBatch(db, batch);
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (2004)`));
    // The copy not kept dated alone (its own tags, or an edit of that file only): the album stays.
    setDate(db, copy, '1990');
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (2004)`));
    // The user keeps that copy: the album follows it, once the rounds after the choice have run.
    preferCarrying(db, copy, 'cli');
    expect(albumYearsBehind(db)).toBe(true);
    catchUp(db);
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (1990)`));
    // The suggested copy kept again: the user's date goes with the choice (prefer-copy.ts), and so the
    // album stays where the user put it.
    preferCarrying(db, copy, 'cli', false);
    catchUp(db);
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (1990)`));
    // Another recording dated earlier is the album's earliest year, as ever.
    setDate(db, other, '1980');
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (1980)`));
  });

  it('is derived again by migration 71 for the albums holding copies, in a library made before it', () => {
    const { db, folders } = withCopy('1990');
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (2004)`));
    // As a library stood at schema 70: every copy counted, nothing following the kept copies.
    db.exec(`UPDATE album_years SET year = '1990';
      ALTER TABLE album_years_state DROP COLUMN copies_seq; ALTER TABLE album_years_state DROP COLUMN copies_group;
      ALTER TABLE album_years_state DROP COLUMN copies_every`);
    db.exec(MIGRATIONS[70]!);
    expect(albumYearsBehind(db)).toBe(true);
    catchUp(db);
    expect(folders()).toEqual(Array(3).fill(`${ALBUM} (2004)`));
    expect(catchUp(db)).toBe(0);
    expect(albumYearsBehind(db)).toBe(false);
  });

  it('follows a track that leaves the album, and one that goes missing', () => {
    const { db, ids } = library();
    // The 2004 track moved to another album: the rest take their earliest year, 2012; it takes its own.
    applyEdit(db, planEdit(db, [ids[0]!], [{ key: 'album', values: ['Bonus'] }]), {
      description: 'album',
      origin: 'cli',
    });
    expect(recorded(db, ids)).toEqual([
      `${ARTIST}/Bonus (2004)/01 Main Theme.flac`,
      `${FOLDER} (2012)/02 Battle Music.flac`,
      `${FOLDER} (2012)/03 Wanderer.flac`,
    ]);
    // The 2012 track gone missing: the undated one is the album, which has no year any more.
    new IngestWriter(db).markMissing([ids[1]!], Date.now());
    expect(recorded(db, [ids[2]!])).toEqual([`${FOLDER}/03 Wanderer.flac`]);
    expect(rendered(db, [ids[2]!])).toEqual([`/${FOLDER}/03 Wanderer.flac`]);
  });

  it('is derived for a library made before it by following the change feed, moving the files it changes', () => {
    const { db, ids } = library();
    asAnOlderSleeveLeftIt(db, ids);
    const position = feedPosition(db);
    catchUp(db);
    expect(recorded(db, ids).map((p) => p.split('/')[1])).toEqual(Array(3).fill(`${ALBUM} (2004)`));
    // The track whose own year was the album's did not move; the other two did.
    const [first, ...moved] = seqs(db, ids);
    expect(first).toBeLessThanOrEqual(position);
    for (const seq of moved) expect(seq).toBeGreaterThan(position);
    // Caught up: another round has nothing to do.
    expect(catchUp(db)).toBe(0);
    expect(db.prepare('SELECT seq FROM album_years_state').pluck().get()).toBe(feedPosition(db));
  });

  it("is left caught up by a scan's batches: the round after them looks at no file", () => {
    const { db } = library();
    const { writer, root, now } = scanBatchesUnder(db, '/more');
    // A scan's batch (scan-read.ts): 30 new tracks of three albums, their years derived at its end.
    db.transaction(() =>
      writer.batch(() => {
        for (let i = 0; i < 30; i++) {
          const tags = {
            albumartist: ['More'],
            album: [`More ${i % 3}`],
            title: [`T${i}`],
            date: [`${2000 + i}`],
          };
          const stat = { path: `/more/${i}.flac`, size: 1_000_000, mtimeMs: now, inode: 100 + i };
          writer.write(
            root,
            stat,
            { track: flacRecord({ size: 1_000_000, duration: 180, tags }) },
            now,
            true,
          );
        }
      }),
    )();
    expect(new Derivation(db).albumYearRound()).toBe(0);
    expect(db.prepare('SELECT seq FROM album_years_state').pluck().get()).toBe(feedPosition(db));
    const years = db.prepare("SELECT DISTINCT year FROM album_years WHERE album LIKE 'More %' ORDER BY year");
    expect(years.pluck().all()).toEqual(['2000', '2001', '2002']);
  });

  it('looks, in such a batch, at a file whose change went past the tags it derives: its album follows', () => {
    const { db, ids } = library();
    const { writer, root, now } = scanBatchesUnder(db, '/music');
    // The 2004 track is unreadable now (a scan's error: no tags written, only the file's row): off the
    // album, whose year is then 2012, in the same transaction.
    db.transaction(() =>
      writer.batch(() => {
        const stat = { path: '/music/1 Main Theme.flac', size: 1_000_000, mtimeMs: now + 1, inode: 1 };
        writer.write(root, stat, { error: 'not audio' }, now, false);
      }),
    )();
    expect(recorded(db, ids.slice(1))).toEqual([
      `${FOLDER} (2012)/02 Battle Music.flac`,
      `${FOLDER} (2012)/03 Wanderer.flac`,
    ]);
    expect(new Derivation(db).albumYearRound()).toBe(0);
  });

  it('stops a round once it has looked at changed files for its time, and the next round goes on from there', () => {
    const { db, ids } = library();
    asAnOlderSleeveLeftIt(db, ids);
    const derivation = new Derivation(db);
    // A clock 30 ms further at each reading: each round's time is up after its first file.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += 30));
    const passed: number[] = [];
    try {
      for (let n = derivation.albumYearRound(); n > 0; n = derivation.albumYearRound()) passed.push(n);
    } finally {
      clock.mockRestore();
    }
    expect(passed).toEqual(Array(passed.length).fill(1));
    expect(passed.length).toBeGreaterThanOrEqual(4);
    expect(recorded(db, ids).map((p) => p.split('/')[1])).toEqual(Array(3).fill(`${ALBUM} (2004)`));
  });
});

/** Two releases of one album by their MusicBrainz ids (2 + 1 tracks), of 1981 and 2011; another album. */
function releases(): { db: Db; ids: number[]; other: number } {
  const track = (n: number, date: string, release: string, label = 'EMI') => ({
    path: `/music/${release}/${n}.flac`,
    tags: {
      albumartist: ['Queen'],
      album: ['Greatest Hits'],
      title: [`Song ${n}`],
      date: [date],
      label: [label],
      musicbrainz_albumid: [`0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e0${release}`],
    },
  });
  const { db, ids } = taggedLibrary([
    track(1, '1981', '1'),
    track(2, '1981', '1'),
    track(3, '2011', '2', 'Island'),
    { path: '/music/o.flac', tags: { albumartist: ['Queen'], album: ['Innuendo'], title: ['Other'] } },
  ]);
  open.push(db);
  return { db, ids: ids.slice(0, 3), other: ids[3]! };
}

const UNIQUE = '$album%aunique{}/$title';
const setTag = (db: Db, ids: number[], key: string, value: string) =>
  applyEdit(db, planEdit(db, ids, [{ key, values: [value] }]), { description: key, origin: 'cli' })!;

describe("what tells an album's releases apart (%aunique{})", () => {
  it('names each release by the first of release type, year, label and catalog number that differs', () => {
    const { db, ids, other } = releases();
    expect(mounted(db, [...ids, other], UNIQUE)).toEqual([
      '/Greatest Hits [1981]/Song 1.flac',
      '/Greatest Hits [1981]/Song 2.flac',
      '/Greatest Hits [2011]/Song 3.flac',
      '/Innuendo/Other.flac',
    ]);
    // `ls -f` and queries know it as templates do.
    const ls = checkedTemplate(db, '$albumunique|%aunique{,,()}');
    const lookup = derivedAlbumValues(db, new Set(['albumunique']));
    expect(filesByIds(db, [ids[2]!, other]).map((item) => formatItem(ls, item, lookup))).toEqual([
      '2011| (2011)',
      '|',
    ]);
    expect(matchingIds(db, 'albumunique:1981')).toEqual(ids.slice(0, 2));
    // Of one year, the label tells them; the same label too, the release's lowest file id.
    setTag(db, [ids[2]!], 'date', '1981');
    expect(mounted(db, ids, UNIQUE).map((p) => p.split('/')[1])).toEqual([
      'Greatest Hits [EMI]',
      'Greatest Hits [EMI]',
      'Greatest Hits [Island]',
    ]);
    setTag(db, [ids[2]!], 'label', 'EMI');
    expect(mounted(db, ids, UNIQUE).map((p) => p.split('/')[1])).toEqual([
      `Greatest Hits [${ids[0]}]`,
      `Greatest Hits [${ids[0]}]`,
      `Greatest Hits [${ids[2]}]`,
    ]);
    // A release type on one of them: the first disambiguator; the other release has none, so no suffix.
    setTag(db, [ids[0]!], 'releasetype', 'compilation');
    expect(mounted(db, ids, UNIQUE).map((p) => p.split('/')[1])).toEqual([
      'Greatest Hits [compilation]',
      'Greatest Hits [compilation]',
      'Greatest Hits',
    ]);
  });

  // beets' own expectations (test/test_library.py, DisambiguationTest): two albums of one name, of 2001 and
  // 2002; those that give their own disambiguators (Sleeve derives by beets' defaults) are not ported.
  it.each([
    ['foo%aunique{}/$title', {}, '/foo [2001]/the title.flac'],
    ['foo%aunique{}/$title', { releasetype: 'bar' }, '/foo [bar]/the title.flac'],
    ['foo%aunique{albumartist album,,()}/$title', {}, '/foo (2001)/the title.flac'],
    ['foo%aunique{,,}/$title', {}, '/foo 2001/the title.flac'],
    ['foo%aunique{}/$title', { releasetype: 'foo/bar', second: '2001' }, '/foo [foo_bar]/the title.flac'],
  ])("as beets' tests expect: %s", (template, first, expected) => {
    const { second = '2002', ...tags } = first as Record<string, string>;
    const track = (date: string, id: string, more: Record<string, string> = {}) => ({
      path: `/music/${id}.flac`,
      tags: {
        album: ['the album'],
        albumartist: ['the album artist'],
        title: ['the title'],
        date: [date],
        musicbrainz_albumid: [`0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e0${id}`],
        ...Object.fromEntries(Object.entries(more).map(([k, v]) => [k, [v]])),
      },
    });
    const { db, ids } = taggedLibrary([track('2001', '1', tags), track(second, '2')]);
    open.push(db);
    expect(mounted(db, [ids[0]!], template)).toEqual([expected]);
  });

  it("gives each release its own year and discs, as beets' albums have, not the other release's", () => {
    const { db, ids } = releases();
    setTag(db, [ids[2]!], 'discnumber', '2');
    expect(mounted(db, ids, '$album%aunique{} ($albumyear) $multidisc/$title')).toEqual([
      '/Greatest Hits [1981] (1981) 0/Song 1.flac',
      '/Greatest Hits [1981] (1981) 0/Song 2.flac',
      '/Greatest Hits [2011] (2011) 1/Song 3.flac',
    ]);
    // The default template: a folder a release, each of its year.
    expect(recorded(db, ids).map((p) => p.split('/')[1])).toEqual([
      'Greatest Hits (1981)',
      'Greatest Hits (1981)',
      'Greatest Hits (2011)',
    ]);
    // One release again: one album, of its earliest year.
    setTag(db, [ids[2]!], 'musicbrainz_albumid', '0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e01');
    expect(mounted(db, ids, '$album%aunique{} ($albumyear) $multidisc/$title')).toEqual([
      '/Greatest Hits (1981) 1/Song 1.flac',
      '/Greatest Hits (1981) 1/Song 2.flac',
      '/Greatest Hits (1981) 1/Song 3.flac',
    ]);
  });

  it('is derived again by migration 71 for the albums of two releases, in a library made before it', () => {
    const { db, ids, other } = releases();
    // As a library stood at schema 70: the album's earliest year for both releases.
    db.exec(`UPDATE album_years SET year = '1981';
      ALTER TABLE album_years_state DROP COLUMN copies_seq; ALTER TABLE album_years_state DROP COLUMN copies_group;
      ALTER TABLE album_years_state DROP COLUMN copies_every`);
    new ServedRecorder(db).record(ids[2]!);
    expect(recorded(db, [ids[2]!])[0]).toBe('Queen/Greatest Hits (1981)/Song 3.flac');
    feedMoves(db, () => db.exec(MIGRATIONS[70]!), ids, [other]);
    catchUp(db);
    expect(recorded(db, [ids[2]!])[0]).toBe('Queen/Greatest Hits (2011)/Song 3.flac');
    expect(mounted(db, ids).map((p) => p.split('/')[2])).toEqual([
      'Greatest Hits (1981)',
      'Greatest Hits (1981)',
      'Greatest Hits (2011)',
    ]);
    expect(catchUp(db)).toBe(0);
  });

  it('counts the releases of the copies the album lists, a copy not kept going with its recording', () => {
    const { db, ids } = releases();
    // One release (the third track's id made the first two's), and a copy of track 1 not kept, an MP3 of
    // another release (2020): no suffix for any, the copy in its recording's folder under a mount of every copy.
    setTag(db, [ids[2]!], 'musicbrainz_albumid', '0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e01');
    const copy = addTagged(db, {
      path: '/music/copies/1.flac',
      tags: {
        albumartist: ['Queen'],
        album: ['Greatest Hits'],
        title: ['Song 1 (copy)'],
        date: ['2020'],
        musicbrainz_albumid: ['0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e04'],
      },
    });
    oneRecording(db, [ids[0]!, copy]);
    catchUp(db);
    expect(mounted(db, [...ids, copy], UNIQUE, true).map((p) => p.split('/')[1])).toEqual(
      Array(4).fill('Greatest Hits'),
    );
    expect(recorded(db, [copy])[0]!.split('/')[1]).toBe('Greatest Hits (1981)');
    // Kept instead, the copy's release is the album's second: each release told by its year.
    preferCarrying(db, copy, 'cli');
    catchUp(db);
    expect(mounted(db, [...ids, copy], UNIQUE, true).map((p) => p.split('/')[1])).toEqual([
      'Greatest Hits [2020]',
      'Greatest Hits [1981]',
      'Greatest Hits [1981]',
      'Greatest Hits [2020]',
    ]);
  });

  it("takes a track with no release id into the album's one release, beside two as one of its own", () => {
    const { db, ids } = releases();
    // A bonus track tagged by hand, without the release id, on an album of one release: no suffix.
    setTag(db, [ids[2]!], 'musicbrainz_albumid', '0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e01');
    applyEdit(db, planEdit(db, [ids[1]!], [{ key: 'musicbrainz_albumid', values: [] }]), {
      description: 'id',
      origin: 'cli',
    });
    expect(mounted(db, ids, UNIQUE).map((p) => p.split('/')[1])).toEqual(Array(3).fill('Greatest Hits'));
    // Beside two releases it is one of its own, told by its year (the others' 1981 and 2011).
    setTag(db, [ids[2]!], 'musicbrainz_albumid', '0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e02');
    setTag(db, [ids[1]!], 'date', '1999');
    expect(mounted(db, ids, UNIQUE).map((p) => p.split('/')[1])).toEqual([
      'Greatest Hits [1981]',
      'Greatest Hits [1999]',
      'Greatest Hits [2011]',
    ]);
  });

  it('moves every track of the album, in the change feed, when releases join or part', () => {
    const { db, ids, other } = releases();
    const view = new LibraryView(db, new PathTemplate(UNIQUE));
    // One release now: no suffix for any of the three, each moved; the other album not.
    const oneRelease = () =>
      setTag(db, [ids[2]!], 'musicbrainz_albumid', '0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e01');
    feedMoves(db, oneRelease, ids, [other]);
    expect(view.refresh(true).sort()).toEqual([...ids].sort());
    expect(ids.map((id) => view.tree.pathOf(id))).toEqual([
      '/Greatest Hits/Song 1.flac',
      '/Greatest Hits/Song 2.flac',
      '/Greatest Hits/Song 3.flac',
    ]);
  });

  it('is derived by migration 47 for the albums of two releases only, in a library made before it', () => {
    const { db, ids, other } = releases();
    catchUp(db);
    // As a library stood at schema 46: album years derived, no releases.
    db.exec('ALTER TABLE album_years DROP COLUMN release; ALTER TABLE album_years DROP COLUMN disambig');
    // Only the files of the album of two releases are put in the change feed, and derived again.
    feedMoves(db, () => db.exec(MIGRATIONS[46]!), ids, [other]);
    expect(mounted(db, ids, UNIQUE)[2]).toBe('/Greatest Hits/Song 3.flac');
    catchUp(db);
    expect(mounted(db, ids, UNIQUE)[2]).toBe('/Greatest Hits [2011]/Song 3.flac');
    expect(mounted(db, [other], UNIQUE)).toEqual(['/Innuendo/Other.flac']);
    expect(catchUp(db)).toBe(0);
  });
});

/** Three albums of one band: Live, two discs, the tracks of its first tagged "disc 1" with no total;
 *  Studio, tagged disc 1 and nothing more; Box, one track of it present, tagged disc 1 of 2. By path:
 *  Box's track, Live's three, Studio's two. */
function discs(): { db: Db; ids: number[]; box: number; live: number[]; studio: number[] } {
  const track = (album: string, disc: string, n: number, title: string, more = {}) => ({
    path: `/music/${album}/${disc}-${n} ${title}.flac`,
    tags: {
      albumartist: ['Band'],
      album: [album],
      discnumber: [disc],
      tracknumber: [String(n)],
      title: [title],
      ...more,
    },
  });
  const { db, ids } = taggedLibrary([
    track('Live', '1', 1, 'Intro'),
    track('Live', '1', 2, 'Song'),
    track('Live', '2', 1, 'Encore'),
    track('Studio', '1', 1, 'Intro'),
    track('Studio', '1', 2, 'Song'),
    track('Box', '1', 1, 'Only', { totaldiscs: ['2'] }),
  ]);
  open.push(db);
  return { db, ids, box: ids[0]!, live: ids.slice(1, 4), studio: ids.slice(4) };
}

const IN_DISCS = [
  'Band/Box/1-01 Only.flac',
  'Band/Live/1-01 Intro.flac',
  'Band/Live/1-02 Song.flac',
  'Band/Live/2-01 Encore.flac',
  'Band/Studio/01 Intro.flac',
  'Band/Studio/02 Song.flac',
];

const setDisc = (db: Db, id: number, disc: string) =>
  applyEdit(db, planEdit(db, [id], [{ key: 'discnumber', values: [disc] }]), {
    description: 'disc',
    origin: 'cli',
  })!;

describe('how many discs an album has ($multidisc)', () => {
  it('writes the default disc prefix on an album of more than one disc only, whatever renders the path', () => {
    const { db, ids, box, live, studio } = discs();
    expect(recorded(db, ids)).toEqual(IN_DISCS);
    expect(mounted(db, ids)).toEqual(IN_DISCS.map((p) => `/${p}`));
    expect(rendered(db, ids)).toEqual(IN_DISCS.map((p) => `/${p}`));
    // `ls -f` and queries know the field as templates do.
    const ls = checkedTemplate(db, '$multidisc $title');
    const lookup = derivedAlbumValues(db, new Set(['multidisc']));
    expect(filesByIds(db, ids).map((item) => formatItem(ls, item, lookup))).toEqual([
      '1 Only',
      '1 Intro',
      '1 Song',
      '1 Encore',
      '0 Intro',
      '0 Song',
    ]);
    expect(matchingIds(db, 'multidisc:1')).toEqual([box, ...live]);
    expect(matchingIds(db, 'multidisc:0')).toEqual(studio);
  });

  it('moves every track of an album whose second disc goes or comes, each in the change feed', () => {
    const { db, ids, live, studio, box } = discs();
    const view = new LibraryView(db, new PathTemplate());
    let batch = 0;
    feedMoves(db, () => (batch = setDisc(db, live[2]!, '1')), live, [...studio, box]);
    expect(recorded(db, live)).toEqual([
      'Band/Live/01 Intro.flac',
      'Band/Live/02 Song.flac',
      'Band/Live/01 Encore.flac',
    ]);
    expect(view.refresh(true).sort()).toEqual([...live].sort());
    expect(view.tree.pathOf(live[0]!)).toBe('/Band/Live/01 Intro.flac');
    feedMoves(db, () => undoBatch(db, batch), live, [...studio, box]);
    expect(recorded(db, ids)).toEqual(IN_DISCS);
    // A total of two on one track of Studio makes it a set of two.
    feedMoves(
      db,
      () =>
        applyEdit(db, planEdit(db, [studio[1]!], [{ key: 'totaldiscs', values: ['2'] }]), {
          description: 'total',
          origin: 'cli',
        }),
      studio,
      [...live, box],
    );
    expect(recorded(db, studio)).toEqual(['Band/Studio/1-01 Intro.flac', 'Band/Studio/1-02 Song.flac']);
  });

  it("counts a recording's discs from the copy the album lists, not a copy an edit left as it was", () => {
    const { db, live } = discs();
    const other = addTagged(db, {
      path: '/music/copies/Encore.flac',
      tags: {
        albumartist: ['Band'],
        album: ['Live'],
        discnumber: ['2'],
        tracknumber: ['1'],
        title: ['Encore'],
      },
    });
    oneRecording(db, [live[2]!, other]);
    catchUp(db);
    expect(recorded(db, live)[2]).toBe('Band/Live/2-01 Encore.flac');
    // The kept copy renumbered disc 1: the copy left on disc 2 holds no album at two discs.
    setDisc(db, live[2]!, '1');
    expect(recorded(db, live)).toEqual([
      'Band/Live/01 Intro.flac',
      'Band/Live/02 Song.flac',
      'Band/Live/01 Encore.flac',
    ]);
  });

  it('is derived by migration 61 for the albums a track of which says more than one disc only', () => {
    const { db, ids, box, live, studio } = discs();
    catchUp(db);
    // As a library stood at schema 60: album years derived, no discs.
    db.exec('ALTER TABLE album_years DROP COLUMN own_discs; ALTER TABLE album_years DROP COLUMN discs');
    feedMoves(db, () => db.exec(MIGRATIONS[60]!), [box, ...live], studio);
    // Until derived, each track says its own: disc 1 with no total, one disc; to a query as to a path.
    expect(rendered(db, live)[0]).toBe('/Band/Live/01 Intro.flac');
    expect(matchingIds(db, 'multidisc:1')).toEqual([box, live[2]]);
    catchUp(db);
    expect(rendered(db, ids)).toEqual(IN_DISCS.map((p) => `/${p}`));
    // Live's first disc, served by its own numbers until then, is recorded again with its prefix (the
    // tracks whose paths the count left as they were are recorded by the next scan, as any stale file).
    expect(recorded(db, live.slice(0, 2))).toEqual(IN_DISCS.slice(1, 3));
    expect(catchUp(db)).toBe(0);
  });
});

/** Two tracks on no album of one artist and title (beets' test items), of 2001 and 2002; beside them, a
 *  track of that title on an album. */
function singles(second = '2002'): { db: Db; ids: number[]; onAlbum: number } {
  const track = (n: number, date: string) => ({
    path: `/music/${n}.flac`,
    tags: { artist: ['the artist'], title: ['the title'], date: [date] },
  });
  const { db, ids } = taggedLibrary([
    track(1, '2001'),
    track(2, second),
    { path: '/music/a.flac', tags: { artist: ['the artist'], title: ['the title'], album: ['An Album'] } },
  ]);
  open.push(db);
  return { db, ids: ids.slice(0, 2), onAlbum: ids[2]! };
}

const SINGLE = 'foo/$title%sunique{}';

/** The library as it stood at schema 47: no rows, column or triggers of tracks on no album. */
const atSchema47 = (db: Db) =>
  db.exec(`DELETE FROM album_years WHERE album = ''; ALTER TABLE album_years DROP COLUMN title;
    DROP TRIGGER single_member_grouped; DROP TRIGGER single_member_regrouped; DROP TRIGGER single_member_ungrouped`);

/** Files found to be copies of one recording, as the scan's grouping records them. */
const oneRecording = (db: Db, ids: readonly number[]) => {
  const member = db.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, 7, NULL, 0)',
  );
  for (const id of ids) member.run(id);
};

describe('what tells tracks on no album apart (%sunique{})', () => {
  // beets' own expectations (test/test_library.py, TestSingletonDisambiguation). Not ported: those that
  // give keys or disambiguators of their own (Sleeve derives by beets' defaults) or set trackdisambig (no
  // field of Sleeve).
  it.each([
    ['foo/$title%sunique{artist title,year}', '2002', '/foo/the title [2001].flac'],
    ['foo/$title%sunique{artist title,year,()}', '2002', '/foo/the title (2001).flac'],
    ['foo/$title%sunique{artist title,year,}', '2002', '/foo/the title 2001.flac'],
    ['foo/$title%sunique{}', '2001', '/foo/the title [1].flac'],
  ])("as beets' tests expect: %s", (template, second, expected) => {
    const { db, ids } = singles(second);
    expect(mounted(db, [ids[0]!], template)).toEqual([expected.replace('[1]', `[${ids[0]}]`)]);
  });

  it('tells apart only tracks on no album, each recording once, and follows each change in the feed', () => {
    const { db, ids, onAlbum } = singles();
    const view = new LibraryView(db, new PathTemplate(SINGLE));
    expect(ids.map((id) => view.tree.pathOf(id))).toEqual([
      '/foo/the title [2001].flac',
      '/foo/the title [2002].flac',
    ]);
    // The track on an album is not one of them, nor told apart.
    expect(mounted(db, [onAlbum], SINGLE)).toEqual(['/foo/the title.flac']);
    // `ls -f` and queries know it as templates do.
    const ls = checkedTemplate(db, '$singletonunique|%sunique{,,()}');
    const lookup = derivedAlbumValues(db, new Set(['singletonunique']));
    expect(filesByIds(db, [ids[1]!, onAlbum]).map((item) => formatItem(ls, item, lookup))).toEqual([
      '2002| (2002)',
      '|',
    ]);
    expect(matchingIds(db, 'singletonunique:2001')).toEqual([ids[0]]);
    // One retitled: neither needs telling apart; the other, unchanged itself, moves in the feed too.
    feedMoves(db, () => setTag(db, [ids[1]!], 'title', 'different track'), ids);
    expect(view.refresh(true).sort()).toEqual([...ids].sort());
    expect(ids.map((id) => view.tree.pathOf(id))).toEqual([
      '/foo/the title.flac',
      '/foo/different track.flac',
    ]);
    // Back, of the same year: told apart by file id.
    setTag(db, [ids[1]!], 'title', 'the title');
    setTag(db, [ids[1]!], 'date', '2001');
    view.refresh(true);
    expect(ids.map((id) => view.tree.pathOf(id))).toEqual([
      `/foo/the title [${ids[0]}].flac`,
      `/foo/the title [${ids[1]}].flac`,
    ]);
    // Found to be copies of one recording: one track to tell apart, whichever copy is served.
    oneRecording(db, ids);
    catchUp(db);
    expect(ids.map((id) => lookup(id).singletonUnique)).toEqual(['', '']);
    expect(mounted(db, ids, SINGLE).filter(Boolean)).toEqual(['/foo/the title.flac']);
    // One given an album: the other is alone.
    db.exec('DELETE FROM recording_members');
    catchUp(db);
    expect(mounted(db, ids, SINGLE)[0]).toBe(`/foo/the title [${ids[0]}].flac`);
    setTag(db, [ids[1]!], 'album', 'Later Album');
    expect(mounted(db, [ids[0]!], SINGLE)).toEqual(['/foo/the title.flac']);
    expect(catchUp(db)).toBe(0);
  });

  it('refuses keys and disambiguators of its own, saying what it tells apart by', () => {
    const { db } = singles();
    expect(() => checkedTemplate(db, '$title%sunique{albumartist album,month year}')).toThrow(
      "%sunique tells tracks on no album apart by artist and title only (beets' defaults): leave its keys empty, as in %sunique{}",
    );
  });

  it('is derived by migration 48 for the tracks sharing an artist and title, in a library made before it', () => {
    const { db, ids, onAlbum } = singles();
    catchUp(db);
    atSchema47(db);
    feedMoves(db, () => db.exec(MIGRATIONS[47]!), ids, [onAlbum]);
    expect(mounted(db, ids, SINGLE)[0]).toBe('/foo/the title.flac');
    catchUp(db);
    expect(mounted(db, ids, SINGLE)).toEqual(['/foo/the title [2001].flac', '/foo/the title [2002].flac']);
    expect(catchUp(db)).toBe(0);
  });

  it('rewrites by migration 73 the recordings kept of tracks on no album, in a library made before it', () => {
    const { db, ids } = singles();
    oneRecording(db, [ids[0]!]);
    catchUp(db);
    const releases = () =>
      db.prepare("SELECT file_id, release FROM album_years WHERE album = '' ORDER BY file_id").raw().all();
    const derived = releases();
    // As album-copies.ts names a file's recording: its group, else its own id negated.
    expect(derived).toEqual([
      [ids[0], '7'],
      [ids[1], String(-ids[1]!)],
    ]);
    const paths = mounted(db, ids, SINGLE);
    // As a library stood at schema 72: 'g' and the group, 'f' and the file.
    db.exec(`UPDATE album_years SET release = CASE WHEN release GLOB '-*' THEN 'f' || substr(release, 2)
      ELSE 'g' || release END WHERE album = ''`);
    const position = feedPosition(db);
    db.exec(MIGRATIONS[72]!);
    expect(releases()).toEqual(derived);
    expect(catchUp(db)).toBe(0);
    expect(feedPosition(db)).toBe(position);
    expect(mounted(db, ids, SINGLE)).toEqual(paths);
  });

  it('derives every track migration 48 moves, however many more than a round takes', () => {
    const tracks = Array.from({ length: 400 }, (_, i) => ({
      path: `/music/${i}.flac`,
      tags: { artist: ['A'], title: [`Song ${Math.floor(i / 2)}`], date: [String(2000 + (i % 2))] },
    }));
    const { db } = taggedLibrary(tracks);
    open.push(db);
    catchUp(db);
    atSchema47(db);
    db.exec(MIGRATIONS[47]!);
    catchUp(db);
    const texts = db
      .prepare("SELECT disambig FROM album_years WHERE album = '' ORDER BY file_id")
      .pluck()
      .all();
    expect(texts).toEqual(Array.from({ length: 400 }, (_, i) => String(2000 + (i % 2))));
  });

  it('follows a copy parted from its recording, though its recording was alone', () => {
    const track = (n: number, date: string) => ({
      path: `/music/${n}.flac`,
      tags: { artist: ['the artist'], title: ['the title'], date: [date] },
    });
    const { db, ids } = taggedLibrary([track(1, '2001'), track(2, '2002'), track(3, '2003')]);
    open.push(db);
    const lookup = derivedAlbumValues(db, new Set(['singletonunique']));
    oneRecording(db, ids);
    catchUp(db);
    // The first's title cleared and given back while the three are one recording: nothing to tell.
    applyEdit(db, planEdit(db, [ids[0]!], [{ key: 'title', values: [] }]), {
      description: 't',
      origin: 'cli',
    });
    setTag(db, [ids[0]!], 'title', 'the title');
    catchUp(db);
    expect(ids.map((id) => lookup(id).singletonUnique)).toEqual(['', '', '']);
    // It is found to be a recording of its own after all: the two recordings told apart by year.
    db.prepare('DELETE FROM recording_members WHERE file_id = ?').run(ids[0]);
    catchUp(db);
    expect(ids.map((id) => lookup(id).singletonUnique)).toEqual(['2001', '2002', '2002']);
  });
});

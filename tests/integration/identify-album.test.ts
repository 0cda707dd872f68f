// Identification by album, as a new user meets it: a folder holding an album with no tags at all, and a
// tagged copy of two of its tracks elsewhere in the library. Offline, Identify proposes the twins' tags to
// their copies; with AcoustID, MusicBrainz and the Cover Art Archive enabled (local fixture servers that
// speak their documented APIs), it matches the folder to the album's release (against a remaster of it),
// shows every candidate and the diff, applies it in one batch with the front cover, and the mount serves
// the new tags and the cover; undo takes it all back; a rerun asks nothing; a chosen candidate, a search
// by album tags, a busy or broken service and a release without a cover each behave as they should.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { mbid } from '../fixtures/musicbrainz-data.ts';
import {
  type AlbumServices,
  MERGED_INTO_REMASTER,
  ORIGINAL,
  REMASTER,
  startAlbumServices,
  ALBUM_TITLES as TITLES,
  writeUntaggedAlbum,
} from '../fixtures/untagged-album.ts';
import { hashTree, sleeveHere, sleeveHereAsync, tempDir, tool } from '../helpers.ts';
import { ffprobeTags, findServed, listedTags, unmountChecked, waitFor } from '../mount-helpers.ts';

interface Proposal {
  fileId: number;
  source: string;
  path: string;
  strength: string;
  reasons: string[];
  releaseId?: string;
  changes: Array<{ key: string; before: string[]; after: string[] }>;
  copies?: Array<{ path: string; changes: Array<{ key: string }> }>;
}
interface Album {
  key: string;
  releaseId?: string;
  strength: string;
  reasons: string[];
  candidates: Array<{ id: string; title: string; score: number; evidence: string[] }>;
  extra: number[];
  missing: number;
}
interface Identified {
  proposals: Proposal[];
  albums?: Album[];
}

describe('sleeve identify, by album: AcoustID + MusicBrainz + the Cover Art Archive', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const album = join(music, 'inbox', 'untagged album');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  let services: AlbumServices;
  let acoustid: AlbumServices['acoustid'];
  let mb: AlbumServices['mb'];
  let originals: Map<string, string>;
  const configure: AlbumServices['configure'] = (over) => services.configure(over);
  const identify = async (...args: string[]): Promise<Identified> => {
    const r = await sleeveHereAsync(home, ['identify', 'path:inbox', '--json', ...args]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Identified;
  };
  const served = (name: string) => findServed(mnt, name);

  beforeAll(async () => {
    mkdirSync(album, { recursive: true });
    mkdirSync(join(music, 'collection'));
    // The album: four tracks, no tags, named only by their numbers; tagged copies of its first two
    // tracks elsewhere.
    const wavs = writeUntaggedAlbum(album, dir);
    for (const i of [0, 1])
      tool('flac', [
        '-s',
        '-f',
        wavs[i]!,
        '-o',
        join(music, 'collection', `${TITLES[i]}.flac`),
        `--tag=TITLE=${TITLES[i]}`,
        '--tag=ARTIST=Ada North',
        '--tag=ALBUM=Harbour Lights',
        `--tag=TRACKNUMBER=${i + 1}`,
      ]);
    originals = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    services = await startAlbumServices(home, 'inbox', dir);
    ({ acoustid, mb } = services);
    expect(sleeveHere(home, ['mount', mnt]).stderr).toBe('');
  }, 120_000);

  afterAll(async () => {
    unmountChecked(home, mnt, music, originals); // unmounted, and no original written
    await services?.close();
  });

  it('offline: the twins’ tags for their two copies, nothing for the rest, nothing sent', async () => {
    const { proposals, albums } = await identify();
    expect(albums).toBeUndefined();
    expect(proposals.map((p) => [p.path.split('/').pop(), p.source, p.strength])).toEqual([
      ['01.flac', 'copy', 'strong'],
      ['02.flac', 'copy', 'strong'],
    ]);
    expect(acoustid.requests.length + mb.requests.length).toBe(0);
  });

  it('online: the album matched to its release over the remaster, every candidate shown with its evidence', async () => {
    configure();
    const { proposals, albums } = await identify();
    expect(albums).toHaveLength(1);
    const [a] = albums!;
    expect(a!.candidates.map((c) => c.id)).toEqual([ORIGINAL, REMASTER]);
    expect(a!.releaseId).toBe(ORIGINAL);
    expect(a!.candidates[0]!.evidence).toContain('4 by their AcoustID recording');
    expect(a!.candidates[0]!.score).toBeGreaterThan(a!.candidates[1]!.score);
    expect([a!.extra, a!.missing]).toEqual([[], 0]);
    // The remaster is close (same recordings): not strong, and it says why.
    expect(a!.strength).toBe('review');
    expect(a!.reasons.join()).toMatch(/another release, "Harbour Lights \(Remastered\)".*matches within/);
    // Every file gets the release's fields, the release proposal replacing the twins'.
    expect(proposals.map((p) => [p.path.split('/').pop(), p.source, p.releaseId])).toEqual(
      TITLES.map((_, i) => [`0${i + 1}.flac`, 'release', ORIGINAL]),
    );
    const third = Object.fromEntries(proposals[2]!.changes.map((c) => [c.key, c.after]));
    expect(third).toMatchObject({
      title: ['Low Tide'],
      artist: ['Ada North'],
      album: ['Harbour Lights'],
      albumartist: ['Ada North'],
      tracknumber: ['3'],
      totaltracks: ['4'],
      discnumber: ['1'],
      date: ['2001-05-04'],
      originaldate: ['2001-05-04'],
      releasetype: ['album'],
      label: ['Fixture Records'],
      catalognumber: ['CAT-1'],
      musicbrainz_albumid: [ORIGINAL],
      musicbrainz_recordingid: [mbid('Low Tide')],
      musicbrainz_releasegroupid: [mbid('group Harbour Lights')],
      musicbrainz_trackid: [mbid(`track ${ORIGINAL} 0 2`)],
      acoustid_id: [mbid('acoustid 2')],
    });
    // The services as they ask to be used: MusicBrainz at most once a second, with a User-Agent and the
    // contact; AcoustID batched (4 fingerprints in one request).
    expect(acoustid.requests.map((r) => r.fingerprints)).toEqual([4]);
    const asked = mb.requests;
    expect(asked.map((r) => r.path.split('?')[0])).toEqual([
      `/ws/2/release/${ORIGINAL}`,
      `/ws/2/release/${REMASTER}`,
    ]);
    expect(
      asked.every((r) => !r.refused && /^Sleeve\/\S+ \( tests@sleeve\.invalid \)$/.test(r.userAgent)),
    ).toBe(true);
    expect(asked[1]!.at - asked[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('applies the album in one batch with the front cover; the mount serves both; undo takes both back', async () => {
    const before = mb.requests.length;
    const r = await sleeveHereAsync(home, ['identify', 'path:inbox', '--apply', '--cover', '-y']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('MusicBrainz: 0 request(s), 2 answered from earlier runs'); // a rerun asks nothing
    expect(r.stdout).toMatch(/→ \d\.\d\d "Harbour Lights" by Ada North \(2001-05-04, XE, CD, 4 tracks\)/);
    const batch = /saved as edit batch (\d+) \(4 file\(s\)\)/.exec(r.stdout)?.[1];
    expect(batch).toBeDefined();
    // Only the cover was fetched, once, through the archive's redirect.
    expect(mb.requests.slice(before).map((q) => q.path)).toEqual([
      `/caa/release/${ORIGINAL}/front`,
      `/caa/images/${ORIGINAL}`,
    ]);
    expect(
      sleeveHere(home, ['ls', 'path:inbox', '-f', '$tracknumber. $title · $album']).stdout.trim().split('\n'),
    ).toEqual(TITLES.map((t, i) => `${i + 1}. ${t} · Harbour Lights`));
    const file = await waitFor('the mount showing the album', () => {
      const path = served('Low Tide.flac') || served('03.flac');
      return path && listedTags(path)?.album === 'Harbour Lights' ? path : undefined;
    });
    expect(ffprobeTags(file)).toMatchObject({ title: 'Low Tide', musicbrainz_albumid: ORIGINAL });
    const picture = join(tempDir(), 'cover.png');
    tool('ffmpeg', ['-v', 'error', '-y', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'data', picture]);
    expect(readFileSync(picture).equals(services.covers.get(ORIGINAL)!)).toBe(true);

    expect(sleeveHere(home, ['undo', batch!]).status).toBe(0);
    expect(sleeveHere(home, ['ls', 'path:inbox', '-f', '$album']).stdout.trim()).toBe('');
    await waitFor('the mount without the album', () => {
      const path = served('03.flac');
      const tags = path && listedTags(path);
      return tags && tags.album === undefined ? true : undefined;
    });
    expect(
      JSON.parse(sleeveHere(home, ['art', 'path:inbox', '--json']).stdout).every(
        (f: { pictures: unknown[] }) => f.pictures.length === 0,
      ),
    ).toBe(true);
  });

  it('applied to the copies of its recordings too, a release gives them only the recording’s fields, never an edited one', async () => {
    // The first track's tagged twin is on another album (a compilation), under a title the user gave it
    // in Sleeve; the second's on this one.
    const edited = `${TITLES[0]} (Best Of)`;
    expect(
      sleeveHere(home, [
        'set',
        `path:${TITLES[0]}.flac`,
        'album=Best Of Ada',
        'tracknumber=9',
        `title=${edited}`,
        '-y',
      ]).status,
    ).toBe(0);
    // The preview lists each copy under the track of its recording, with what it would get.
    const { proposals } = await identify('--copies');
    const copies = proposals.map((p) => (p.copies ?? []).map((c) => c.path.split('/').pop()));
    expect(copies).toEqual([[`${TITLES[0]}.flac`], [`${TITLES[1]}.flac`], [], []]);
    const given = proposals.flatMap((p) => (p.copies ?? []).map((c) => c.changes.map((x) => x.key)));
    for (const keys of given) {
      expect(keys).toContain('musicbrainz_recordingid');
      for (const release of ['album', 'tracknumber', 'totaltracks', 'date', 'label', 'musicbrainz_albumid'])
        expect(keys).not.toContain(release);
    }
    expect(given[0]).not.toContain('title'); // the user's title

    const r = await sleeveHereAsync(home, ['identify', 'path:inbox', '--apply', '--copies', '--yes-all']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/saved as edit batch \d+ \(6 file\(s\)\)/); // the album's 4 and the 2 copies
    const twin = (title: string, field: string) =>
      sleeveHere(home, ['ls', '--all-copies', `path:collection/${title}`, '-f', `$${field}`]).stdout.trim();
    expect(twin(TITLES[0]!, 'musicbrainz_recordingid')).toBe(mbid(TITLES[0]!));
    expect([
      twin(TITLES[0]!, 'title'),
      twin(TITLES[0]!, 'album'),
      twin(TITLES[0]!, 'tracknumber'),
      twin(TITLES[0]!, 'musicbrainz_albumid'),
      twin(TITLES[1]!, 'totaltracks'),
    ]).toEqual([edited, 'Best Of Ada', '9', '', '']);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(twin(TITLES[0]!, 'album')).toBe('Harbour Lights');
  });

  it('a chosen candidate is proposed instead, with the margin not required of it', async () => {
    const { albums, proposals } = await identify('--release', REMASTER);
    expect(albums![0]!.releaseId).toBe(REMASTER);
    expect(albums![0]!.reasons.join()).toMatch(/chosen over "Harbour Lights" \(.*\), which matches better/);
    expect(new Set(proposals.map((p) => p.releaseId))).toEqual(new Set([REMASTER]));
    expect(Object.fromEntries(proposals[0]!.changes.map((c) => [c.key, c.after])).album).toEqual([
      'Harbour Lights (Remastered)',
    ]);
    // An id MusicBrainz merged into the remaster is the remaster: one candidate, not two.
    const merged = await identify('--release', MERGED_INTO_REMASTER.toUpperCase());
    expect(merged.albums![0]!.releaseId).toBe(REMASTER);
    expect(merged.albums![0]!.candidates.map((c) => c.id).sort()).toEqual([ORIGINAL, REMASTER].sort());
    // A release MusicBrainz does not have is said so; a malformed id is refused before anything is asked.
    const unknown = await identify('--release', mbid('no such release'));
    expect(unknown.albums![0]!.reasons).toEqual([
      `the chosen release ${mbid('no such release')} is not in MusicBrainz`,
    ]);
    expect(unknown.proposals.map((p) => p.source)).not.toContain('release');
    const bad = await sleeveHereAsync(home, ['identify', 'path:inbox', '--release', 'harbour-lights']);
    expect([bad.status, bad.stderr]).toEqual([
      1,
      expect.stringContaining('--release harbour-lights: not a MusicBrainz release id'),
    ]);
  });

  it('without AcoustID, finds the release by a search on the album tags', async () => {
    configure({ acoustid: { enabled: false } });
    expect(
      sleeveHere(home, ['set', 'path:inbox', 'album=Harbour Lights', 'artist=Ada North', '--yes-all']).status,
    ).toBe(0);
    const before = mb.requests.length;
    const { albums } = await identify();
    const searched = mb.requests.slice(before).map((q) => decodeURIComponent(q.path.replace(/\+/g, ' ')));
    expect(searched[0]).toMatch(/^\/ws\/2\/release\?query=release:"Harbour Lights" AND artist:"Ada North"/);
    expect(albums![0]!.candidates[0]!.id).toBe(ORIGINAL);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('without a cover in the archive, applies the tags and says so', async () => {
    configure({ coverart: { url: `${mb.coverUrl}/nothing-here` } });
    const r = await sleeveHereAsync(home, ['identify', 'path:inbox', '--apply', '--cover', '-y']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`no cover: the Cover Art Archive has no front image of release ${ORIGINAL}`);
    expect(r.stdout).toMatch(/saved as edit batch \d+ \(4 file\(s\)\)/);
    const art = JSON.parse(sleeveHere(home, ['art', 'path:inbox', '--json']).stdout) as Array<{
      pictures: unknown[];
    }>;
    expect(art.map((f) => f.pictures.length)).toEqual([0, 0, 0, 0]);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('a folder of singles is not taken for the album two of them come from', async () => {
    const singles = join(music, 'inbox', 'singles');
    mkdirSync(singles);
    for (const i of [0, 1])
      tool('cp', [join(album, `0${i + 1}.flac`), join(singles, `${TITLES[i]} (single).flac`)]);
    for (const [i, seconds] of [60, 70, 80].entries())
      writeWav(join(singles, `other ${i}.wav`), synthesizePiece(70 + i, seconds));
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    originals = hashTree(music);
    const r = await sleeveHereAsync(home, ['identify', 'path:singles', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const { proposals, albums } = JSON.parse(r.stdout) as Identified;
    expect(albums).toHaveLength(1);
    expect(albums![0]!.releaseId).toBeUndefined();
    expect(albums![0]!.reasons).toEqual([
      'only 2 of the 5 files are tracks on the best release: they are not one album (each keeps its own proposal)',
    ]);
    expect(albums![0]!.candidates[0]!.id).toBe(ORIGINAL); // shown, not proposed
    expect(proposals.map((p) => p.source)).not.toContain('release');
  });

  it('a busy or broken MusicBrainz ends in a clear error with nothing applied', async () => {
    // Another album folder, never asked about, so nothing comes from the cache.
    const other = join(music, 'inbox', 'second');
    mkdirSync(other);
    writeWav(join(other, '01.wav'), synthesizePiece(60, 12));
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    originals = hashTree(music);
    configure({ musicbrainz: { retries: 0 } });
    expect(sleeveHere(home, ['set', 'path:second', 'album=Second Album', '-y']).status).toBe(0);
    const history = sleeveHere(home, ['history']).stdout;
    // No pause between the commands: they run in one thread (sleeveHereAsync's), whose limiter spaces them
    // as the service asks, so the failures below are the ones told, not the rate rule's refusals.
    const asked = mb.requests.length;
    mb.failNext(1, 'http503');
    const busy = await sleeveHereAsync(home, ['identify', 'path:second', '--apply', '-y']);
    expect([busy.status, busy.stderr]).toEqual([
      1,
      expect.stringContaining('MusicBrainz is busy or unavailable (HTTP 503) after 1 tries'),
    ]);
    mb.failNext(1, 'malformed');
    const broken = await sleeveHereAsync(home, ['identify', 'path:second', '--apply', '-y']);
    expect([broken.status, broken.stderr]).toEqual([
      1,
      expect.stringContaining('MusicBrainz sent a response that is not JSON'),
    ]);
    expect(sleeveHere(home, ['history']).stdout).toBe(history);
    expect(mb.requests.slice(asked).filter((r) => r.refused)).toEqual([]);
  });
});

// A real Subsonic client on Sleeve's server: Debian's Sublime Music, driven through its own Subsonic
// adapter (tests/fixtures/sublime-tour.py) — the requests its views make, with its habits: a new salt per
// request, `v=1.8.0` until it has read the server's version, folder browsing from getIndexes, playlists
// rewritten by createPlaylist with a playlistId, the play queue saved with `current` and `position`. The
// library shows Sleeve's edits and one copy per recording; a download and a stream of a FLAC and of an MP3
// carry the edited title and the served ReplayGain as mutagen reads them; the originals never change.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED } from '../fixtures/engines-library.ts';
import {
  makeSubsonicLibrary,
  PASSWORD,
  startTestSubsonic,
  type TestSubsonic,
} from '../fixtures/subsonic-library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';
import { PY } from '../mount-helpers.ts';

const TOUR = new URL('../fixtures/sublime-tour.py', import.meta.url).pathname;

interface Song {
  readonly id: string;
  readonly title: string;
  readonly path: string;
  readonly suffix: string;
}
interface Fetched {
  readonly status: number;
  readonly type: string;
  readonly title: string | null;
  readonly gain: string | null;
}
// biome-ignore lint/suspicious/noExplicitAny: the tour's steps are checked one by one
type Tour = Record<string, any>;

describe('Sublime Music on sleeve subsonic', () => {
  let music: string;
  let home: string;
  let before: Map<string, string>;
  let s: TestSubsonic;
  let tour: Tour;

  beforeAll(async () => {
    ({ music, home, before } = makeSubsonicLibrary());
    const listed = sleeveHereJson<Array<{ id: number; path: string }>>(home, [
      'ls',
      '--json',
      '--all-copies',
    ]);
    const idOf = (name: string) => listed.find((t) => t.path.endsWith(`/${name}`))!.id;
    // The MP3 copy kept over its FLAC, as a user who prefers it would; then edits of both recordings.
    expect(sleeveHere(home, ['dup', '--prefer', String(idOf(`${COPIED}-copy.mp3`))]).status).toBe(0);
    for (const [name, title] of [
      [`${COPIED}-copy.mp3`, 'First Techno'],
      ['techno-2.flac', 'Second Techno'],
    ])
      expect(sleeveHere(home, ['set', `id:${idOf(name!)}`, `title=${title}`, '--yes-all']).status).toBe(0);
    s = await startTestSubsonic(home);
    const downloads = join(tempDir('sublime-'), 'downloads');
    mkdirSync(downloads);
    const { stdout } = await promisify(execFile)(
      PY,
      [TOUR, s.url, 'alice', PASSWORD, downloads, 'Techno', 'First Techno', 'Second Techno'],
      { timeout: 120_000, maxBuffer: 16 << 20 },
    );
    tour = JSON.parse(stdout) as Tour;
  }, 180_000);

  afterAll(async () => {
    await s?.close();
    if (music) expect(hashTree(music)).toEqual(before);
  });

  /** A step's outcome; a step the client could not do fails with the client's own error. */
  const step = <T>(name: string): T => {
    const outcome = tour[name];
    if (outcome?.error) expect.fail(`${name}: ${outcome.error}\n${outcome.trace ?? ''}`);
    expect(outcome, name).toBeDefined();
    return outcome as T;
  };

  it('logs in, lists artists and albums, and searches, each request with a new salt', () => {
    expect(step('ping')).toBe(true);
    expect(step<Array<{ name: string }>>('artists').map((a) => a.name)).toContain('techno artist');
    expect(step<string[]>('ignoredArticles')).toContain('The');
    expect(step<{ albums: string[] }>('artist').albums.length).toBeGreaterThan(0);
    expect(step<Array<{ name: string }>>('albums').map((a) => a.name)).toContain('techno album');
    expect(step<string[]>('genres')).toEqual(expect.arrayContaining(['techno', 'Breakbeat']));
    expect(step<string[]>('search')).toEqual(expect.arrayContaining(['First Techno', 'Second Techno']));
  });

  it('browses by folder from the root down to songs: the edits, one copy per recording', () => {
    const { directories, songs } = step<{ directories: Record<string, string[]>; songs: Song[] }>('browse');
    expect(directories.root!.length).toBeGreaterThan(0);
    const titles = songs.map((t) => t.title);
    expect(titles).toEqual(expect.arrayContaining(['First Techno', 'Second Techno']));
    expect(titles).not.toContain(COPIED);
    expect(titles.filter((t) => t === 'First Techno')).toHaveLength(1);
    expect(songs.find((t) => t.title === 'First Techno')!.suffix).toBe('.mp3');
  });

  it('downloads and streams the curated file: the edited title and the served ReplayGain, MP3 and FLAC', () => {
    for (const [title, type] of [
      ['First Techno', 'audio/mpeg'],
      ['Second Techno', 'audio/flac'],
    ]) {
      expect(step<Song>(`details ${title}`).title).toBe(title);
      for (const how of ['download', 'stream']) {
        const got = step<Fetched>(`${how} ${title}`);
        expect(got, `${how} ${title}`).toMatchObject({ status: 200, type, title });
        expect(got.gain, `${how} ${title}`).toMatch(/^[-+]?\d+\.\d+ dB$/);
      }
      const { before, after } = step<{ before: number; after: number }>(`scrobble ${title}`);
      expect(after, `plays of ${title}`).toBe(before + 1);
    }
  });

  it('makes, rewrites, renames and deletes a playlist; saves and reads back its play queue; shows a cover', () => {
    const playlists = step<{ made: number; renamed: string; songs: string[]; deleted: boolean }>('playlists');
    expect(playlists.made).toBe(2);
    expect(playlists.renamed).toBe('From Sublime, renamed');
    expect(playlists.songs).toHaveLength(3);
    expect(playlists.deleted).toBe(true);
    const queue = step<{ songs: string[]; current: number; position: number }>('playQueue');
    expect(queue.songs).toHaveLength(3);
    expect(queue).toMatchObject({ current: 1, position: 7.5 });
    expect(step<string>('cover')).toMatch(/^image\//);
  });
});

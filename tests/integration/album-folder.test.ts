// One folder per album through a live mount (issue 64): an album whose tracks are dated 2004, 2012 and
// not at all was three folders under the default template ("… (2004)", "… (2012)" and one without a
// year), each track's $year its own; with $albumyear, the album's earliest year, it is one, from the scan
// on. Redating one track through `sleeve set` moves all three together while the mount runs.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, run } from '../fixtures/library.ts';
import { sleeveHere } from '../helpers.ts';
import { listedNow, TestMount, waitFor } from '../mount-helpers.ts';

const ARTIST = 'David H. Millar';
const ALBUM = 'The Battle for Wesnoth OST';
const TRACKS = [
  { name: '1.flac', title: 'Main Theme', date: '2004' },
  { name: '2.flac', title: 'Battle Music', date: '2012' },
  { name: '3.flac', title: 'Wanderer', date: undefined },
];

describe('sleeve mount: an album with tracks of several years', () => {
  const t = new TestMount();

  /** The album's folders under its artist, each with the names of its files (as listed now: the album
   *  may be moving). */
  const folders = (): Record<string, string[]> => {
    const artist = join(t.mnt, ARTIST);
    return Object.fromEntries(
      listedNow(artist).map((f) => [
        f.name,
        listedNow(join(artist, f.name))
          .map((e) => e.name)
          .sort(),
      ]),
    );
  };

  beforeAll(() => {
    for (const [i, track] of TRACKS.entries()) {
      const wav = join(t.dir, `${i}.wav`);
      makeWav(wav, 300 + 50 * i);
      const tags = {
        album_artist: ARTIST,
        artist: ARTIST,
        album: ALBUM,
        title: track.title,
        track: String(i + 1),
        ...(track.date ? { date: track.date } : {}),
      };
      const metadata = Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
      run('ffmpeg', ['-v', 'error', '-i', wav, ...metadata, join(t.music, track.name)]);
    }
    t.start(
      TRACKS.map((track) => track.name),
      [],
    );
  });

  afterAll(() => t.stop());

  it('serves the album as one folder, with its earliest year', () => {
    expect(folders()).toEqual({
      [`${ALBUM} (2004)`]: ['01 Main Theme.flac', '02 Battle Music.flac', '03 Wanderer.flac'],
    });
    // `ls -f` shows the album's year beside each track's own.
    expect(
      sleeveHere(t.home, ['ls', '-f', '$albumyear|$year|$title', 'album:wesnoth']).stdout.split('\n').sort(),
    ).toEqual(['', '2004|2004|Main Theme', '2004|2012|Battle Music', '2004||Wanderer']);
  });

  it("moves the whole album when one track's date changes", async () => {
    expect(sleeveHere(t.home, ['set', 'path:1.flac', 'date=2010', '-y']).status).toBe(0);
    const moved = { [`${ALBUM} (2010)`]: ['01 Main Theme.flac', '02 Battle Music.flac', '03 Wanderer.flac'] };
    await waitFor('the album to move to (2010)', () =>
      JSON.stringify(folders()) === JSON.stringify(moved) ? true : undefined,
    );
    expect(sleeveHere(t.home, ['set', 'path:3.flac', 'date=1999', '-y']).status).toBe(0);
    await waitFor('the album to move to (1999)', () => {
      const now = folders();
      return Object.keys(now).length === 1 && now[`${ALBUM} (1999)`]?.length === 3 ? true : undefined;
    });
  });
});

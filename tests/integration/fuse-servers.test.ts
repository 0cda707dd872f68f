// Media servers that watch the mount see what it publishes as they see a local disk (issue 65): a real
// mpd (auto_update) and minidlna (inotify) on a mount where an edit makes new folders, a new artist's at
// the top and its album's in it, and an undo removes them. mpd finds a new folder by listing the folder
// it was told of, and hears of the files coming in only once it watches the new one; minidlna reads each
// file of a new folder at once, and again only when a closed write comes with another time.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, run } from '../fixtures/library.ts';
import { type MiniDlna, type Mpd, startMinidlna, startMpd } from '../fixtures/media-servers.ts';
import { sleeveHere } from '../helpers.ts';
import { TestMount, waitFor } from '../mount-helpers.ts';

/** mpd updates its database 5 s after the last change it heard of; a loaded machine adds to that. */
const SERVER_MS = 30_000;

describe('media servers watching the mount', () => {
  const t = new TestMount();
  let mpd: Mpd | undefined;
  let dlna: MiniDlna | undefined;

  beforeAll(async () => {
    for (const [i, title] of ['One', 'Two'].entries()) {
      const wav = join(t.dir, `${i}.wav`);
      makeWav(wav, 330 + 70 * i);
      const tags = {
        artist: 'Seen Band',
        album_artist: 'Seen Band',
        album: 'Seen',
        title,
        track: String(i + 1),
        date: '2003',
      };
      run('ffmpeg', [
        '-v',
        'error',
        '-i',
        wav,
        ...Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]),
        join(t.music, `${i + 1}.flac`),
      ]);
    }
    t.start(['1.flac', '2.flac'], []);
    [mpd, dlna] = await Promise.all([
      startMpd(t.mnt, join(t.dir, 'mpd'), { autoUpdate: true }),
      startMinidlna(t.mnt, join(t.dir, 'minidlna'), ['Seen Band/Seen (2003)']),
    ]);
  });

  afterAll(async () => {
    // A watch holds the mount: the servers go first.
    await Promise.all([mpd?.stop(), dlna?.stop()]);
    t.stop();
  });

  /** The files the mount serves, by path inside it. */
  const served = () =>
    readdirSync(t.mnt, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(t.mnt, join(e.parentPath, e.name)))
      .sort();
  const same = (paths: Iterable<string>) => JSON.stringify([...paths].sort()) === JSON.stringify(served());

  /** What each server lacks of the mount: every file it serves and nothing else, `path`'s artist as it
   *  says ('' when nothing). */
  const lacks = (path: string, artist: string) => {
    const songs = mpd!.songs();
    const files = dlna!.files();
    return {
      mpd:
        same(songs.keys()) && songs.get(path)?.artist === artist ? '' : `mpd: ${JSON.stringify([...songs])}`,
      minidlna:
        same([...files.keys()].map((p) => relative(t.mnt, p))) &&
        files.get(join(t.mnt, path))?.artist === artist
          ? ''
          : `minidlna: ${JSON.stringify([...files])}`,
    };
  };
  const shown = (path: string, artist: string) =>
    waitFor(
      `mpd and minidlna to list ${path} with its artist ${artist}, and nothing the mount lacks`,
      () => {
        const lag = lacks(path, artist);
        return lag.mpd || lag.minidlna ? undefined : true;
      },
      SERVER_MS,
    ).catch((err: Error) => {
      const lag = lacks(path, artist);
      throw new Error(
        `${err.message}; the mount: ${served().join(', ')}; ${[lag.mpd, lag.minidlna].filter(Boolean).join('; ')}`,
      );
    });

  it('shows a file moved into new folders at its new path with its new tags', async () => {
    expect(
      sleeveHere(t.home, ['set', 'path:1.flac', 'artist=New Band', 'albumartist=New Band', '-y']).status,
    ).toBe(0);
    await shown('New Band/Seen (2003)/01 One.flac', 'New Band');
  }, 70_000);

  it('shows the undo: the file back, the folders it left gone', async () => {
    expect(sleeveHere(t.home, ['undo']).status).toBe(0);
    await shown('Seen Band/Seen (2003)/01 One.flac', 'Seen Band');
  }, 70_000);
});

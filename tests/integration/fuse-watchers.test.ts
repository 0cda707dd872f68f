// What an inotify watcher of the mount is told (issue 65): media servers and mpd's auto_update learn of
// changes through inotify, and the kernel tells watchers of a FUSE file system only what passes through
// its VFS. The daemon echoes each change it publishes (fuse/mount-echo.ts): a retitle the template moves
// is a MOVED_FROM/MOVED_TO pair with one cookie, a changed tag a CLOSE_WRITE, a new album folder a
// CREATE, a folder left empty a DELETE; a tagger's save through the mount, undo, a scan adding a file and
// an excluded folder too. inotifywait (inotify-tools) watches the mount recursively, as a server does;
// a second one, stopped from the start, never reads its queue, and holds nothing back.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, run } from '../fixtures/library.ts';
import { hashTree, sleeveHere } from '../helpers.ts';
import { PY, TestMount, waitFor } from '../mount-helpers.ts';

const ARTIST = 'Echo Band';

interface Event {
  readonly events: string[];
  readonly path: string;
  readonly cookie: number;
}

describe('the mount tells inotify watchers of every change it publishes', () => {
  const t = new TestMount();
  let watcher: ChildProcess;
  let stalled: ChildProcess;
  const seen: Event[] = [];
  let from = 0;

  /** The next event that matches, after the last one found. */
  const next = async (what: string, match: (e: Event) => boolean) => {
    const at = await waitFor(what, () => {
      const i = seen.findIndex((e, k) => k >= from && match(e));
      return i >= 0 ? i : undefined;
    }).catch((err: Error) => {
      const since = seen.slice(from).map((e) => `${e.events.join(',')} ${rel(e.path)}`);
      throw new Error(`${err.message}; the watcher saw since: ${since.join(' | ') || 'nothing'}`);
    });
    from = at + 1;
    return seen[at]!;
  };
  const rel = (path: string) => path.slice(t.mnt.length + 1);
  const has = (kind: string, path?: string) => (e: Event) =>
    e.events.includes(kind) && (path === undefined || rel(e.path) === path);
  /** A file's name leaving: moved from, or — when a watcher already listed the folder it goes to and
   *  found it there — removed. */
  const left = (path: string) => (e: Event) => has('MOVED_FROM', path)(e) || has('DELETE', path)(e);

  beforeAll(async () => {
    for (const [i, title] of ['First', 'Second'].entries()) {
      const wav = join(t.dir, `${i}.wav`);
      makeWav(wav, 300 + 80 * i);
      const tags = {
        artist: ARTIST,
        album_artist: ARTIST,
        album: 'Echoes',
        title,
        track: String(i + 1),
        date: '2001',
      };
      const metadata = Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
      run('ffmpeg', ['-v', 'error', '-i', wav, ...metadata, join(t.music, `${i + 1}.flac`)]);
    }
    t.start(['1.flac', '2.flac'], []);
    stalled = spawn('inotifywait', ['-m', '-r', t.mnt], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stalledErr = '';
    stalled.stderr!.on('data', (chunk: Buffer) => {
      stalledErr += chunk.toString();
    });
    await waitFor('the stalled watcher to watch', () =>
      stalledErr.includes('Watches established') ? true : undefined,
    );
    stalled.kill('SIGSTOP');
    watcher = spawn('inotifywait', ['-m', '-r', '--format', '%e|%c|%w%f', t.mnt], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    watcher.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const [events, cookie, path] = out.slice(0, nl).split('|');
        seen.push({ events: events!.split(','), cookie: Number(cookie), path: path! });
        out = out.slice(nl + 1);
      }
    });
    let err = '';
    watcher.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    await waitFor('inotifywait to watch the mount', () =>
      err.includes('Watches established') ? true : undefined,
    );
  });

  afterAll(() => {
    stalled?.kill('SIGKILL');
    watcher?.kill();
    t.stop();
  });

  const album = `${ARTIST}/Echoes (2001)`;

  it('tells nothing at the start: no event storm', () => {
    expect(seen).toEqual([]);
  });

  it('tells a retitle the template moves as one move, then its new tags as a closed write', async () => {
    expect(sleeveHere(t.home, ['set', 'path:1.flac', 'title=Premier', '-y']).status).toBe(0);
    const out = await next('the move out', has('MOVED_FROM', `${album}/01 First.flac`));
    const into = await next('the move in', has('MOVED_TO', `${album}/01 Premier.flac`));
    expect(into!.cookie).toBe(out!.cookie);
    expect(out!.cookie).not.toBe(0);
    await next('its new tags', has('CLOSE_WRITE', `${album}/01 Premier.flac`));
    expect(existsSync(join(t.mnt, album, '01 Premier.flac'))).toBe(true);
  });

  it('tells a tag that moves nothing as a modification closed after writing', async () => {
    expect(sleeveHere(t.home, ['set', 'path:2.flac', 'comment=hello', '-y']).status).toBe(0);
    await next('the modification', has('MODIFY', `${album}/02 Second.flac`));
    await next('the closed write', has('CLOSE_WRITE', `${album}/02 Second.flac`));
  });

  /** The names in a folder of the mount, as a watcher lists a folder it was told of. */
  const listed = (folder: string) =>
    existsSync(join(t.mnt, folder)) ? readdirSync(join(t.mnt, folder)) : [];

  it('tells a new album folder as created (its files listed in it), and an album left empty as deleted', async () => {
    expect(sleeveHere(t.home, ['set', 'path:2.flac', 'album=Elsewhere', '-y']).status).toBe(0);
    const elsewhere = `${ARTIST}/Elsewhere (2001)`;
    await next('the new folder', (e) => e.events.includes('ISDIR') && has('CREATE', elsewhere)(e));
    await next('the move out', left(`${album}/02 Second.flac`));
    // A watcher told of a new folder lists it, and finds what comes into it (its watch on the folder may
    // come after the move: inotify's own race, why servers list what they are told is new).
    await waitFor('the new folder to list the file', () =>
      listed(elsewhere).includes('02 Second.flac') ? true : undefined,
    );
    expect(sleeveHere(t.home, ['set', 'path:1.flac', 'album=Elsewhere', '-y']).status).toBe(0);
    await next('the last file moving', has('MOVED_TO', `${elsewhere}/01 Premier.flac`));
    await next('the empty folder going', (e) => e.events.includes('ISDIR') && has('DELETE', album)(e));
    expect(existsSync(join(t.mnt, album))).toBe(false);
  });

  it('tells undo as the changes it makes', async () => {
    expect(sleeveHere(t.home, ['undo']).status).toBe(0);
    await next('the folder coming back', (e) => e.events.includes('ISDIR') && has('CREATE', album)(e));
    await next('the file moving out', left(`${ARTIST}/Elsewhere (2001)/01 Premier.flac`));
    await waitFor('the folder to list the file', () =>
      listed(album).includes('01 Premier.flac') ? true : undefined,
    );
    expect(sleeveHere(t.home, ['undo']).status).toBe(0);
    await next('the other file moving back', has('MOVED_TO', `${album}/02 Second.flac`));
    await next(
      'the folder left empty going',
      (e) => e.events.includes('ISDIR') && has('DELETE', `${ARTIST}/Elsewhere (2001)`)(e),
    );
  });

  it("tells a tagger's save through the mount, at the path its new title gives", async () => {
    const path = join(t.mnt, album, '01 Premier.flac');
    run(PY, [
      '-c',
      'import sys, mutagen; f = mutagen.File(sys.argv[1]); f["title"] = ["Tagged"]; f.save()',
      path,
    ]);
    await next('the move the template makes', has('MOVED_TO', `${album}/01 Tagged.flac`));
    await next('its new tags', has('CLOSE_WRITE', `${album}/01 Tagged.flac`));
    expect(existsSync(join(t.mnt, album, '01 Tagged.flac'))).toBe(true);
  });

  it("tells a tagger's rewrite renamed over the file (metaflac) at the path its new title gives", async () => {
    const path = join(t.mnt, album, '02 Second.flac');
    // Past the padding it may not use: libFLAC writes a copy beside the file and renames it over it.
    const set = ['--remove-tag=TITLE', '--set-tag=TITLE=Rewritten', '--dont-use-padding', path];
    run('metaflac', set);
    await next('the move the template makes', has('MOVED_TO', `${album}/02 Rewritten.flac`));
    expect(existsSync(join(t.mnt, album, '02 Rewritten.flac'))).toBe(true);
    // The rename was answered before the move was told: the move did not wait on the folder the rename
    // holds until the echo's deadline (30 s), and failed then.
    expect(t.log()).not.toContain('telling watchers');
  });

  const addFlac = (folder: string, name: string, tags: Record<string, string>) => {
    run('mkdir', ['-p', join(t.music, folder)]);
    const wav = join(t.dir, `${name}.wav`);
    makeWav(wav, 500);
    const metadata = Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
    run('ffmpeg', ['-v', 'error', '-i', wav, ...metadata, join(t.music, folder, name)]);
    t.originals = hashTree(t.music);
  };
  const scan = () =>
    expect(
      sleeveHere(t.home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', t.music]).status,
    ).toBe(0);

  it('tells files a scan adds as created and written, and a folder excluded as deleted', async () => {
    addFlac('more', '3.flac', {
      artist: ARTIST,
      album_artist: ARTIST,
      album: 'Echoes',
      title: 'Third',
      track: '3',
      date: '2001',
    });
    addFlac('more', '4.flac', { artist: ARTIST, album: 'More', title: 'Fourth', track: '4' });
    scan();
    // Folders come first: the new one is created, and its file listed in it.
    await next('the new folder', (e) => e.events.includes('ISDIR') && has('CREATE', `${ARTIST}/More`)(e));
    // Into a folder watched already: created, then written.
    await next('the new file', has('CREATE', `${album}/03 Third.flac`));
    await next('its closed write', has('CLOSE_WRITE', `${album}/03 Third.flac`));
    await waitFor('the new folder to list its file', () =>
      listed(`${ARTIST}/More`).includes('04 Fourth.flac') ? true : undefined,
    );
    expect(sleeveHere(t.home, ['exclude', join(t.music, 'more'), '-y']).status).toBe(0);
    await next('the file going', has('DELETE', `${album}/03 Third.flac`));
    await next('the folder going', (e) => e.events.includes('ISDIR') && has('DELETE', `${ARTIST}/More`)(e));
  });

  it('tells a playlist made, and one whose tracks change as written', async () => {
    expect(sleeveHere(t.home, ['playlist', 'new', 'Echoing', 'artist:echo']).status).toBe(0);
    await next('the playlists folder', (e) => e.events.includes('ISDIR') && has('CREATE', 'Playlists')(e));
    await waitFor('the folder to list the playlist', () =>
      listed('Playlists').includes('Echoing.m3u8') ? true : undefined,
    );
    expect(sleeveHere(t.home, ['playlist', 'add', 'Echoing', 'artist:echo']).status).toBe(0);
    await next('the playlist rewritten', has('CLOSE_WRITE', 'Playlists/Echoing.m3u8'));
  });

  it("keeps a file's inode number across an edit, the move it causes and a remount, and a folder's", async () => {
    const inode = (path: string) => statSync(join(t.mnt, path)).ino;
    const was = inode(`${album}/01 Tagged.flac`);
    expect(sleeveHere(t.home, ['set', 'path:1.flac', 'title=Kept', 'comment=same file', '-y']).status).toBe(
      0,
    );
    await next('the move', has('MOVED_TO', `${album}/01 Kept.flac`));
    expect(inode(`${album}/01 Kept.flac`)).toBe(was);
    // A folder the mount made while it ran keeps its number on the next mount too.
    const kept = `${ARTIST}/Kept (2001)`;
    expect(sleeveHere(t.home, ['set', 'path:2.flac', 'album=Kept', '-y']).status).toBe(0);
    await next('the new folder', (e) => e.events.includes('ISDIR') && has('CREATE', kept)(e));
    const folders = [ARTIST, album, kept].map(inode);
    expect(sleeveHere(t.home, ['umount', t.mnt]).status).toBe(0);
    expect(sleeveHere(t.home, ['mount', t.mnt]).status).toBe(0);
    expect(inode(`${album}/01 Kept.flac`)).toBe(was);
    expect([ARTIST, album, kept].map(inode)).toEqual(folders);
  });
});

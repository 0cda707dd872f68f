// The OpenSubsonic server over a real scanned library, in the test's process: every endpoint's answer and
// the protocol's errors, authentication and its refusals (a wrong token, a password sent as it is unless
// allowed, conflicting mechanisms, a bad API key, too many failures), a salt kept for a session, ids that are not ids (paths,
// traversal), oversize requests, the library as the mount shows it (one copy per recording, edits at the
// next answer, the served ReplayGain, credits and sort names), XML as well as JSON, and the originals
// never written.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesByIds } from '../../app/core/library/list.ts';
import { listPlaylists } from '../../app/core/library/playlists.ts';
import { FailedLogins } from '../../app/server/subsonic/auth.ts';
import { imageSize } from '../../app/shared/image-size.ts';
import { launchChromium } from '../fixtures/browser.ts';
import { COPIED } from '../fixtures/engines-library.ts';
import {
  asJsonSays,
  describedMethods,
  OpenSubsonicContract,
  xmlSays,
} from '../fixtures/opensubsonic-contract.ts';
import {
  CREDITED,
  makeSubsonicLibrary,
  PASSWORD,
  startTestSubsonic,
  type TestSubsonic,
  tokenAuth,
} from '../fixtures/subsonic-library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { PY, pcmMd5 } from '../mount-helpers.ts';

/** MD5 of the PCM of a file's audio held in memory. */
const pcmMd5Of = (data: Buffer, ext: string) => {
  const file = join(tempDir(), `audio.${ext}`);
  writeFileSync(file, data);
  return pcmMd5(file);
};

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Answer = any;
type Query = Record<string, string | number | readonly (string | number)[]>;

describe('the Subsonic server', () => {
  let music: string;
  let home: string;
  let before: Map<string, string>;
  let s: TestSubsonic;
  /** File ids by file name. */
  const ids = new Map<string, number>();

  const query = (params: Query, auth: Record<string, string>) => {
    const q = new URLSearchParams(auth);
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, String(x));
    return q;
  };
  const raw = (method: string, params: Query = {}, auth = tokenAuth(), init?: RequestInit) =>
    fetch(`${s.url}/rest/${method}?${query(params, auth)}`, init);
  const api = async (method: string, params: Query = {}, auth = tokenAuth()): Promise<Answer> =>
    ((await (await raw(method, { f: 'json', ...params }, auth)).json()) as Answer)['subsonic-response'];
  const ok = async (method: string, params: Query = {}, auth = tokenAuth()): Promise<Answer> => {
    const r = await api(method, params, auth);
    expect(r.status, `${method}: ${JSON.stringify(r.error)}`).toBe('ok');
    return r;
  };
  const refused = async (code: number, method: string, params: Query = {}, auth = tokenAuth()) => {
    const r = await api(method, params, auth);
    expect(r.status).toBe('failed');
    expect(r.error.code, r.error.message).toBe(code);
    return r.error.message as string;
  };
  const songId = (name: string) => `tr-${ids.get(name)}`;

  beforeAll(async () => {
    ({ music, home, before } = makeSubsonicLibrary());
    for (const t of sleeveHereJson<Array<{ id: number; path: string }>>(home, [
      'ls',
      '--json',
      '--all-copies',
    ]))
      ids.set(t.path.slice(t.path.lastIndexOf('/') + 1), t.id);
    s = await startTestSubsonic(home);
  }, 180_000);

  afterAll(async () => {
    await s?.close();
    if (music) expect(hashTree(music)).toEqual(before);
  });

  describe('authentication', () => {
    it('takes a token and salt, and an API key', async () => {
      // A connection is kept a minute between requests, as Go's and Kestrel's servers keep it (Node's own
      // 5 s had a client's next request cross the server's close: a reset).
      expect((await raw('ping')).headers.get('keep-alive')).toBe('timeout=65');
      const r = await ok('ping');
      expect(r).toMatchObject({ version: '1.16.1', type: 'Sleeve', openSubsonic: true });
      await ok('ping', {}, { apiKey: s.apiKey, v: '1.16.1', c: 't' });
    });

    it('answers a server address typed with a trailing slash: //rest/… and a method with a slash after it', async () => {
      const auth = new URLSearchParams({ ...tokenAuth(), f: 'json' });
      for (const path of [`//rest/ping.view?${auth}`, `/rest/ping.view/?${auth}`, `/rest//ping?${auth}`]) {
        const r = await fetch(`${s.url}${path}`);
        expect(r.status, path).toBe(200);
        expect(((await r.json()) as Answer)['subsonic-response'].status).toBe('ok');
      }
      expect((await fetch(`${s.url}/rest/`)).status).toBe(404);
    });

    it("refuses a wrong token, an unknown user, a password sent as it is, and an API key that is no one's", async () => {
      const wrong = { ...tokenAuth(), t: 'ab'.repeat(16) };
      expect(await refused(40, 'ping', {}, wrong)).toBe('Wrong username or password');
      await refused(40, 'ping', {}, tokenAuth('mallory'));
      expect(await refused(42, 'ping', {}, { u: 'alice', p: 'sesame open', v: '1.16.1', c: 't' })).toMatch(
        /set subsonic\.passwordLogins to true in config\.json/,
      );
      await refused(44, 'ping', {}, { apiKey: 'x'.repeat(32), v: '1.16.1', c: 't' });
      await refused(43, 'ping', {}, { apiKey: s.apiKey, u: 'alice', v: '1.16.1', c: 't' });
      const { v: _v, ...noVersion } = tokenAuth();
      expect(await refused(10, 'ping', {}, noVersion)).toMatch(/"v"/);
      const { s: _s, ...noSalt } = tokenAuth();
      await refused(10, 'ping', {}, noSalt);
    });

    it('takes a user name whatever its case, as a phone capitalizes it: the same user', async () => {
      for (const u of ['Alice', 'ALICE']) {
        expect((await ok('getUser', {}, tokenAuth(u))).user.username).toBe('alice');
        expect((await ok('getUser', { username: 'alice' }, tokenAuth(u))).user.username).toBe('alice');
      }
      expect((await ok('getUser', { username: 'Alice' })).user.username).toBe('alice');
      // What she makes is hers, whichever way she typed her name: a share made as ALICE is alice's to delete.
      const share = (await ok('createShare', { id: songId('techno-1.flac') }, tokenAuth('ALICE'))).shares
        .share[0];
      expect(share.username).toBe('alice');
      await ok('deleteShare', { id: share.id });
    });

    it('takes one salt for every request of a session, as desktop clients send it (Feishin: one u/t/s at login)', async () => {
      const auth = tokenAuth();
      await ok('getSong', { id: songId('techno-1.flac') }, auth);
      await ok('getSong', { id: songId('techno-1.flac') }, auth);
      await ok('getSong', { id: songId('techno-2.flac') }, auth);
      await ok('ping', {}, auth);
      const stream = await raw('stream', { id: songId('techno-2.flac') }, auth);
      expect(stream.status).toBe(200);
      await stream.arrayBuffer();
    });

    it('takes a salt of any length, as the specification sets no least, and counts none as a failure', async () => {
      const salted = (salt: string) => ({
        ...tokenAuth(),
        s: salt,
        t: createHash('md5')
          .update(PASSWORD + salt)
          .digest('hex'),
      });
      // More than the 10 failures an address is allowed in a minute, had they been counted.
      for (let i = 0; i < 4; i++) for (const salt of ['z', 'zz', 'abcde']) await ok('ping', {}, salted(salt));
    });

    it('takes a password sent as it is (p=, enc:) only where config.json allows it', async () => {
      const allowing = await startTestSubsonic(home, { passwordLogins: true });
      try {
        const call = async (p: string) =>
          (
            (await (
              await fetch(
                `${allowing.url}/rest/ping?${new URLSearchParams({ u: 'alice', p, v: '1.16.1', c: 't', f: 'json' })}`,
              )
            ).json()) as Answer
          )['subsonic-response'];
        expect((await call(PASSWORD)).status).toBe('ok');
        expect((await call(`enc:${Buffer.from(PASSWORD).toString('hex')}`)).status).toBe('ok');
        expect((await call('not it')).error).toMatchObject({
          code: 40,
          message: 'Wrong username or password',
        });
        expect((await call('enc:zz')).error).toEqual({
          code: 40,
          message: 'Wrong username or password: the password after "enc:" is not hex (two hex digits a byte)',
        });
      } finally {
        await allowing.close();
      }
    });

    it('answers getOpenSubsonicExtensions without a login, naming the extensions it implements', async () => {
      const r = await ok('getOpenSubsonicExtensions', {}, {});
      expect(r.openSubsonicExtensions.map((e: Answer) => e.name).sort()).toEqual([
        'apiKeyAuthentication',
        'formPost',
        'indexBasedQueue',
        'playbackReport',
        'songLyrics',
        'sonicSimilarity',
        'transcodeOffset',
        'transcoding',
      ]);
    });

    it('refuses every login from an address after too many failures, then takes it again', async () => {
      const failures = new FailedLogins(3, 60_000);
      const wrong = () => ({ ...tokenAuth(), t: 'cd'.repeat(16) });
      const other = await startTestSubsonic(home, { failures });
      try {
        const call = async (auth: Record<string, string>, headers: Record<string, string> = {}) =>
          (
            (await (
              await fetch(`${other.url}/rest/ping?${new URLSearchParams({ ...auth, f: 'json' })}`, {
                headers,
              })
            ).json()) as Answer
          )['subsonic-response'];
        // Behind a proxy on this machine, each device by the address the proxy names: one device with an
        // old password is refused alone, the others still get in.
        const phone = { 'X-Forwarded-For': '203.0.113.9, 192.168.1.20' };
        for (let i = 0; i < 3; i++) expect((await call(wrong(), phone)).error.code).toBe(40);
        expect((await call(tokenAuth(), phone)).error.message).toMatch(
          /too many failed logins from 192\.168\.1\.20/,
        );
        expect((await call(tokenAuth(), { 'X-Forwarded-For': '192.168.1.21' })).status).toBe('ok');
        for (let i = 0; i < 3; i++) expect((await call(wrong())).error.code).toBe(40);
        const blocked = await call(tokenAuth());
        expect(blocked.error).toMatchObject({ code: 40 });
        expect(blocked.error.message).toMatch(/too many failed logins from 127\.0\.0\.1/);
        // Past the window the right token opens again.
        failures.check('127.0.0.1', Date.now() + 60_000);
        expect((await call(tokenAuth())).status).toBe('ok');
      } finally {
        await other.close();
      }
    });

    it('takes parameters from a form body (formPost), and refuses a body past its bound', async () => {
      const form = new URLSearchParams({ ...tokenAuth(), f: 'json', id: songId('techno-1.flac') });
      const r = (await (
        await fetch(`${s.url}/rest/getSong`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form,
        })
      ).json()) as Answer;
      expect(r['subsonic-response'].song.title).toBe('techno-1');
      const huge = `${form}&songId=${'tr-1'.repeat(600_000)}`;
      const big = (await (
        await fetch(`${s.url}/rest/createPlaylist?f=json`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: huge,
        })
      ).json()) as Answer;
      expect(big['subsonic-response'].error.message).toMatch(/at most 2 MiB/);
      // An address past Node's header bound is refused before it is read.
      expect((await raw('ping', { x: 'y'.repeat(20_000) })).status).toBe(431);
    });

    it('tells a request naming a search in raw UTF-8 (curl, typed by hand) to percent-encode it', async () => {
      // Node's parser refuses the bytes before the server sees the request: Node alone answered a bare 400.
      const ask = (line: string) =>
        new Promise<string>((done, reject) => {
          const socket = connect({ host: '127.0.0.1', port: Number(new URL(s.url).port) });
          let answer = '';
          socket.on('data', (c) => (answer += c));
          socket.on('end', () => done(answer)).on('error', reject);
          socket.end(Buffer.from(`GET ${line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        });
      const auth = new URLSearchParams(tokenAuth());
      const json = await ask(`/rest/search3?${auth}&f=json&query=Björk`);
      expect(json).toMatch(/^HTTP\/1\.1 400 /);
      const body = JSON.parse(json.slice(json.indexOf('\r\n\r\n') + 4))['subsonic-response'];
      expect(body.status).toBe('failed');
      expect(body.error.message).toMatch(/not percent-encoded.*Bj%C3%B6rk/);
      expect(await ask(`/rest/search3.view?${auth}&query=Björk`)).toContain(
        '<error code="0" message="The address',
      );
      // Whatever else the parser refuses keeps Node's own answer.
      expect(await ask('/rest/ping?x=a b')).toMatch(
        /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n\r\n$/,
      );
    });
  });

  describe('browsing', () => {
    it('lists the one music folder and the album artists by letter, one copy per recording', async () => {
      expect((await ok('getMusicFolders')).musicFolders.musicFolder).toEqual([{ id: 1, name: 'Sleeve' }]);
      const artists = (await ok('getArtists')).artists;
      const names = artists.index.flatMap((i: Answer) => i.artist.map((a: Answer) => a.name));
      expect(names).toEqual([
        'ambient-pad artist',
        'breakbeat artist',
        'Bea Breaks',
        'music-box artist',
        'techno artist',
      ]);
      // Filed by sort name: Bea Breaks as "Breaks, Bea", after breakbeat artist.
      const indexes = (await ok('getIndexes')).indexes;
      expect(indexes.index.flatMap((i: Answer) => i.artist.map((a: Answer) => a.name))).toEqual(names);
      // Nothing changed since: an empty index.
      expect((await ok('getIndexes', { ifModifiedSince: indexes.lastModified })).indexes.index).toEqual([]);
      await refused(70, 'getArtists', { musicFolderId: 2 });
    });

    it('takes the music folder’s id however a client writes the number ("01", "1.0")', async () => {
      const artists = (await ok('getArtists')).artists;
      const root = (await ok('getMusicDirectory', { id: 1 })).directory;
      for (const musicFolderId of ['01', '001', '1.0']) {
        expect((await ok('getArtists', { musicFolderId })).artists, musicFolderId).toEqual(artists);
        await ok('getIndexes', { musicFolderId });
        await ok('getAlbumList2', { type: 'newest', musicFolderId });
        await ok('search3', { query: '', musicFolderId });
        expect((await ok('getMusicDirectory', { id: musicFolderId })).directory, musicFolderId).toEqual(root);
      }
      for (const musicFolderId of ['02', '2', 'one', '1.5'])
        expect(await refused(70, 'getArtists', { musicFolderId }), musicFolderId).toMatch(/no music folder/);
    });

    it('browses by folder as DSub does: the music folder, an artist, an album, its songs, played', async () => {
      const folder = (await ok('getMusicFolders')).musicFolders.musicFolder[0];
      const index = (await ok('getIndexes', { musicFolderId: folder.id })).indexes.index;
      const techno = index.flatMap((i: Answer) => i.artist).find((a: Answer) => a.name === 'techno artist');
      const root = (await ok('getMusicDirectory', { id: folder.id })).directory;
      expect(root.child.map((c: Answer) => c.title)).toEqual(
        index.flatMap((i: Answer) => i.artist.map((a: Answer) => a.name)),
      );
      expect(root.child.every((c: Answer) => c.isDir && c.parent === String(folder.id))).toBe(true);
      const artistDir = (await ok('getMusicDirectory', { id: techno.id })).directory;
      expect(artistDir).toMatchObject({ id: techno.id, name: 'techno artist', parent: String(folder.id) });
      const albums = (await ok('getArtist', { id: techno.id })).artist.album;
      expect(artistDir.child.map((c: Answer) => [c.id, c.title, c.isDir, c.parent])).toEqual(
        albums.map((a: Answer) => [a.id, a.name, true, techno.id]),
      );
      const albumDir = (await ok('getMusicDirectory', { id: albums[0].id })).directory;
      expect(albumDir).toMatchObject({ id: albums[0].id, parent: techno.id, name: albums[0].name });
      const songs = (await ok('getAlbum', { id: albums[0].id })).album.song;
      expect(albumDir.child).toEqual(songs);
      expect(songs.every((x: Answer) => x.isDir === false && x.parent === albums[0].id)).toBe(true);
      const played = await raw('stream', { id: albumDir.child[0].id });
      expect(played.status).toBe(200);
      expect((await played.arrayBuffer()).byteLength).toBe(albumDir.child[0].size);
      await refused(70, 'getMusicDirectory', { id: albumDir.child[0].id });
      await refused(70, 'getMusicDirectory', { id: 'ar-0000000000000000' });
    });

    it("browses by folder as the server's path template arranges them, as a mount with it would", async () => {
      const templated = await startTestSubsonic(home, { template: '$genre/$label/$title' });
      const at = async (method: string, params: Query = {}): Promise<Answer> => {
        const q = query({ f: 'json', ...params }, tokenAuth());
        const body = await (await fetch(`${templated.url}/rest/${method}?${q}`)).json();
        expect(new OpenSubsonicContract().check(method, body)).toEqual([]);
        const r = (body as Answer)['subsonic-response'];
        expect(r.status, `${method}: ${JSON.stringify(r.error)}`).toBe('ok');
        return r;
      };
      const dir = async (id: string | number) => (await at('getMusicDirectory', { id })).directory;
      try {
        // The genres are the top folders: a value's own "/" never makes one, several values are joined.
        const genres = ['ambient-pad', 'breakbeat', 'Breakbeat; Dance', 'music-box', 'techno'];
        const index = (await at('getIndexes')).indexes.index;
        expect(index.flatMap((i: Answer) => i.artist.map((a: Answer) => a.name))).toEqual(genres);
        expect(index.map((i: Answer) => i.name)).toEqual(['A', 'B', 'M', 'T']);
        const top = await dir(1);
        expect(top.child.map((c: Answer) => [c.title, c.isDir, c.parent])).toEqual(
          genres.map((g) => [g, true, '1']),
        );
        const techno = top.child.find((c: Answer) => c.title === 'techno');
        expect(techno.id).toBe(index[3].artist[0].id);
        // No label: no folder for it. One song per recording (the MP3 copy is not the kept one).
        const songs = (await dir(techno.id)).child;
        expect(songs.map((c: Answer) => [c.path, c.parent, c.isDir])).toEqual(
          ['techno-0', 'techno-1', 'techno-2'].map((t) => [`techno/${t}.flac`, techno.id, false]),
        );
        // An edit moves a song in the next answer: a label makes a folder.
        expect(sleeveHere(home, ['set', 'path:techno-2.flac', 'label=Warp', '-y']).status).toBe(0);
        const moved = (await dir(techno.id)).child;
        expect(moved.map((c: Answer) => c.title)).toEqual(['Warp', 'techno-0', 'techno-1']);
        const warp = await dir(moved[0].id);
        expect(warp).toMatchObject({ name: 'Warp', parent: techno.id });
        expect(warp.child.map((c: Answer) => [c.id, c.path])).toEqual([
          [songId('techno-2.flac'), 'techno/Warp/techno-2.flac'],
        ]);
        // A folder shared: its songs and those of the folders in it.
        const shared = (await at('createShare', { id: techno.id })).shares.share[0];
        expect(shared.entry.map((e: Answer) => e.title).sort()).toEqual(['techno-0', 'techno-1', 'techno-2']);
        await at('deleteShare', { id: shared.id });
        // The v1 lists' album folders still open, and ids of the default tree's kind are refused plainly.
        const album = (await at('getAlbumList', { type: 'alphabeticalByName' })).albumList.album[0];
        expect((await dir(album.id)).child.length).toBeGreaterThan(0);
        const q = query({ f: 'json', id: 'fo-0000000000000000' }, tokenAuth());
        const gone = (await (await fetch(`${templated.url}/rest/getMusicDirectory?${q}`)).json()) as Answer;
        expect(gone['subsonic-response'].error).toMatchObject({ code: 70 });
      } finally {
        sleeveHere(home, ['set', 'path:techno-2.flac', 'label=', '-y']);
        await templated.close();
      }
    });

    it('gives an artist with albums, an album with songs in order, and a song', async () => {
      const artists = (await ok('getArtists')).artists.index.flatMap((i: Answer) => i.artist);
      const techno = artists.find((a: Answer) => a.name === 'techno artist');
      const artist = (await ok('getArtist', { id: techno.id })).artist;
      expect(artist.album.map((a: Answer) => a.name)).toEqual(['techno album']);
      const album = (await ok('getAlbum', { id: artist.album[0].id })).album;
      // Three pieces, the copied one once: its kept copy (the FLAC), not the MP3.
      expect(album.songCount).toBe(3);
      expect(album.song.map((x: Answer) => x.title).sort()).toEqual(['techno-0', 'techno-1', 'techno-2']);
      const copied = album.song.find((x: Answer) => x.title === COPIED);
      expect(copied).toMatchObject({
        id: songId(`${COPIED}.flac`),
        suffix: 'flac',
        contentType: 'audio/flac',
      });
      const song = (await ok('getSong', { id: copied.id })).song;
      expect(song).toMatchObject({
        albumId: album.id,
        album: 'techno album',
        artist: 'techno artist',
        isDir: false,
      });
      expect(song.path).toBe(`techno artist/techno album/${COPIED}.flac`);
      // The other copy is a song of its own when named (a playlist may hold it), on no album.
      expect((await ok('getSong', { id: songId(`${COPIED}-copy.mp3`) })).song.suffix).toBe('mp3');
      await refused(10, 'getAlbum');
      await refused(70, 'getAlbum', { id: 'al-0123456789abcdef' });
      await refused(70, 'getArtist', { id: album.id });
    });

    it('shows the credits, several artists, sort names, genres and the cover of a credited piece', async () => {
      const song = (await ok('getSong', { id: songId(`${CREDITED}.flac`) })).song;
      expect(song.artist).toBe('Bea Breaks feat. Cy');
      expect(song.displayArtist).toBe('Bea Breaks feat. Cy');
      expect(song.artists.map((a: Answer) => a.name)).toEqual(['Bea Breaks', 'Cy']);
      expect(song.albumArtists.map((a: Answer) => a.name)).toEqual(['Bea Breaks']);
      expect(song.genres).toEqual([{ name: 'Breakbeat' }, { name: 'Dance' }]);
      expect(song.contributors).toEqual([
        { role: 'composer', artist: { id: expect.stringMatching(/^ar-/), name: 'Clara Composer' } },
        { role: 'lyricist', artist: { id: expect.stringMatching(/^ar-/), name: 'Lee Lyricist' } },
        {
          role: 'performer',
          subRole: 'piano',
          artist: { id: expect.stringMatching(/^ar-/), name: 'Piet Pianist' },
        },
      ]);
      expect(song.displayComposer).toBe('Clara Composer');
      expect(song).toMatchObject({ year: 2001, track: 2, coverArt: song.id });
      const bea = (await ok('getArtist', { id: song.albumArtists[0].id })).artist;
      expect(bea.sortName).toBe('Breaks, Bea');
      // A composer is no album's artist: shown the album they appear on.
      const clara = (await ok('getArtist', { id: song.contributors[0].artist.id })).artist;
      expect(clara.album.map((a: Answer) => a.name)).toEqual(['breakbeat album']);
      // What each is in the library: OpenSubsonic's roles.
      expect(clara.roles).toEqual(['composer']);
      expect(bea.roles).toEqual(['albumartist', 'artist']);
      const piet = song.contributors.find((c: Answer) => c.role === 'performer').artist.id;
      expect((await ok('getArtist', { id: piet })).artist.roles).toEqual(['performer']);
      // The start line's artists are those the artist list shows: album artists, not the credited.
      const listed = (await ok('getArtists')).artists.index.flatMap((i: Answer) => i.artist);
      expect(listed.map((a: Answer) => a.name)).not.toContain('Clara Composer');
      expect((await s.server.ready).artists).toBe(listed.length);
    });

    it("gives a song's works and groupings, and an album's release dates", async () => {
      const id = songId(`${CREDITED}.flac`);
      const set = sleeveHere(home, [
        'set',
        `path:${CREDITED}.flac`,
        'work=Break Suite',
        'musicbrainz_workid=5c1d4cc8-0000-4000-8000-000000000001',
        'grouping=Side A',
        'originaldate=1999-04',
        '-y',
      ]);
      expect(set.status, set.stderr).toBe(0);
      try {
        const song = (await ok('getSong', { id })).song;
        expect(song.works).toEqual([
          { name: 'Break Suite', musicBrainzId: '5c1d4cc8-0000-4000-8000-000000000001' },
        ]);
        expect(song.groupings).toEqual(['Side A']);
        const album = (await ok('getAlbum', { id: song.albumId })).album;
        expect(album.releaseDate).toEqual({ year: 2001 });
        expect(album.originalReleaseDate).toEqual({ year: 1999, month: 4 });
      } finally {
        expect(sleeveHere(home, ['undo']).status).toBe(0);
      }
    });

    it('gives each song the ReplayGain the mount serves', async () => {
      const id = ids.get('music-box-0.flac')!;
      const served = filesByIds(s.db, [id])[0]!.tags;
      const song = (await ok('getSong', { id: `tr-${id}` })).song;
      expect(served.replaygain_track_gain?.[0]).toMatch(/dB$/);
      expect(song.replayGain.trackGain).toBeCloseTo(Number.parseFloat(served.replaygain_track_gain![0]!), 2);
      expect(song.replayGain.albumGain).toBeCloseTo(Number.parseFloat(served.replaygain_album_gain![0]!), 2);
      expect(song.replayGain.trackPeak).toBeCloseTo(Number.parseFloat(served.replaygain_track_peak![0]!), 5);
    });

    it('shows an edit made in Sleeve at the next answer', async () => {
      const id = ids.get('ambient-pad-2.flac')!;
      expect(sleeveHere(home, ['set', `id:${id}`, 'title=Renamed Pád', '--yes-all']).status).toBe(0);
      expect((await ok('getSong', { id: `tr-${id}` })).song.title).toBe('Renamed Pád');
      // Found in any case, with or without the accent.
      for (const query of ['renamed pad', 'RENAMED PÁD']) {
        const found = (await ok('search3', { query })).searchResult3;
        expect(found.song.map((x: Answer) => x.id)).toEqual([`tr-${id}`]);
      }
      // songCount=0 asks for artists and albums only.
      const none = (await ok('search3', { query: 'renamed pad', songCount: 0 })).searchResult3;
      expect(none.song ?? []).toEqual([]);
      // A title cleared: the song is named by its file, as the app and the mount name it, never left blank.
      expect(sleeveHere(home, ['set', `id:${id}`, '--clear', 'title', '--yes-all']).status).toBe(0);
      const untitled = (await ok('getSong', { id: `tr-${id}` })).song;
      expect(untitled.title).toBe('ambient-pad-2');
      expect(untitled.path).toMatch(/\/(\d+ )?ambient-pad-2\.flac$/);
    });

    it('lists genres, a genre’s songs, and random songs', async () => {
      const genres = (await ok('getGenres')).genres.genre;
      expect(genres.find((g: Answer) => g.value === 'techno')).toEqual({
        value: 'techno',
        songCount: 3,
        albumCount: 1,
      });
      expect(genres.find((g: Answer) => g.value === 'Dance')).toEqual({
        value: 'Dance',
        songCount: 1,
        albumCount: 1,
      });
      const page = (await ok('getSongsByGenre', { genre: 'techno', count: 2, offset: 1 })).songsByGenre.song;
      expect(page).toHaveLength(2);
      await refused(10, 'getSongsByGenre');
      const random = (await ok('getRandomSongs', { size: 50 })).randomSongs.song;
      expect(random).toHaveLength(12);
      expect(new Set(random.map((x: Answer) => x.id)).size).toBe(12);
      const jazzless = (await ok('getRandomSongs', { genre: 'music-box', size: 5 })).randomSongs.song;
      expect(jazzless.map((x: Answer) => x.genre)).toEqual(['music-box', 'music-box', 'music-box']);
      expect(
        (await ok('getRandomSongs', { fromYear: 2000, toYear: 2002 })).randomSongs.song.map(
          (x: Answer) => x.title,
        ),
      ).toEqual([CREDITED]);
      // More than 500 at once is 500 (Subsonic's own cap), not an error; less than none is refused.
      expect((await ok('getRandomSongs', { size: 1000 })).randomSongs.song).toHaveLength(12);
      expect(
        (await ok('getAlbumList2', { type: 'newest', size: 600 })).albumList2.album.length,
      ).toBeGreaterThan(0);
      expect(await refused(0, 'getRandomSongs', { size: -1 })).toMatch(
        /"size" must be a whole number of at least 0/,
      );
    });
  });

  describe('lists and search', () => {
    it('gives album lists of every type', async () => {
      const names = async (params: Query) =>
        (await ok('getAlbumList2', { size: 50, ...params })).albumList2.album.map((a: Answer) => a.name);
      const all = [
        'ambient-pad album',
        'breakbeat album',
        'breakbeat album',
        'music-box album',
        'techno album',
      ];
      expect((await names({ type: 'alphabeticalByName' })).sort()).toEqual(all);
      expect(await names({ type: 'alphabeticalByArtist' })).toEqual([
        'ambient-pad album',
        'breakbeat album',
        'breakbeat album',
        'music-box album',
        'techno album',
      ]);
      expect((await names({ type: 'random' })).sort()).toEqual(all);
      expect((await names({ type: 'newest' })).sort()).toEqual(all);
      expect(await names({ type: 'byYear', fromYear: 2000, toYear: 2010 })).toEqual(['breakbeat album']);
      expect(await names({ type: 'byGenre', genre: 'Dance' })).toEqual(['breakbeat album']);
      expect(await names({ type: 'alphabeticalByName', size: 2, offset: 1 })).toHaveLength(2);
      for (const type of ['highest', 'frequent', 'recent', 'starred'])
        expect(await names({ type })).toEqual([]);
      await refused(10, 'getAlbumList2');
      expect(await refused(0, 'getAlbumList2', { type: 'loudest' })).toMatch(/not one of random, newest/);
      expect(await refused(10, 'getAlbumList2', { type: 'byYear', toYear: 1 })).toMatch(/fromYear/);
    });

    it('pages the whole library with an empty search3 query, one song per recording', async () => {
      const seen: string[] = [];
      for (let offset = 0; ; offset += 5) {
        const page = (
          await ok('search3', { query: '', songCount: 5, songOffset: offset, albumCount: 0, artistCount: 0 })
        ).searchResult3;
        expect(page.album).toEqual([]);
        seen.push(...page.song.map((x: Answer) => x.id));
        if (page.song.length < 5) break;
      }
      expect(seen).toHaveLength(12);
      expect(new Set(seen).size).toBe(12);
      expect(seen).not.toContain(songId(`${COPIED}-copy.mp3`));
      const quoted = (await ok('search3', { query: '""', songCount: 500 })).searchResult3;
      expect(quoted.song).toHaveLength(12);
      expect(quoted.album).toHaveLength(5);
    });

    it('takes any count in search2 and search3, as clients syncing the whole library ask (1,000 and more)', async () => {
      // Symfonium, DSub and others page an empty query by 1,000 or more: a client given fewer than it asked
      // takes it for the end, so a count is never cut down.
      for (const query of ['', '""']) {
        const big = { query, songCount: 1000, albumCount: 5000, artistCount: 100_000 };
        const three = (await ok('search3', big)).searchResult3;
        expect(three.song).toHaveLength(12);
        expect(three.album).toHaveLength(5);
        expect(three.artist.length).toBeGreaterThan(3);
        const two = (await ok('search2', big)).searchResult2;
        expect(two.song.map((x: Answer) => x.id)).toEqual(three.song.map((x: Answer) => x.id));
        expect(two.album).toHaveLength(5);
      }
      const next = (await ok('search3', { query: '', songCount: 1000, songOffset: 1000 })).searchResult3;
      expect(next.song).toEqual([]);
      expect(await refused(0, 'search3', { query: '', songCount: -1 })).toMatch(/"songCount"/);
    });

    it('finds songs, albums and artists by words', async () => {
      const r = (await ok('search3', { query: 'TECHNO 2' })).searchResult3;
      expect(r.song.map((x: Answer) => x.title)).toEqual(['techno-2']);
      const bea = (await ok('search3', { query: 'bea breaks' })).searchResult3;
      expect(bea.artist.map((a: Answer) => a.name)).toEqual(['Bea Breaks']);
      expect(bea.album.map((a: Answer) => a.artist)).toEqual(['Bea Breaks']);
      // With the wildcards clients add, as Subsonic's own search took them.
      expect((await ok('search3', { query: 'bea* *breaks*' })).searchResult3).toEqual(bea);
      expect((await ok('search3', { query: 'nothing like this' })).searchResult3).toEqual({
        artist: [],
        album: [],
        song: [],
      });
    });

    it('finds a guest or a composer by name, and takes a genre or an artist in any case', async () => {
      // Cy is only a track's artist, Clara a composer: not in getArtists, found by a search.
      const listed = (await ok('getArtists')).artists.index.flatMap((i: Answer) => i.artist);
      expect(listed.map((a: Answer) => a.name)).not.toContain('Cy');
      for (const [query, name] of [
        ['cy', 'Cy'],
        ['clara', 'Clara Composer'],
      ] as const) {
        const found = (await ok('search3', { query })).searchResult3.artist;
        expect(found.map((a: Answer) => [a.name, a.albumCount])).toEqual([[name, 1]]);
        const opened = (await ok('getArtist', { id: found[0].id })).artist;
        expect(opened.album.map((al: Answer) => al.artist)).toEqual(['Bea Breaks']);
      }
      // An empty query pages getArtists' list, as clients syncing take it.
      const everyone = (await ok('search3', { query: '', artistCount: 100 })).searchResult3.artist;
      expect(everyone.map((a: Answer) => a.id)).toEqual(listed.map((a: Answer) => a.id));
      const songs = async (genre: string) =>
        (await ok('getSongsByGenre', { genre, count: 10 })).songsByGenre.song.map((x: Answer) => x.id);
      expect(await songs('TECHNO')).toEqual(await songs('techno'));
      expect(await songs('TECHNO')).toHaveLength(3);
      expect(await songs('dänce')).toEqual(await songs('Dance'));
      expect(await songs('trance')).toEqual([]);
      const albums = (await ok('getAlbumList2', { type: 'byGenre', genre: 'dance' })).albumList2.album;
      expect(albums.map((a: Answer) => a.name)).toEqual(['breakbeat album']);
      const random = (await ok('getRandomSongs', { genre: 'Techno', size: 10 })).randomSongs.song;
      expect(random.map((x: Answer) => x.genre)).toEqual(['techno', 'techno', 'techno']);
    });

    it('files an artist named with "The" under its next word in every list by artist', async () => {
      const order = async () => ({
        index: (await ok('getArtists')).artists.index.map((i: Answer) => [
          i.name,
          i.artist.map((a: Answer) => a.name),
        ]),
        albums: (await ok('getAlbumList2', { type: 'alphabeticalByArtist' })).albumList2.album.map(
          (a: Answer) => a.artist,
        ),
        searched: (await ok('search3', { query: 'a' })).searchResult3.artist.map((a: Answer) => a.name),
      });
      const set = sleeveHere(home, ['set', 'path:ambient-pad', 'albumartist=The Aardvarks', '-y']);
      expect(set.status, set.stderr).toBe(0);
      try {
        const { index, albums, searched } = await order();
        expect(index[0]).toEqual(['A', ['The Aardvarks']]);
        expect(albums[0]).toBe('The Aardvarks');
        expect(searched[0]).toBe('The Aardvarks');
        expect(albums.slice(1)).toEqual([
          'breakbeat artist',
          'Bea Breaks',
          'music-box artist',
          'techno artist',
        ]);
      } finally {
        expect(sleeveHere(home, ['set', 'path:ambient-pad', '--clear', 'albumartist', '-y']).status).toBe(0);
      }
    });

    it('answers the v1 lists as older clients ask them: getAlbumList and search2, albums as folders', async () => {
      for (const type of ['alphabeticalByName', 'alphabeticalByArtist', 'newest']) {
        const v2 = (await ok('getAlbumList2', { type, size: 50 })).albumList2.album;
        const v1 = (await ok('getAlbumList', { type, size: 50 })).albumList.album;
        expect(v1.map((a: Answer) => [a.id, a.title, a.isDir, a.parent])).toEqual(
          v2.map((a: Answer) => [a.id, a.name, true, a.artistId]),
        );
      }
      const bea = (await ok('search2', { query: 'bea breaks' })).searchResult2;
      const three = (await ok('search3', { query: 'bea breaks' })).searchResult3;
      expect(bea.artist).toEqual(three.artist);
      expect(bea.song).toEqual(three.song);
      expect(bea.album.map((a: Answer) => [a.id, a.title, a.isDir])).toEqual(
        three.album.map((a: Answer) => [a.id, a.name, true]),
      );
      await refused(0, 'getAlbumList', { type: 'sideways' });
    });

    it('answers the first search, by field, with how many match (search, deprecated since 1.4.0)', async () => {
      const all = (await ok('search3', { query: 'techno', songCount: 500 })).searchResult3.song;
      const techno = all.filter((x: Answer) => x.artist === 'techno artist');
      expect(techno.length).toBeGreaterThan(2);
      const byArtist = (await ok('search', { artist: 'TECHNO artist', count: 2 })).searchResult;
      expect(byArtist.totalHits).toBe(techno.length);
      expect(byArtist.offset).toBe(0);
      expect(byArtist.match.map((x: Answer) => x.id)).toEqual(techno.slice(0, 2).map((x: Answer) => x.id));
      const next = (await ok('search', { artist: 'techno artist', count: 2, offset: 2 })).searchResult;
      expect(next.match.map((x: Answer) => x.id)).toEqual(techno.slice(2, 4).map((x: Answer) => x.id));
      // A word of the title asked of the album finds nothing; asked of any field, it does.
      const title = techno[0].title as string;
      expect((await ok('search', { album: title })).searchResult.totalHits).toBe(0);
      expect((await ok('search', { title, artist: 'techno' })).searchResult.match[0].id).toBe(techno[0].id);
      expect((await ok('search', { any: title })).searchResult.totalHits).toBeGreaterThan(0);
      // Added after a moment to come: none.
      expect((await ok('search', { any: 'techno', newerThan: Date.now() + 60_000 })).searchResult).toEqual({
        offset: 0,
        totalHits: 0,
        match: [],
      });
      await refused(0, 'search', { any: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') });
      // 20 words each of two fields: 40 in all, refused as one search.
      const twenty = (from: number) => Array.from({ length: 20 }, (_, i) => `w${from + i}`).join(' ');
      expect(await refused(0, 'search', { title: twenty(0), artist: twenty(20) })).toMatch(/at most 32/);
      // any=true, as the OpenSubsonic description types it: a flag, no word.
      const everything = (await ok('search3', { query: '', songCount: 500 })).searchResult3.song.length;
      expect((await ok('search', { any: 'true' })).searchResult.totalHits).toBe(everything);
    });
  });

  describe('marks', () => {
    it('stars and unstars songs, albums and artists, and lists what is starred', async () => {
      const album = (await ok('getSong', { id: songId('techno-1.flac') })).song;
      await ok('star', { id: album.id, albumId: album.albumId, artistId: album.artistId });
      const starred = (await ok('getStarred2')).starred2;
      expect(starred.song.map((x: Answer) => x.id)).toEqual([album.id]);
      expect(starred.album.map((a: Answer) => a.id)).toEqual([album.albumId]);
      expect(starred.artist.map((a: Answer) => a.id)).toEqual([album.artistId]);
      expect((await ok('getSong', { id: album.id })).song.starred).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(
        (await ok('getAlbumList2', { type: 'starred' })).albumList2.album.map((a: Answer) => a.id),
      ).toEqual([album.albumId]);
      // The protocol's first list of them, its album a folder.
      const v1 = (await ok('getStarred')).starred;
      expect(v1.song.map((x: Answer) => x.id)).toEqual([album.id]);
      expect(v1.album.map((a: Answer) => [a.id, a.isDir])).toEqual([[album.albumId, true]]);
      expect(v1.artist.map((a: Answer) => a.id)).toEqual([album.artistId]);
      await ok('unstar', { id: album.id, albumId: album.albumId, artistId: album.artistId });
      expect((await ok('getStarred2')).starred2).toEqual({ artist: [], album: [], song: [] });
      expect((await ok('getStarred')).starred).toEqual({ artist: [], album: [], song: [] });
      await refused(70, 'star', { id: 'tr-999999' });
      await refused(70, 'star', { albumId: '../../etc' });
      // Nothing named: the protocol's "required parameter missing", not a star of nothing.
      for (const method of ['star', 'unstar']) {
        expect(await refused(10, method)).toBe('required parameter "id", "albumId" or "artistId" is missing');
        await refused(10, method, { id: '', albumId: '' });
      }
    });

    it('rates songs and albums from 1 to 5, and 0 removes a rating', async () => {
      const song = (await ok('getSong', { id: songId('techno-2.flac') })).song;
      await ok('setRating', { id: song.id, rating: 4 });
      await ok('setRating', { id: song.albumId, rating: 5 });
      expect((await ok('getSong', { id: song.id })).song.userRating).toBe(4);
      expect((await ok('getAlbumList2', { type: 'highest' })).albumList2.album[0]).toMatchObject({
        id: song.albumId,
        userRating: 5,
      });
      await ok('setRating', { id: song.id, rating: 0 });
      expect((await ok('getSong', { id: song.id })).song.userRating).toBeUndefined();
      await refused(0, 'setRating', { id: song.id, rating: 6 });
      await refused(10, 'setRating', { id: song.id });
    });

    it('counts a scrobbled play in the library; a "now playing" notice counts none', async () => {
      const id = songId('music-box-1.flac');
      await ok('scrobble', { id, time: 1_700_000_000_000 });
      await ok('scrobble', { id, submission: 'false' });
      const song = (await ok('getSong', { id })).song;
      expect(song).toMatchObject({ playCount: 1, played: new Date(1_700_000_000_000).toISOString() });
      const plays = s.db
        .prepare('SELECT plays FROM track_marks WHERE file_id = ?')
        .pluck()
        .get(ids.get('music-box-1.flac'));
      expect(plays).toBe(1);
      expect(
        (await ok('getAlbumList2', { type: 'frequent' })).albumList2.album.map((a: Answer) => a.name),
      ).toEqual(['music-box album']);
      expect((await ok('getAlbumList2', { type: 'recent' })).albumList2.album[0].playCount).toBe(1);
      await refused(10, 'scrobble');
      await refused(0, 'scrobble', { id: [id, id], time: [1] });
    });
  });

  describe('playlists', () => {
    it('creates a playlist Sleeve shows, edits and removes it', async () => {
      const [a, b, c] = ['techno-1.flac', 'techno-2.flac', `${COPIED}-copy.mp3`].map(songId) as [
        string,
        string,
        string,
      ];
      const made = (await ok('createPlaylist', { name: 'From the phone', songId: [a, b] })).playlist;
      expect(made).toMatchObject({ name: 'From the phone', songCount: 2, readonly: false });
      expect(made.entry.map((x: Answer) => x.id)).toEqual([a, b]);
      const inSleeve = listPlaylists(s.db).find((p) => p.name === 'From the phone');
      expect(inSleeve).toBeDefined();
      expect((await ok('getPlaylists')).playlists.playlist.map((p: Answer) => p.name)).toContain(
        'From the phone',
      );
      await ok('updatePlaylist', {
        playlistId: made.id,
        name: 'Phone mix',
        songIdToAdd: c,
        songIndexToRemove: 0,
      });
      const got = (await ok('getPlaylist', { id: made.id })).playlist;
      expect(got.name).toBe('Phone mix');
      // The copy stays the copy it is (a playlist names files).
      expect(got.entry.map((x: Answer) => x.id)).toEqual([b, c]);
      await refused(0, 'updatePlaylist', { playlistId: made.id, songIndexToRemove: 7 });
      // Made yesterday: replacing its songs changes it, and it was still created then (was its change).
      const yesterday = Date.now() - 86_400_000;
      s.db
        .prepare('UPDATE playlists SET created_at = ?, changed_at = ? WHERE name = ?')
        .run(yesterday, yesterday, 'Phone mix');
      const replaced = (await ok('createPlaylist', { playlistId: made.id, songId: [a] })).playlist;
      expect(replaced.entry.map((x: Answer) => x.id)).toEqual([a]);
      expect(replaced.created).toBe(new Date(yesterday).toISOString());
      expect(Date.parse(replaced.changed)).toBeGreaterThan(yesterday);
      await ok('deletePlaylist', { id: made.id });
      expect(listPlaylists(s.db).some((p) => p.name === 'Phone mix')).toBe(false);
      // Said by the id the client sent.
      expect(await refused(70, 'getPlaylist', { id: made.id })).toBe(`Playlist ${made.id} not found`);
      await refused(70, 'updatePlaylist', { playlistId: made.id, name: 'y' });
      await refused(70, 'getPlaylist', { id: 'pl-abc' });
      await refused(70, 'createPlaylist', { name: 'x', songId: 'tr-99999' });
      await refused(10, 'createPlaylist');
    });

    it("keeps a playlist made on a client its user's: the others see it read-only; Sleeve's are anyone's", async () => {
      expect(sleeveHere(home, ['subsonic', 'user', 'bob'], { input: 'bob secret\n' }).status).toBe(0);
      const bob = () => tokenAuth('bob', 'bob secret');
      try {
        const song = songId('techno-1.flac');
        const hers = (await ok('createPlaylist', { name: 'Alice mix', songId: song }, tokenAuth('ALICE')))
          .playlist;
        expect(hers).toMatchObject({ owner: 'alice', readonly: false });
        const seen = (await ok('getPlaylists', {}, bob())).playlists.playlist;
        expect(seen.find((p: Answer) => p.id === hers.id)).toMatchObject({ owner: 'alice', readonly: true });
        expect(await refused(50, 'updatePlaylist', { playlistId: hers.id, name: 'Mine' }, bob())).toBe(
          "“Alice mix” is alice's playlist: only they change it",
        );
        await refused(50, 'createPlaylist', { playlistId: hers.id, songId: song }, bob());
        await refused(50, 'deletePlaylist', { id: hers.id }, bob());
        expect(listPlaylists(s.db).find((p) => p.id === Number(hers.id.slice(3)))).toMatchObject({
          name: 'Alice mix',
          owner: 'alice',
        });
        // One made in Sleeve is the library's: each user sees it as theirs, and changes it.
        expect(sleeveHere(home, ['playlist', 'new', 'Shared', 'genre:techno']).status).toBe(0);
        const shared = (await ok('getPlaylists', {}, bob())).playlists.playlist.find(
          (p: Answer) => p.name === 'Shared',
        );
        expect(shared).toMatchObject({ owner: 'bob', readonly: false });
        await ok('updatePlaylist', { playlistId: shared.id, name: 'Shared by Bob' }, bob());
        await ok('deletePlaylist', { id: shared.id }, bob());
        await ok('deletePlaylist', { id: hers.id });
        // Bob removed: his playlist is kept, the library's, and anyone's to change.
        const his = (await ok('createPlaylist', { name: 'Bob mix', songId: song }, bob())).playlist;
        const removed = sleeveHere(home, ['subsonic', 'user', 'bob', '--remove']);
        expect(removed.stdout).toContain(
          "their playlist is kept, the library's now: every user may change it",
        );
        const kept = (await ok('getPlaylists')).playlists.playlist.find((p: Answer) => p.id === his.id);
        expect(kept).toMatchObject({ owner: 'alice', readonly: false });
        await ok('deletePlaylist', { id: his.id });
      } finally {
        sleeveHere(home, ['subsonic', 'user', 'bob', '--remove']);
      }
    });

    it('lists a smart playlist read-only, its query choosing its songs', async () => {
      expect(sleeveHere(home, ['playlist', 'new', 'Techno', '--smart', 'genre:techno']).status).toBe(0);
      const smart = (await ok('getPlaylists')).playlists.playlist.find((p: Answer) => p.name === 'Techno');
      expect(smart).toMatchObject({ readonly: true, songCount: 3 });
      expect(
        await refused(50, 'updatePlaylist', { playlistId: smart.id, songIdToAdd: songId('techno-1.flac') }),
      ).toMatch(/smart playlist/);
      await refused(50, 'updatePlaylist', { playlistId: smart.id, name: 'Renamed' });
      expect(await refused(50, 'deletePlaylist', { id: smart.id })).toMatch(/changed in Sleeve/);
      expect(listPlaylists(s.db).some((p) => p.name === 'Techno' && p.query === 'genre:techno')).toBe(true);
    });
  });

  describe('sonic similarity', () => {
    it('gives the tracks that sound most alike, each with its similarity', async () => {
      const seed = songId('techno-1.flac');
      const found = (await ok('getSonicSimilarTracks', { id: seed, count: 5 })).sonicMatch;
      expect(found).toHaveLength(5);
      expect(found.map((m: Answer) => m.entry.id)).not.toContain(seed);
      const scores = found.map((m: Answer) => m.similarity);
      expect(scores.every((x: number) => x > 0 && x <= 1)).toBe(true);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      // Its own style first, and one copy of the copied piece only.
      expect(found.slice(0, 2).map((m: Answer) => m.entry.genre)).toEqual(['techno', 'techno']);
      expect(found.map((m: Answer) => m.entry.id)).not.toContain(songId(`${COPIED}-copy.mp3`));
      const similar = (await ok('getSimilarSongs2', { id: found[0].entry.artistId, count: 3 })).similarSongs2
        .song;
      expect(similar).toHaveLength(3);
      await refused(70, 'getSonicSimilarTracks', { id: 'tr-99999' });
    });

    it('answers an empty list for a song not analysed yet, as a client expects, not an error', async () => {
      const seed = songId('techno-2.flac');
      const db = s.db;
      const id = Number(seed.slice(3));
      const row = db.prepare('SELECT * FROM embeddings WHERE file_id = ?').get(id) as Record<string, unknown>;
      expect(row).toMatchObject({ status: 'ok' });
      db.prepare('DELETE FROM embeddings WHERE file_id = ?').run(id);
      try {
        for (const [method, key] of [
          ['getSimilarSongs2', 'similarSongs2'],
          ['getSimilarSongs', 'similarSongs'],
        ] as const)
          expect((await ok(method, { id: seed, count: 3 }))[key].song ?? []).toEqual([]);
        expect((await ok('getSonicSimilarTracks', { id: seed, count: 3 })).sonicMatch ?? []).toEqual([]);
      } finally {
        const columns = Object.keys(row);
        db.prepare(
          `INSERT INTO embeddings (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
        ).run(row);
      }
      expect((await ok('getSimilarSongs2', { id: seed, count: 3 })).similarSongs2.song).toHaveLength(3);
    });

    it("names an artist's similar artists from the library's sound, and the v1 similar songs", async () => {
      const artists = (await ok('getArtists')).artists.index.flatMap((i: Answer) => i.artist);
      const techno = artists.find((a: Answer) => a.name === 'techno artist');
      const info2 = (await ok('getArtistInfo2', { id: techno.id, count: 10 })).artistInfo2;
      const names = info2.similarArtist.map((a: Answer) => a.name);
      expect(names.length).toBeGreaterThan(0);
      expect(names).not.toContain('techno artist');
      expect(new Set(names).size).toBe(names.length);
      expect(artists.map((a: Answer) => a.name)).toEqual(expect.arrayContaining(names));
      const info = (await ok('getArtistInfo', { id: techno.id, count: 10 })).artistInfo;
      expect(info.similarArtist.map((a: Answer) => a.name)).toEqual(names);
      expect(
        (await ok('getArtistInfo2', { id: techno.id, count: 1 })).artistInfo2.similarArtist,
      ).toHaveLength(1);
      const seed = songId('techno-1.flac');
      expect((await ok('getSimilarSongs', { id: seed, count: 3 })).similarSongs).toEqual(
        (await ok('getSimilarSongs2', { id: seed, count: 3 })).similarSongs2,
      );
    });

    it('finds a path through sound from one song to another', async () => {
      const start = songId('ambient-pad-0.flac');
      const end = songId('techno-2.flac');
      const path = (await ok('findSonicPath', { startSongId: start, endSongId: end, count: 5 })).sonicMatch;
      expect(path.length).toBeGreaterThanOrEqual(3);
      expect(path.length).toBeLessThanOrEqual(5);
      expect(path[0]).toMatchObject({ entry: { id: start }, similarity: 1 });
      expect(path.at(-1).entry.id).toBe(end);
      expect(new Set(path.map((m: Answer) => m.entry.id)).size).toBe(path.length);
      await refused(10, 'findSonicPath', { startSongId: start });
    });
  });

  describe('media', () => {
    it('streams and downloads what the mount serves: the edited title and the served ReplayGain, over the untouched audio', async () => {
      const edit = sleeveHere(home, ['set', 'path:techno-2.flac', 'title=Served Title', '-y']);
      expect(edit.status, edit.stderr).toBe(0);
      // Undone however the test ends: the tests after it find the title as scanned.
      try {
        const mutagen = (data: Buffer, ext: string) => {
          const file = join(tempDir(), `download.${ext}`);
          writeFileSync(file, data);
          return JSON.parse(
            execFileSync(PY, [
              '-c',
              // Easy keys for the title; ReplayGain as players read it: TXXX:REPLAYGAIN_* in ID3.
              [
                'import json, sys, mutagen',
                'f = mutagen.File(sys.argv[1], easy=True)',
                'tags = {k: list(v) for k, v in f.tags.items()}',
                'raw = mutagen.File(sys.argv[1]).tags',
                "gain = raw.get('TXXX:REPLAYGAIN_TRACK_GAIN') if hasattr(raw, 'getall') else None",
                "tags.update({'replaygain_track_gain': list(gain.text)} if gain else {})",
                'print(json.dumps(tags))',
              ].join('\n'),
              file,
            ]).toString(),
          ) as Record<string, string[]>;
        };
        const served = (name: string) => filesByIds(s.db, [ids.get(name)!])[0]!.tags;
        for (const [name, ext] of [
          ['techno-2.flac', 'flac'],
          [`${COPIED}-copy.mp3`, 'mp3'],
        ] as const) {
          const id = `tr-${ids.get(name)}`;
          const download = Buffer.from(await (await raw('download', { id })).arrayBuffer());
          // The size a client is told is the one it receives (it checks its cached copy by it).
          expect(download.length, name).toBe((await ok('getSong', { id })).song.size);
          const tags = mutagen(download, ext);
          expect(tags.title, name).toEqual(served(name).title);
          expect(tags.replaygain_track_gain, name).toEqual(served(name).replaygain_track_gain);
          expect(pcmMd5Of(download, ext), name).toBe(pcmMd5(join(music, name)));
          const streamed = Buffer.from(await (await raw('stream', { id })).arrayBuffer());
          expect(streamed.equals(download), name).toBe(true);
        }
        expect(served('techno-2.flac').title).toEqual(['Served Title']);
        // A transcode carries them too, where its format has tags.
        for (const [format, ext] of [
          ['mp3', 'mp3'],
          ['opus', 'opus'],
        ] as const) {
          const id = songId('techno-2.flac');
          const transcoded = Buffer.from(await (await raw('stream', { id, format })).arrayBuffer());
          const tags = mutagen(transcoded, ext);
          expect(tags.title, format).toEqual(['Served Title']);
          expect((tags.replaygain_track_gain ?? []).map(Number.parseFloat), format).toEqual(
            served('techno-2.flac').replaygain_track_gain!.map(Number.parseFloat),
          );
          // Opus players (opusfile's) read RFC 7845's R128 gain instead: Q7.8 toward -23 LUFS, 5 dB under.
          const gain = Number.parseFloat(served('techno-2.flac').replaygain_track_gain![0]!);
          expect(tags.r128_track_gain, format).toEqual(
            format === 'opus' ? [String(Math.round((gain - 5) * 256))] : undefined,
          );
        }
      } finally {
        expect(sleeveHere(home, ['undo']).status).toBe(0);
      }
    });

    it("sends nothing of a file put in a song's place after the scan, a link to a file outside the library", async () => {
      const place = join(music, 'techno-1.flac');
      const kept = join(tempDir(), 'kept.flac');
      const outside = join(tempDir(), 'secret.flac');
      renameSync(place, kept);
      try {
        // The same bytes, size and time: only the inode tells it is not the file scanned.
        copyFileSync(kept, outside);
        tool('touch', ['-r', kept, outside]); // to the nanosecond
        expect(statSync(outside).mtimeMs).toBe(statSync(kept).mtimeMs);
        symlinkSync(outside, place);
        for (const method of ['stream', 'download']) {
          const said = await refused(70, method, { id: songId('techno-1.flac') });
          expect(said).toMatch(/changed on the server's disk since it was scanned/);
          expect(said).not.toContain('/');
        }
      } finally {
        rmSync(place, { force: true });
        renameSync(kept, place);
      }
      expect((await raw('stream', { id: songId('techno-1.flac') })).status).toBe(200);
    });

    it('streams the served file with byte ranges, and downloads it', async () => {
      const id = songId('techno-1.flac');
      const whole = await raw('stream', { id });
      expect(whole.headers.get('content-type')).toBe('audio/flac');
      const bytes = Buffer.from(await whole.arrayBuffer());
      expect(bytes.subarray(0, 4).toString()).toBe('fLaC');
      const auth = tokenAuth();
      const part = await raw('stream', { id }, auth, { headers: { Range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));
      // The same address again (a player seeking): the same salt opens it.
      const again = await raw('stream', { id }, auth, { headers: { Range: 'bytes=0-3' } });
      expect(Buffer.from(await again.arrayBuffer()).toString()).toBe('fLaC');
      const download = await raw('download', { id, format: 'mp3' });
      expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''techno-1.flac");
      expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    });

    it('decides as the transcoding extension asks: direct play, or the first transcode the client takes', async () => {
      const contract = new OpenSubsonicContract();
      const id = songId('techno-1.flac');
      const decide = async (client: object, method = 'POST') => {
        const q = new URLSearchParams({ ...tokenAuth(), f: 'json', mediaId: id, mediaType: 'song' });
        const r = (await (
          await fetch(`${s.url}/rest/getTranscodeDecision?${q}`, {
            method,
            ...(method === 'POST'
              ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(client) }
              : {}),
          })
        ).json()) as Answer;
        return r['subsonic-response'];
      };
      const sonos = {
        name: 'Play:1',
        platform: 'Sonos',
        // Under the FLAC's bit rate: it cannot play as it is.
        maxAudioBitrate: 64_000,
        maxTranscodingAudioBitrate: 256_000,
        directPlayProfiles: [
          { containers: ['mp3'], audioCodecs: ['mp3'], protocols: ['http'], maxAudioChannels: 2 },
          { containers: ['flac'], audioCodecs: ['flac'], protocols: [], maxAudioChannels: 2 },
        ],
        transcodingProfiles: [
          { container: 'flac', audioCodec: 'flac', protocol: 'hls' },
          { container: 'mp3', audioCodec: 'mp3', protocol: 'http', maxAudioChannels: 2 },
        ],
        codecProfiles: [],
      };
      const decision = (await decide(sonos)).transcodeDecision;
      expect(contract.checkSchema('schemas/TranscodeDecision.json', decision)).toEqual([]);
      expect(decision).toMatchObject({
        canDirectPlay: false,
        canTranscode: true,
        transcodeReason: ['ContainerNotSupported', 'AudioBitrateNotSupported'],
        transcodeParams: 'mp3-256-1',
        sourceStream: { protocol: 'http', container: 'flac', codec: 'flac' },
        // The piece is mono: one channel, as many as it has.
        transcodeStream: { container: 'mp3', codec: 'mp3', audioBitrate: 256_000, audioChannels: 1 },
      });
      const direct = (await decide({ ...sonos, maxAudioBitrate: 5_000_000 })).transcodeDecision;
      expect(direct).toMatchObject({ canDirectPlay: true });
      const hlsOnly = (await decide({ ...sonos, transcodingProfiles: [sonos.transcodingProfiles[0]] }))
        .transcodeDecision;
      expect(hlsOnly).toMatchObject({ canDirectPlay: false, canTranscode: false });
      expect(hlsOnly.errorReason).toMatch(/over http/);
      expect((await decide({ name: 'x' })).error.message).toMatch(/no ClientInfo: platform/);
      expect((await decide(sonos, 'GET')).error.message).toMatch(/is a POST/);

      const stream = await raw('getTranscodeStream', {
        mediaId: id,
        mediaType: 'song',
        transcodeParams: decision.transcodeParams,
        offset: 5,
      });
      expect(stream.headers.get('content-type')).toBe('audio/mpeg');
      const file = join(tempDir(), 'decided.mp3');
      writeFileSync(file, Buffer.from(await stream.arrayBuffer()));
      const probed = JSON.parse(
        execFileSync('ffprobe', [
          '-v',
          'error',
          '-show_streams',
          '-show_format',
          '-of',
          'json',
          file,
        ]).toString(),
      );
      expect(probed.streams[0]).toMatchObject({ codec_name: 'mp3', bit_rate: '256000', channels: 1 });
      expect(Number(probed.format.duration)).toBeLessThan(16);
      for (const transcodeParams of ['mp3-999-2', '-vf x', 'wav-0-2'])
        expect(
          await refused(0, 'getTranscodeStream', { mediaId: id, mediaType: 'song', transcodeParams }),
        ).toMatch(/not ones getTranscodeDecision gave/);
    });

    it('transcodes for format and maxBitRate, from timeOffset', async () => {
      const id = songId('techno-1.flac');
      const probe = (data: Buffer) => {
        const file = join(tempDir(), 'stream');
        writeFileSync(file, data);
        return JSON.parse(
          execFileSync('ffprobe', [
            '-v',
            'error',
            '-show_format',
            '-show_streams',
            '-of',
            'json',
            file,
          ]).toString(),
        );
      };
      const mp3 = await raw('stream', { id, format: 'mp3', maxBitRate: 128 });
      expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
      const whole = probe(Buffer.from(await mp3.arrayBuffer()));
      expect(whole.streams[0].codec_name).toBe('mp3');
      expect(Number(whole.streams[0].bit_rate)).toBe(128_000);
      const late = probe(
        Buffer.from(await (await raw('stream', { id, format: 'mp3', timeOffset: 15 })).arrayBuffer()),
      );
      expect(Number(late.format.duration)).toBeLessThan(6);
      const capped = await raw('stream', { id, maxBitRate: 96 });
      expect(capped.headers.get('content-type')).toBe('audio/mpeg');
      const opus = await raw('stream', { id, format: 'opus' });
      expect(probe(Buffer.from(await opus.arrayBuffer())).streams[0].codec_name).toBe('opus');
      expect(await refused(0, 'stream', { id, format: 'exe' })).toMatch(/not one Sleeve streams/);
      await refused(0, 'stream', { id, timeOffset: -3 });
    });

    it('gives covers, scaled to the size asked for', async () => {
      const song = (await ok('getSong', { id: songId(`${CREDITED}.flac`) })).song;
      const stored = Buffer.from(await (await raw('getCoverArt', { id: song.coverArt })).arrayBuffer());
      expect(imageSize(stored)).toMatchObject({ width: 300, height: 200 });
      const small = await raw('getCoverArt', { id: song.albumId, size: 60 });
      expect(small.headers.get('content-type')).toBe('image/jpeg');
      expect(imageSize(Buffer.from(await small.arrayBuffer()))).toMatchObject({ width: 60, height: 40 });
      await refused(70, 'getCoverArt', { id: songId('techno-1.flac') });
    });

    it('takes any cover size a client asks: 0 or past 4096 the largest there is, 600.0 as 600', async () => {
      const id = (await ok('getSong', { id: songId(`${CREDITED}.flac`) })).song.coverArt;
      const cover = async (size: string) => {
        const answer = await raw('getCoverArt', { id, size });
        expect(answer.headers.get('content-type'), size).toMatch(/^image\//);
        return imageSize(Buffer.from(await answer.arrayBuffer()));
      };
      for (const size of ['0', '5000', '600.0', '99999999999999999999'])
        expect(await cover(size), size).toMatchObject({ width: 300, height: 200 });
      expect(await cover('60.0')).toMatchObject({ width: 60, height: 40 });
      expect(await cover('060')).toMatchObject({ width: 60, height: 40 });
      for (const size of ['abc', '-1', '60.5', '1e3'])
        expect(await refused(0, 'getCoverArt', { id, size }), size).toMatch(/^"size" must be a whole number/);
    });
  });

  describe('ids that are not ids', () => {
    it('refuses paths, traversal and malformed ids before anything is looked up', async () => {
      for (const id of [
        '../../etc/passwd',
        '/etc/passwd',
        'tr-1/../2',
        'tr-0',
        'tr-01',
        'tr-1%00',
        'al-../x',
        'tr-1e3',
        ' tr-1',
      ])
        for (const method of ['getSong', 'stream', 'download', 'getCoverArt'])
          expect(await refused(70, method, { id }), `${method} ${id}`).toMatch(/is not the id of/);
      await refused(70, 'getAlbum', { id: songId('techno-1.flac') });
    });
  });

  describe('picking up on another device', () => {
    it('keeps a play queue saved on a phone for the desktop, by the current song and by its index', async () => {
      expect((await ok('getPlayQueue')).playQueue).toEqual({
        username: 'alice',
        changed: '1970-01-01T00:00:00.000Z',
        changedBy: '',
        entry: [],
      });
      const ids = ['techno-1.flac', 'techno-2.flac', 'techno-1.flac'].map(songId);
      await ok(
        'savePlayQueue',
        { id: ids, current: ids[1]!, position: 61_500 },
        { ...tokenAuth(), c: 'phone' },
      );
      const desktop = { ...tokenAuth(), c: 'desktop' };
      const queue = (await ok('getPlayQueue', {}, desktop)).playQueue;
      expect(queue).toMatchObject({
        current: ids[1],
        position: 61_500,
        username: 'alice',
        changedBy: 'phone',
      });
      expect(queue.entry.map((e: Answer) => e.id)).toEqual(ids);
      expect(queue.changed).toMatch(/^\d{4}-\d\d-\d\dT/);
      // The same song twice: the index tells which one plays.
      await ok('savePlayQueueByIndex', { id: ids, currentIndex: 2, position: 5_000 }, desktop);
      const byIndex = (await ok('getPlayQueueByIndex')).playQueueByIndex;
      expect(byIndex).toMatchObject({ currentIndex: 2, position: 5_000, changedBy: 'desktop' });
      expect((await ok('getPlayQueue')).playQueue.current).toBe(ids[2]);
      expect(await refused(0, 'savePlayQueue', { id: ids, current: songId('techno-0.flac') })).toMatch(
        /not in the queue/,
      );
      await refused(0, 'savePlayQueueByIndex', { id: ids, currentIndex: 3 });
      await refused(70, 'savePlayQueue', { id: ['tr-999999'] });
      // No id: the queue is cleared.
      await ok('savePlayQueue', {});
      expect((await ok('getPlayQueue')).playQueue.entry).toEqual([]);
    });

    it('keeps bookmarks, moved by a new position and deleted', async () => {
      const id = songId('techno-2.flac');
      await ok('createBookmark', { id, position: 30_000, comment: 'the drop' });
      await ok('createBookmark', { id, position: 45_000, comment: 'after the drop' });
      const marks = (await ok('getBookmarks')).bookmarks.bookmark;
      expect(marks.map((b: Answer) => [b.entry.id, b.position, b.comment, b.username])).toEqual([
        [id, 45_000, 'after the drop', 'alice'],
      ]);
      await refused(10, 'createBookmark', { id });
      await ok('deleteBookmark', { id });
      expect((await ok('getBookmarks')).bookmarks.bookmark).toEqual([]);
    });

    it('follows a reported playback: the position moves at its rate, and a play counts once enough was heard', async () => {
      // A session of its own in the test's process: its clock is the test's to set.
      const { NowPlaying } = await import('../../app/server/subsonic/resume.ts');
      const now = new NowPlaying();
      const report = (state: 'starting' | 'playing' | 'paused' | 'stopped', positionMs: number, at: number) =>
        now.report(
          'alice',
          {
            fileId: 7,
            durationMs: 20_000,
            client: 'phone',
            state,
            positionMs,
            rate: 2,
            ignoreScrobble: false,
          },
          at,
        );
      expect(report('starting', 0, 0)).toBeUndefined();
      expect(report('playing', 0, 1_000)).toBeUndefined();
      // 4 s at twice the speed: 8 s heard of 20, under half.
      expect(report('paused', 8_000, 5_000)).toBeUndefined();
      expect(report('playing', 8_000, 60_000)).toBeUndefined();
      // 1 s more at twice the speed: 10 s heard, half: counted once.
      expect(report('playing', 10_000, 61_000)).toBe(7);
      expect(report('stopped', 12_000, 62_000)).toBeUndefined();
      // Over the protocol: the entry's state, position and rate; ignoreScrobble counts nothing.
      const id = songId('techno-2.flac');
      const plays = async () => (await ok('getSong', { id })).song.playCount;
      const before = await plays();
      const reported = { mediaId: id, mediaType: 'song', positionMs: 3_000, ignoreScrobble: 'true' };
      await ok('reportPlayback', { ...reported, state: 'starting' }, { ...tokenAuth(), c: 'desktop' });
      await ok('reportPlayback', { ...reported, state: 'paused', positionMs: 25_000 });
      const entry = (await ok('getNowPlaying')).nowPlaying.entry.find((e: Answer) => e.id === id);
      expect(entry).toMatchObject({
        state: 'paused',
        positionMs: 20_000,
        playbackRate: 1,
        username: 'alice',
      });
      expect(await plays()).toBe(before);
      await refused(0, 'reportPlayback', { ...reported, state: 'rewinding' });
      await refused(0, 'reportPlayback', { ...reported, mediaType: 'podcast', state: 'playing' });
      await ok('reportPlayback', { ...reported, state: 'stopped' });
    });

    it('says what each user is playing now, from a scrobble that is no submission', async () => {
      const id = songId('techno-1.flac');
      await ok('scrobble', { id, submission: 'false' }, { ...tokenAuth(), c: 'phone' });
      const now = (await ok('getNowPlaying')).nowPlaying.entry;
      expect(now.map((e: Answer) => [e.id, e.username, e.playerName, e.minutesAgo])).toEqual([
        [id, 'alice', 'phone', 0],
      ]);
    });
  });

  describe('shares', () => {
    const page = (url: string, init?: RequestInit) => fetch(url, init);

    it('shares songs and an album as a public link: a page that plays the served files, counted, revocable', async () => {
      const song = songId('techno-2.flac');
      const album = (await ok('getSong', { id: songId('techno-1.flac') })).song.albumId;
      const made = (await ok('createShare', { id: [song, album], description: 'For <Bob> & "friends"' }))
        .shares.share;
      expect(made).toHaveLength(1);
      const share = made[0];
      expect(share).toMatchObject({ username: 'alice', visitCount: 0, description: 'For <Bob> & "friends"' });
      expect(share.url).toBe(`${s.url}/share/${share.id}`);
      expect(Date.parse(share.expires) - Date.parse(share.created)).toBe(30 * 24 * 3600 * 1000);
      // The song once, though the album holds it too; the album's songs after it.
      const entries = share.entry.map((e: Answer) => e.id);
      expect(entries[0]).toBe(song);
      expect(new Set(entries).size).toBe(entries.length);
      expect(entries.length).toBeGreaterThan(1);

      // Anyone with the link: no login, the songs named as the library has them, escaped; no script.
      const visit = await page(share.url);
      expect(visit.status).toBe(200);
      expect(visit.headers.get('content-security-policy')).toMatch(/^default-src 'none'; media-src 'self'/);
      const html = await visit.text();
      // Not its maker's login: the page is public.
      expect(html).not.toContain('alice');
      expect(html).toContain('<title>For &lt;Bob&gt; &amp; &quot;friends&quot;</title>');
      expect(html).not.toMatch(/<script|\/srv\/|\.flac"/);
      const titles = share.entry.map((e: Answer) => e.title as string);
      for (const title of titles) expect(html).toContain(`<strong>${title}</strong>`);
      // The page opened again from the same place is the same visit.
      await (await page(share.url)).arrayBuffer();
      expect((await ok('getShares')).shares.share[0]).toMatchObject({ id: share.id, visitCount: 1 });
      expect((await ok('getShares')).shares.share[0].lastVisited).toMatch(/^\d{4}-/);

      // Each song's bytes are the served file's, with ranges, and a download names it.
      const download = Buffer.from(await (await raw('download', { id: song })).arrayBuffer());
      const played = Buffer.from(await (await page(`${share.url}/0`)).arrayBuffer());
      expect(played.equals(download)).toBe(true);
      const part = await page(`${share.url}/0`, { headers: { Range: 'bytes=10-19' } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer()).equals(download.subarray(10, 20))).toBe(true);
      const saved = await page(`${share.url}/0?download`);
      expect(saved.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
      await saved.arrayBuffer();
      expect((await page(`${share.url}/${entries.length}`)).status).toBe(404);
      // What is no share's link, and what is no reading of one.
      expect((await page(`${s.url}/share/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
      expect((await page(`${share.url}/0/..`)).status).toBe(404);
      const posted = await page(share.url, { method: 'POST' });
      expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET, HEAD']);

      // Revoked: the link answers nothing of it.
      await ok('deleteShare', { id: share.id });
      expect((await ok('getShares')).shares.share ?? []).toEqual([]);
      expect((await page(share.url)).status).toBe(404);
      expect((await page(`${share.url}/0`)).status).toBe(404);
    });

    it('expires: a date is kept (a year at most), and past it the link shows nothing', async () => {
      const id = songId('techno-1.flac');
      const now = Date.now();
      await refused(0, 'createShare', { id, expires: now - 1000 });
      const share = (await ok('createShare', { id, expires: now + 3_600_000 })).shares.share[0];
      expect(Date.parse(share.expires)).toBe(now + 3_600_000);
      await ok('updateShare', { id: share.id, expires: now + 5000 * 24 * 3_600_000, description: 'later' });
      const longest = (await ok('getShares')).shares.share[0];
      expect(longest.description).toBe('later');
      expect(Date.parse(longest.expires) - Date.now()).toBeLessThanOrEqual(365 * 24 * 3_600_000);
      expect(Date.parse(longest.expires) - Date.now()).toBeGreaterThan(364 * 24 * 3_600_000);
      // Its time passes (set in the library: a test does not wait a year).
      s.db.prepare('UPDATE shares SET expires_at = ? WHERE id = ?').run(Date.now() - 1, share.id);
      const gone = await page(share.url);
      expect(gone.status).toBe(410);
      expect(await gone.text()).toContain('This share expired on');
      expect((await page(`${share.url}/0`)).status).toBe(410);
      // Its maker still sees it, expired, and can give it time again.
      await ok('updateShare', { id: share.id, expires: 0 });
      expect((await page(share.url)).status).toBe(200);
      await ok('deleteShare', { id: share.id });
    });

    it('refuses what is no song, album, artist or playlist, and another user’s share to change', async () => {
      expect(await refused(10, 'createShare', {})).toMatch(/"id" is missing/);
      await refused(70, 'createShare', { id: 'tr-999999' });
      await refused(70, 'createShare', { id: '../../etc/passwd' });
      await refused(70, 'createShare', { id: 'pl-999999' });
      await refused(70, 'updateShare', { id: 'nothing-of-the-kind' });
      const share = (await ok('createShare', { id: songId('techno-1.flac') })).shares.share[0];
      const added = sleeveHere(home, ['subsonic', 'user', 'bob'], { input: 'bob secret\n' });
      expect(added.status, added.stderr).toBe(0);
      const bob = () => tokenAuth('bob', 'bob secret');
      expect(await refused(50, 'deleteShare', { id: share.id }, bob())).toMatch(/another user's/);
      await refused(50, 'updateShare', { id: share.id, description: 'mine' }, bob());
      expect((await ok('getShares', {}, bob())).shares.share ?? []).toEqual([]);
      const bobs = (await ok('createShare', { id: songId('techno-2.flac') }, bob())).shares.share[0];
      expect((await page(bobs.url)).status).toBe(200);
      // The server's owner sees every user's shares and may revoke any.
      const listed = sleeveHere(home, ['subsonic', 'shares']);
      expect(listed.stdout).toContain(`${share.id}  alice  1 song  until `);
      const revoked = sleeveHere(home, ['subsonic', 'shares', '--revoke', share.id]);
      expect(revoked.status, revoked.stderr).toBe(0);
      expect((await page(share.url)).status).toBe(404);
      // A user removed: their links show nothing.
      const removed = sleeveHere(home, ['subsonic', 'user', 'bob', '--remove']);
      expect(removed.stdout).toContain('and their 1 share (the links show nothing now)');
      expect((await page(bobs.url)).status).toBe(404);
    });

    it('turns an address away after 20 links that are not shared, even from a real one; others go on', async () => {
      const real = (await ok('createShare', { id: songId('techno-1.flac') })).shares.share[0].url as string;
      // From an address of its own (127.0.0.5): the misses are its own, and 127.0.0.1 is left as it was.
      const from = (path: string) =>
        new Promise<{ status: number; body: string }>((done, fail) => {
          const r = request(
            { host: '127.0.0.1', port: new URL(s.url).port, path, localAddress: '127.0.0.5' },
            (res) => {
              let body = '';
              res.on('data', (d) => (body += d));
              res.on('end', () => done({ status: res.statusCode ?? 0, body }));
            },
          );
          r.on('error', fail);
          r.end();
        });
      const expired = (await ok('createShare', { id: songId('techno-1.flac') })).shares.share[0];
      s.db.prepare('UPDATE shares SET expires_at = ? WHERE id = ?').run(Date.now() - 1, expired.id);
      // An expired link opened again and again is no guess: not counted.
      for (let i = 0; i < 25; i++) expect((await from(`/share/${expired.id}`)).status).toBe(410);
      for (let i = 0; i < 20; i++) expect((await from(`/share/${'A'.repeat(20)}${i + 10}`)).status).toBe(404);
      const turned = await from(`/share/${'B'.repeat(22)}`);
      expect(turned.status).toBe(429);
      expect(turned.body).toContain('too many links that are not shared');
      expect((await from(new URL(real).pathname)).status).toBe(429);
      expect((await page(real)).status).toBe(200);
    });
  });

  describe('web clients in a browser (CORS)', () => {
    const ORIGIN = 'http://feishin.example';

    it('lets a page of any origin read every /rest/ answer, binaries and refusals too', async () => {
      const headers = { Origin: ORIGIN };
      const song = (await ok('getSong', { id: songId(`${CREDITED}.flac`) })).song;
      for (const [method, params, auth] of [
        ['ping', { f: 'json' }, tokenAuth()],
        ['ping', { f: 'json' }, { ...tokenAuth(), t: 'ef'.repeat(16) }],
        ['getCoverArt', { id: song.coverArt }, tokenAuth()],
        ['stream', { id: song.id }, tokenAuth()],
      ] as const) {
        const answer = await raw(method, params, auth, { headers });
        expect(answer.headers.get('access-control-allow-origin'), method).toBe('*');
        expect(answer.headers.get('vary'), method).toBeNull();
        await answer.arrayBuffer();
      }
    });

    it('answers a preflight with 204, the methods, the headers asked for and how long to keep it', async () => {
      const preflight = (headers: Record<string, string>) =>
        fetch(`${s.url}/rest/getTranscodeDecision.view`, {
          method: 'OPTIONS',
          headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', ...headers },
        });
      const answer = await preflight({ 'Access-Control-Request-Headers': 'content-type, x-client-name' });
      expect(answer.status).toBe(204);
      expect(await answer.text()).toBe('');
      expect(Object.fromEntries(answer.headers)).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, HEAD, OPTIONS',
        'access-control-allow-headers': 'content-type, x-client-name',
        'access-control-max-age': '86400',
      });
      expect(answer.headers.get('access-control-allow-private-network')).toBeNull();
      // Headers that are no header names are not echoed; a public page reaching a private address is let.
      const odd = await preflight({
        'Access-Control-Request-Headers': 'a b',
        'Access-Control-Request-Private-Network': 'true',
      });
      expect(odd.headers.get('access-control-allow-headers')).toBe('Content-Type, Range, Authorization');
      expect(odd.headers.get('access-control-allow-private-network')).toBe('true');
    });

    it('gives no CORS header to a share’s page, whose link is its credential', async () => {
      const share = (await ok('createShare', { id: songId('techno-0.flac') })).shares.share[0];
      try {
        for (const method of ['GET', 'OPTIONS']) {
          const answer = await fetch(`${s.url}/share/${share.id}`, { method, headers: { Origin: ORIGIN } });
          expect(answer.status, method).toBe(method === 'GET' ? 200 : 405);
          expect(answer.headers.get('access-control-allow-origin'), method).toBeNull();
          await answer.arrayBuffer();
        }
      } finally {
        await ok('deleteShare', { id: share.id });
      }
    });

    it('lets only the origins config.json names, when it names them', async () => {
      const mine = 'https://music.example.org';
      const only = await startTestSubsonic(home, { corsOrigins: [mine] });
      try {
        const from = async (origin: string, method = 'GET') => {
          const answer = await fetch(`${only.url}/rest/ping?${new URLSearchParams(tokenAuth())}`, {
            method,
            headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
          });
          await answer.arrayBuffer();
          return [answer.headers.get('access-control-allow-origin'), answer.headers.get('vary')];
        };
        expect(await from(mine)).toEqual([mine, 'Origin']);
        expect(await from(mine, 'OPTIONS')).toEqual([mine, 'Origin']);
        expect(await from(ORIGIN)).toEqual([null, 'Origin']);
        expect(await from(ORIGIN, 'OPTIONS')).toEqual([null, 'Origin']);
      } finally {
        await only.close();
      }
    });

    it('is used by a page in Chromium from another origin: a GET, and a POST of JSON after its preflight', async () => {
      const pageServer = createServer((_, res) => res.end('<!doctype html><title>web client</title>'));
      await new Promise<void>((done) => pageServer.listen(0, '127.0.0.1', done));
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`);
        const ping = `${s.url}/rest/ping?${new URLSearchParams({ ...tokenAuth(), f: 'json' })}`;
        const decide = `${s.url}/rest/getTranscodeDecision?${new URLSearchParams({
          ...tokenAuth(),
          f: 'json',
          mediaId: songId('techno-1.flac'),
          mediaType: 'song',
        })}`;
        const answers = await page.evaluate(
          async ([ping, decide]) => {
            const read = async (answer: Promise<Response>) =>
              answer.then(
                async (r) => ((await r.json()) as Answer)['subsonic-response'].status as string,
                (err: Error) => `${err.name}: ${err.message}`,
              );
            return [
              await read(fetch(ping!)),
              // A JSON body: the browser asks first (OPTIONS), then posts.
              await read(
                fetch(decide!, {
                  method: 'POST',
                  headers: { 'Content-Type': 'application/json' },
                  body: JSON.stringify({ name: 'web', platform: 'browser', maxAudioBitrate: 320_000 }),
                }),
              ),
            ];
          },
          [ping, decide],
        );
        expect(answers).toEqual(['ok', 'ok']);
      } finally {
        await browser.close();
        pageServer.close();
      }
    });
  });

  describe('what the library knows, and what it does not serve', () => {
    it("gives an album's MusicBrainz id, an artist's most played songs, the user and the token's", async () => {
      const song = (await ok('getSong', { id: songId('techno-1.flac') })).song;
      expect((await ok('getAlbumInfo2', { id: song.albumId })).albumInfo).toEqual({});
      expect((await ok('getAlbumInfo', { id: song.id })).albumInfo).toEqual({});
      expect((await ok('getTopSongs', { artist: 'techno artist' })).topSongs.song).toEqual([]);
      await ok('scrobble', {
        id: [songId('techno-2.flac'), songId('techno-2.flac'), songId('techno-1.flac')],
      });
      const top = (await ok('getTopSongs', { artist: 'techno artist', count: 5 })).topSongs.song;
      expect(top.map((x: Answer) => x.id)).toEqual([songId('techno-2.flac'), songId('techno-1.flac')]);
      // The name as a client types or speaks it.
      expect((await ok('getTopSongs', { artist: 'Techno Artist', count: 5 })).topSongs.song).toEqual(top);
      expect((await ok('getTopSongs', { artist: 'nobody' })).topSongs.song).toEqual([]);
      expect((await ok('getUser', { username: 'alice' })).user).toMatchObject({
        username: 'alice',
        streamRole: true,
        adminRole: false,
        folder: [1],
      });
      await refused(50, 'getUser', { username: 'bob' });
      expect((await ok('tokenInfo', {}, { apiKey: s.apiKey, v: '1.16.1', c: 't' })).tokenInfo).toEqual({
        username: 'alice',
      });
    });

    it('says why a music library does not serve podcasts, videos, chat, jukebox or user admin', async () => {
      for (const [method, reason] of [
        ['getPodcasts', /podcasts are not part of it/],
        ['getVideos', /holds no videos/],
        ['getChatMessages', /no chat/],
        ['jukeboxControl', /plays nothing on the server/],
        ['getAvatar', /no pictures of its users/],
        ['hls.m3u8', /holds no videos/],
      ] as const)
        expect(await refused(70, method), method).toMatch(reason);
      // Not authorized, as a user who is no administrator is told.
      for (const method of ['getUsers', 'createUser', 'changePassword'])
        expect(await refused(50, method), method).toMatch(/sleeve subsonic user/);
      expect(await refused(70, 'getFrobnications')).toBe('Sleeve does not implement getFrobnications');
    });
  });

  describe('internet radio', () => {
    it('lists the stations added on the server, and says where to change them', async () => {
      expect((await ok('getInternetRadioStations')).internetRadioStations).toEqual({
        internetRadioStation: [],
      });
      const added = sleeveHere(home, [
        'subsonic',
        'radio',
        'Radio Paradise',
        'https://stream.example/rp.flac',
      ]);
      expect(added.status, added.stderr).toBe(0);
      const id = /station (\d+)/.exec(added.stdout)?.[1];
      expect(
        sleeveHere(home, [
          'subsonic',
          'radio',
          'Local',
          'http://10.0.0.5:8000/live',
          '--homepage',
          'http://10.0.0.5/',
        ]).status,
      ).toBe(0);
      // Only http and https: a client is never handed a file or a script to open.
      const bad = sleeveHere(home, ['subsonic', 'radio', 'Disk', 'file:///etc/passwd']);
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain('not an http or https address');
      const stations = (await ok('getInternetRadioStations')).internetRadioStations.internetRadioStation;
      expect(stations).toEqual([
        {
          id: expect.any(String),
          name: 'Local',
          streamUrl: 'http://10.0.0.5:8000/live',
          homePageUrl: 'http://10.0.0.5/',
        },
        { id, name: 'Radio Paradise', streamUrl: 'https://stream.example/rp.flac' },
      ]);
      expect(sleeveHere(home, ['subsonic', 'radio']).stdout).toContain('Radio Paradise');
      for (const method of [
        'createInternetRadioStation',
        'updateInternetRadioStation',
        'deleteInternetRadioStation',
      ])
        expect(await refused(50, method, { id: id!, name: 'x', streamUrl: 'https://x.example/' })).toMatch(
          /sleeve subsonic radio NAME URL/,
        );
      expect(sleeveHere(home, ['subsonic', 'radio', '--remove', id!]).status).toBe(0);
      expect(sleeveHere(home, ['subsonic', 'radio', '--remove', stations[0].id]).status).toBe(0);
      expect((await ok('getInternetRadioStations')).internetRadioStations).toEqual({
        internetRadioStation: [],
      });
    });
  });

  describe('lyrics', () => {
    it("gives a song's lyrics from its tags and from an .lrc beside it, synced where they are", async () => {
      const id = songId('techno-2.flac');
      expect((await ok('getLyricsBySongId', { id })).lyricsList).toEqual({ structuredLyrics: [] });
      const set = sleeveHere(home, ['set', 'path:techno-2.flac', 'lyrics=Night drive\n\nMachines hum', '-y']);
      expect(set.status, set.stderr).toBe(0);
      const lrc = join(music, 'techno-2.lrc');
      writeFileSync(lrc, '[ti:techno-2]\n[offset:-100]\n[00:01.00]Night drive\n[00:04.50]Machines hum\n');
      try {
        const list = (await ok('getLyricsBySongId', { id })).lyricsList.structuredLyrics;
        expect(list).toEqual([
          {
            displayArtist: 'techno artist',
            displayTitle: 'techno-2',
            lang: 'und',
            offset: 0,
            synced: false,
            line: [{ value: 'Night drive' }, { value: '' }, { value: 'Machines hum' }],
          },
          {
            displayArtist: 'techno artist',
            displayTitle: 'techno-2',
            lang: 'und',
            offset: -100,
            synced: true,
            line: [
              { start: 1000, value: 'Night drive' },
              { start: 4500, value: 'Machines hum' },
            ],
          },
        ]);
        const legacy = (await ok('getLyrics', { artist: 'TECHNO ARTIST', title: 'techno-2' })).lyrics;
        expect(legacy).toEqual({
          artist: 'techno artist',
          title: 'techno-2',
          value: 'Night drive\n\nMachines hum',
        });
        expect((await ok('getLyrics', { artist: 'nobody', title: 'techno-2' })).lyrics).toEqual({
          value: '',
        });
      } finally {
        rmSync(lrc);
        expect(sleeveHere(home, ['undo']).status).toBe(0);
      }
    });
  });

  describe('bounds a client cannot push past', () => {
    it('takes a search of 200,000 repeated words as one word, and refuses more than 32 different ones', async () => {
      // 1.4 MB of words: in a form body (formPost), as a URL cannot hold them.
      const form = new URLSearchParams({
        ...tokenAuth(),
        f: 'json',
        songCount: '500',
        query: Array(200_000).fill('techno').join(' '),
      });
      const r = (
        (await (
          await fetch(`${s.url}/rest/search3`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: form,
          })
        ).json()) as Answer
      )['subsonic-response'].searchResult3;
      expect(r.song.map((x: Answer) => x.title).sort()).toEqual(['techno-0', 'techno-1', 'techno-2']);
      const many = Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ');
      expect(await refused(0, 'search3', { query: many })).toBe('a search holds at most 32 different words');
    });

    it('keeps an address that trickles its headers to half the connections: another address is answered', async () => {
      const { port } = new URL(s.url);
      const trickling: Socket[] = [];
      const closed: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) {
        const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress: '127.0.0.3' });
        closed.push(new Promise((done) => socket.once('close', () => done())));
        socket.on('error', () => {});
        socket.write('GET /rest/ping HTTP/1.1\r\nHost: x\r\n');
        trickling.push(socket);
      }
      try {
        // Those past 32 are closed at once; the first 32 wait on their headers.
        const gone = await Promise.all(closed.slice(32));
        expect(gone).toHaveLength(8);
        const answer = await new Promise<string>((done, reject) => {
          const q = new URLSearchParams({ ...tokenAuth(), f: 'json' });
          request(
            { host: '127.0.0.1', port: Number(port), path: `/rest/ping?${q}`, localAddress: '127.0.0.4' },
            (res) => {
              let text = '';
              res.on('data', (c) => (text += c));
              res.on('end', () => done(text));
            },
          )
            .on('error', reject)
            .end();
        });
        expect(JSON.parse(answer)['subsonic-response'].status).toBe('ok');
        expect(trickling.slice(0, 32).every((x) => !x.destroyed)).toBe(true);
      } finally {
        for (const x of trickling) x.destroy();
      }
    });
  });

  describe('the contract', () => {
    it('serves every method the description names, or says why a music library does not', async () => {
      const methods = describedMethods();
      expect(methods.length).toBeGreaterThan(80);
      const unknown: string[] = [];
      // An id of nothing: whatever a method would change, it finds nothing to change (a scan it would start).
      for (const method of methods.filter((m) => m !== 'startScan')) {
        const answer = await raw(method, { f: 'json', id: 'tr-999999999' });
        const text = await answer.text();
        const name = method.replace(/\.m3u8$/, ''); // HLS's playlist is asked as hls.m3u8
        if (text.includes(`Sleeve does not implement ${name}`) || answer.status === 404) unknown.push(method);
      }
      expect(unknown).toEqual([]);
    });

    it("validates every JSON answer against the OpenSubsonic API's own OpenAPI description", async () => {
      const contract = new OpenSubsonicContract();
      const artists = (await ok('getArtists')).artists.index.flatMap((i: Answer) => i.artist);
      const techno = artists.find((a: Answer) => a.name === 'techno artist').id;
      const song = (await ok('getSong', { id: songId('techno-1.flac') })).song;
      const other = songId('techno-2.flac');
      const list = (await ok('createPlaylist', { name: 'Contract', songId: [song.id, other] })).playlist.id;
      const shared = (await ok('createShare', { id: song.id })).shares.share[0].id;
      const calls: Array<[string, Query, Record<string, string>?]> = [
        ['ping', {}],
        ['getLicense', {}],
        ['getOpenSubsonicExtensions', {}],
        ['getMusicFolders', {}],
        ['getIndexes', {}],
        ['getMusicDirectory', { id: 1 }],
        ['getMusicDirectory', { id: techno }],
        ['getMusicDirectory', { id: song.albumId }],
        ['getArtists', {}],
        ['getArtist', { id: techno }],
        ['getAlbum', { id: song.albumId }],
        ['getSong', { id: song.id }],
        ['getGenres', {}],
        ['getAlbumList', { type: 'newest' }],
        ['getAlbumList2', { type: 'alphabeticalByArtist' }],
        ['getRandomSongs', { size: 3 }],
        ['getSongsByGenre', { genre: 'techno' }],
        ['search2', { query: 'techno' }],
        ['search3', { query: 'techno' }],
        ['star', { id: song.id, albumId: song.albumId, artistId: techno }],
        ['getStarred', {}],
        ['getStarred2', {}],
        ['unstar', { id: song.id, albumId: song.albumId, artistId: techno }],
        ['setRating', { id: song.id, rating: 4 }],
        ['scrobble', { id: song.id, submission: 'false' }],
        ['reportPlayback', { mediaId: song.id, mediaType: 'song', positionMs: 0, state: 'starting' }],
        ['getNowPlaying', {}],
        ['reportPlayback', { mediaId: song.id, mediaType: 'song', positionMs: 0, state: 'stopped' }],
        ['getPlaylists', {}],
        ['getPlaylist', { id: list }],
        ['updatePlaylist', { playlistId: list, name: 'Contract 2' }],
        ['deletePlaylist', { id: list }],
        ['getSimilarSongs', { id: song.id, count: 2 }],
        ['getSimilarSongs2', { id: song.id, count: 2 }],
        ['getSonicSimilarTracks', { id: song.id, count: 2 }],
        ['findSonicPath', { startSongId: song.id, endSongId: other, count: 4 }],
        ['getArtistInfo', { id: techno }],
        ['getArtistInfo2', { id: techno }],
        ['getAlbumInfo', { id: song.albumId }],
        ['getAlbumInfo2', { id: song.albumId }],
        ['getTopSongs', { artist: 'techno artist' }],
        ['getUser', { username: 'alice' }],
        ['tokenInfo', {}, { apiKey: s.apiKey, v: '1.16.1', c: 't' }],
        ['getScanStatus', {}],
        ['getLyrics', { artist: 'techno artist', title: 'techno-1' }],
        ['getLyricsBySongId', { id: song.id }],
        ['getPlayQueue', {}],
        ['savePlayQueue', { id: [song.id, other], current: other, position: 1000 }],
        ['getPlayQueue', {}],
        ['savePlayQueueByIndex', { id: [song.id, other], currentIndex: 0 }],
        ['getPlayQueueByIndex', {}],
        ['createBookmark', { id: song.id, position: 1000, comment: 'here' }],
        ['getBookmarks', {}],
        ['deleteBookmark', { id: song.id }],
        ['getSong', { id: 'tr-999999' }],
        ['getPodcasts', {}],
        ['getInternetRadioStations', {}],
        ['search', { artist: 'techno', count: 2 }],
        ['createShare', { id: [song.albumId, list], description: 'Contract', expires: Date.now() + 60_000 }],
        ['getShares', {}],
        ['updateShare', { id: shared, description: 'Contract 2' }],
        ['deleteShare', { id: shared }],
      ];
      const wrong: Record<string, string[]> = {};
      // The same call in XML, where asking again changes nothing (and the answer is not drawn at random).
      const again = (method: string) =>
        /^(get|search|ping|tokenInfo)/.test(method) && method !== 'getRandomSongs';
      const inXml: Array<{ call: string; json: Answer; xml: string }> = [];
      for (const [method, params, auth] of calls) {
        const call = `${method} ${JSON.stringify(params)}`;
        const body = (await (
          await raw(method, { f: 'json', ...params }, auth ?? tokenAuth())
        ).json()) as Answer;
        const problems = contract.check(method, body);
        if (problems.length > 0) wrong[call] = problems;
        if (again(method))
          inXml.push({
            call,
            json: body,
            xml: await (await raw(method, params, auth ?? tokenAuth())).text(),
          });
      }
      await ok('savePlayQueue', {});
      await ok('setRating', { id: song.id, rating: 0 });
      expect(wrong).toEqual({});
      // Every XML answer parses strictly and says what its JSON twin says.
      const said = xmlSays(inXml.map((x) => x.xml));
      const differ = inXml.flatMap((x, i) => {
        const json = asJsonSays(x.json['subsonic-response']);
        return isDeepStrictEqual(json, said[i]) ? [] : [{ call: x.call, json, xml: said[i] }];
      });
      expect(inXml.length).toBeGreaterThan(40);
      expect(differ).toEqual([]);
    });
  });

  describe('scans and XML', () => {
    it("starts Sleeve's scan of the library's folders and reports it", async () => {
      const started = (await ok('startScan')).scanStatus;
      expect(typeof started.scanning).toBe('boolean');
      await expect.poll(async () => (await ok('getScanStatus')).scanStatus.scanning).toBe(false);
      expect((await ok('getScanStatus')).scanStatus).toEqual({ scanning: false, count: 13 });
    });

    it('answers XML that parses, with the protocol namespace and errors', async () => {
      const xml = await (
        await raw('getAlbum', { id: (await ok('getSong', { id: songId(`${CREDITED}.flac`) })).song.albumId })
      ).text();
      const parsed = execFileSync(
        '/usr/bin/python3',
        [
          '-c',
          `import sys, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
r = d.documentElement
c = r.getElementsByTagName('contributors')[2]
print(r.namespaceURI, r.getAttribute('status'), len(r.getElementsByTagName('song')), c.getAttribute('role'), c.getAttribute('subRole'), c.getElementsByTagName('artist')[0].getAttribute('name'))`,
        ],
        { input: xml },
      )
        .toString()
        .trim();
      expect(parsed).toBe('http://subsonic.org/restapi ok 1 performer piano Piet Pianist');
      const error = await (await raw('getSong', { id: 'nope' })).text();
      expect(error).toMatch(
        /<subsonic-response xmlns="http:\/\/subsonic.org\/restapi" status="failed"[^>]*><error code="70" message="&quot;nope&quot; is not the id of a song of this server"\/>/,
      );
    });
  });
});

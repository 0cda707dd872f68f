// Media servers told of a mount's changes (`sleeve players`, issue 65): a real mpd with auto_update off,
// which learns of an edit only through its protocol's `update`; fixture servers written from Jellyfin's,
// Plex's and the Subsonic API's documentation, which record what they were sent; one server that is down.
// Keys and passwords stay in a file only its owner reads, and never reach a log.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, run } from '../fixtures/library.ts';
import { freePort, type Mpd, startMpd } from '../fixtures/media-servers.ts';
import { sleeveAsync, sleeveHere } from '../helpers.ts';
import { TestMount, waitFor } from '../mount-helpers.ts';

interface Heard {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

describe('sleeve players: media servers told of the mount’s changes', () => {
  const t = new TestMount();
  const heard: Heard[] = [];
  let http: Server;
  let base = '';
  let mpd: Mpd;
  const mpc = (...args: string[]) => mpd.mpc(...args);

  beforeAll(async () => {
    for (const [i, title] of ['First', 'Second'].entries()) {
      const wav = join(t.dir, `${i}.wav`);
      makeWav(wav, 300 + 80 * i);
      const tags = { artist: 'Told Band', album: 'Told', title, track: String(i + 1), date: '2002' };
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
    // Jellyfin, Plex and a Subsonic server in one: each request recorded, answered as the API documents.
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const url = new URL(req.url ?? '/', base);
        heard.push({ method: req.method ?? '', url, headers: req.headers, body });
        if (url.pathname === '/rest/startScan.view') {
          const ok = url.searchParams.get('u') === 'navi';
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              'subsonic-response': ok
                ? { status: 'ok', version: '1.16.1', scanStatus: { scanning: true } }
                : { status: 'failed', error: { code: 40, message: 'Wrong username or password' } },
            }),
          );
        } else if (url.pathname === '/Library/Media/Updated') {
          res.statusCode = req.headers['x-emby-token'] === 'jelly-key' ? 204 : 401;
          res.end();
        } else {
          res.statusCode = req.headers['x-plex-token'] === 'plex-token' ? 200 : 401;
          res.end();
        }
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    // A real mpd on the mount that does not watch it: only an `update` tells it.
    mpd = await startMpd(t.mnt, join(t.dir, 'mpd'));
    const add = (...args: string[]) => {
      const r = sleeveHere(t.home, ['players', 'add', ...args]);
      expect(r.status, r.stderr).toBe(0);
    };
    add('mpd', `127.0.0.1:${mpd.port}`);
    add('jellyfin', base, '--key', 'jelly-key', '--root', '/srv/music');
    add('plex', base, '--token', 'plex-token', '--section', '3');
    add('subsonic', base, '--user', 'navi', '--password', 'sub-secret');
  });

  afterAll(async () => {
    await mpd?.stop();
    await new Promise((r) => http?.close(r));
    t.stop();
  });

  it('keeps the players readable by their owner only, and lists them without their secrets', () => {
    expect(statSync(join(t.home, 'players.json')).mode & 0o777).toBe(0o600);
    const listed = sleeveHere(t.home, ['players']).stdout;
    expect(listed).toContain(`1  mpd at 127.0.0.1:${mpd.port}`);
    expect(listed).toContain(`2  Jellyfin at ${base}`);
    for (const secret of ['jelly-key', 'plex-token', 'sub-secret']) expect(listed).not.toContain(secret);
  });

  it('tells each server the folders an edit changed, by its own API', async () => {
    heard.length = 0;
    expect(sleeveHere(t.home, ['set', 'path:1.flac', 'title=Told', '-y']).status).toBe(0);
    // mpd follows only what it is told: the moved file under its new name.
    await waitFor('mpd to know the new title', () =>
      mpc('-f', '%file%', 'find', 'title', 'Told').includes('Told Band/Told (2002)/01 Told.flac')
        ? true
        : undefined,
    );
    await waitFor('the three HTTP servers to be told', () =>
      ['/Library/Media/Updated', '/library/sections/3/refresh', '/rest/startScan.view'].every((p) =>
        heard.some((h) => h.url.pathname === p),
      )
        ? true
        : undefined,
    );
    const jelly = heard.find((h) => h.url.pathname === '/Library/Media/Updated')!;
    expect(jelly.method).toBe('POST');
    expect(JSON.parse(jelly.body)).toEqual({
      Updates: [{ Path: '/srv/music/Told Band/Told (2002)', UpdateType: 'Modified' }],
    });
    const plex = heard.find((h) => h.url.pathname === '/library/sections/3/refresh')!;
    expect(plex.url.searchParams.get('path')).toBe(join(t.mnt, 'Told Band/Told (2002)'));
    expect(plex.headers['x-plex-token']).toBe('plex-token');
    const sub = heard.find((h) => h.url.pathname === '/rest/startScan.view')!;
    const salt = sub.url.searchParams.get('s')!;
    expect(sub.url.searchParams.get('t')).toBe(createHash('md5').update(`sub-secret${salt}`).digest('hex'));
    expect(sub.url.searchParams.has('p')).toBe(false); // never the password itself
  });

  it('says when a server is down or refuses, and tells the others all the same', async () => {
    const closed = await freePort();
    expect(sleeveHere(t.home, ['players', 'add', 'mpd', `127.0.0.1:${closed}`]).status).toBe(0);
    expect(
      sleeveHere(t.home, ['players', 'add', 'subsonic', base, '--user', 'nobody', '--password', 'x']).status,
    ).toBe(0);
    // Asynchronously: the fixture servers answer from this process.
    const tested = await sleeveAsync(t.home, ['players', 'test']);
    expect(tested.status).toBe(1);
    expect(tested.stderr).toContain(`mpd at 127.0.0.1:${closed} cannot be reached (ECONNREFUSED)`);
    expect(tested.stderr).toContain('refused: Wrong username or password');
    expect(tested.stdout).toContain(`mpd at 127.0.0.1:${mpd.port}: told`);
    heard.length = 0;
    expect(sleeveHere(t.home, ['set', 'path:2.flac', 'title=Still Told', '-y']).status).toBe(0);
    await waitFor('mpd to be told though another player is down', () =>
      mpc('-f', '%file%', 'find', 'title', 'Still Told').includes('02 Still Told.flac') ? true : undefined,
    );
    await waitFor('the report to say which server is down', () =>
      t.log().includes(`mpd at 127.0.0.1:${closed} cannot be reached`) ? true : undefined,
    );
    for (const secret of ['jelly-key', 'plex-token', 'sub-secret']) expect(t.log()).not.toContain(secret);
    expect(readFileSync(join(t.home, 'players.json'), 'utf8')).toContain('jelly-key');
    expect(sleeveHere(t.home, ['players', 'remove', '5']).status).toBe(0);
    expect(sleeveHere(t.home, ['players', 'remove', '5']).status).toBe(0);
  });
});

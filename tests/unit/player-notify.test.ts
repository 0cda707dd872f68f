// The mpd client of `sleeve players` against a fake mpd speaking its protocol (a line a command, "OK" or
// "ACK …" after each): the greeting checked, the password sent first, every folder updated in one command
// list with quotes and backslashes escaped, a path with a line break never sent as one, a refusal said
// with mpd's reason, and something that is not mpd refused. Jellyfin and Plex fixture servers receive
// folders with odd characters exactly; a server that hangs holds back neither the notifier nor another.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlayerNotifier } from '../../app/core/mounts/player-notifier.ts';
import { tellPlayer } from '../../app/core/mounts/player-notify.ts';
import { type Player, PlayersError, readPlayers } from '../../app/core/mounts/players.ts';
import { waitFor } from '../mount-helpers.ts';

let server: Server | undefined;

/** A fake mpd: greets with `greeting`, records each line, answers by `answer`. */
async function fakeMpd(greeting: string, answer: (line: string) => string | undefined) {
  const lines: string[] = [];
  server = createServer((socket: Socket) => {
    socket.write(`${greeting}\n`);
    let buf = '';
    let inList = false;
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line === 'command_list_begin') inList = true;
        else if (line === 'command_list_end') {
          inList = false;
          socket.write(answer(line) ?? 'updating_db: 7\nOK\n');
        } else if (!inList) socket.write(answer(line) ?? 'OK\n');
      }
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, lines };
}

afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

const mpd = (port: number, extra: Record<string, unknown> = {}) =>
  ({ kind: 'mpd', host: '127.0.0.1', port, root: '', ...extra }) as const;

describe('telling mpd', () => {
  it('sends the password, then every folder in one command list, quoted', async () => {
    const { port, lines } = await fakeMpd('OK MPD 0.23.5', () => undefined);
    await tellPlayer(
      mpd(port, { password: 'se"cret', root: 'lib' }),
      ['Band/Say "Hi" (2001)', 'a\\b', ''],
      '/m',
    );
    expect(lines).toEqual([
      'password "se\\"cret"',
      'command_list_begin',
      'update "lib/Band/Say \\"Hi\\" (2001)"',
      'update "lib/a\\\\b"',
      'update "lib"',
      'command_list_end',
    ]);
  });

  it('updates the whole library rather than send a path with a line break', async () => {
    const { port, lines } = await fakeMpd('OK MPD 0.23.5', () => undefined);
    await tellPlayer(mpd(port, { root: 'x\nkill' }), ['Band'], '/m');
    expect(lines).toEqual(['command_list_begin', 'update', 'command_list_end']);
  });

  it("says mpd's reason when it refuses, and refuses a server that is not mpd", async () => {
    const refusing = await fakeMpd('OK MPD 0.23.5', (l) =>
      l.startsWith('password') ? 'ACK [3@0] {password} incorrect password\n' : undefined,
    );
    await expect(tellPlayer(mpd(refusing.port, { password: 'no' }), [''], '/m')).rejects.toThrow(
      `mpd at 127.0.0.1:${refusing.port} refused: [3@0] {password} incorrect password`,
    );
    await new Promise((r) => server!.close(r));
    const other = await fakeMpd('SSH-2.0-OpenSSH_9.2', () => undefined);
    await expect(tellPlayer(mpd(other.port), [''], '/m')).rejects.toThrow(
      'is not mpd (it said "SSH-2.0-OpenSSH_9.2")',
    );
  });
});

describe('the players file', () => {
  it('is refused with its reason when it is damaged, never an internal error', () => {
    const home = mkdtempSync(join(tmpdir(), 'sleeve-players-'));
    writeFileSync(join(home, 'players.json'), '{"players": [');
    expect(() => readPlayers(home)).toThrow(PlayersError);
    expect(() => readPlayers(home)).toThrow(/players\.json cannot be read/);
    writeFileSync(
      join(home, 'players.json'),
      '{"players": [{"kind": "mpd", "host": "", "port": 0, "root": ""}]}',
    );
    expect(() => readPlayers(home)).toThrow(/is not a list of players/);
  });
});

/** An HTTP server recording each request's method, path and query, and body; answers 204. */
async function fakeHttp() {
  const heard: Array<{ url: URL; body: string }> = [];
  const http = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      heard.push({ url: new URL(req.url ?? '/', 'http://x'), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { url, heard, close: () => new Promise((r) => http.close(r)) };
}

const ODD = 'Odd & Co/Why? #1 100% "q" +plus/Ünï 日本';

describe('telling HTTP servers', () => {
  it('sends a folder with odd characters exactly, to Jellyfin in JSON and to Plex in its query', async () => {
    const h = await fakeHttp();
    try {
      await tellPlayer({ kind: 'jellyfin', url: h.url, key: 'k', root: '/srv/m' }, [ODD], '/m');
      await tellPlayer({ kind: 'plex', url: h.url, token: 't', section: 3, root: '' }, [ODD], '/m');
      const [jelly, plex] = h.heard;
      expect(JSON.parse(jelly!.body).Updates[0].Path).toBe(`/srv/m/${ODD}`);
      expect(plex!.url.pathname).toBe('/library/sections/3/refresh');
      expect(plex!.url.searchParams.get('path')).toBe(`/m/${ODD}`);
    } finally {
      await h.close();
    }
  });

  it('scans a Plex section whole rather than send one request per folder of a wide change', async () => {
    const h = await fakeHttp();
    try {
      const folders = Array.from({ length: 200 }, (_, i) => `Band ${i}`);
      await tellPlayer({ kind: 'plex', url: h.url, token: 't', section: 3, root: '' }, folders, '/m');
      expect(h.heard.map((r) => `${r.url.pathname}${r.url.search}`)).toEqual(['/library/sections/3/refresh']);
    } finally {
      await h.close();
    }
  });
});

describe('the notifier', () => {
  it('tells a server each change while another hangs without answering', async () => {
    const held: Socket[] = [];
    const hung = createServer((s) => held.push(s)); // accepts, never greets
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const h = await fakeHttp();
    const problems: string[] = [];
    const players: Player[] = [
      mpd((hung.address() as AddressInfo).port),
      { kind: 'jellyfin', url: h.url, key: 'k', root: '/srv' },
    ];
    const notifier = new PlayerNotifier(
      '/m',
      (l) => problems.push(l),
      () => players,
    );
    const told = () =>
      h.heard.flatMap((r) => JSON.parse(r.body).Updates.map((u: { Path: string }) => u.Path));
    try {
      notifier.changed(['A/1.flac']);
      await waitFor('the first change told', () => told().includes('/srv/A') || undefined, 5000);
      // The hung mpd is still being told the first change (its deadline is 10 s): the second change
      // reaches Jellyfin all the same.
      notifier.changed(['B/2.flac']);
      await waitFor('the second change told', () => told().includes('/srv/B') || undefined, 5000);
      expect(problems).toEqual([]);
    } finally {
      for (const s of held) s.destroy();
      hung.close();
      await h.close();
    }
  });
});

// The backend over real HTTP and WebSocket: access checks, the contract's validation, windowed queries,
// tag edits and undo shared with the CLI, scans with progress events, media with Range, art caching.
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { catchUp } from '../../app/core/library/derivation.ts';
import type { RunningServer } from '../../app/server/server.ts';
import { type EventData, type EventName, TABLE_TAGS } from '../../app/shared/rpc-contract.ts';
import { RpcCallError, RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { copyFixtures, hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A raw socket: for messages the typed client would never send. */
function rawSocket(
  server: RunningServer,
  options: { origin?: string; token?: string } = {},
): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${options.token ?? server.token}`, {
    origin: options.origin,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function exchange(
  ws: WebSocket,
  text: string,
): Promise<{ id: number; ok: boolean; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    // The answer: events (the watcher's, a scan's) come whenever they happen, and are not it.
    const onMessage = (data: unknown) => {
      const message = JSON.parse(String(data));
      if ('event' in message) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

function nextEvent<E extends EventName>(
  client: RpcClient,
  event: E,
  accept: (d: EventData<E>) => boolean = () => true,
) {
  return new Promise<EventData<E>>((resolve) => {
    const off = client.on(event, (data) => {
      if (accept(data)) {
        off();
        resolve(data);
      }
    });
  });
}

describe('backend server', () => {
  let music: string;
  let homeDir: string;
  let backend: TestBackend;
  let server: RunningServer;
  let client: RpcClient;
  let before: Map<string, string>;
  const logged: string[] = [];

  beforeAll(async () => {
    music = copyFixtures();
    before = hashTree(music);
    homeDir = join(tempDir(), 'home');
    expect(sleeveHere(homeDir, ['scan', music, '--no-fingerprint', '--no-embeddings']).status).toBe(0);
    const rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sleeve test page</title>');
    backend = await startBackend(homeDir, rendererDir, { watchMs: 50, log: (l) => logged.push(l) });
    server = backend.server;
    client = new RpcClient(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
  });

  afterAll(async () => {
    client?.close();
    await backend?.close();
  });

  describe('access', () => {
    it('refuses requests without the token or with a wrong one', async () => {
      expect((await get(server.port, '/')).status).toBe(401);
      expect((await get(server.port, '/media/1')).status).toBe(401);
      expect((await get(server.port, '/?token=nope')).status).toBe(401);
      expect((await get(server.port, '/', { Authorization: 'Bearer nope' })).status).toBe(401);
      await expect(rawSocket(server, { token: 'nope' })).rejects.toThrow('HTTP 401');
    });

    it('serves the page with the token and sets the cookie that later requests use', async () => {
      const page = await get(server.port, `/?token=${server.token}`);
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain('Sleeve test page');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      const cookie = String(page.headers['set-cookie']).split(';')[0]!;
      // Named by the port: a second backend's (another --home) would otherwise replace it in the browser.
      expect(cookie).toBe(`sleeve_token_${server.port}=${server.token}`);
      expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
      const other = `sleeve_token_${server.port + 1}=another`;
      const bare = await get(server.port, '/somewhere/in/the/app', { Cookie: `${other}; ${cookie}` });
      expect(bare.status).toBe(200);
      expect((await get(server.port, '/somewhere', { Cookie: other })).status).toBe(401);
      // A tab opened on the bare URL learns the token from the page, to open /rpc with it.
      expect(bare.body.toString()).toContain(`<meta name="sleeve-token" content="${server.token}">`);
      // Cookies ignore ports: another local site could use the cookie, so the API never accepts it.
      expect((await get(server.port, '/media/1', { Cookie: cookie })).status).toBe(401);
      expect((await get(server.port, '/art/00', { Cookie: cookie })).status).toBe(401);
      expect((await get(server.port, '/upload', { Cookie: cookie }, 'POST')).status).toBe(401);
      expect((await get(server.port, `/upload?token=${server.token}`)).status).toBe(405);
    });

    it('refuses other Host names (DNS rebinding) and other origins', async () => {
      const r = await get(server.port, `/?token=${server.token}`, { Host: `evil.example:${server.port}` });
      expect(r.status).toBe(403);
      expect(r.body.toString()).toMatch(/DNS rebinding/);
      const o = await get(server.port, `/?token=${server.token}`, { Origin: 'http://evil.example' });
      expect(o.status).toBe(403);
      // An export's link is its own credential (no token), yet only this backend's Host reaches it; an
      // unknown one is not found.
      const exported = '/export/0b6f5c1e-2a8d-4c3b-9e7f-1d2c3b4a5f60';
      expect((await get(server.port, exported, { Host: `evil.example:${server.port}` })).status).toBe(403);
      expect((await get(server.port, exported)).status).toBe(404);
      await expect(rawSocket(server, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
      const own = await rawSocket(server, { origin: `http://127.0.0.1:${server.port}` });
      own.close();
    });

    it('keeps the static files inside the app folder', async () => {
      const auth = { Authorization: `Bearer ${server.token}` };
      for (const path of ['/..%2f..%2f..%2fetc%2fpasswd', '/a%2f..%2f..%2f..%2fetc%2fpasswd', '/a%00b']) {
        const r = await get(server.port, path, auth);
        expect(r.status, path).toBe(400);
      }
      // Dot segments are resolved by URL parsing before any file lookup: this is the app page, not /etc.
      const dots = await get(server.port, '/%2e%2e/%2e%2e/etc/passwd', auth);
      expect(dots.body.toString()).toContain('Sleeve test page');
      expect((await get(server.port, '/assets/missing.js', auth)).status).toBe(404);
      expect((await get(server.port, '/', auth, 'POST')).status).toBe(405);
    });
  });

  describe('RPC validation', () => {
    it('answers malformed messages with specific errors and keeps the connection', async () => {
      const ws = await rawSocket(server);
      expect(await exchange(ws, 'not json')).toMatchObject({
        id: 0,
        ok: false,
        error: { code: 'bad_request', message: 'the message is not valid JSON' },
      });
      expect(await exchange(ws, JSON.stringify({ id: 7, method: 'nope', params: {} }))).toMatchObject({
        id: 7,
        error: { code: 'bad_request', message: 'unknown method "nope"' },
      });
      const badParams = await exchange(
        ws,
        JSON.stringify({
          id: 8,
          method: 'library.page',
          params: { query: '', sort: null, offset: -1, limit: 100000 },
        }),
      );
      expect(badParams.error?.message).toMatch(
        /invalid parameters for library.page: params.offset: .*; params.limit: /,
      );
      const extra = await exchange(
        ws,
        JSON.stringify({ id: 9, method: 'history.list', params: { limit: 5, drop: 'table' } }),
      );
      expect(extra.error?.message).toMatch(/Unrecognized key.*drop/i);
      // A tag column is a field name, not SQL; and a track to reveal or a batch to list is an id.
      const badColumn = await exchange(
        ws,
        JSON.stringify({
          id: 11,
          method: 'library.page',
          params: { query: '', sort: null, offset: 0, limit: 10, columns: ["x') OR 1=1 --"] },
        }),
      );
      expect(badColumn.error?.message).toMatch(
        /params\.columns\.0: a field name is letters, digits and underscores/,
      );
      for (const [method, params] of [
        ['track.reveal', { id: '../etc' }],
        ['history.changes', { batchId: 0, offset: 0, limit: 10 }],
        ['scan.removeRoot', { path: '' }],
      ] as const) {
        const r = await exchange(ws, JSON.stringify({ id: 12, method, params }));
        expect(r.error?.code, method).toBe('bad_request');
      }
      const noId = await exchange(ws, JSON.stringify({ method: 'library.stats' }));
      expect(noId).toMatchObject({ id: 0, error: { code: 'bad_request' } });
      expect(noId.error?.message).toMatch(/request\.id/);
      expect(
        await exchange(ws, JSON.stringify({ id: 10, method: 'library.stats', params: {} })),
      ).toMatchObject({ id: 10, ok: true });
      ws.close();
    });

    it('reports a query syntax error with its position', async () => {
      const err = await client
        .call('library.page', { query: 'artist:"unclosed', sort: null, offset: 0, limit: 10 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcCallError);
      expect(err).toMatchObject({ code: 'bad_request', position: { start: 7, length: 9 } });
      expect((err as Error).message).toMatch(/unclosed " quote/);
      // A mistyped field: where it is, and the closest names to put there, as the app offers them.
      const field = await client
        .call('library.page', { query: 'year:2000 artsit:x', sort: null, offset: 0, limit: 10 })
        .catch((e: unknown) => e);
      expect(field).toMatchObject({
        code: 'bad_request',
        position: { start: 10, length: 6, replacements: ['artist'] },
      });
    });

    it('says what is missing: an unknown track, an unknown field, a bad value, an empty selection', async () => {
      await expect(client.call('track.details', { id: 999999 })).rejects.toMatchObject({ code: 'not_found' });
      const { preview } = await client.call('tags.summary', { target: { kind: 'ids', ids: [1] } });
      await expect(
        client.call('tags.edit', {
          preview,
          changes: [{ key: 'no_such_field', values: ['x'], loadedFrom: preview }],
        }),
      ).rejects.toMatchObject({
        code: 'bad_request',
        message: expect.stringMatching(/unknown field "no_such_field"/),
      });
      await expect(
        client.call('tags.edit', {
          preview,
          changes: [{ key: 'date', values: ['yesterday'], loadedFrom: preview }],
        }),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/date must be YYYY, YYYY-MM or YYYY-MM-DD/),
      });
      const gone = await client.call('tags.summary', { target: { kind: 'ids', ids: [999999] } });
      await expect(
        client.call('tags.edit', {
          preview: gone.preview,
          changes: [{ key: 'album', values: ['x'], loadedFrom: gone.preview }],
        }),
      ).rejects.toMatchObject({ message: expect.stringMatching(/selection has no tracks/) });
      await expect(
        client.call('tags.edit', {
          preview: 'never-shown',
          changes: [{ key: 'album', values: ['x'], loadedFrom: 'never-shown' }],
        }),
      ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/preview again/) });
      expect(logged.filter((l) => l.startsWith('internal error'))).toEqual([]);
    });
  });

  describe('library queries', () => {
    it('pages through a sorted query with only the table tags, consistent with the id windows', async () => {
      const first = await client.call('library.page', {
        query: '',
        sort: { field: 'title', descending: false },
        offset: 0,
        limit: 5,
      });
      // A new query's first rows come before its count.
      expect(first.total).toBeNull();
      expect((await client.call('library.count', { query: '' })).total).toBe(14);
      // Counted once (on the counts' own reader), the same list in another order starts counted.
      const resorted = await client.call('library.page', {
        query: '',
        sort: { field: 'title', descending: true },
        offset: 0,
        limit: 5,
      });
      expect(resorted.total).toBe(14);
      const short = await client.call('library.page', {
        query: 'artist:alpha',
        sort: null,
        offset: 0,
        limit: 5,
      });
      expect(short.total).toBe(3); // a window that is not full tells the total itself
      expect(first.rows).toHaveLength(5);
      const second = await client.call('library.page', {
        query: '',
        sort: { field: 'title', descending: false },
        offset: 5,
        limit: 5,
      });
      const titles = [...first.rows, ...second.rows].map((r) => r.tags.title ?? '');
      expect(titles).toEqual([...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      const ids = await client.call('library.ids', {
        query: '',
        sort: { field: 'title', descending: false },
        offset: 0,
        limit: 10,
      });
      expect(ids.ids).toEqual([...first.rows, ...second.rows].map((r) => r.id));
      const song = (await client.call('library.page', { query: 'ünïcode', sort: null, offset: 0, limit: 10 }))
        .rows;
      expect(song).toHaveLength(1);
      // Multi-values joined; no lyrics or comments in a table row.
      expect(song[0]!.tags.artist).toBe('Beta; Béta Two');
      expect(Object.keys(song[0]!.tags).every((k) => (TABLE_TAGS as readonly string[]).includes(k))).toBe(
        true,
      );
    });

    it('lists albums with their cover and artists with their counts', async () => {
      const albums = await client.call('library.albums', { query: '', offset: 0, limit: 50 });
      const one = albums.albums.find((a) => a.album === 'Album One');
      expect(one).toMatchObject({
        albumartist: 'Alpha',
        year: '1994',
        tracks: 3,
        artistField: 'albumartist',
      });
      expect(one?.art).toMatch(/^[0-9a-f]{64}$/);
      const artists = await client.call('library.artists', { query: 'artist:alpha', offset: 0, limit: 50 });
      expect(artists.artists.find((a) => a.name === 'Alpha')).toMatchObject({ tracks: 3, albums: 1 });
    });

    it('summarizes a selection: shared values, mixed ones, and edits that differ from the file', async () => {
      const ids = (
        await client.call('library.page', { query: 'path:"Album One"', sort: null, offset: 0, limit: 10 })
      ).rows.map((r) => r.id);
      expect(ids).toHaveLength(3);
      const s = await client.call('tags.summary', { target: { kind: 'ids', ids } });
      const field = (k: string) => s.fields.find((f) => f.key.toLowerCase() === k);
      expect(s.tracks).toBe(3);
      expect(field('album')).toMatchObject({ values: ['Album One'], editedTracks: 0, tracks: 3 });
      expect(field('title')?.values).toBeNull();
      expect(field('date')?.values).toBeNull(); // 1994-05-01 twice, 1994 once
      expect(field('mood_custom')).toMatchObject({ values: null, tracks: 1 });
      const all = await client.call('tags.summary', {
        target: { kind: 'query', query: 'path:"Album One"', except: [ids[2]!] },
      });
      expect(all.tracks).toBe(2);
    });
  });

  describe('edits and undo, shared with the CLI', () => {
    it('saves one batch for a selection, visible to sleeve ls; undo restores; CLI edits reach the client as events', async () => {
      const ids = (
        await client.call('library.page', { query: 'path:"Album One"', sort: null, offset: 0, limit: 10 })
      ).rows.map((r) => r.id);
      const changed = nextEvent(client, 'library.changed');
      const shown = await client.call('tags.summary', { target: { kind: 'ids', ids } });
      const saved = await client.call('tags.edit', {
        preview: shown.preview,
        changes: [{ key: 'album', values: ['Renamed Album'], loadedFrom: shown.preview }],
      });
      expect(saved.changedTracks).toBe(3);
      expect(saved.batch).toMatchObject({ files: 3, fields: ['album'], undoneAt: null });
      await changed;
      const listed = sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(homeDir, [
        'ls',
        'album:"Renamed Album"',
        '--json',
      ]);
      expect(listed.map((i) => i.tags.title![0])).toEqual(['First', 'Second', 'Third']);
      const summary = await client.call('tags.summary', { target: { kind: 'ids', ids: [ids[0]!] } });
      expect(summary.fields.find((f) => f.key === 'album')).toMatchObject({
        values: ['Renamed Album'],
        fileValues: ['Album One'],
        editedTracks: 1,
      });

      const { preview } = await client.call('tags.summary', { target: { kind: 'ids', ids } });
      const again = await client.call('tags.edit', {
        preview,
        changes: [{ key: 'album', values: ['Renamed Album'], loadedFrom: preview }],
      });
      expect(again).toEqual({ batch: null, changedTracks: 0, warnings: [] });

      const undone = await client.call('history.undo', { batchId: saved.batch!.id });
      expect(undone.batch.undoneAt).not.toBeNull();
      expect(sleeveHereJson<unknown[]>(homeDir, ['ls', 'album:"Renamed Album"', '--json'])).toEqual([]);
      await expect(client.call('history.undo', { batchId: saved.batch!.id })).rejects.toMatchObject({
        message: expect.stringMatching(/already undone/),
      });

      const external = nextEvent(client, 'library.changed');
      expect(sleeveHere(homeDir, ['set', 'title:first', 'genre=Shoegaze', '-y']).status).toBe(0);
      await external;
      const row = (
        await client.call('library.page', { query: 'genre:shoegaze', sort: null, offset: 0, limit: 5 })
      ).rows;
      expect(row.map((r) => r.tags.title)).toEqual(['First']);
      const history = await client.call('history.list', { limit: 5 });
      expect(history.batches[0]!.description).toMatch(/^Set genre to "Shoegaze" where title:first/);
      // Redone, the album a later edit set again stays as that edit set it, and the answer says so.
      expect(sleeveHere(homeDir, ['set', 'title:first', 'album=Later Album', '-y']).status).toBe(0);
      const later = (await client.call('history.list', { limit: 1 })).batches[0]!.id;
      const redone = await client.call('history.redo', { batchId: saved.batch!.id });
      expect(redone.stays).toEqual([{ key: 'album', files: 1, newest: later }]);
      expect((await client.call('history.undo', { batchId: later })).stays).toEqual([]);
      expect((await client.call('history.undo', { batchId: saved.batch!.id })).stays).toEqual([]);
    });

    it('takes track and disc numbers as taggers write them: number and total, in one batch', async () => {
      const [first] = (
        await client.call('library.page', { query: 'title:=First', sort: null, offset: 0, limit: 1 })
      ).rows;
      const target = { kind: 'ids' as const, ids: [first!.id] };
      const numbers = async () => {
        const { fields } = await client.call('tags.summary', { target });
        const value = (key: string) => fields.find((f) => f.key === key)?.values;
        return ['tracknumber', 'totaltracks', 'discnumber', 'totaldiscs'].map(value);
      };
      // Each edit from a summary of its own: an earlier one's files have changed since.
      const edit = async (key: string, value: string) => {
        const { preview } = await client.call('tags.summary', { target });
        return client.call('tags.edit', {
          preview,
          changes: [{ key, values: [value], loadedFrom: preview }],
        });
      };
      const was = await numbers();
      expect(was).toEqual([['1'], ['3'], undefined, undefined]);

      expect(await edit('tracknumber', '05')).toMatchObject({ changedTracks: 1, warnings: [] });
      expect(await numbers()).toEqual([['5'], ['3'], undefined, undefined]);
      const split = await edit('tracknumber', '2/9');
      expect(split.batch!.fields.sort()).toEqual(['totaltracks', 'tracknumber']);
      expect(await numbers()).toEqual([['2'], ['9'], undefined, undefined]);
      await edit('discnumber', '02/03');
      await edit('tracknumber', ' 5 ');
      expect(await numbers()).toEqual([['5'], ['9'], ['2'], ['3']]);
      // No number to read: kept as typed, and the reply says so.
      const vinyl = await edit('tracknumber', 'A1');
      expect(vinyl.warnings).toEqual(['tracknumber "A1" is not a number: kept as text']);
      expect((await numbers())[0]).toEqual(['A1']);
      const history = await client.call('history.list', { limit: 5 });
      for (const batch of history.batches) await client.call('history.undo', { batchId: batch.id });
      expect(await numbers()).toEqual(was);
    });
  });

  describe('scans', () => {
    it('refuses a missing folder or a relative path, with the reason', async () => {
      await expect(client.call('scan.start', { folders: [join(music, 'nope')] })).rejects.toMatchObject({
        code: 'bad_request',
        message: expect.stringMatching(/no such folder/),
      });
      await expect(client.call('scan.start', { folders: ['Music'] })).rejects.toMatchObject({
        message: expect.stringMatching(/not an absolute path/),
      });
    });

    it('scans with progress events, one at a time, and lists the unreadable files', async () => {
      const progress: string[] = [];
      const off = client.on('scan.progress', (p) => progress.push(p.phase));
      const finished = nextEvent(client, 'scan.finished');
      writeFileSync(join(music, 'Bad', 'new broken.flac'), 'fLaC but nothing else');
      const state = await client.call('scan.start', { folders: [music] });
      expect(state.running).toBe(true);
      await expect(client.call('scan.start', { folders: [music] })).rejects.toMatchObject({
        code: 'conflict',
      });
      const result = await finished;
      off();
      expect(result).toMatchObject({
        folders: [music],
        added: 0,
        errors: 1,
        unchanged: 21,
        failure: null,
        interrupted: false,
      });
      expect(progress).toContain('walk');
      expect(progress).toContain('analyse');
      expect((await client.call('scan.status', {})).running).toBe(false);
      const errors = await client.call('scan.errors', { offset: 0, limit: 100 });
      expect(errors.total).toBe(8);
      expect(errors.files.find((f) => f.path.endsWith('new broken.flac'))?.error).toMatch(/truncated|FLAC/);
      expect((await client.call('scan.roots', {})).roots).toEqual([{ path: music, tracks: 14 }]);
    });
  });

  it('cancels a running scan, keeping what was read, and says when nothing runs', async () => {
    expect(await client.call('scan.cancel', {})).toEqual({ cancelled: false });
    const more = copyFixtures(); // 14 new tracks: reading and analysing them takes a while
    const finished = nextEvent(client, 'scan.finished');
    const running = nextEvent(client, 'scan.progress');
    await client.call('scan.start', { folders: [more] });
    // Cancelled once it runs: the watcher's look after the scan before may hold the library a moment, and
    // a scan stopped while it waits for it has read nothing to keep.
    await running;
    expect(await client.call('scan.cancel', {})).toEqual({ cancelled: true });
    const result = await finished;
    expect(result).toMatchObject({ folders: [more], interrupted: true, failure: null });
    expect((await client.call('scan.status', {})).running).toBe(false);
    // Whatever was read before the stop is in the library; a new scan finishes the rest.
    const done = nextEvent(client, 'scan.finished');
    await client.call('scan.start', { folders: [more] });
    expect(await done).toMatchObject({ interrupted: false, added: 14 - result.added });
  });

  describe('media and art', () => {
    const auth = () => ({ Authorization: `Bearer ${server.token}` });

    it('streams a track by id with Range requests for seeking', async () => {
      // What the scans above left to derive (album figures) is derived: the served bytes are settled.
      catchUp(backend.db);
      const [row] = (
        await client.call('library.page', { query: 'title:=First', sort: null, offset: 0, limit: 1 })
      ).rows;
      const original = readFileSync(row!.path);
      const whole = await get(server.port, `/media/${row!.id}`, auth());
      expect(whole.status).toBe(200);
      expect(whole.headers['content-type']).toBe('audio/flac');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      // The file as the mount serves it: the library's header over the original's audio frames.
      const bytes = whole.body;
      expect(bytes.subarray(-4096).equals(original.subarray(-4096))).toBe(true);

      const part = await get(server.port, `/media/${row!.id}`, { ...auth(), Range: 'bytes=100-1099' });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 100-1099/${bytes.length}`);
      expect(part.body.equals(bytes.subarray(100, 1100))).toBe(true);
      const open = await get(server.port, `/media/${row!.id}`, {
        ...auth(),
        Range: `bytes=${bytes.length - 10}-`,
      });
      expect(open.body.equals(bytes.subarray(bytes.length - 10))).toBe(true);
      const suffix = await get(server.port, `/media/${row!.id}`, { ...auth(), Range: 'bytes=-16' });
      expect(suffix.body.equals(bytes.subarray(bytes.length - 16))).toBe(true);
      const past = await get(server.port, `/media/${row!.id}`, {
        ...auth(),
        Range: `bytes=${bytes.length}-`,
      });
      expect(past.status).toBe(416);
      expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
      const head = await get(server.port, `/media/${row!.id}`, auth(), 'HEAD');
      expect(head.headers['content-length']).toBe(String(bytes.length));
      expect(head.body.length).toBe(0);
      // A player seeking sends the version it holds: the same gets the range; once the header changed
      // (an edit), the new file whole, never its bytes stitched onto the old one's.
      const etag = String(whole.headers.etag);
      expect(etag).toMatch(/^"[^"]+"$/);
      const seek = { ...auth(), Range: 'bytes=100-199', 'If-Range': etag };
      expect((await get(server.port, `/media/${row!.id}`, seek)).status).toBe(206);
      expect((await get(server.port, `/media/${row!.id}`, { ...auth(), 'If-None-Match': etag })).status).toBe(
        304,
      );
      expect(
        sleeveHere(homeDir, ['set', `path:"${row!.path}"`, 'comment=seeked past an edit', '-y']).status,
      ).toBe(0);
      const after = await get(server.port, `/media/${row!.id}`, seek);
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
      expect(Number(after.headers['content-length'])).toBe(after.body.length);
      expect(after.body.subarray(-4096).equals(original.subarray(-4096))).toBe(true);
    });

    it('never serves by path, and names what is wrong with a request', async () => {
      expect((await get(server.port, '/media/..%2f..%2fetc%2fpasswd', auth())).status).toBe(400);
      expect((await get(server.port, '/media/0', auth())).status).toBe(400);
      expect((await get(server.port, '/media/999999', auth())).body.toString()).toMatch(
        /there is no track 999999/,
      );
      const broken = (await client.call('scan.errors', { offset: 0, limit: 1 })).files[0]!;
      expect((await get(server.port, `/media/${broken.id}`, auth())).status).toBe(404);
    });

    it('serves cover art by hash, cacheable for good, with ETag revalidation', async () => {
      const albums = await client.call('library.albums', { query: '', offset: 0, limit: 50 });
      const hash = albums.albums.find((a) => a.art)!.art!;
      const art = await get(server.port, `/art/${hash}`, auth());
      expect(art.status).toBe(200);
      expect(art.headers['content-type']).toBe('image/png');
      expect(art.headers['cache-control']).toBe('private, max-age=31536000, immutable');
      expect(art.body.subarray(1, 4).toString()).toBe('PNG');
      expect(
        (await get(server.port, `/art/${hash}`, { ...auth(), 'If-None-Match': `"${hash}"` })).status,
      ).toBe(304);
      expect((await get(server.port, `/art/${'0'.repeat(64)}`, auth())).status).toBe(404);
      expect((await get(server.port, '/art/not-hex', auth())).status).toBe(400);
    });
  });

  it('never changed an original file', () => {
    const after = hashTree(music);
    after.delete('Bad/new broken.flac');
    expect(after).toEqual(before);
  });
});

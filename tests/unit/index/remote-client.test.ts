// The acoustid-index HTTP client against a local server that answers as an fpindex replica does: 503
// while loading (tried again), msgpack with one-letter field names, errors that retrying cannot fix
// (refused at once), and updates sent in batches.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteIndex, RemoteIndexError, RemoteIndexUnavailable } from '../../../index-engine/http/client.ts';

interface Seen {
  method: string;
  path: string;
  type: string | undefined;
  body: unknown;
}

describe('RemoteIndex', () => {
  const seen: Seen[] = [];
  let loadingFor = 0;
  let server: Server;
  let url = '';

  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    if (bytes.length === 0) return undefined;
    return req.headers['content-type'] === 'application/vnd.msgpack'
      ? decode(bytes)
      : JSON.parse(bytes.toString());
  };

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const b = await body(req);
      seen.push({ method: req.method!, path: req.url!, type: req.headers['content-type'], body: b });
      const msgpack = req.headers.accept === 'application/vnd.msgpack';
      const reply = (status: number, value: object) => {
        res.writeHead(status, { 'Content-Type': msgpack ? 'application/vnd.msgpack' : 'application/json' });
        res.end(msgpack ? encode(value) : JSON.stringify(value));
      };
      if (loadingFor > 0) {
        loadingFor--;
        return req.url!.endsWith('/_health')
          ? res.writeHead(503).end()
          : reply(503, msgpack ? { e: 'IndexNotReady' } : { error: 'IndexNotReady' });
      }
      if (req.url === '/bad/_update')
        return reply(400, msgpack ? { e: 'BadRequest' } : { error: 'BadRequest' });
      if (req.url === '/slow/_update') {
        await new Promise((r) => setTimeout(r, 300));
        seen.push({ method: 'answer', path: req.url, type: undefined, body: undefined });
      }
      if (req.url === '/stuck/_health') return res.writeHead(503).end('LOADING\n');
      if (req.url!.endsWith('/_health')) return res.writeHead(200).end('OK\n');
      if (req.url!.endsWith('/_update'))
        return reply(200, msgpack ? { v: seen.length } : { version: seen.length });
      if (req.url!.endsWith('/_search'))
        return reply(200, msgpack ? { r: [{ i: 33, s: 7 }] } : { results: [{ id: 33, score: 7 }] });
      if (req.method === 'PUT')
        return reply(200, msgpack ? { v: 0, r: true, g: 1 } : { version: 0, ready: true, generation: 1 });
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('speaks msgpack with one-letter field names, and reads replies in either format', async () => {
    seen.length = 0;
    const index = new RemoteIndex({ url: `${url}/` });
    expect(await index.createIndex('recordings')).toEqual({ version: 0, ready: true, generation: 1 });
    await index.update('recordings', {
      changes: [
        { op: 'insert', id: 5, hashes: Uint32Array.from([1, 2, 3]) },
        { op: 'delete', id: 6 },
      ],
    });
    expect(await index.searchMany('recordings', [Uint32Array.from([9, 8]), [7]], { limit: 10 })).toEqual([
      [{ id: 33, score: 7 }],
      [{ id: 33, score: 7 }],
    ]);
    expect(seen[1]).toEqual({
      method: 'POST',
      path: '/recordings/_update',
      type: 'application/vnd.msgpack',
      body: { c: [{ i: { i: 5, h: [1, 2, 3] } }, { d: { i: 6 } }] },
    });
    expect(seen[2]!.body).toEqual({ q: [9, 8], l: 10 });
    const json = new RemoteIndex({ url, format: 'json' });
    expect(await json.searchMany('recordings', [[1]])).toEqual([[{ id: 33, score: 7 }]]);
    expect(seen.at(-1)!.body).toEqual({ query: [1] });
  });

  it('waits for a replica still loading: 503 is tried again, said each time', async () => {
    seen.length = 0;
    const said: string[] = [];
    const index = new RemoteIndex({ url, retries: 3, onRetry: (m) => said.push(m) });
    loadingFor = 2;
    expect(await index.health('recordings')).toBe('loading'); // a health check is an answer, not a failure
    expect(await index.update('recordings', { changes: [{ op: 'delete', id: 1 }] })).toBeGreaterThan(0);
    expect(said).toEqual([`the fingerprint index at ${url}: 503 IndexNotReady; trying again in 0.5 s`]);
  });

  it('sends a search only once the updates sent before it are answered, as the engine orders them', async () => {
    seen.length = 0;
    const index = new RemoteIndex({ url });
    const updated = index.update('slow', { changes: [{ op: 'delete', id: 1 }] });
    const found = index.searchMany('slow', [[1, 2]]);
    await Promise.all([updated, found]);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /slow/_update',
      'answer /slow/_update',
      'POST /slow/_search',
    ]);
  });

  it('gives up on an index that keeps answering "loading" (a dead node behind a proxy)', async () => {
    const index = new RemoteIndex({ url, loadingTimeoutMs: 200 });
    expect(await index.health('stuck')).toBe('loading');
    await new Promise((r) => setTimeout(r, 250));
    const failed = await index.health('stuck').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RemoteIndexUnavailable);
    expect((failed as Error).message).toBe(`the fingerprint index at ${url} is still loading after 0 s`);
  });

  it('sends a large update in batches, each one transaction', async () => {
    seen.length = 0;
    const index = new RemoteIndex({ url, changesPerUpdate: 4 });
    const changes = Array.from({ length: 10 }, (_, i) => ({ op: 'delete' as const, id: i + 1 }));
    await index.update('recordings', { changes });
    expect(seen.map((s) => (s.body as { c: unknown[] }).c.length)).toEqual([4, 4, 2]);
  });

  it('refuses at once what retrying cannot fix, and names an unreachable server after its tries', async () => {
    const index = new RemoteIndex({ url, retries: 5 });
    const refused = await index.update('bad', { changes: [] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RemoteIndexError);
    expect((refused as RemoteIndexError).code).toBe('BadRequest');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = new RemoteIndex({ url: `http://127.0.0.1:${port}`, retries: 1 });
    const failed = await down.health('recordings').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RemoteIndexUnavailable);
    expect((failed as Error).message).toBe(
      `the fingerprint index at http://127.0.0.1:${port} is unavailable (ECONNREFUSED) after 2 tries`,
    );
  });
});

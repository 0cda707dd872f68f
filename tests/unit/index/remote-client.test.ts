// The acoustid-index HTTP client against a local server that answers as an fpindex replica does: 503
// while loading (tried again), msgpack with one-letter field names, errors that retrying cannot fix
// (refused at once), and updates sent in batches; a server that floods (an endless answer) or redirects
// elsewhere is cut off at once, the request not tried again.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RemoteIndex } from '../../../index-engine/http/client.ts';
import { RemoteIndexError, RemoteIndexUnavailable } from '../../../index-engine/http/remote-errors.ts';
import { startFloodServer } from '../../fixtures/flood-server.ts';

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
      if (req.url === '/damaged/_health')
        return reply(500, msgpack ? { e: 'CorruptSegment' } : { error: 'CorruptSegment' });
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
    // 250 ms later by the client's clock, with no wait (the machine's load cannot make it early or late).
    const later = performance.now() + 250;
    const clock = vi.spyOn(performance, 'now').mockReturnValue(later);
    const failed = await index.health('stuck').catch((e: unknown) => e);
    clock.mockRestore();
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

  it('takes an index its server set aside as damaged for failed, as the embedded engine says it', async () => {
    expect(await new RemoteIndex({ url }).health('damaged')).toBe('failed');
    expect(await new RemoteIndex({ url, format: 'json' }).health('damaged')).toBe('failed');
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

  it('reads an endless answer no further than its cap, and does not ask again', async () => {
    const SAFETY = 128 << 20; // the server gives up here, whatever the client does
    const flood = await startFloodServer(SAFETY);
    try {
      const index = new RemoteIndex({ url: flood.url, retries: 5 });
      const failed = await index.createIndex('lib').catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(RemoteIndexUnavailable);
      expect((failed as Error).message).toBe(
        `the fingerprint index at ${flood.url} sent more than 1 MiB in answer to PUT /lib: not read`,
      );
      const search = await index.searchMany('lib', [[1, 2]]).catch((e: unknown) => e);
      expect((search as Error).message).toBe(
        `the fingerprint index at ${flood.url} sent more than 4 MiB in answer to POST /lib/_search: not read`,
      );
      const sent = await Promise.all(flood.answers);
      expect(sent).toHaveLength(2);
      // What the client read is at most its cap; the rest of what was sent sat in the sockets' buffers.
      for (const bytes of sent) expect(bytes).toBeLessThan(4 * 1024 * 1024 + 32 * 1024 * 1024);
    } finally {
      await flood.close();
    }
  });

  it('follows no redirect: the token and the changes never reach the other server', async () => {
    const other = await countingServer();
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: `${other.url}/lib/_update` }).end();
    });
    await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
    const from = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    try {
      const index = new RemoteIndex({ url: from, token: 'secret', retries: 5 });
      const failed = await index
        .update('lib', { changes: [{ op: 'delete', id: 1 }] })
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(RemoteIndexUnavailable);
      expect((failed as Error).message).toBe(
        `the fingerprint index at ${from} redirected to ${other.url}/lib/_update: not followed (this request is never redirected): set index.url to the address the server answers at`,
      );
      expect(other.requests).toBe(0);
    } finally {
      await new Promise<void>((r) => redirecting.close(() => r()));
      await other.close();
    }
  });
});

/** A server that counts the requests reaching it. */
async function countingServer() {
  const counted = { requests: 0 };
  const server = createServer((req, res) => {
    counted.requests++;
    req.resume();
    res.writeHead(200).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return counted.requests;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

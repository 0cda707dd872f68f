// kit/http-fetch against local servers that misbehave: a body past its cap (said beforehand or not) is
// refused and its connection closed; a body dripping a byte at a time ends at the deadline, which covers
// the whole request; a cancel stops a request mid-body; redirects are followed only as the policy allows
// (never for a POST, never to another origin unless allowed, a bounded number of times), and no
// credential crosses to another origin.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetchError, httpFetch, MAX_REDIRECTS } from '../../kit/http-fetch.ts';

interface Local {
  url: string;
  /** Each request: method, path and its authorization header. */
  seen: Array<{ method: string; path: string; authorization?: string }>;
  /** Resolves with the request's path when its connection closes before its answer ended. */
  cut: Array<Promise<string>>;
  /** Called at the next request's arrival. */
  waiting: Array<() => void>;
  close(): Promise<void>;
}

async function local(
  answer: (req: IncomingMessage, res: ServerResponse, self: Local) => void,
): Promise<Local> {
  const self: Local = { url: '', seen: [], cut: [], waiting: [], close: async () => {} };
  const server = createServer((req, res) => {
    req.resume();
    self.seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization });
    self.cut.push(new Promise((r) => res.once('close', () => !res.writableFinished && r(req.url!))));
    for (const wake of self.waiting.splice(0)) wake();
    answer(req, res, self);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  self.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return self;
}

/** Writes a byte every `ms` until the connection closes. */
function drip(res: ServerResponse, ms: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const timer = setInterval(() => res.write('x'), ms);
  res.once('close', () => clearInterval(timer));
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as HttpFetchError,
  );

describe('httpFetch', () => {
  let other: Local;
  let main: Local;

  beforeAll(async () => {
    other = await local((_req, res) => res.end('elsewhere'));
    main = await local((req, res) => {
      const path = req.url!;
      if (path === '/ok') return res.end('fine');
      if (path === '/big') {
        res.writeHead(200);
        return res.end(Buffer.alloc(5000));
      }
      if (path === '/big-said') {
        res.writeHead(200, { 'content-length': '1000000' });
        return res.write(Buffer.alloc(100)); // then nothing: only the length said refuses it
      }
      if (path === '/drip') return drip(res, 20);
      if (path === '/here') return res.writeHead(302, { location: '/ok' }).end();
      if (path === '/away') return res.writeHead(307, { location: `${other.url}/landed` }).end();
      if (path.startsWith('/loop')) return res.writeHead(302, { location: `/loop${path.length}` }).end();
      res.writeHead(404).end();
    });
  });

  afterAll(async () => {
    await main.close();
    await other.close();
  });

  const get = (path: string, more: Partial<Parameters<typeof httpFetch>[1]> = {}) =>
    httpFetch(`${main.url}${path}`, {
      server: 'the test server',
      maxBytes: 1024,
      timeoutMs: 10_000,
      ...more,
    });

  it('reads an answer within its cap', async () => {
    const res = await get('/ok');
    expect([res.status, res.body.toString()]).toEqual([200, 'fine']);
  });

  it('refuses a body past its cap, said beforehand or not, and closes the connection', async () => {
    const big = await failure(get('/big'));
    expect(big).toBeInstanceOf(HttpFetchError);
    expect([big!.kind, big!.message]).toEqual([
      'too-large',
      'the test server sent more than 1 KiB: not read',
    ]);
    const said = await failure(get('/big-said'));
    expect(said!.kind).toBe('too-large');
    expect(await main.cut.at(-1)).toBe('/big-said');
  });

  it('ends a dripping body at the deadline, which covers the whole request', async () => {
    const dripping = await failure(get('/drip', { timeoutMs: 300, maxBytes: 1 << 20 }));
    expect([dripping!.kind, dripping!.message]).toEqual([
      'timeout',
      'the test server sent no complete answer within 0.3 s',
    ]);
    expect(await main.cut.at(-1)).toBe('/drip');
  });

  it('stops mid-body when cancelled, with the signal’s reason', async () => {
    const stop = new AbortController();
    const before = main.seen.length;
    const asked = failure(get('/drip', { signal: stop.signal, maxBytes: 1 << 20 }));
    const { closed } = await arrival(main, before);
    stop.abort(new Error('cancelled by the test'));
    expect(((await asked) as unknown as Error).message).toBe('cancelled by the test');
    expect(await closed).toBe('/drip');
  });

  it('follows redirects only as allowed: never by default, within the origin, or anywhere for a GET', async () => {
    const none = await failure(get('/here'));
    expect([none!.kind, none!.reason]).toEqual([
      'redirect',
      `redirected to ${main.url}/ok: not followed (this request is never redirected)`,
    ]);
    expect((await get('/here', { redirects: 'same-origin' })).body.toString()).toBe('fine');
    const crossing = await failure(get('/away', { redirects: 'same-origin' }));
    expect(crossing!.reason).toBe(
      `redirected to ${other.url}/landed: not followed (another origin than ${main.url})`,
    );
    expect(other.seen).toEqual([]);
    const anywhere = await get('/away', {
      redirects: 'any-origin',
      headers: { Authorization: 'Bearer key' },
    });
    expect([anywhere.body.toString(), anywhere.url]).toEqual(['elsewhere', `${other.url}/landed`]);
    expect(other.seen).toEqual([{ method: 'GET', path: '/landed', authorization: undefined }]);
    expect(main.seen.at(-1)!.authorization).toBe('Bearer key');
  });

  it('never redirects a POST, and gives up on a loop', async () => {
    other.seen.length = 0;
    const post = await failure(get('/away', { method: 'POST', body: 'client=key', redirects: 'any-origin' }));
    expect(post!.reason).toBe(`redirected to ${other.url}/landed: not followed (a POST is never redirected)`);
    expect(other.seen).toEqual([]);
    const loop = await failure(get('/loop', { redirects: 'same-origin' }));
    expect(loop!.reason).toMatch(new RegExp(`not followed \\(more than ${MAX_REDIRECTS} redirects\\)$`));
  });
});

/** Once request number `n` has arrived: the promise of its connection closing early (wrapped, or the
 *  async function would wait for it). */
async function arrival(server: Local, n: number): Promise<{ closed: Promise<string> }> {
  while (server.cut.length <= n) await new Promise<void>((r) => server.waiting.push(r));
  return { closed: server.cut[n]! };
}

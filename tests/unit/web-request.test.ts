// webRequest's retry rules against real sockets: a service that cannot be reached at all (a port nothing
// listens on, a name that does not resolve) is tried once and named as unreachable; a busy one (503) and a
// connection cut on the way are still retried.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type EndTurn, RateLimiter } from '../../app/core/identify/rate-limiter.ts';
import { ServiceUnreachableError, webRequest } from '../../app/core/identify/web-request.ts';

/** A real limiter that counts its turns: one per attempt. */
class CountingLimiter extends RateLimiter {
  turns = 0;
  override take(signal?: AbortSignal): Promise<EndTurn> {
    this.turns++;
    return super.take(signal);
  }
}

/** A local server answering each request with `answer(n)` (n: 0 for the first). */
async function local(
  answer: (n: number, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    answer(n++, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

/** A limiter answering one request at a time whose run is cancelled just as it is given its turn. */
class CancelledOnTurn extends RateLimiter {
  readonly run = new AbortController();
  constructor() {
    super(100, 'answer');
  }
  override async take(signal?: AbortSignal): Promise<EndTurn> {
    const end = await super.take(signal);
    this.run.abort();
    return end;
  }
}

describe('webRequest', () => {
  it('ends a turn it was given but did not use, so the next request is not held for ever', async () => {
    const limiter = new CancelledOnTurn();
    const url = 'http://127.0.0.1:9/never-asked';
    const err = await failure(
      webRequest({ service: 'MusicBrainz', url, limiter, signal: limiter.run.signal }),
    );
    expect(err?.message).toMatch(/^identification cancelled/);
    await RateLimiter.prototype.take.call(limiter).then((end) => end()); // held for ever without the end
  });

  it('tries a refused connection once and says the service could not be reached', async () => {
    const { url, server } = await local(() => undefined);
    await new Promise((r) => server.close(r)); // the port is free again: nothing listens on it
    const limiter = new CountingLimiter(100);
    const err = await failure(webRequest({ service: 'AcoustID', url, limiter, retries: 4 }));
    expect(err).toBeInstanceOf(ServiceUnreachableError);
    expect(err?.message).toMatch(
      /^AcoustID could not be reached: 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)$/,
    );
    expect(limiter.turns).toBe(1);
  });

  it('tries a name that does not resolve once', async () => {
    // .invalid never resolves (RFC 6761): the lookup fails, whether or not a DNS server answers.
    const limiter = new CountingLimiter(100);
    const err = await failure(
      webRequest({ service: 'MusicBrainz', url: 'http://sleeve-test.invalid/ws/2/', limiter, retries: 4 }),
    );
    expect(err).toBeInstanceOf(ServiceUnreachableError);
    expect(err?.message).toMatch(
      /^MusicBrainz could not be reached: the name sleeve-test\.invalid could not be looked up \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(limiter.turns).toBe(1);
  });

  it('still retries a busy service (503) and a connection cut on the way', async () => {
    const busy = await local((n, res) => {
      if (n === 0) res.writeHead(503, { 'retry-after': '1' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const cut = await local((n, res) => {
      if (n === 0) res.socket?.destroy();
      else res.writeHead(200).end('ok');
    });
    servers.push(busy.server, cut.server);
    for (const { url } of [busy, cut]) {
      const limiter = new CountingLimiter(100);
      const res = await webRequest({ service: 'AcoustID', url, limiter, retries: 4 });
      expect([res.status, res.body.toString(), limiter.turns]).toEqual([200, 'ok', 2]);
    }
  });

  it('gives up on a service still busy after its retries, saying how often it tried', async () => {
    const busy = await local((_n, res) => res.writeHead(503, { 'retry-after': '1' }).end());
    servers.push(busy.server);
    const limiter = new CountingLimiter(100);
    const err = await failure(webRequest({ service: 'AcoustID', url: busy.url, limiter, retries: 1 }));
    expect(err?.message).toBe('AcoustID is busy or unavailable (HTTP 503) after 2 tries; try again later');
    expect(err).not.toBeInstanceOf(ServiceUnreachableError);
    expect(limiter.turns).toBe(2);
  });
});

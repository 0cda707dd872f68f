// The AcoustID client against a local server speaking the documented /v2/lookup: 20 fingerprints per
// request, never more than 3 requests a second (as the server measures them), answers cached so a rerun
// asks nothing, and busy, refused, unreachable, malformed and truncated answers each ending in a clear
// error with nothing cached for what failed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { AcoustIdClient, type AcoustIdResult } from '../../app/core/identify/acoustid.ts';
import {
  type AcoustIdFixture,
  FIXTURE_KEY,
  JITTER_MS,
  startAcoustIdFixture,
} from '../fixtures/acoustid-server.ts';
import { tempDir } from '../helpers.ts';

/** Fingerprint i (a valid compressed-fingerprint alphabet) and what the fixture knows of it. */
const fingerprint = (i: number) => `AQAA${String(i).padStart(4, '0')}x_-`;
const result = (i: number): AcoustIdResult => ({
  id: `9ff43b6a-4f16-427c-93c2-92307ca505e${i % 10}`,
  score: 0.95,
  recordings: [
    {
      id: `b9ad642e-b012-41c7-b72a-42cf4911f9f${i % 10}`,
      title: `Song ${i}`,
      duration: 180 + i,
      artists: [{ id: 'a74b1b7f-71a5-4011-9441-d0b5e4122711', name: 'The Lanterns' }],
    },
  ],
});

describe('the AcoustID client', () => {
  let server: AcoustIdFixture;
  let db: Db;
  // Five batches: more requests than the server lets through in one second, so pacing is needed.
  const queries = Array.from({ length: 85 }, (_, i) => ({ fingerprint: fingerprint(i), duration: 180 + i }));
  const client = (options: Partial<ConstructorParameters<typeof AcoustIdClient>[1]> = {}) =>
    new AcoustIdClient(db, { apiKey: FIXTURE_KEY, url: server.url, retries: 1, ...options });

  beforeAll(async () => {
    // What the service knows: all but fingerprint 7.
    server = await startAcoustIdFixture(
      new Map(queries.flatMap((q, i) => (i === 7 ? [] : [[q.fingerprint, [result(i)]] as const]))),
    );
    db = openDatabase(join(tempDir(), 'library.db'));
  });
  afterAll(async () => {
    db.close();
    await server.close();
  });

  it('sends 20 fingerprints a request, at most 3 requests a second, and keeps every answer in order', async () => {
    const c = client();
    const answers = await c.lookup(queries);
    // Batches of 20. The fixture shares this process, so a stalled event loop can bunch its arrival times
    // past its leniency and have it refuse one for coming too soon (as a congested network might the real
    // service): the client then waits and sends that batch again.
    const answered = server.requests.filter((r) => !r.refused);
    const refused = server.requests.length - answered.length;
    // A refused batch is sent again after the ones behind it, so sizes are compared, not their order.
    expect(answered.map((r) => r.fingerprints).sort((x, y) => y - x)).toEqual([20, 20, 20, 20, 5]);
    expect(refused).toBeLessThanOrEqual(1);
    // Four intervals of at least a third of a second, as the server saw them (as leniently as it counts).
    const span = answered[4]!.at - answered[0]!.at;
    expect(span).toBeGreaterThanOrEqual((4 * 1000) / 3 - JITTER_MS);
    expect(answers).toHaveLength(85);
    expect(answers[3]![0]!.recordings![0]!.title).toBe('Song 3');
    expect(answers[44]![0]!.recordings![0]!.title).toBe('Song 44');
    expect(answers[7]).toEqual([]); // unknown to the service: no results, not an error
    expect(c.stats).toEqual({ requests: 5 + refused, cached: 0 });
  });

  it('asks nothing again: a rerun is answered from the library', async () => {
    const before = server.requests.length;
    const c = client();
    const answers = await c.lookup(queries);
    expect(server.requests.length).toBe(before);
    expect(c.stats).toEqual({ requests: 0, cached: 85 });
    expect(answers[44]![0]!.recordings![0]!.title).toBe('Song 44');
  });

  it('waits and tries again when the service is busy', async () => {
    server.failNext(1, 'http429');
    const before = server.requests.length;
    const c = client();
    const [answer] = await c.lookup([{ fingerprint: fingerprint(100), duration: 200 }]);
    expect(answer).toEqual([]);
    expect(server.requests.length - before).toBe(2);
    // Both sent count: what `sleeve identify` reports as the requests AcoustID was asked.
    expect(c.stats.requests).toBe(2);
  });

  it('says why, and caches nothing, when the service stays down or answers nonsense', async () => {
    const ask = (i: number) => client().lookup([{ fingerprint: fingerprint(i), duration: 200 }]);
    server.failNext(2, 'http503');
    await expect(ask(101)).rejects.toThrow(
      'AcoustID is busy or unavailable (HTTP 503) after 2 tries; try again later',
    );
    server.failNext(1, 'malformed');
    await expect(ask(101)).rejects.toThrow(
      /AcoustID sent a response that is not JSON \(HTTP 200, \d+ bytes\): nothing was applied/,
    );
    server.failNext(1, 'truncated');
    await expect(ask(101)).rejects.toThrow(
      /AcoustID's answer has no result for fingerprint 0 of the 1 asked/,
    );
    const cached = db.prepare("SELECT count(*) FROM web_cache WHERE service = 'acoustid'").pluck().get();
    expect(cached).toBe(86); // the 85, and fingerprint 100: nothing from the failures
  });

  it('names a refused or missing key, and an unreachable service', async () => {
    await expect(
      client({ apiKey: 'wrong' }).lookup([{ fingerprint: fingerprint(102), duration: 1 }]),
    ).rejects.toThrow(
      /AcoustID refused the application key in config.json \(identify.acoustid.apiKey\): invalid API key/,
    );
    expect(() => client({ apiKey: ' ' })).toThrow(
      /AcoustID needs an application key: set identify.acoustid.apiKey/,
    );
    const closed = await startAcoustIdFixture(new Map());
    await closed.close();
    await expect(
      client({ url: closed.url, retries: 0 }).lookup([{ fingerprint: fingerprint(103), duration: 1 }]),
    ).rejects.toThrow(
      /AcoustID could not be reached: 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)/,
    );
  });
});

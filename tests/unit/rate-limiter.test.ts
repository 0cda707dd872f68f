// The rate limiter's two spacings, in real time (only lower bounds are asserted: a loaded machine can only
// lengthen the waits). 'start' lets the next request go while one is still unanswered; 'answer' holds it
// until the previous one's answer and an interval after it, which is what keeps MusicBrainz's arrivals a
// second apart whatever the network does to each request.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../app/core/identify/rate-limiter.ts';

const PER_SECOND = 20; // an interval of 52.5 ms
const INTERVAL_MS = 1000 / PER_SECOND;

describe('RateLimiter', () => {
  it("'start' spaces starts and lets the next one go before the previous is answered", async () => {
    const limiter = new RateLimiter(PER_SECOND);
    const endFirst = await limiter.take();
    const first = performance.now();
    await limiter.take(); // would never resolve if it waited for the first's answer
    expect(performance.now() - first).toBeGreaterThanOrEqual(INTERVAL_MS);
    endFirst();
  });

  it("'answer' starts the next one an interval after the previous one's answer", async () => {
    const limiter = new RateLimiter(PER_SECOND, 'answer');
    const endFirst = await limiter.take();
    let second: number | undefined;
    const next = limiter.take().then((end) => {
      second = performance.now();
      return end;
    });
    // The first's answer takes three intervals to come: the second waits for it, not for the first's start.
    await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
    expect(second).toBeUndefined();
    const answered = performance.now();
    endFirst();
    (await next)();
    expect(second! - answered).toBeGreaterThanOrEqual(INTERVAL_MS);
  });

  it("an aborted wait ends its turn, so the ones after it still come ('answer')", async () => {
    const limiter = new RateLimiter(PER_SECOND, 'answer');
    const endFirst = await limiter.take();
    const abort = new AbortController();
    const cancelled = limiter.take(abort.signal).then(
      () => 'given',
      () => 'refused',
    );
    const third = limiter.take();
    abort.abort(new Error('cancelled'));
    expect(await cancelled).toBe('refused');
    endFirst();
    (await third)();
  });
});

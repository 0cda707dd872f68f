// Spacing of requests to a web service: each request starts at least 1/rate seconds (and 5 % more) after
// the previous one started (AcoustID allows 3 a second, MusicBrainz 1), however many callers wait at once.
// One limiter per service in a process (limiterFor): two lookups at once still share the service's rate.

/** A little over the interval: the service counts arrivals, which the network may bunch up. */
const MARGIN = 1.05;

export class RateLimiter {
  readonly #intervalMs: number;
  #next = 0;

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError(`a rate must be positive, got ${perSecond}`);
    this.#intervalMs = (1000 / perSecond) * MARGIN;
  }

  /** Resolves when the caller may start its request. */
  async take(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#intervalMs;
    if (at > now) await new Promise((r) => setTimeout(r, Math.ceil(at - now)));
  }
}

const limiters = new Map<string, RateLimiter>();

/** The process's limiter for a service (by its base URL): the rate of the first caller to ask. */
export function limiterFor(service: string, perSecond: number): RateLimiter {
  let limiter = limiters.get(service);
  if (!limiter) {
    limiter = new RateLimiter(perSecond);
    limiters.set(service, limiter);
  }
  return limiter;
}

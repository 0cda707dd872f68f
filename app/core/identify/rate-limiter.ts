// Spacing of requests to a web service: each request starts at least 1/rate seconds (and 5 % more) after
// the previous one really started (AcoustID allows 3 a second, MusicBrainz 1), however many callers wait at
// once, and however late a timer fires (a stalled event loop delays requests; it never bunches them).
// One limiter per service in a process (limiterFor): two lookups at once still share the service's rate.

/** A little over the interval: the service counts arrivals, which the network may bunch up. */
const MARGIN = 1.05;

export class RateLimiter {
  readonly #intervalMs: number;
  /** The turns in order: each waits for the one before it. */
  #queue: Promise<void> = Promise.resolve();
  /** When the last turn was given (performance.now()). */
  #last = Number.NEGATIVE_INFINITY;

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError(`a rate must be positive, got ${perSecond}`);
    this.#intervalMs = (1000 / perSecond) * MARGIN;
  }

  /** Resolves when the caller may start its request; rejects as soon as `signal` aborts (the turn is
   *  still taken in its place, so the others keep their spacing). */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(async () => {
      const wait = this.#last + this.#intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.ceil(wait)));
      this.#last = performance.now();
    });
    this.#queue = turn;
    if (!signal) return turn;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void turn.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
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

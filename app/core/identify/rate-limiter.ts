// Spacing of requests to a web service, however many callers wait at once, and however late a timer fires
// (a stalled event loop delays requests; it never bunches them). Two rules, as each service counts:
// - from each start: a request starts at least 1/rate seconds (and 5 % more) after the previous one really
//   started (AcoustID allows 3 a second: requests may overlap);
// - from each answer: one request at a time, each starting 1/rate seconds (and 5 %) after the previous one's
//   answer. MusicBrainz refuses (503) a request that arrives within a second of the previous one, and a slow
//   connection can delay one request's arrival more than the next one's, so spacing starts does not space
//   arrivals; spacing from the answer does, since the previous one arrived before it was answered.
// One limiter per service in a process (limiterFor): two lookups at once still share the service's rate.

/** A little over the interval: the service counts arrivals, which the network may bunch up. */
const MARGIN = 1.05;

export type Spacing = 'start' | 'answer';

/** Called when the request's answer has come (or it failed): the turn is over. */
export type EndTurn = () => void;

export class RateLimiter {
  readonly #intervalMs: number;
  readonly #spacing: Spacing;
  /** The turns in order: each waits for the one before it (with 'answer', until it ended). */
  #queue: Promise<void> = Promise.resolve();
  /** When the last turn was given, or with 'answer' ended (performance.now()). */
  #last = Number.NEGATIVE_INFINITY;

  constructor(perSecond: number, spacing: Spacing = 'start') {
    if (!(perSecond > 0)) throw new RangeError(`a rate must be positive, got ${perSecond}`);
    this.#intervalMs = (1000 / perSecond) * MARGIN;
    this.#spacing = spacing;
  }

  /** Resolves when the caller may start its request, with the function to call when it has its answer;
   *  rejects as soon as `signal` aborts (the turn is still taken in its place and ended at once, so the
   *  others keep their spacing). */
  take(signal?: AbortSignal): Promise<EndTurn> {
    let endTurn: EndTurn = () => {};
    const ended =
      this.#spacing === 'answer'
        ? new Promise<void>((resolve) => {
            endTurn = () => {
              this.#last = performance.now();
              resolve();
            };
          })
        : undefined;
    const turn = this.#queue.then(async () => {
      const wait = this.#last + this.#intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.ceil(wait)));
      this.#last = performance.now();
    });
    this.#queue = ended ? turn.then(() => ended) : turn;
    const given = turn.then(() => once(endTurn));
    if (!signal) return given;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        void given.then((end) => end());
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void given.then((end) => {
        if (signal.aborted) return;
        signal.removeEventListener('abort', onAbort);
        resolve(end);
      });
    });
  }
}

function once(f: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    f();
  };
}

const limiters = new Map<string, RateLimiter>();

/** The process's limiter for a service (by its base URL): the rate and spacing of the first caller to ask. */
export function limiterFor(service: string, perSecond: number, spacing: Spacing = 'start'): RateLimiter {
  let limiter = limiters.get(service);
  if (!limiter) {
    limiter = new RateLimiter(perSecond, spacing);
    limiters.set(service, limiter);
  }
  return limiter;
}

// One request to an identification web service (AcoustID, MusicBrainz, the Cover Art Archive): spaced by
// the service's rate limiter, through kit/http-fetch (a deadline for the whole request, the body capped,
// redirects only as the caller allows), retried with backoff when the service says it is busy (429, 503)
// or the network failed on the way, and every failure turned into a message that says which service and
// why. A service that cannot be reached at all (its name does not resolve, nothing listens at its address)
// is not retried: the caller hears at once, and can go on offline.
import type { z } from 'zod';
import { type HttpAnswer, HttpFetchError, httpFetch, type RedirectPolicy } from '../../../kit/http-fetch.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { RateLimiter } from './rate-limiter.ts';

export class WebServiceError extends UserError {
  override name = 'WebServiceError';
}

/** The service cannot be reached from here: asking again within seconds would be answered the same way. */
export class ServiceUnreachableError extends WebServiceError {
  override name = 'ServiceUnreachableError';
  constructor(service: string, url: string, code: string) {
    const { host, hostname } = new URL(url);
    super(
      'unavailable',
      code === 'ECONNREFUSED'
        ? `${service} could not be reached: ${host} refused the connection (${code})`
        : `${service} could not be reached: the name ${hostname} could not be looked up (${code}); is this computer offline?`,
    );
  }
}

/** Throws when the run was cancelled: nothing is applied, and what was received is already kept. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new WebServiceError(
      'unavailable',
      'identification cancelled: the answers already received are kept, so asking again resumes from them',
    );
}

export interface WebRequest {
  /** The service's name, for messages ("AcoustID"). */
  readonly service: string;
  readonly url: string;
  readonly init?: {
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  };
  /** Which redirects are followed (default: none). */
  readonly redirects?: RedirectPolicy;
  readonly limiter: RateLimiter;
  /** Milliseconds for the whole request, its body included (default 20 s). */
  readonly timeoutMs?: number;
  /** Attempts after the first when the service is busy or the network fails on the way (never when the
   *  service cannot be reached at all: ServiceUnreachableError at once). */
  readonly retries?: number;
  /** The largest body read (default 8 MiB). */
  readonly maxBytes?: number;
  /** Cancels the request (and any retry) when the run is cancelled. */
  readonly signal?: AbortSignal;
  /** Called as each attempt is sent (the first and every retry): what a client counts as asked. */
  readonly onSend?: () => void;
}

export interface WebResponse {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string;
}

/** Busy or briefly down: 429 (too many requests) and the gateway errors. A 500 is the service's bug,
 *  answered again the same way: not retried. */
const RETRY_STATUS = new Set([429, 502, 503, 504]);
/** Network failures that say the service is out of reach (a name that does not resolve, a DNS server that
 *  does not answer, a port nothing listens on), not that a request was lost on the way: not retried. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED']);
/** Larger than any real answer (20 fingerprints with full metadata, a release of 100 tracks: well under
 *  1 MiB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/** The response, for a 2xx answer or a 4xx one whose body explains it (the caller reads it). */
export async function webRequest(req: WebRequest): Promise<WebResponse> {
  const retries = req.retries ?? 4;
  const timeoutMs = req.timeoutMs ?? 20_000;
  for (let attempt = 0; ; attempt++) {
    throwIfCancelled(req.signal); // before taking a turn of the service's shared limiter
    const endTurn = await req.limiter.take(req.signal).catch(() => throwIfCancelled(req.signal));
    if (req.signal?.aborted) endTurn?.(); // a turn given but not used: the next one must not wait for it
    throwIfCancelled(req.signal);
    let res: HttpAnswer;
    req.onSend?.();
    try {
      res = await httpFetch(req.url, {
        server: req.service,
        method: req.init?.method,
        headers: req.init?.headers,
        body: req.init?.body,
        maxBytes: req.maxBytes ?? MAX_BODY_BYTES,
        timeoutMs,
        signal: req.signal,
        redirects: req.redirects,
      }).finally(() => endTurn?.());
    } catch (err) {
      throwIfCancelled(req.signal);
      if (!(err instanceof HttpFetchError)) throw err;
      // An answer too large, or a redirect not followed: asking again would be answered the same way.
      if (err.kind === 'too-large' || err.kind === 'redirect')
        throw new WebServiceError('unavailable', err.message);
      if (err.code !== undefined && UNREACHABLE.has(err.code))
        throw new ServiceUnreachableError(req.service, req.url, err.code);
      const why =
        err.kind === 'timeout'
          ? `no complete answer within ${(timeoutMs / 1000).toFixed(0)} s`
          : `cannot reach ${new URL(req.url).host} (${err.code})`;
      if (attempt < retries) {
        await backoff(attempt, undefined, req.signal);
        continue;
      }
      throw new WebServiceError('unavailable', `${req.service}: ${why}; tried ${attempt + 1} times`);
    }
    if (RETRY_STATUS.has(res.status)) {
      if (attempt < retries) {
        const after = Number(res.headers.get('retry-after'));
        const retryAfterMs =
          Number.isFinite(after) && after > 0 ? Math.min(after * 1000, MAX_BACKOFF_MS) : undefined;
        await backoff(attempt, retryAfterMs, req.signal);
        continue;
      }
      throw new WebServiceError(
        'unavailable',
        `${req.service} is busy or unavailable (HTTP ${res.status}) after ${attempt + 1} tries; try again later`,
      );
    }
    return { status: res.status, body: res.body, contentType: res.headers.get('content-type') ?? '' };
  }
}

/** Waits before a retry; a cancelled run stops waiting at once. */
function backoff(attempt: number, retryAfterMs?: number, signal?: AbortSignal): Promise<void> {
  const ms = retryAfterMs ?? Math.min(FIRST_BACKOFF_MS * 2 ** attempt, MAX_BACKOFF_MS);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The response's body as JSON of the expected shape; anything else is an error that names the service and
 *  what is wrong, never a partial answer. */
export function jsonBody<T>(service: string, res: WebResponse, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new WebServiceError(
      'unavailable',
      `${service} sent a response that is not JSON (HTTP ${res.status}, ${res.body.length} bytes): nothing was applied`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebServiceError(
      'unavailable',
      `${service} sent a response Sleeve cannot read (HTTP ${res.status}; ${issue?.path.join('.') || 'top level'}: ${issue?.message}): nothing was applied`,
    );
  }
  return parsed.data;
}

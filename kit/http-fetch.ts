// One HTTP request to a server Sleeve does not control, on terms that server cannot stretch: the answer's
// body is read as a stream and refused past a size cap (an endless body must not fill the memory), one
// deadline covers the whole request (connecting, the headers, every redirect and the last byte of the
// body: a server dripping a byte a second is cut off as surely as a silent one), and redirects are
// followed only as the caller allows, by this code (`redirect: 'manual'`), never by fetch's own rules,
// which re-send a 307's body and its headers to whatever server the redirect names.

/** How far a request may be redirected. */
export type RedirectPolicy =
  /** A redirect is an error (the request carries a key or a body, or the API never redirects). */
  | 'none'
  /** A GET follows redirects within the server's own origin (scheme, host and port). */
  | 'same-origin'
  /** A GET follows redirects to any http(s) origin: only for a request that carries no credentials. */
  | 'any-origin';

export interface HttpFetchOptions {
  /** The server as errors name it: "AcoustID", "the fingerprint index at http://…". */
  readonly server: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** The most bytes the answer's body may have. */
  readonly maxBytes: number;
  /** Milliseconds for the whole request, the body included. */
  readonly timeoutMs: number;
  /** Stops the request; it then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Default 'none'. */
  readonly redirects?: RedirectPolicy;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** Where the answer came from, after the redirects followed. */
  readonly url: string;
}

export type HttpFailure = 'network' | 'timeout' | 'too-large' | 'redirect';

/** The request failed: `reason` says why without naming the server (the message does); `code`, for a
 *  network failure, the system's (ECONNREFUSED). */
export class HttpFetchError extends Error {
  override name = 'HttpFetchError';
  readonly kind: HttpFailure;
  readonly reason: string;
  readonly code: string | undefined;
  constructor(server: string, kind: HttpFailure, reason: string, code?: string) {
    super(`${server} ${reason}`);
    this.kind = kind;
    this.reason = reason;
    this.code = code;
  }
}

/** More than any real chain (the Cover Art Archive's is two: archive.org, then one of its hosts). */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Headers that speak for the user: never carried to another origin, whatever the policy. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** A byte count as a cap is said: "16 MiB", "64 KiB". */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}

export async function httpFetch(url: string, options: HttpFetchOptions): Promise<HttpAnswer> {
  const { server, signal, timeoutMs } = options;
  signal?.throwIfAborted();
  const deadline = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const method = (options.method ?? 'GET').toUpperCase();
  let headers: Record<string, string> = { ...options.headers };
  let at = new URL(url);
  try {
    for (let hops = 0; ; hops++) {
      const res = await fetch(at, { method, headers, body: options.body, signal: both, redirect: 'manual' });
      const location = REDIRECT_STATUS.has(res.status) ? res.headers.get('location') : null;
      if (location === null) {
        const body = await boundedBody(res, options);
        return { status: res.status, headers: res.headers, body, url: at.href };
      }
      await res.body?.cancel().catch(() => undefined);
      const next = new URL(location, at);
      const refused = refusal(options.redirects ?? 'none', method, at, next, hops);
      if (refused)
        throw new HttpFetchError(server, 'redirect', `redirected to ${next.href}: not followed (${refused})`);
      if (next.origin !== at.origin)
        headers = Object.fromEntries(
          Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k.toLowerCase())),
        );
      at = next;
    }
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof HttpFetchError) throw err;
    if (deadline.aborted)
      throw new HttpFetchError(
        server,
        'timeout',
        `sent no complete answer within ${formatSeconds(timeoutMs)}`,
      );
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new HttpFetchError(server, 'network', `cannot be reached at ${at.host} (${code})`, code);
  }
}

/** Why a redirect from `from` to `to` is not followed; undefined when it is. */
function refusal(
  policy: RedirectPolicy,
  method: string,
  from: URL,
  to: URL,
  hops: number,
): string | undefined {
  if (policy === 'none') return 'this request is never redirected';
  // A redirected POST would send its body (a key, fingerprints) again, wherever the server says.
  if (method !== 'GET' && method !== 'HEAD') return `a ${method} is never redirected`;
  if (to.protocol !== 'http:' && to.protocol !== 'https:') return `not http(s)`;
  if (policy === 'same-origin' && to.origin !== from.origin) return `another origin than ${from.origin}`;
  if (hops + 1 > MAX_REDIRECTS) return `more than ${MAX_REDIRECTS} redirects`;
  return undefined;
}

/** The body, read as it comes and refused as soon as it passes the cap. */
async function boundedBody(res: Response, options: HttpFetchOptions): Promise<Buffer> {
  const max = options.maxBytes;
  const tooLarge = () =>
    new HttpFetchError(options.server, 'too-large', `sent more than ${formatBytes(max)}: not read`);
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // A length said beforehand is believed only when it refuses: the bytes are counted anyway.
    if (Number(res.headers.get('content-length')) > max) throw tooLarge();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) throw tooLarge();
      chunks.push(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined); // closes the connection: nothing more is received
    throw err;
  }
  return Buffer.concat(chunks, size);
}

const formatSeconds = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

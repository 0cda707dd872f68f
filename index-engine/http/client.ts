// A client of acoustid-index's HTTP API (an fpindex server, a replica set's address, or `sleeve index
// serve`), with the same calls recording groups make on the embedded engine. Every call it makes is
// idempotent (an insert replaces the document, deletes and PUT/DELETE of an index repeat harmlessly), so a
// call that failed for a passing reason (unreachable, 502/503/504: a replica still loading, a search
// timeout) is tried again, 0.5, 1, 2, 4, 8, 15… s apart; after the last try it is RemoteIndexUnavailable.
// No server can flood or stall a scan (kit/http-fetch.ts): each answer is capped by its kind, each request
// has a deadline for all of it, and a redirect is never followed (the API has none: a server that sends one
// is not where index.url says). An answer past its cap, or a redirect, is RemoteIndexUnavailable at once,
// so grouping waits for the next scan rather than the scan failing.
import { decode as msgpackDecode } from '@msgpack/msgpack';
import { z } from 'zod';
import { formatBytes, type HttpAnswer, HttpFetchError, httpFetch } from '../../kit/http-fetch.ts';
import type { CreateResult, IndexHealth } from '../engine-api.ts';
import type { Query, SearchHit, SearchOptions } from '../search.ts';
import type { Change, UpdateRequest } from '../transaction.ts';
import { RemoteIndexError, RemoteIndexUnavailable } from './remote-errors.ts';
import { encodeBody, expandKeys, JSON_TYPE, MSGPACK_TYPE, type WireFormat } from './wire-format.ts';

export interface RemoteIndexOptions {
  /** The server's base address, e.g. http://fpindex.internal:6081 */
  readonly url: string;
  /** Request and reply bodies: msgpack (smaller, the default) or JSON. */
  readonly format?: WireFormat;
  /** Sent as `Authorization: Bearer TOKEN`. */
  readonly token?: string;
  /** Tries after the first for a call that failed for a passing reason. */
  readonly retries?: number;
  /** Said once per retried call: what failed and when it is tried again. */
  readonly onRetry?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Changes per _update request (each request is one transaction on the server). */
  readonly changesPerUpdate?: number;
  /** Searches in flight at once (the API searches one query per request). */
  readonly parallelSearches?: number;
  /** Milliseconds one request may take before it counts as failed (and is tried again). */
  readonly requestTimeoutMs?: number;
  /** Milliseconds an index may answer "loading" (503) before it is unavailable for this run. */
  readonly loadingTimeoutMs?: number;
}

const RETRY_STATUS = new Set([502, 503, 504]);
/** The errors of an index that failed its checks, on every request from then on (index-directory.ts). */
const DAMAGED = new Set(['CorruptSegment', 'CorruptManifest']);
/** The most bytes of an answer: the API's replies are a few numbers (a proxy's error page a few KiB)… */
const REPLY_CAP = 1 << 20;
/** …and a search's at most 100 hits (the server clamps `limit`), well under this. */
const SEARCH_CAP = 4 << 20;
const MAX_DELAY_MS = 15_000;

const CreateReply = z.object({ version: z.number(), ready: z.boolean(), generation: z.number() });
const DeleteReply = z.object({ deleted: z.boolean() });
const UpdateReply = z.object({ version: z.number() });
const SearchReply = z.object({ results: z.array(z.object({ id: z.number(), score: z.number() })) });
const ErrorReply = z.object({ error: z.string() });

/** Full JSON names of the replies' msgpack fields (each shortened to its first letter). */
const REPLY_NAMES: Record<string, string> = {
  v: 'version',
  r: 'ready',
  g: 'generation',
  d: 'deleted',
  e: 'error',
};

type Failure = { retry: true; reason: string } | { retry: false; error: Error };

export class RemoteIndex {
  readonly url: string;
  readonly #format: WireFormat;
  readonly #options: RemoteIndexOptions;
  /** Per index, the updates sent and not yet answered: a search waits for them, as the engine's does. */
  readonly #updating = new Map<string, Promise<unknown>>();
  /** Since when each index has answered "loading" without a break. */
  readonly #loadingSince = new Map<string, number>();

  constructor(options: RemoteIndexOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#format = options.format ?? 'msgpack';
    this.#options = options;
  }

  async health(name: string): Promise<IndexHealth> {
    const reply = await this.#request(
      'GET',
      `/${encodeURIComponent(name)}/_health`,
      undefined,
      [200, 404, 503],
    ).catch((err: unknown) => {
      // An index the server set aside, a file of it damaged: failed, which the library that made it makes
      // again (recording-groups.ts), as it does its embedded one.
      if (err instanceof RemoteIndexError && DAMAGED.has(err.code)) return 'failed' as const;
      throw err;
    });
    if (reply === 'failed') return reply;
    if (reply.status !== 503) {
      this.#loadingSince.delete(name);
      return reply.status === 200 ? 'ready' : 'absent';
    }
    // A replica may load for minutes, or a proxy keep answering 503: not waited for forever.
    const since = this.#loadingSince.get(name) ?? performance.now();
    this.#loadingSince.set(name, since);
    const limit = this.#options.loadingTimeoutMs ?? 30_000;
    if (performance.now() - since > limit)
      throw new RemoteIndexUnavailable(
        `the fingerprint index at ${this.url} is still loading after ${Math.round(limit / 1000)} s`,
      );
    return 'loading';
  }

  async createIndex(name: string): Promise<CreateResult> {
    return this.#parse(CreateReply, await this.#request('PUT', `/${encodeURIComponent(name)}`));
  }

  async deleteIndex(name: string): Promise<boolean> {
    return this.#parse(DeleteReply, await this.#request('DELETE', `/${encodeURIComponent(name)}`)).deleted;
  }

  /** Sends the changes in batches (each its own transaction there); the last version written. */
  update(name: string, request: UpdateRequest): Promise<number> {
    const sent = this.#send(name, request);
    const settled = sent.catch(() => {});
    const chain = Promise.all([this.#updating.get(name), settled]);
    this.#updating.set(name, chain);
    void chain.then(() => this.#updating.get(name) === chain && this.#updating.delete(name));
    return sent;
  }

  async #send(name: string, request: UpdateRequest): Promise<number> {
    const per = this.#options.changesPerUpdate ?? 4096;
    let version = 0;
    for (let i = 0; i < Math.max(request.changes.length, 1); i += per) {
      const changes = request.changes.slice(i, i + per).map(wireChange);
      const last = i + per >= request.changes.length;
      const body = { changes, ...(last && request.metadata ? { metadata: request.metadata } : {}) };
      const reply = await this.#request('POST', `/${encodeURIComponent(name)}/_update`, body);
      version = this.#parse(UpdateReply, reply).version;
    }
    return version;
  }

  /** Each query as its own search, a few in flight at once, once the updates sent before are answered;
   *  the results in the order of `queries`. */
  async searchMany(
    name: string,
    queries: readonly Query[],
    options: SearchOptions = {},
  ): Promise<SearchHit[][]> {
    // Like the embedded engine's, a search sees every update sent before it (answered, over HTTP).
    await this.#updating.get(name);
    const results: SearchHit[][] = new Array(queries.length);
    let next = 0;
    let failed = false; // one search failed for good: the others stop sending
    const path = `/${encodeURIComponent(name)}/_search`;
    const worker = async () => {
      while (next < queries.length && !failed) {
        const i = next++;
        const body = {
          query: Array.from(queries[i]!),
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
          ...(options.minScore !== undefined ? { min_score: options.minScore } : {}),
          ...(options.scorePct !== undefined ? { score_pct: options.scorePct } : {}),
          ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        };
        try {
          results[i] = this.#parse(
            SearchReply,
            await this.#request('POST', path, body, [200], SEARCH_CAP),
          ).results;
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    const parallel = Math.min(this.#options.parallelSearches ?? 8, queries.length);
    await Promise.all(Array.from({ length: parallel }, worker));
    return results;
  }

  /** Nothing to release: connections are pooled by Node's fetch. */
  async close(): Promise<void> {}

  #parse<T>(schema: z.ZodType<T>, reply: { status: number; body: unknown }): T {
    const parsed = schema.safeParse(reply.body);
    if (!parsed.success)
      throw new RemoteIndexError(
        reply.status,
        'BadReply',
        `${this.url} answered something else than acoustid-index's API`,
      );
    return parsed.data;
  }

  /** One call, tried again while it fails for a passing reason; `accept`: statuses that are answers. */
  async #request(
    method: string,
    path: string,
    body?: unknown,
    accept: readonly number[] = [200],
    maxBytes = REPLY_CAP,
  ): Promise<{ status: number; body: unknown }> {
    const retries = this.#options.retries ?? 6;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#once(method, path, body, accept, maxBytes);
      if (!('retry' in outcome)) return outcome;
      if (!outcome.retry) throw outcome.error;
      if (attempt >= retries)
        throw new RemoteIndexUnavailable(
          `the fingerprint index at ${this.url} is unavailable (${outcome.reason}) after ${attempt + 1} tries`,
        );
      const delay = Math.min(500 * 2 ** attempt, MAX_DELAY_MS);
      this.#options.onRetry?.(
        `the fingerprint index at ${this.url}: ${outcome.reason}; trying again in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, this.#options.signal);
    }
  }

  async #once(
    method: string,
    path: string,
    body: unknown,
    accept: readonly number[],
    maxBytes: number,
  ): Promise<{ status: number; body: unknown } | Failure> {
    const headers: Record<string, string> = { Accept: this.#format === 'json' ? JSON_TYPE : MSGPACK_TYPE };
    if (this.#options.token) headers.Authorization = `Bearer ${this.#options.token}`;
    let payload: Uint8Array | undefined;
    if (body !== undefined) {
      const encoded = encodeBody(body, this.#format);
      headers['Content-Type'] = encoded.type;
      payload = encoded.bytes;
    }
    const timeoutMs = this.#options.requestTimeoutMs ?? 30_000;
    let res: HttpAnswer;
    try {
      res = await httpFetch(`${this.url}${path}`, {
        server: `the fingerprint index at ${this.url}`,
        method,
        headers,
        body: payload,
        maxBytes,
        timeoutMs,
        signal: this.#options.signal,
      });
    } catch (err) {
      if (this.#options.signal?.aborted) return { retry: false, error: this.#options.signal.reason as Error };
      if (!(err instanceof HttpFetchError)) throw err;
      if (err.kind === 'timeout')
        return { retry: true, reason: `no complete answer within ${timeoutMs / 1000} s` };
      if (err.kind === 'network') return { retry: true, reason: err.code ?? err.reason };
      // Too large, or redirected: asking again would only be answered the same way.
      const hint = err.kind === 'redirect' ? ': set index.url to the address the server answers at' : '';
      return {
        retry: false,
        error: new RemoteIndexUnavailable(
          err.kind === 'too-large'
            ? `the fingerprint index at ${this.url} sent more than ${formatBytes(maxBytes)} in answer to ${method} ${path}: not read`
            : `${err.message}${hint}`,
        ),
      };
    }
    const decoded = decodeReply(res.body, res.headers.get('content-type'));
    if (accept.includes(res.status)) return { status: res.status, body: decoded };
    const code = ErrorReply.safeParse(decoded).data?.error ?? `HTTP ${res.status}`;
    if (RETRY_STATUS.has(res.status)) return { retry: true, reason: `${res.status} ${code}` };
    // A read-only feed (acoustid-server's fpindex-feed behind a replica) cannot hold a library's groups.
    const why =
      code === 'FeedIsReadOnly' ? ' (a read-only changelog feed: Sleeve needs an index it can write)' : '';
    return {
      retry: false,
      error: new RemoteIndexError(
        res.status,
        code,
        `the fingerprint index at ${this.url} refused ${method} ${path}: ${res.status} ${code}${why}`,
      ),
    };
  }
}

/** A change as the API's tagged union. */
function wireChange(c: Change): unknown {
  if (c.op === 'insert') return { insert: { id: c.id, hashes: Array.from(c.hashes) } };
  if (c.op === 'delete') return { delete: { id: c.id } };
  return { set_metadata: { entries: [{ key: c.key, value: c.value }] } };
}

/** A reply body in whichever format the server chose, with msgpack's short field names made full. */
function decodeReply(bytes: Uint8Array, contentType: string | null): unknown {
  if (bytes.length === 0) return undefined;
  try {
    if (contentType?.toLowerCase().startsWith(MSGPACK_TYPE)) {
      const value = expandKeys(msgpackDecode(bytes), REPLY_NAMES);
      // Search results: {r: [{i, s}]} (`r` is `ready` elsewhere, an array only here).
      if (value && typeof value === 'object' && Array.isArray((value as { ready?: unknown }).ready))
        return {
          results: (value as { ready: unknown[] }).ready.map((h) => expandKeys(h, { i: 'id', s: 'score' })),
        };
      return value;
    }
    if (contentType?.toLowerCase().startsWith(JSON_TYPE)) return JSON.parse(new TextDecoder().decode(bytes));
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

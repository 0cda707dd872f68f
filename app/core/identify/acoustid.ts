// AcoustID's lookup (https://acoustid.org/webservice, `/v2/lookup`): which recordings a fingerprint is.
// Fingerprints go up to 20 per request (the service's batch mode: `fingerprint.N` and `duration.N` in one
// POST, answered as `fingerprints: [{index, results}]`), at most 3 requests a second; every answer is
// cached in the library, so asking again about the same fingerprint costs no request. Responses are
// validated: anything malformed or truncated is an error that names the service, never a partial result.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { limiterFor, type RateLimiter } from './rate-limiter.ts';
import { idProblem, type NamedId } from './service-ids.ts';
import { WebCache } from './web-cache.ts';
import { jsonBody, throwIfCancelled, WebServiceError, webRequest } from './web-request.ts';

/** The service's most fingerprints in one lookup (its MAX_FINGERPRINT_QUERIES_PER_REQUEST). */
export const ACOUSTID_BATCH = 20;
/** What a lookup asks for: recordings with their artists and release groups (with releases), compressed. */
const META = 'recordings releasegroups releases tracks compress';
/** Batches in flight at once: the limiter spaces them; two keep the line busy while one waits. */
const IN_FLIGHT = 2;

const Artist = z
  .object({ id: z.string(), name: z.string(), joinphrase: z.string().optional() })
  .passthrough();
const Release = z
  .object({
    id: z.string(),
    title: z.string().optional(),
    country: z.string().optional(),
    track_count: z.number().optional(),
    medium_count: z.number().optional(),
    date: z
      .object({ year: z.number().optional(), month: z.number().optional(), day: z.number().optional() })
      .optional(),
  })
  .passthrough();
const Recording = z
  .object({
    id: z.string(),
    title: z.string().optional(),
    duration: z.number().optional(),
    artists: z.array(Artist).optional(),
    releasegroups: z
      .array(
        z
          .object({
            id: z.string(),
            title: z.string().optional(),
            type: z.string().optional(),
            secondarytypes: z.array(z.string()).optional(),
            releases: z.array(Release).optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();
const Result = z
  .object({ id: z.string(), score: z.number(), recordings: z.array(Recording).optional() })
  .passthrough();
export type AcoustIdResult = z.infer<typeof Result>;

const Answer = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    fingerprints: z.array(z.object({ index: z.union([z.number(), z.string()]), results: z.array(Result) })),
  }),
  z.object({ status: z.literal('error'), error: z.object({ code: z.number(), message: z.string() }) }),
]);

export interface AcoustIdOptions {
  /** The application key (https://acoustid.org/new-application). */
  readonly apiKey: string;
  /** The service's base, e.g. https://api.acoustid.org/v2 (or a compatible server). */
  readonly url: string;
  readonly requestsPerSecond?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  /** Fingerprints per request, 1 to 20 (default 20; 1 is the peers' one file per request, for the
   *  benchmark). */
  readonly batchSize?: number;
}

export interface FingerprintQuery {
  /** Chromaprint's compressed form, base64 (what fpcalc prints). */
  readonly fingerprint: string;
  /** Seconds, whole. */
  readonly duration: number;
}

export interface LookupStats {
  requests: number;
  cached: number;
}

const cacheKey = (q: FingerprintQuery) =>
  createHash('sha256').update(`${q.duration}\n${q.fingerprint}\n${META}`).digest('hex');

/** The ids a result names. */
function* resultIds(r: AcoustIdResult): Generator<NamedId> {
  yield ['the AcoustID', r.id];
  for (const rec of r.recordings ?? []) {
    yield ['the recording', rec.id];
    for (const a of rec.artists ?? []) yield ['the artist', a.id];
    for (const g of rec.releasegroups ?? []) {
      yield ['the release group', g.id];
      for (const rel of g.releases ?? []) yield ['the release', rel.id];
    }
  }
}

export class AcoustIdClient {
  readonly #cache: WebCache;
  readonly #options: AcoustIdOptions;
  readonly #limiter: RateLimiter;
  readonly #signal: AbortSignal | undefined;
  readonly stats: LookupStats = { requests: 0, cached: 0 };
  /** Results left out, and why (an id that is not one). */
  readonly warnings = new Set<string>();

  /** `signal`: cancels the lookups (those answered stay cached). */
  constructor(db: Db, options: AcoustIdOptions, signal?: AbortSignal) {
    this.#signal = signal;
    if (!options.apiKey.trim())
      throw new WebServiceError(
        'bad_request',
        'AcoustID needs an application key: set identify.acoustid.apiKey in config.json (register one at https://acoustid.org/new-application)',
      );
    // "Unknown" (no result) is asked again after a day: someone may have submitted it since.
    this.#cache = new WebCache(db, 'acoustid', { notFound: (body) => body === '[]' });
    this.#options = options;
    // The service allows 3 a second; never more, whatever the config says.
    this.#limiter = limiterFor(options.url, Math.min(options.requestsPerSecond ?? 3, 3));
  }

  /** The results for each query, in order (empty when AcoustID knows the fingerprint not); `onProgress`
   *  hears of each request answered. */
  async lookup(
    queries: readonly FingerprintQuery[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<AcoustIdResult[][]> {
    const out: Array<AcoustIdResult[] | undefined> = queries.map((q) => this.#cached(q));
    this.stats.cached += out.filter((r) => r !== undefined).length;
    const missing = queries.flatMap((_, i) => (out[i] === undefined ? [i] : []));
    const batches: number[][] = [];
    const size = Math.max(1, Math.min(this.#options.batchSize ?? ACOUSTID_BATCH, ACOUSTID_BATCH));
    for (let i = 0; i < missing.length; i += size) batches.push(missing.slice(i, i + size));
    // Batches go out as the limiter allows, each answer cached as it comes (an interrupted run resumes
    // where it stopped); the first failure stops the rest, so nothing keeps asking after it.
    let next = 0;
    let done = 0;
    let failed = false;
    onProgress?.(0, batches.length);
    const worker = async () => {
      while (!failed && next < batches.length) {
        const batch = batches[next++]!;
        try {
          throwIfCancelled(this.#signal);
          const answers = await this.#request(batch.map((i) => queries[i]!));
          batch.forEach((i, k) => {
            out[i] = answers[k]!;
            this.#store(queries[i]!, answers[k]!);
          });
          onProgress?.(++done, batches.length);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, worker));
    return (out as AcoustIdResult[][]).map((results) => results.filter((r) => this.#idsValid(r)));
  }

  /** Whether every id the result names is one; if not, it is left out, with a warning. */
  #idsValid(r: AcoustIdResult): boolean {
    const problem = idProblem('AcoustID', resultIds(r), 'that result');
    if (problem) this.warnings.add(problem);
    return problem === undefined;
  }

  async #request(batch: readonly FingerprintQuery[]): Promise<AcoustIdResult[][]> {
    const form = new URLSearchParams({
      client: this.#options.apiKey,
      format: 'json',
      meta: META,
      batch: '1',
    });
    batch.forEach((q, i) => {
      form.set(`duration.${i}`, String(Math.round(q.duration)));
      form.set(`fingerprint.${i}`, q.fingerprint);
    });
    const res = await webRequest({
      service: 'AcoustID',
      // Every attempt sent counts, a retry of a busy answer too: what the service was asked.
      onSend: () => this.stats.requests++,
      url: `${this.#options.url.replace(/\/+$/, '')}/lookup`,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      },
      // The form carries the application key and the fingerprints: never sent again wherever a redirect
      // points.
      redirects: 'none',
      limiter: this.#limiter,
      signal: this.#signal,
      timeoutMs: this.#options.timeoutMs,
      retries: this.#options.retries,
    });
    const data = jsonBody('AcoustID', res, Answer);
    if (data.status === 'error') {
      const { code, message } = data.error;
      // 4: invalid API key; 14: too many requests (already retried by webRequest when sent as HTTP 429).
      if (code === 4)
        throw new WebServiceError(
          'bad_request',
          `AcoustID refused the application key in config.json (identify.acoustid.apiKey): ${message}`,
        );
      throw new WebServiceError('unavailable', `AcoustID: ${message} (error ${code})`);
    }
    const byIndex = new Map(data.fingerprints.map((f) => [Number(f.index), f.results]));
    return batch.map((_, i) => {
      const results = byIndex.get(i);
      if (!results)
        throw new WebServiceError(
          'unavailable',
          `AcoustID's answer has no result for fingerprint ${i} of the ${batch.length} asked (a truncated response?): nothing was applied`,
        );
      return results;
    });
  }

  /** The kept answer, while it is young enough (web-cache.ts). */
  #cached(q: FingerprintQuery): AcoustIdResult[] | undefined {
    const kept = this.#cache.get(cacheKey(q));
    return kept === undefined ? undefined : (JSON.parse(kept) as AcoustIdResult[]);
  }

  #store(q: FingerprintQuery, results: readonly AcoustIdResult[]): void {
    this.#cache.put(cacheKey(q), JSON.stringify(results));
  }
}

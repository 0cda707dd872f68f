// MusicBrainz's web service, WS/2 in JSON (https://musicbrainz.org/doc/MusicBrainz_API): a release looked
// up by its MBID with its media, tracks, recordings, artist credits, labels and release group; and a search
// for releases by album title and artist, for files AcoustID does not know. At most one request a second
// (the service's rule, per client), with a User-Agent naming Sleeve and, when configured, a contact, as the
// service asks. Every answer is kept in the library: asking again within 30 days costs no request.
import { z } from 'zod';
import { SLEEVE_VERSION } from '../../../kit/version.ts';
import { UUID } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { limiterFor, type RateLimiter } from './rate-limiter.ts';
import { idProblem, type NamedId } from './service-ids.ts';
import { WebCache } from './web-cache.ts';
import { jsonBody, WebServiceError, webRequest } from './web-request.ts';

/** What a release lookup includes: with the artist relationships of the release, its recordings and their
 *  works, the works the recordings perform, and the recordings' ISRCs (credits.ts) — one request. */
const RELEASE_INC =
  'recordings artist-credits labels release-groups media artist-rels recording-level-rels work-rels work-level-rels isrcs';
/** Longer than any real album or artist name: a search is for the start of a longer tag. */
const MAX_PHRASE_CHARS = 200;
/** Releases a search returns (the best few are looked up in full). */
const SEARCH_LIMIT = 5;

/** A MusicBrainz identifier (a UUID): anything else never reaches a URL. */
export const MBID = UUID;

const nullable = <T extends z.ZodTypeAny>(t: T) =>
  t
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();

const ArtistCredit = z.array(
  z
    .object({
      name: z.string(),
      joinphrase: nullable(z.string()),
      artist: z.object({ id: z.string(), name: z.string(), 'sort-name': nullable(z.string()) }).passthrough(),
    })
    .passthrough(),
);

const Track = z
  .object({
    id: z.string(),
    number: nullable(z.string()),
    position: z.number(),
    title: z.string(),
    /** Milliseconds. */
    length: nullable(z.number()),
    'artist-credit': ArtistCredit.optional(),
    recording: z
      .object({
        id: z.string(),
        title: nullable(z.string()),
        length: nullable(z.number()),
        // Read one by one (credits.ts): a relationship in an odd shape is left out, not the release.
        relations: z.array(z.unknown()).optional(),
        isrcs: z.array(z.unknown()).optional(),
      })
      .passthrough(),
  })
  .passthrough();

const Release = z
  .object({
    id: z.string(),
    title: z.string(),
    status: nullable(z.string()),
    date: nullable(z.string()),
    country: nullable(z.string()),
    barcode: nullable(z.string()),
    'artist-credit': ArtistCredit.default([]),
    relations: z.array(z.unknown()).optional(),
    'label-info': z
      .array(
        z
          .object({
            'catalog-number': nullable(z.string()),
            label: nullable(z.object({ id: z.string(), name: z.string() }).passthrough()),
          })
          .passthrough(),
      )
      .default([]),
    'release-group': nullable(
      z
        .object({
          id: z.string(),
          title: nullable(z.string()),
          'primary-type': nullable(z.string()),
          'secondary-types': z.array(z.string()).default([]),
          'first-release-date': nullable(z.string()),
        })
        .passthrough(),
    ),
    media: z
      .array(
        z
          .object({
            position: z.number(),
            title: nullable(z.string()),
            format: nullable(z.string()),
            'track-count': z.number(),
            tracks: z.array(Track).default([]),
          })
          .passthrough(),
      )
      .default([]),
  })
  .passthrough();
export type MbRelease = z.infer<typeof Release>;
export type MbArtistCredit = z.infer<typeof ArtistCredit>;

const Search = z
  .object({
    releases: z.array(
      z
        .object({
          id: z.string(),
          score: z.coerce.number(),
          title: z.string(),
          'track-count': nullable(z.number()),
        })
        .passthrough(),
    ),
  })
  .passthrough();
type MbSearchHit = z.infer<typeof Search>['releases'][number];

export interface MusicBrainzOptions {
  /** The service's WS/2 base, e.g. https://musicbrainz.org/ws/2 (or a mirror). */
  readonly url: string;
  readonly requestsPerSecond?: number;
  readonly retries?: number;
  readonly timeoutMs?: number;
  /** An e-mail address or URL the service may contact about this client, sent in the User-Agent. */
  readonly contact?: string;
}

/** An artist credit as one line, as MusicBrainz shows it ("Ada North feat. The Lanterns"). */
export const creditText = (credit: MbArtistCredit): string =>
  credit.map((c) => `${c.name}${c.joinphrase ?? ''}`).join('');

/** A phrase for Lucene's query syntax (the search's), quoted with its specials escaped. */
const phrase = (s: string) => `"${s.slice(0, MAX_PHRASE_CHARS).replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The ids a release names, as they would reach the tags. */
function* releaseIds(r: MbRelease): Generator<NamedId> {
  const credit = function* (c: MbArtistCredit): Generator<NamedId> {
    for (const a of c) yield ['the artist', a.artist.id];
  };
  yield ['the release', r.id];
  if (r['release-group']) yield ['the release group', r['release-group'].id];
  yield* credit(r['artist-credit']);
  for (const l of r['label-info']) if (l.label) yield ['the label', l.label.id];
  for (const m of r.media)
    for (const t of m.tracks) {
      yield ['the track', t.id];
      yield ['the recording', t.recording.id];
      if (t['artist-credit']) yield* credit(t['artist-credit']);
    }
}

export class MusicBrainzClient {
  readonly #options: MusicBrainzOptions;
  readonly #limiter: RateLimiter;
  readonly #cache: WebCache;
  readonly #signal: AbortSignal | undefined;
  readonly stats = { requests: 0, cached: 0 };
  /** Answers left out, and why (an id that is not one). */
  readonly warnings = new Set<string>();

  /** `signal`: cancels the requests (answers already received stay cached). */
  constructor(db: Db, options: MusicBrainzOptions, signal?: AbortSignal) {
    this.#signal = signal;
    this.#options = options;
    this.#cache = new WebCache(db, 'musicbrainz', { notFound: (body) => body === '' });
    // One a second is the service's limit; never more, whatever the config says.
    this.#limiter = limiterFor(options.url, Math.min(options.requestsPerSecond ?? 1, 1), 'answer');
  }

  /** The release with its tracks (a merged-away id answers with the release it was merged into); null when
   *  MusicBrainz has no such release. */
  async release(id: string): Promise<MbRelease | null> {
    if (!MBID.test(id)) return null;
    const release = await this.#get(`release/${id}`, { inc: RELEASE_INC }, Release);
    const problem = release && idProblem('MusicBrainz', releaseIds(release), `release ${id}`);
    if (!problem) return release;
    this.warnings.add(problem);
    return null;
  }

  /** Releases whose title and artist match, best first (the service's own score, 0–100). */
  async searchReleases(album: string, artist: string | undefined): Promise<MbSearchHit[]> {
    const query = [`release:${phrase(album)}`, ...(artist ? [`artist:${phrase(artist)}`] : [])].join(' AND ');
    const found = await this.#get('release', { query, limit: String(SEARCH_LIMIT) }, Search);
    return (found?.releases ?? []).filter((hit) => {
      const problem = idProblem('MusicBrainz', [['the release', hit.id]], 'that search result');
      if (problem) this.warnings.add(problem);
      return problem === undefined;
    });
  }

  /** The answer to GET `path` (cached once read as `schema`), null for a 404. */
  async #get<T>(path: string, params: Record<string, string>, schema: z.ZodType<T>): Promise<T | null> {
    const search = new URLSearchParams({ ...params, fmt: 'json' }).toString();
    const base = this.#options.url.replace(/\/+$/, '');
    // The server is part of the key: a mistyped base URL's 404s are not answers from the right one.
    const key = `${base}/${path}?${search}`;
    const kept = this.#cache.get(key);
    if (kept !== undefined) {
      this.stats.cached++;
      return kept === '' ? null : (JSON.parse(kept) as T);
    }
    const contact = this.#options.contact?.trim();
    const res = await webRequest({
      service: 'MusicBrainz',
      // Every attempt sent counts, a retry of a busy answer too: what the service was asked.
      onSend: () => this.stats.requests++,
      url: key,
      init: {
        headers: {
          accept: 'application/json',
          'user-agent': `Sleeve/${SLEEVE_VERSION}${contact ? ` ( ${contact} )` : ''}`,
        },
      },
      // WS/2 does not redirect; a mirror may, within itself (a GET with no credentials).
      redirects: 'same-origin',
      limiter: this.#limiter,
      signal: this.#signal,
      timeoutMs: this.#options.timeoutMs,
      retries: this.#options.retries,
    });
    if (res.status === 404) {
      this.#cache.put(key, '');
      return null;
    }
    if (res.status !== 200) {
      const message = (() => {
        try {
          return (JSON.parse(res.body.toString('utf8')) as { error?: unknown }).error;
        } catch {
          return undefined;
        }
      })();
      throw new WebServiceError(
        'unavailable',
        `MusicBrainz answered HTTP ${res.status}${typeof message === 'string' ? `: ${message}` : ''}`,
      );
    }
    const answer = jsonBody('MusicBrainz', res, schema);
    this.#cache.put(key, JSON.stringify(answer));
    return answer;
  }
}

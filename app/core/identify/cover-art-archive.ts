// The Cover Art Archive (https://musicbrainz.org/doc/Cover_Art_Archive/API): a release's front image,
// `/release/{mbid}/front` (a redirect to the image itself; 404 when the release has none). The image is
// checked like any cover added by hand (a real PNG/JPEG/GIF/WebP/BMP, at most 16 MiB) before it is used.
// Several releases' covers are asked at once, so one slow image holds back no other; the run's signal
// stops them all.
import { atOnce } from '../../../kit/at-once.ts';
import { UserError } from '../../../kit/user-error.ts';
import { type CoverImage, coverImage, MAX_COVER_BYTES } from '../library/cover-edit.ts';
import { MBID } from './musicbrainz.ts';
import { limiterFor } from './rate-limiter.ts';
import { WebServiceError, webRequest } from './web-request.ts';

export interface CoverArtOptions {
  readonly url: string;
  readonly timeoutMs?: number;
  readonly retries?: number;
}

/** The archive sets no rate; one a second keeps a long apply polite. */
const PER_SECOND = 1;
/** Covers asked at once: the limiter still spaces their starts. */
const IN_FLIGHT = 4;

/** The release's front cover, or null when the archive has none. */
async function frontCover(
  options: CoverArtOptions,
  releaseId: string,
  signal: AbortSignal | undefined,
): Promise<CoverImage | null> {
  if (!MBID.test(releaseId)) return null;
  const res = await webRequest({
    service: 'the Cover Art Archive',
    url: `${options.url.replace(/\/+$/, '')}/release/${releaseId}/front`,
    limiter: limiterFor(options.url, PER_SECOND),
    timeoutMs: options.timeoutMs ?? 60_000,
    retries: options.retries,
    maxBytes: MAX_COVER_BYTES,
    // The archive answers with a redirect to the image on archive.org, another origin (which redirects
    // again, to one of its hosts): followed, because this is a GET that carries no key, cookie or other
    // credential, only the release id its address already shows.
    redirects: 'any-origin',
    signal,
  });
  if (res.status === 404) return null;
  if (res.status !== 200)
    throw new WebServiceError('unavailable', `the Cover Art Archive answered HTTP ${res.status}`);
  return coverImage(res.body, `the Cover Art Archive's front image of release ${releaseId}`);
}

/** The front covers of `releaseIds` that the archive has; a release whose cover cannot be had is named in
 *  `problems` (the tags are applied without it), and so are those a cancel left unasked. */
export async function frontCovers(
  options: CoverArtOptions,
  releaseIds: Iterable<string>,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<{ covers: Map<string, CoverImage>; problems: string[] }> {
  const ids = [...new Set(releaseIds)];
  const found: Array<CoverImage | string | undefined> = new Array(ids.length);
  let done = 0;
  onProgress?.(0, ids.length);
  await atOnce(ids, IN_FLIGHT, async (id, i) => {
    if (signal?.aborted) return;
    try {
      found[i] =
        (await frontCover(options, id, signal)) ??
        `the Cover Art Archive has no front image of release ${id}`;
    } catch (err) {
      if (signal?.aborted) return;
      if (!(err instanceof UserError)) throw err;
      found[i] = err.message;
    }
    onProgress?.(++done, ids.length);
  });
  const covers = new Map<string, CoverImage>();
  const problems: string[] = [];
  ids.forEach((id, i) => {
    const x = found[i];
    if (typeof x === 'string') problems.push(x);
    else if (x) covers.set(id, x);
  });
  const unasked = ids.filter((_, i) => found[i] === undefined).length;
  if (unasked > 0) problems.push(`cancelled: the front covers of ${unasked} release(s) were not fetched`);
  return { covers, problems };
}

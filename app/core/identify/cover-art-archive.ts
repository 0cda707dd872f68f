// The Cover Art Archive (https://musicbrainz.org/doc/Cover_Art_Archive/API): a release's front image,
// `/release/{mbid}/front` (a redirect to the image itself; 404 when the release has none). The image is
// checked like any cover added by hand (a real PNG/JPEG/GIF/WebP/BMP, at most 16 MiB) before it is used.
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

/** The release's front cover, or null when the archive has none. */
async function frontCover(options: CoverArtOptions, releaseId: string): Promise<CoverImage | null> {
  if (!MBID.test(releaseId)) return null;
  const res = await webRequest({
    service: 'Cover Art Archive',
    url: `${options.url.replace(/\/+$/, '')}/release/${releaseId}/front`,
    limiter: limiterFor(options.url, PER_SECOND),
    timeoutMs: options.timeoutMs ?? 60_000,
    retries: options.retries,
    maxBytes: MAX_COVER_BYTES,
  });
  if (res.status === 404) return null;
  if (res.status !== 200)
    throw new WebServiceError('unavailable', `the Cover Art Archive answered HTTP ${res.status}`);
  return coverImage(res.body, `the Cover Art Archive's front image of release ${releaseId}`);
}

/** The front covers of `releaseIds` that the archive has; a release whose cover cannot be had is named in
 *  `problems` (the tags are applied without it). */
export async function frontCovers(
  options: CoverArtOptions,
  releaseIds: Iterable<string>,
): Promise<{ covers: Map<string, CoverImage>; problems: string[] }> {
  const covers = new Map<string, CoverImage>();
  const problems: string[] = [];
  for (const id of new Set(releaseIds)) {
    try {
      const image = await frontCover(options, id);
      if (image) covers.set(id, image);
      else problems.push(`the Cover Art Archive has no front image of release ${id}`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(err.message);
    }
  }
  return { covers, problems };
}

// Cover art as an edit: a picture set (added, or replacing the one of its type) or removed on many files at
// once, as one undoable batch like any tag edit (art_edits). The image bytes are stored once, by hash, and
// must be an image a browser shows as one (PNG, JPEG, GIF, WebP, BMP: never SVG, which runs script).
import { createHash } from 'node:crypto';
import { formatBytes } from '../../../kit/http-fetch.ts';
import { UserError } from '../../../kit/user-error.ts';
import { imageMime, imageSize } from '../../shared/image-size.ts';
import { ART_DEFAULTS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { ArtStore, INSERT_ART, PICTURE_TYPES, type PictureRef } from './art.ts';
import type { PlannedArt } from './edits.ts';

/** Larger than any real cover (a 3000 × 3000 JPEG is ~3 MB): refused rather than copied into every header.
 *  The same as the default cap on pictures taken in from files (config.json's art.maxBytes). */
export const MAX_COVER_BYTES = ART_DEFAULTS.maxBytes;

export class CoverError extends UserError {
  override name = 'CoverError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** An image checked to be a cover, with its hash (SHA-256, as a scan computes it). */
export interface CoverImage {
  readonly hash: string;
  readonly mime: string;
  readonly data: Uint8Array;
}

/** Checks that `data` (named `what` in errors) is an image of a kind a browser shows as one. */
export function coverImage(data: Uint8Array, what: string): CoverImage {
  if (data.length === 0) throw new CoverError(`${what} is empty`);
  if (data.length > MAX_COVER_BYTES)
    throw new CoverError(
      `${what} is ${(data.length / 1048576).toFixed(1)} MiB: a cover is at most ${formatBytes(MAX_COVER_BYTES)}`,
    );
  const mime = imageMime(data);
  if (!mime) throw new CoverError(`${what} is not a PNG, JPEG, GIF, WebP or BMP image`);
  return { hash: createHash('sha256').update(data).digest('hex'), mime, data };
}

/** Stores a cover's bytes once (the edit that uses it stores it in its own transaction). */
export function storeCover(db: Db, image: CoverImage): void {
  const size = imageSize(image.data);
  db.prepare(INSERT_ART).run({
    hash: image.hash,
    mime: image.mime,
    width: size?.width ?? null,
    height: size?.height ?? null,
    depth: size?.depth ?? null,
    bytes: image.data.length,
    data: Buffer.from(image.data),
  });
}

/** What happens to the pictures of each file: one set (replacing those of its type), or a type removed. */
export type CoverChange =
  | { readonly kind: 'set'; readonly hash: string; readonly type: number; readonly description?: string }
  | { readonly kind: 'remove'; readonly type: number | 'all' };

/** The files whose pictures `change` alters, with their pictures after it. */
export function planCover(db: Db, fileIds: readonly number[], change: CoverChange): PlannedArt[] {
  const current = new ArtStore(db).picturesOf(fileIds);
  const plan: PlannedArt[] = [];
  for (const fileId of fileIds) {
    const before: PictureRef[] = (current.get(fileId) ?? []).map(({ hash, type, description }) => ({
      hash,
      type,
      description,
    }));
    let after: PictureRef[];
    if (change.kind === 'set') {
      const picture = { hash: change.hash, type: change.type, description: change.description ?? '' };
      // In the place of the first picture of that type (a front cover stays first), the others of it gone.
      const at = before.findIndex((p) => p.type === change.type);
      const others = before.filter((p) => p.type !== change.type);
      after = at < 0 ? [...before, picture] : [...others.slice(0, at), picture, ...others.slice(at)];
      if (change.type === PICTURE_TYPES.front && at < 0) after = [picture, ...before];
    } else {
      after = change.type === 'all' ? [] : before.filter((p) => p.type !== change.type);
    }
    if (JSON.stringify(after) !== JSON.stringify(before)) plan.push({ fileId, pictures: after });
  }
  return plan;
}

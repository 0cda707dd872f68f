// What a track's path is made from, whichever layout names it (path-template.ts): its effective tags, its
// file's name and facts, and its album's derived year.
import { basename, extname } from 'node:path';
import type { FileFacts } from '../../shared/fields.ts';

/** What a track's path is made from. */
export interface PathSource {
  /** Effective tags by Picard name (lower case). */
  readonly tags: ReadonlyMap<string, readonly string[]>;
  /** The original file's name without directory or extension (the title of last resort). */
  readonly stem: string;
  /** The original's extension, with its dot (".flac"), or "". */
  readonly extension: string;
  /** The file's properties ($format, $bitrate…). */
  readonly facts: FileFacts;
  /** Its album's year as the library derived it (app/shared/fields.ts: albumYearText); null or undefined:
   *  not derived (yet). */
  readonly albumYear?: string | null;
}

/** What a library file's path is made from: its effective tags (keys in any case), its facts and its
 *  album's derived year (app/core/library/album-tile.ts: DERIVED_ALBUM_YEAR). */
export function pathSource(
  file: FileFacts,
  tags: Iterable<readonly [string, readonly string[]]>,
  albumYear?: string | null,
): PathSource {
  const extension = extname(file.path);
  const byName = new Map<string, readonly string[]>();
  for (const [key, values] of tags) byName.set(key.toLowerCase(), values);
  return {
    tags: byName,
    stem: basename(file.path, extension),
    extension: extension.toLowerCase(),
    facts: file,
    albumYear,
  };
}

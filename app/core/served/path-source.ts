// What a track's path is made from, whichever layout names it (path-template.ts): its effective tags, its
// file's name and facts, and its album's derived values.
import { basename, extname } from 'node:path';
import { type AlbumValues, albumValuesOf, type FileFacts } from '../../shared/fields.ts';

export type { AlbumValues };

/** What a track without a title is called: its file's name without the extension. One fact for the mount's
 *  file names, `sleeve ls` and the Subsonic server's titles. */
export const fileStem = (path: string): string => basename(path, extname(path));

/** What a track's path is made from. */
export interface PathSource extends AlbumValues {
  /** Effective tags by Picard name (lower case). */
  readonly tags: ReadonlyMap<string, readonly string[]>;
  /** The original file's name without directory or extension (the title of last resort). */
  readonly stem: string;
  /** The original's extension, with its dot (".flac"), or "". */
  readonly extension: string;
  /** The file's properties ($format, $bitrate…). */
  readonly facts: FileFacts;
}

/** What a library file's path is made from: its effective tags (keys in any case), its facts and its
 *  album's derived values (app/core/library/album-tile.ts: derivedAlbumColumns). */
export function pathSource(
  file: FileFacts,
  tags: Iterable<readonly [string, readonly string[]]>,
  album: AlbumValues = {},
): PathSource {
  const extension = extname(file.path);
  const byName = new Map<string, readonly string[]>();
  for (const [key, values] of tags) byName.set(key.toLowerCase(), values);
  return {
    tags: byName,
    stem: fileStem(file.path),
    extension: extension.toLowerCase(),
    facts: file,
    ...albumValuesOf(album),
  };
}

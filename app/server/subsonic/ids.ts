// Ids as clients see them: opaque strings, a kind and a number or a hash, never a path. A song is a
// library file (tr-<file id>), a playlist Sleeve's (pl-<id>); an album (al-) and an artist (ar-) are
// named by a hash of what names them (the album's artist and title, the artist's name), so an id stays
// the same while the album or the artist is there, and is looked up in the catalog's groups; a folder of
// the browsing by a path template (fo-) by a hash of its path. Anything else is refused before it reaches
// the library.
import { createHash } from 'node:crypto';
import { ERROR, SubsonicError } from './errors.ts';

/** The one music folder: the library as the mount shows it (its id is a number, as Subsonic's are). */
export const MUSIC_FOLDER = { id: 1, name: 'Sleeve' };

export type IdKind = 'tr' | 'al' | 'ar' | 'pl' | 'fo';

export interface ParsedId {
  readonly kind: IdKind;
  /** tr, pl: the number; al, ar, fo: the hash (hex). */
  readonly value: string;
}

/** Longest id a client can send back: 3 + 16 characters. */
const SHAPE = /^(tr|pl)-([1-9][0-9]{0,14})$|^(al|ar|fo)-([0-9a-f]{16})$/;

export const trackId = (fileId: number): string => `tr-${fileId}`;
export const playlistId = (id: number): string => `pl-${id}`;

/** Hashes made, kept: every song of a page names its album and artists (a bound, not a policy). */
const hashes = new Map<string, string>();
const MAX_HASHES = 500_000;

function hashOf(text: string): string {
  const known = hashes.get(text);
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  if (hashes.size >= MAX_HASHES) hashes.clear();
  hashes.set(text, hash);
  return hash;
}
/** An album's id, by its groupKey (listening.ts). */
export const albumId = (key: string): string => `al-${hashOf(key)}`;
export const artistId = (name: string): string => `ar-${hashOf(name)}`;
/** A template folder's id, by its path ('/' between names). */
export const folderId = (path: string): string => `fo-${hashOf(`folder\u0000${path}`)}`;

/** The id's kind and value; a refusal (70, as for an id of nothing) when it is no id of this server. */
export function parseId(text: string, expected?: readonly IdKind[]): ParsedId {
  const m = text.match(SHAPE);
  const kind = (m?.[1] ?? m?.[3]) as IdKind | undefined;
  if (!m || !kind || (expected && !expected.includes(kind)))
    throw new SubsonicError(
      ERROR.notFound,
      `"${text.slice(0, 40)}" is not ${expected ? `the id of ${expected.map(kindName).join(' or ')}` : 'an id'} of this server`,
    );
  return { kind, value: (m[2] ?? m[4])! };
}

function kindName(kind: IdKind): string {
  return { tr: 'a song', al: 'an album', ar: 'an artist', pl: 'a playlist', fo: 'a folder' }[kind];
}

/** A song's or playlist's number. */
export const idNumber = (id: ParsedId): number => Number(id.value);

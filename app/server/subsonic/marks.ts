// What a listener marks: stars (songs, albums, artists), ratings, and plays (scrobble: a play counted
// for each song submitted; "now playing" notices are not kept). Kept in the library (listening.ts), apart
// from the tags. Every id is checked before anything is written: one unknown id refuses the request.
import type { Db } from '../../core/db/database.ts';
import {
  type GroupRef,
  rateGroup,
  rateTrack,
  recordPlays,
  starGroups,
  starTracks,
} from '../../core/library/listening.ts';
import { findAlbum, findArtist, findTrack } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { parseId } from './ids.ts';
import type { Params } from './params.ts';
import type { View } from './view.ts';

interface Targets {
  readonly tracks: number[];
  readonly groups: GroupRef[];
}

/** What an id names: a song, an album or an artist. */
function target(view: View, text: string, into: Targets): void {
  const { kind } = parseId(text, ['tr', 'al', 'ar']);
  if (kind === 'tr') into.tracks.push(findTrack(view, text).id);
  else if (kind === 'al') {
    const a = findAlbum(view, text);
    into.groups.push({ kind: 'album', artist: a.artist, album: a.name });
  } else into.groups.push({ kind: 'artist', artist: findArtist(view, text).name, album: '' });
}

/** What star and unstar name: at least one id (an empty one is none), each checked. */
function targets(view: View, p: Params): Targets {
  const into: Targets = { tracks: [], groups: [] };
  const ids = [...p.all('id'), ...p.all('albumId'), ...p.all('artistId')].filter((id) => id !== '');
  // A star of nothing is a client's mistake, not a success: the protocol's "required parameter missing".
  if (ids.length === 0)
    throw new SubsonicError(ERROR.missing, 'required parameter "id", "albumId" or "artistId" is missing');
  for (const id of ids) target(view, id, into);
  return into;
}

export function star(db: Db, view: View, p: Params, at: number | null): Record<string, never> {
  const { tracks, groups } = targets(view, p);
  starTracks(db, tracks, at);
  starGroups(db, groups, at);
  return {};
}

export function setRating(db: Db, view: View, p: Params): Record<string, never> {
  const rating = p.int('rating', undefined, 0, 5);
  if (rating === undefined) throw new SubsonicError(ERROR.missing, 'required parameter "rating" is missing');
  const into: Targets = { tracks: [], groups: [] };
  target(view, p.required('id'), into);
  const value = rating === 0 ? null : rating;
  if (into.tracks[0] !== undefined) rateTrack(db, into.tracks[0], value);
  else rateGroup(db, into.groups[0]!, value);
  return {};
}

export function scrobble(db: Db, view: View, p: Params, now = Date.now()): Record<string, never> {
  const ids = p.all('id');
  if (ids.length === 0) throw new SubsonicError(ERROR.missing, 'required parameter "id" is missing');
  const times = p.all('time');
  if (times.length > 0 && times.length !== ids.length)
    throw new SubsonicError(
      ERROR.generic,
      `${ids.length} "id" but ${times.length} "time": one time per song`,
    );
  const plays = ids.map((id, i) => {
    const at = times[i] === undefined ? now : Number(times[i]);
    if (!Number.isSafeInteger(at) || at < 0)
      throw new SubsonicError(ERROR.generic, '"time" is milliseconds since 1970, a whole number');
    return { id: findTrack(view, id).id, at };
  });
  if (p.bool('submission', true)) recordPlays(db, plays);
  return {};
}

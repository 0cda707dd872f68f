// Sleeve's playlists, both ways: every playlist is listed (a smart one read-only: its query chooses its
// tracks), and a client creates, renames, fills, edits and removes lists of tracks — the same playlists
// the app, the CLI and the mount show. One made on a client is its user's: the others see it read-only.
// A playlist's songs are its files as they are (another copy of a recording stays that copy); a song no
// longer present is left out of what is shown.
import type { Db } from '../../core/db/database.ts';
import {
  createPlaylist,
  deletePlaylist,
  listPlaylists,
  type Playlist,
  PlaylistError,
  playlistById,
  playlistTracks,
  renamePlaylist,
  setPlaylistTracks,
} from '../../core/library/playlists.ts';
import { findTrack } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { idNumber, parseId, playlistId } from './ids.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import { song } from './shape.ts';
import type { View } from './view.ts';

/** A playlist error in the protocol's terms: not found is 70 (said as `notFound` where given), anything
 *  else a generic 0. */
function protocolError<T>(work: () => T, notFound?: string): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof PlaylistError)
      throw new SubsonicError(
        err.code === 'not_found' ? ERROR.notFound : ERROR.generic,
        (err.code === 'not_found' && notFound) || err.message,
      );
    throw err;
  }
}

function summary(p: Playlist, tracks: readonly ReturnType<View['track']>[], user: string): Fields {
  const present = tracks.filter((t) => t !== undefined);
  const cover = present.find((t) => t.hasArt);
  return {
    id: playlistId(p.id),
    name: p.name,
    comment: p.query === null ? undefined : `smart playlist: ${p.query}`,
    owner: p.owner ?? user,
    public: false,
    songCount: present.length,
    duration: Math.round(present.reduce((s, t) => s + (t.duration ?? 0), 0)),
    created: new Date(p.createdAt).toISOString(),
    changed: new Date(p.changedAt).toISOString(),
    coverArt: cover && `tr-${cover.id}`,
    readonly: refusal(p, user) !== undefined,
  };
}

function withSongs(db: Db, view: View, p: Playlist, user: string): Fields {
  const tracks = playlistTracks(db, p).map((id) => view.track(id));
  return {
    ...summary(p, tracks, user),
    entry: tracks.flatMap((t) => (t ? [song(t, view)] : [])),
  };
}

export function getPlaylists(db: Db, view: View, user: string): Fields {
  return {
    playlists: {
      playlist: listPlaylists(db).map((p) =>
        summary(
          p,
          playlistTracks(db, p).map((id) => view.track(id)),
          user,
        ),
      ),
    },
  };
}

/** The playlist a client names by its id ("pl-99"): a missing one is said by the id the client sent. */
const byId = (db: Db, text: string): Playlist =>
  protocolError(() => playlistById(db, idNumber(parseId(text, ['pl']))), `Playlist ${text} not found`);

export function getPlaylist(db: Db, view: View, p: Params, user: string): Fields {
  return { playlist: withSongs(db, view, byId(db, p.required('id')), user) };
}

const songIds = (view: View, texts: readonly string[]): number[] => texts.map((t) => findTrack(view, t).id);

/** createPlaylist: a new list of the songs given, or (playlistId) a list's songs replaced. */
export function create(db: Db, view: View, p: Params, user: string): Fields {
  const ids = songIds(view, p.all('songId'));
  const existing = p.get('playlistId');
  const playlist = protocolError(() => {
    if (existing === undefined) return createPlaylist(db, p.required('name'), { kind: 'ids', ids }, user);
    const current = writable(byId(db, existing), user);
    const renamed =
      p.get('name') === undefined ? current : renamePlaylist(db, current.id, p.required('name'));
    return setPlaylistTracks(db, renamed.id, ids);
  });
  return { playlist: withSongs(db, view, playlist, user) };
}

/** Why `user` may not change or remove `p` from a client (it is listed to them read-only): a smart
 *  playlist (its query chooses its tracks, and it is changed in Sleeve), or another user's. Those made in
 *  Sleeve are the library's: any user changes them. */
function refusal(p: Playlist, user: string): string | undefined {
  if (p.query !== null)
    return `“${p.name}” is a smart playlist: its query chooses its tracks, and it is changed in Sleeve`;
  if (p.owner !== null && p.owner !== user)
    return `“${p.name}” is ${p.owner}'s playlist: only they change it`;
  return undefined;
}

/** `p`, when `user` may change it; else refused as not authorized, as a read-only list is. */
function writable(p: Playlist, user: string): Playlist {
  const why = refusal(p, user);
  if (why !== undefined) throw new SubsonicError(ERROR.notAuthorized, why);
  return p;
}

/** updatePlaylist: renamed, songs removed by their places (in the list before the request), songs added. */
export function update(db: Db, view: View, p: Params, user: string): Record<string, never> {
  const playlist = writable(byId(db, p.required('playlistId')), user);
  const added = songIds(view, p.all('songIdToAdd'));
  const removed = new Set(
    p.all('songIndexToRemove').map((text) => {
      const n = Number(text);
      if (!/^\d{1,9}$/.test(text))
        throw new SubsonicError(ERROR.generic, '"songIndexToRemove" is a place from 0');
      return n;
    }),
  );
  protocolError(() => {
    if (p.get('name') !== undefined) renamePlaylist(db, playlist.id, p.required('name'));
    if (added.length === 0 && removed.size === 0) return;
    const current = playlistTracks(db, playlist);
    for (const i of removed)
      if (i >= current.length)
        throw new SubsonicError(
          ERROR.generic,
          `"${playlist.name}" has no song at place ${i} (it has ${current.length})`,
        );
    setPlaylistTracks(db, playlist.id, [...current.filter((_, i) => !removed.has(i)), ...added]);
  });
  return {};
}

export function remove(db: Db, p: Params, user: string): Record<string, never> {
  const playlist = writable(byId(db, p.required('id')), user);
  protocolError(() => deletePlaylist(db, playlist.id));
  return {};
}

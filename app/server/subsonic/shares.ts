// Sharing (createShare, getShares, updateShare, deleteShare): a user shares songs, an album, an artist's
// albums, a folder (browsing by folder) or a playlist as a public link (share-page.ts serves it) that
// expires and that they can revoke (app/core/library/shares.ts keeps them). The songs are fixed when the
// share is made; each is shown as the library has it at every answer, and one no longer in it is left out.
import type { IncomingMessage } from 'node:http';
import type { Db } from '../../core/db/database.ts';
import { PlaylistError, playlistById, playlistTracks } from '../../core/library/playlists.ts';
import {
  createShare as create,
  listShares,
  MAX_SHARE_SONGS,
  NotYourShare,
  deleteShare as remove,
  type Share,
  updateShare as update,
} from '../../core/library/shares.ts';
import { findAlbum, findArtist, findTrack } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import type { TemplateFolder } from './folders.ts';
import { idNumber, parseId } from './ids.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import { artistAlbums, isoTime, presentSongs } from './shape.ts';
import type { View } from './view.ts';

/** Where a share's page is, below the server's address. */
export const SHARE_PATH = '/share/';

/** The address a client reached the server by (its Host header, when it is one; https when a proxy in
 *  front says so), else the one it listens on: the link works from where the client is. */
export function serverOrigin(req: IncomingMessage, listening: string): string {
  const host = req.headers.host;
  const scheme = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${scheme}://${host && /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : listening}`;
}

/** Each song of a folder and of the folders in it. */
function* folderSongs(folder: TemplateFolder): Generator<number> {
  for (const t of folder.songs) yield t.id;
  for (const inner of folder.folders) yield* folderSongs(inner);
}

/** The library files an id names: a song, an album's songs, an artist's albums' songs, a folder's, a
 *  playlist's. */
function* filesOf(db: Db, view: View, id: string): Generator<number> {
  const { kind } = parseId(id, ['tr', 'al', 'ar', 'fo', 'pl']);
  if (kind === 'tr') yield findTrack(view, id).id;
  else if (kind === 'al') for (const t of findAlbum(view, id).tracks) yield t.id;
  else if (kind === 'ar')
    for (const al of artistAlbums(findArtist(view, id))) for (const t of al.tracks) yield t.id;
  else if (kind === 'fo') {
    const folder = view.folders()?.byId.get(id);
    if (!folder) throw new SubsonicError(ERROR.notFound, `folder ${id} is not in the library`);
    yield* folderSongs(folder);
  } else {
    try {
      yield* playlistTracks(db, playlistById(db, idNumber(parseId(id, ['pl']))));
    } catch (err) {
      if (err instanceof PlaylistError && err.code === 'not_found')
        throw new SubsonicError(ERROR.notFound, `playlist ${id} is not in the library`);
      throw err;
    }
  }
}

/** The songs the ids name, each once, in order; refused as soon as they are more than a share holds (a
 *  client repeating a large artist's id is not expanded a hundred thousand times). */
function sharedFiles(db: Db, view: View, ids: readonly string[]): number[] {
  const files = new Set<number>();
  for (const id of new Set(ids))
    for (const file of filesOf(db, view, id)) {
      files.add(file);
      if (files.size > MAX_SHARE_SONGS)
        throw new SubsonicError(ERROR.generic, `a share holds at most ${MAX_SHARE_SONGS} songs`);
    }
  return [...files];
}

/** A share as the protocol gives it, its songs as the library has them now. */
export function shareFields(share: Share, view: View, origin: string): Fields {
  return {
    id: share.id,
    url: `${origin}${SHARE_PATH}${share.id}`,
    description: share.description ?? undefined,
    username: share.user,
    created: isoTime(share.createdAt),
    expires: isoTime(share.expiresAt),
    lastVisited: share.lastVisited === null ? undefined : isoTime(share.lastVisited),
    visitCount: share.visitCount,
    entry: presentSongs(view, share.entries),
  };
}

export function getShares(db: Db, view: View, user: string, origin: string): Fields {
  return { shares: { share: listShares(db, user).map((s) => shareFields(s, view, origin)) } };
}

export function createShare(db: Db, view: View, p: Params, user: string, origin: string): Fields {
  const ids = p.all('id');
  if (ids.length === 0) throw new SubsonicError(ERROR.missing, 'required parameter "id" is missing');
  const share = create(db, {
    user,
    entries: sharedFiles(db, view, ids),
    description: p.get('description'),
    expires: p.int('expires', undefined, 0, Number.MAX_SAFE_INTEGER),
  });
  return { shares: { share: [shareFields(share, view, origin)] } };
}

/** Another user's share is not theirs to change: the protocol's "not authorized". */
function asMaker<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof NotYourShare) throw new SubsonicError(ERROR.notAuthorized, err.message);
    throw err;
  }
}

export function updateShare(db: Db, p: Params, user: string): Fields {
  const id = p.required('id');
  const change = {
    description: p.get('description'),
    expires: p.int('expires', undefined, 0, Number.MAX_SAFE_INTEGER),
  };
  asMaker(() => update(db, id, user, change));
  return {};
}

export function deleteShare(db: Db, p: Params, user: string): Fields {
  const id = p.required('id');
  asMaker(() => remove(db, id, user));
  return {};
}

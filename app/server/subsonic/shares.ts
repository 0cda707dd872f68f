// Sharing (createShare, getShares, updateShare, deleteShare): a user shares songs, an album, an artist's
// albums or a playlist as a public link (share-page.ts serves it) that expires and that they can revoke
// (app/core/library/shares.ts keeps them). The songs are fixed when the share is made; each is shown as
// the library has it at every answer, and one no longer in the library is left out.
import type { IncomingMessage } from 'node:http';
import type { Db } from '../../core/db/database.ts';
import { playlistById, playlistTracks } from '../../core/library/playlists.ts';
import {
  createShare as create,
  listShares,
  deleteShare as remove,
  type Share,
  shareById,
  updateShare as update,
} from '../../core/library/shares.ts';
import { artistAlbums, findAlbum, findArtist, findTrack } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { idNumber, parseId } from './ids.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import { song } from './shape.ts';
import type { View } from './view.ts';

/** Where a share's page is, below the server's address. */
export const SHARE_PATH = '/share/';

/** The address a client reached the server by (its Host header, when it is one), else the one it listens
 *  on: the link works from where the client is. */
export function serverOrigin(req: IncomingMessage, listening: string): string {
  const host = req.headers.host;
  return `http://${host && /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : listening}`;
}

/** The library files an id names: a song, an album's songs, an artist's albums' songs, a playlist's. */
function filesOf(db: Db, view: View, id: string): number[] {
  const { kind } = parseId(id, ['tr', 'al', 'ar', 'pl']);
  if (kind === 'tr') return [findTrack(view, id).id];
  if (kind === 'al') return findAlbum(view, id).tracks.map((t) => t.id);
  if (kind === 'ar') return artistAlbums(findArtist(view, id)).flatMap((al) => al.tracks.map((t) => t.id));
  try {
    return playlistTracks(db, playlistById(db, idNumber(parseId(id, ['pl']))));
  } catch {
    throw new SubsonicError(ERROR.notFound, `playlist ${id} is not in the library`);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A share as the protocol gives it, its songs as the library has them now. */
export function shareFields(share: Share, view: View, origin: string): Fields {
  return {
    id: share.id,
    url: `${origin}${SHARE_PATH}${share.id}`,
    description: share.description ?? undefined,
    username: share.user,
    created: iso(share.createdAt),
    expires: iso(share.expiresAt),
    lastVisited: share.lastVisited === null ? undefined : iso(share.lastVisited),
    visitCount: share.visitCount,
    entry: share.entries.flatMap((fileId) => {
      const t = view.track(fileId);
      return t ? [song(t, view)] : [];
    }),
  };
}

export function getShares(db: Db, view: View, user: string, origin: string): Fields {
  return { shares: { share: listShares(db, user).map((s) => shareFields(s, view, origin)) } };
}

export function createShare(db: Db, view: View, p: Params, user: string, origin: string): Fields {
  const ids = p.all('id');
  if (ids.length === 0) throw new SubsonicError(ERROR.missing, 'required parameter "id" is missing');
  const files = [...new Set(ids.flatMap((id) => filesOf(db, view, id)))];
  const share = create(db, {
    user,
    entries: files,
    description: p.get('description'),
    expires: p.int('expires', undefined, 0, Number.MAX_SAFE_INTEGER),
  });
  return { shares: { share: [shareFields(share, view, origin)] } };
}

/** The share `id`, if it is `user`'s (another user's is not theirs to change). */
function mine(db: Db, id: string, user: string): void {
  const share = shareById(db, id);
  if (!share) throw new SubsonicError(ERROR.notFound, `there is no share ${id.slice(0, 30)}`);
  if (share.user !== user)
    throw new SubsonicError(ERROR.notAuthorized, `share ${id} is another user's: only they can change it`);
}

export function updateShare(db: Db, p: Params, user: string): Fields {
  const id = p.required('id');
  mine(db, id, user);
  update(db, id, user, {
    description: p.get('description'),
    expires: p.int('expires', undefined, 0, Number.MAX_SAFE_INTEGER),
  });
  return {};
}

export function deleteShare(db: Db, p: Params, user: string): Fields {
  const id = p.required('id');
  mine(db, id, user);
  remove(db, id, user);
  return {};
}

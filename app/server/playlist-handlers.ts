// The playlists view's methods: lists and smart playlists made, listed, played, changed and removed.
import type { Db } from '../core/db/database.ts';
import { exportPlaylist, importPlaylist, MAX_PLAYLIST_BYTES } from '../core/library/m3u8.ts';
import {
  appendToPlaylist,
  createPlaylist,
  deletePlaylist,
  editSmartPlaylist,
  freePlaylistName,
  listPlaylists,
  movePlaylistTrack,
  type Playlist,
  playlistById,
  playlistTracks,
  renamePlaylist,
  restorePlaylist,
  setPlaylistTracks,
} from '../core/library/playlists.ts';
import { selectedIds } from '../core/library/selection.ts';
import type { Params } from '../shared/rpc-contract.ts';
import type { Handlers } from './rpc-hub.ts';
import { trackRows } from './track-row.ts';
import type { Uploads } from './uploads.ts';

type PlaylistMethods =
  | 'playlists.list'
  | 'playlists.create'
  | 'playlists.tracks'
  | 'playlists.ids'
  | 'playlists.setTracks'
  | 'playlists.add'
  | 'playlists.move'
  | 'playlists.rename'
  | 'playlists.editSmart'
  | 'playlists.import'
  | 'playlists.export'
  | 'playlists.delete'
  | 'playlists.restore';

export function playlistHandlers(
  db: Db,
  uploads: Uploads,
  changed: () => void,
): Pick<Handlers, PlaylistMethods> {
  /** A playlist as the view shows it: with its track count now. */
  const info = (p: Playlist) => ({ ...p, tracks: playlistTracks(db, p).length });
  /** Every client hears of a change to a playlist (the lists it shows, the mount's files). */
  const tracksFrom = (from: Params<'playlists.add'>['from']) =>
    from.kind === 'ids' ? from.ids : selectedIds(db, from.target, from.sort);
  const announced = <T>(result: T): T => {
    changed();
    return result;
  };
  return {
    'playlists.list': () => ({ playlists: listPlaylists(db).map(info) }),
    'playlists.create': ({ name, from }) =>
      announced(
        info(
          createPlaylist(
            db,
            name,
            from.kind === 'smart'
              ? { kind: 'smart', query: from.query, limit: from.limit }
              : { kind: 'ids', ids: tracksFrom(from) },
          ),
        ),
      ),
    'playlists.tracks': ({ id, offset, limit }) => {
      const ids = playlistTracks(db, playlistById(db, id));
      return { total: ids.length, rows: trackRows(db, ids.slice(offset, offset + limit)) };
    },
    'playlists.ids': ({ id }) => ({ ids: playlistTracks(db, playlistById(db, id)) }),
    'playlists.setTracks': ({ id, ids }) => announced(info(setPlaylistTracks(db, id, ids))),
    'playlists.move': ({ id, from, to }) => announced(info(movePlaylistTrack(db, id, from, to))),
    'playlists.add': ({ id, from }) => {
      const { playlist, alreadyThere } = appendToPlaylist(db, id, tracksFrom(from));
      return announced({ ...info(playlist), alreadyThere });
    },
    'playlists.import': ({ name, upload }) => {
      // The page sent the file: its folder is unknown here, so relative entries are reported, not placed.
      const body = uploads.take(upload, MAX_PLAYLIST_BYTES, 'a playlist file');
      // Named by its file: the same file imported again is a list of its own, "Name (2)".
      const report = importPlaylist(db, freePlaylistName(db, name), body, null);
      return announced({ ...report, playlist: info(report.playlist) });
    },
    'playlists.export': ({ id }) => {
      const p = playlistById(db, id);
      return { name: p.name, text: exportPlaylist(db, p).text };
    },
    'playlists.rename': ({ id, name }) => announced(info(renamePlaylist(db, id, name))),
    'playlists.editSmart': ({ id, query, limit }) => announced(info(editSmartPlaylist(db, id, query, limit))),
    'playlists.delete': ({ id }) => announced({ deleted: info(deletePlaylist(db, id)) }),
    'playlists.restore': ({ id }) => announced(info(restorePlaylist(db, { id }))),
  };
}

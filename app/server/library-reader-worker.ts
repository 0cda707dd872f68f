// Worker thread: answers the library's read queries on its own read-only connection (library-reader.ts).
// Its caches (sorted id lists, albums, artists) follow the library's version like the writer's would.
import { parentPort, workerData } from 'node:worker_threads';
import { serveTasks } from '../../kit/worker-pool.ts';
import { openReader } from '../core/db/database.ts';
import { listAlbums, listArtists } from '../core/library/albums.ts';
import { ArtStore } from '../core/library/art.ts';
import type { Scope } from '../core/library/query-sql.ts';
import { libraryVersion, TrackWindows, VersionedCache } from '../core/library/track-window.ts';
import type { Result, Sort, TrackRow } from '../shared/rpc-contract.ts';
import { trackRows } from './track-row.ts';

const FRONT_COVER = 3;

/** What the track table lists: every file, or one per recording. */
export type ListScope = Extract<Scope, 'library' | 'recordings'>;

export type ReadRequest =
  | {
      op: 'page' | 'ids';
      query: string;
      sort: Sort | null;
      offset: number;
      limit: number;
      scope: ListScope;
      columns?: string[];
    }
  | { op: 'count'; query: string; scope: ListScope }
  | { op: 'albums' | 'artists'; query: string; offset: number; limit: number }
  | { op: 'rows'; ids: number[] };

export interface ReadResults {
  page: { total: number | null; rows: TrackRow[] };
  ids: Result<'library.ids'>;
  count: Result<'library.count'>;
  albums: Result<'library.albums'>;
  artists: Result<'library.artists'>;
  rows: Result<'library.rows'>;
}

function reader(database: string): (request: ReadRequest) => Promise<ReadResults[ReadRequest['op']]> {
  const db = openReader(database);
  const windows = new TrackWindows(db);
  const albums = new VersionedCache<ReturnType<typeof listAlbums>>(4);
  const artists = new VersionedCache<ReturnType<typeof listArtists>>(4);
  const art = new ArtStore(db);
  const answer = (r: ReadRequest): ReadResults[ReadRequest['op']] => {
    switch (r.op) {
      case 'page': {
        const { total, ids } = windows.window(r.query, r.sort, r.offset, r.limit, r.scope);
        return { total, rows: trackRows(db, ids, r.columns) };
      }
      case 'ids':
        return { ids: windows.window(r.query, r.sort, r.offset, r.limit, r.scope).ids };
      case 'count':
        return { total: windows.count(r.query, r.scope) };
      case 'albums': {
        const all = albums.get(r.query, libraryVersion(db), () => listAlbums(db, r.query));
        return {
          total: all.length,
          albums: all.slice(r.offset, r.offset + r.limit).map(({ artFileId, ...album }) => {
            const pictures = artFileId === null ? [] : art.pictures(artFileId);
            const cover = pictures.find((p) => p.type === FRONT_COVER) ?? pictures[0];
            return { ...album, art: cover?.hash ?? null };
          }),
        };
      }
      case 'artists': {
        const all = artists.get(r.query, libraryVersion(db), () => listArtists(db, r.query));
        return { total: all.length, artists: all.slice(r.offset, r.offset + r.limit) };
      }
      case 'rows':
        return { rows: trackRows(db, r.ids) };
    }
  };
  return async (request) => answer(request);
}

if (parentPort) serveTasks(parentPort, reader((workerData as { database: string }).database));

// Worker thread: answers the library's read queries on its own read-only connection (library-reader.ts).
// Its caches (sorted id lists, albums, artists) follow the library's version like the writer's would.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { serveTasks } from '../../kit/worker-pool.ts';
import { openReader } from '../core/db/database.ts';
import { albumCover } from '../core/library/album-covers.ts';
import { AlbumLists } from '../core/library/album-lists.ts';
import { countAlbums, countArtists } from '../core/library/albums.ts';
import { ArtStore } from '../core/library/art.ts';
import type { ListScope } from '../core/library/query-sql.ts';
import { libraryStats } from '../core/library/stats.ts';
import { libraryVersion, TrackWindows, VersionedCache } from '../core/library/track-window.ts';
import { closerQuery } from '../core/library/value-typos.ts';
import type { Result, Sort, TrackRow } from '../shared/rpc-contract.ts';
import { trackRows } from './track-row.ts';

/** What a reader worker is started with. */
export interface ReaderData {
  readonly database: string;
  /** Whether it answers what is shown after the rows (counts, totals): it then yields a busy core to the
   *  worker answering windows. */
  readonly behind: boolean;
}

/** How far below the backend's other threads a worker answering `behind` runs on Linux (nice: 0 normal,
 *  19 the lowest), where a priority is a thread's: only the worker is lowered. */
const BEHIND_NICENESS = 10;

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
  | { op: 'closer'; query: string }
  | { op: 'albums' | 'artists'; query: string; offset: number; limit: number; scope: ListScope }
  | { op: 'stats'; scope: ListScope }
  | { op: 'rows'; ids: number[] }
  /** Answered once the worker has loaded and opened the library: nothing read. */
  | { op: 'ready' };

export interface ReadResults {
  ready: Record<string, never>;
  page: { total: number | null; rows: TrackRow[] };
  ids: Result<'library.ids'>;
  count: Result<'library.count'>;
  closer: Result<'library.closer'>;
  albums: Result<'library.albums'>;
  artists: Result<'library.artists'>;
  stats: Result<'library.stats'>;
  rows: Result<'library.rows'>;
}

/** How much of the library's file a reader maps (SQLite's most). A query the user waits for reads pages
 *  scattered over the file, most of them in the kernel's cache but not yet in this connection's: mapped,
 *  each is no longer a read call and a copy. At a million tracks, a new word's first window 47 → 12–22 ms,
 *  a broad word's count 200 → 155 ms. The mapped pages are the kernel's page cache, counted in the
 *  process's resident set but not its own (shared, given back under pressure). */
const MAPPED_BYTES = 2 ** 31 - 2 ** 16;

function reader(database: string): (request: ReadRequest) => Promise<ReadResults[ReadRequest['op']]> {
  const db = openReader(database);
  db.pragma(`mmap_size = ${MAPPED_BYTES}`);
  const windows = new TrackWindows(db);
  const lists = new AlbumLists(db);
  const art = new ArtStore(db);
  const totals = new VersionedCache<ReadResults['stats']>(2);
  /** The whole library's albums and artists, as their lists held in this worker give them (the footer's
   *  totals have a worker of their own, library-reader.ts), else counted: at a million tracks counting
   *  both costs 4 s, listing them 8 s, and a list patched after an edit 0.1 s (album-lists.ts). */
  const stats = (scope: ListScope): ReadResults['stats'] => {
    const s = libraryStats(db, scope, {
      albums: () => lists.albums.length('', scope, () => countAlbums(db, scope)),
      artists: () => lists.artists.length('', scope, () => countArtists(db, scope)),
      recordings: () => windows.count('', 'recordings'),
    });
    return {
      tracks: s.files.ok,
      missing: s.files.missing,
      errors: s.files.error,
      recordings: s.recordings,
      albums: s.albums,
      artists: s.artists,
      seconds: s.listedDurationSeconds,
    };
  };
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
      case 'closer': {
        const closer = closerQuery(db, r.query);
        return { query: closer?.query ?? null, changes: [...(closer?.changes ?? [])] };
      }
      case 'albums': {
        const all = lists.albums.groups(r.query, r.scope);
        return {
          total: all.length,
          albums: all.slice(r.offset, r.offset + r.limit).map((album) => {
            const { artFileId: _, ...entry } = album.entry;
            return { ...entry, art: albumCover(art, album) };
          }),
        };
      }
      case 'artists': {
        const all = lists.artists.list(r.query, r.scope);
        return { total: all.length, artists: all.slice(r.offset, r.offset + r.limit) };
      }
      case 'stats':
        // Once per library version: the footer asks after every change, and again as views open.
        return totals.get(r.scope, libraryVersion(db), () => stats(r.scope));
      case 'rows':
        return { rows: trackRows(db, r.ids) };
      case 'ready':
        return {};
    }
  };
  return async (request) => answer(request);
}

if (parentPort) {
  const { database, behind } = workerData as ReaderData;
  // At a million tracks a broad key's count reads every file's text for up to a second, on the core the
  // next key's window needs ("Song 555" typed at 8 keys a second: its window 118–126 ms beside the count of
  // "Song 55", 60–69 ms alone).
  // Elsewhere a priority is the whole process's (macOS, Windows): the backend is left as it is.
  if (behind && process.platform === 'linux') {
    try {
      setPriority(BEHIND_NICENESS);
    } catch {} // a sandbox that refuses it: the counts run as the windows do
  }
  serveTasks(parentPort, reader(database));
}

// The Scan view's methods: scans started and stopped, the watcher's state, the library folders and the
// folders left out of them, and what could not be read (or read with a problem), a page at a time.
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import {
  excludedFolders,
  excludeFolder,
  exclusionSize,
  includeFolder,
} from '../core/library/excluded-folders.ts';
import { afterScan, libraryFolders, libraryRoots, removeFolder } from '../core/library/library-folders.ts';
import { READ_WITH_PROBLEMS } from '../core/library/query-sql.ts';
import type { Handlers } from './rpc-hub.ts';
import { folderPath, type ScanRunner } from './scan-runner.ts';
import type { WatchService } from './watch-service.ts';

type ScanMethod = Extract<keyof Handlers, `scan.${string}` | 'watch.status'>;

export function scanHandlers(
  db: Db,
  home: Home,
  scans: ScanRunner,
  watch: WatchService,
  changed: () => void,
): Pick<Handlers, ScanMethod> {
  return {
    'scan.start': ({ folders }) => scans.start(folders),
    'scan.cancel': () => ({ cancelled: scans.cancel() }),
    'scan.status': () => scans.state(),
    'watch.status': () => watch.status(),
    'scan.roots': () => ({ roots: libraryFolders(db), excluded: excludedFolders(db) }),
    'scan.exclude': async ({ path, preview }) => {
      if (preview) return exclusionSize(db, folderPath(path));
      const left = await afterScan(home, (lock) => excludeFolder(db, home, folderPath(path), lock));
      changed();
      return left;
    },
    'scan.include': ({ path }) => {
      const included = includeFolder(db, folderPath(path));
      return { path: included, root: libraryRoots(db).find((r) => included.startsWith(`${r}/`)) ?? included };
    },
    'scan.removeRoot': async ({ path }) => {
      const removed = await afterScan(home, (lock) => removeFolder(db, home, folderPath(path), lock));
      changed();
      return removed;
    },
    'scan.warnings': ({ offset, limit }) => ({
      total: db.prepare(`SELECT count(*) FROM files f WHERE ${READ_WITH_PROBLEMS}`).pluck().get() as number,
      files: db
        .prepare(
          `SELECT id, path, CASE WHEN undecodable IS NULL THEN warning
             ELSE 'no audio decodes, so no player is given it: ' || undecodable END AS error
           FROM files f WHERE ${READ_WITH_PROBLEMS} ORDER BY path LIMIT ? OFFSET ?`,
        )
        .all(limit, offset) as Array<{ id: number; path: string; error: string }>,
    }),
    'scan.errors': ({ offset, limit }) => ({
      total: db.prepare("SELECT count(*) FROM files WHERE status = 'error'").pluck().get() as number,
      files: db
        .prepare("SELECT id, path, error FROM files WHERE status = 'error' ORDER BY path LIMIT ? OFFSET ?")
        .all(limit, offset) as Array<{ id: number; path: string; error: string }>,
    }),
  };
}

// Folders inside a library folder that the user left out (beets' `ignore`, by place): an Audiobooks or
// Samples folder inside Music. Scans and the watcher never walk one (the scan's off limits); its files leave
// the lists, the duplicates and the mount as a removed library folder's do (edits kept), and come back
// with them when the rule is dropped and their library folder is scanned again.
import { resolve } from 'node:path';
import type { ExclusiveLock } from '../../../kit/exclusive-lock.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import type { Home } from '../home.ts';
import { libraryRoots, type RemovedFolder, removeFiles } from './library-folders.ts';

const under = (folder: string) => `${folder.replace(/[\\%_]/g, '\\$&')}/%`;

/** The folders left out, in path order. */
export function excludedFolders(db: Db): string[] {
  return db.prepare('SELECT path FROM excluded_folders ORDER BY path').pluck().all() as string[];
}

/** The folder `folder` names, checked: inside a library folder, not left out already. */
function folderToExclude(db: Db, folder: string): string {
  const abs = resolve(folder);
  const roots = libraryRoots(db);
  if (!roots.some((root) => abs.startsWith(`${root}/`)))
    throw new UserError(
      'bad_request',
      roots.includes(abs)
        ? `${abs} is a library folder: "sleeve forget" takes it out`
        : `${abs} is not inside a library folder (${roots.length === 0 ? 'the library has none' : roots.sort().join(', ')})`,
    );
  if (db.prepare('SELECT 1 FROM files WHERE path = ?').get(abs))
    throw new UserError('bad_request', `${abs} is a track, not a folder: exclude leaves out folders`);
  const outer = excludedFolders(db).find((e) => abs === e || abs.startsWith(`${e}/`));
  if (outer) throw new UserError('conflict', `${abs} is left out already (by the rule for ${outer})`);
  return abs;
}

function listedUnder(db: Db, folder: string): number {
  return db
    .prepare("SELECT count(*) FROM files WHERE path LIKE ? ESCAPE '\\' AND status IN ('ok', 'missing')")
    .pluck()
    .get(under(folder)) as number;
}

/** What leaving `folder` out takes out of the lists: shown before the user confirms. */
export function exclusionSize(db: Db, folder: string): RemovedFolder {
  const path = folderToExclude(db, folder);
  return { path, files: listedUnder(db, path) };
}

/** Leaves `folder` out of the library from now on; its files leave the lists now. */
export function excludeFolder(db: Db, home: Home, folder: string, lock?: ExclusiveLock): RemovedFolder {
  const path = folderToExclude(db, folder);
  return removeFiles(db, home, lock, (now) => {
    const files = listedUnder(db, path);
    db.prepare('INSERT INTO excluded_folders (path, created_at) VALUES (?, ?)').run(path, now);
    return { path, files, where: { sql: "path LIKE ? ESCAPE '\\'", params: [under(path)] } };
  });
}

/** Drops the rule for `folder`; the next scan of its library folder brings its files back. */
export function includeFolder(db: Db, folder: string): string {
  const abs = resolve(folder);
  if (db.prepare('DELETE FROM excluded_folders WHERE path = ?').run(abs).changes === 0) {
    const all = excludedFolders(db);
    throw new UserError(
      'not_found',
      `${abs} is not left out (${all.length === 0 ? 'no folder is' : `these are: ${all.join(', ')}`})`,
    );
  }
  return abs;
}

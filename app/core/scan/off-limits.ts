// What a scan never enters or reads. The kernel's pseudo-filesystems: /proc/self/fd lists the scanning
// process's own descriptors, the library database among them, and closing a descriptor a scan opened on
// that file drops SQLite's POSIX locks for the whole process (another process then deletes its -wal and
// -shm as stale, and the two work on diverging copies). And the library's own folder (the Sleeve home):
// its database, index and tables are not music, whatever path or link leads there. And every Sleeve
// mount, wherever it is: a mount inside a scanned folder would be imported again on every scan. And the
// folders the user left out of the library (excluded-folders.ts).
import { realpathSync, type Stats, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { Db } from '../db/database.ts';
import { excludedFolders } from '../library/excluded-folders.ts';
import { sleeveMounts } from '../mounts/mount-source.ts';

const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

export interface OffLimits {
  /** Folders never entered, as device:inode (links and bind mounts lead to the same key). */
  readonly folders: ReadonlySet<string>;
  /** Files never read: the database and its -wal and -shm, wherever a hard link puts them. */
  readonly files: ReadonlySet<string>;
  /** The real paths of those folders, for links (whose target is checked before it is read). */
  readonly paths: readonly string[];
  /** The Sleeve home among them. */
  readonly home: string;
  /** Sleeve's mounts among them, each with the home of the library it serves (when it names it). */
  readonly mounts: ReadonlyMap<string, string | undefined>;
  /** The folders left out among them, as the library records them. */
  readonly excluded: readonly string[];
}

export const fileKey = (s: Stats): string => `${s.dev}:${s.ino}`;

/** The device:inode of what is at `path`, or undefined (nothing there, or it cannot be looked at). */
export function keyOf(path: string): string | undefined {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? fileKey(s) : undefined;
  } catch {
    return undefined; // a mount whose daemon is gone (ENOTCONN): its path still keeps the walker out
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The places off limits to a scan of the library `db`. */
export function offLimits(db: Db): OffLimits {
  return placesOffLimits(db.name, excludedFolders(db));
}

/** The places off limits to a scan that writes `databaseFile`, the folders `excluded` among them. */
export function placesOffLimits(databaseFile: string, excluded: readonly string[] = []): OffLimits {
  const home = realOrSelf(dirname(databaseFile));
  const mounts = new Map(sleeveMounts().map((m) => [m.path, m.home]));
  const paths = [...SYSTEM_FOLDERS, home, ...mounts.keys(), ...excluded.map(realOrSelf)];
  const keys = (list: readonly string[]) =>
    new Set(list.map(keyOf).filter((k): k is string => k !== undefined));
  const file = realOrSelf(databaseFile);
  return {
    folders: keys(paths),
    files: keys([file, `${file}-wal`, `${file}-shm`]),
    paths,
    home,
    mounts,
    excluded,
  };
}

/** Whether `realPath` is one of the off-limits folders or inside one. */
export function insideOffLimits(realPath: string, limits: OffLimits): string | undefined {
  return limits.paths.find((p) => realPath === p || realPath.startsWith(p === sep ? p : `${p}${sep}`));
}

/** Why a scan never enters the real path `realPath`, or undefined. */
export function whyOffLimits(realPath: string, limits: OffLimits): string | undefined {
  const inside = insideOffLimits(realPath, limits);
  if (inside === undefined) return undefined;
  if (SYSTEM_FOLDERS.includes(inside)) return `${inside} holds the kernel's files, not music`;
  if (inside === limits.home)
    return `it is inside Sleeve's own folder ${inside} (the library database, index and tables)`;
  const excluded = limits.excluded.find((e) => realOrSelf(e) === inside);
  if (excluded !== undefined)
    return `it is inside ${excluded}, which is left out of the library ("sleeve exclude --remove ${excluded}" takes it back)`;
  const served = limits.mounts.get(inside);
  const whose =
    served === undefined
      ? 'a library it does not name'
      : realOrSelf(served) === limits.home
        ? 'this library'
        : `the library in ${served}`;
  return `it is inside the Sleeve mount at ${inside}, which serves ${whose} (its files, served again)`;
}

// What a scan never enters or reads. The kernel's pseudo-filesystems: /proc/self/fd lists the scanning
// process's own descriptors, the library database among them, and closing a descriptor a scan opened on
// that file drops SQLite's POSIX locks for the whole process (another process then deletes its -wal and
// -shm as stale, and the two work on diverging copies). And the library's own folder (the Sleeve home):
// its database, index and tables are not music, whatever path or link leads there. And every Sleeve
// mount, wherever it is: a mount inside a scanned folder would be imported again on every scan. And the
// folders the user left out of the library (excluded-folders.ts). Each place is looked at through the
// file lanes (any of them may be on a share that stopped answering): one that does not answer is kept
// out by its path. Sleeve's mounts are told by their device numbers in the kernel's mount table, never
// looked at: a daemon that stopped answering cannot hold a scan, nor does each mount cost a lane's thread.
import { dirname, sep } from 'node:path';
import { type FileLanes, withFileLanes } from '../../../kit/file-lanes.ts';
import type { Db } from '../db/database.ts';
import { excludedFolders } from '../library/excluded-folders.ts';
import { sleeveMounts } from '../mounts/mount-source.ts';

const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

export interface OffLimits {
  /** Folders never entered, as device:inode (links and bind mounts lead to the same key). */
  readonly folders: ReadonlySet<string>;
  /** Devices never entered (Sleeve's mounts), as the device part of a device:inode key. */
  readonly devices: ReadonlySet<string>;
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
  /** Their real paths → as the library records them. */
  readonly excludedAt: ReadonlyMap<string, string>;
  /** The real paths of the homes of the libraries the mounts serve (as `mounts` has them). */
  readonly servedHomes: ReadonlyMap<string, string>;
}

export const fileKey = (s: { readonly dev: number; readonly ino: number }): string => `${s.dev}:${s.ino}`;

/** Whether the folder whose device:inode is `key` is never entered: off limits itself or on a Sleeve mount. */
export function keyOffLimits(key: string, limits: OffLimits): boolean {
  return limits.folders.has(key) || limits.devices.has(key.slice(0, key.indexOf(':')));
}

/** The device:inode of what is at `path`, or undefined (nothing there, or it cannot be looked at: a mount
 *  whose daemon is gone, a share that does not answer; its path still keeps the walker out). */
export async function keyOf(path: string, files: FileLanes): Promise<string | undefined> {
  const s = await files.stat(path).catch(() => undefined);
  return s && fileKey(s);
}

async function realOrSelf(path: string, files: FileLanes): Promise<string> {
  return files.realpath(path).catch(() => path);
}

/** The places off limits to a scan of the library `db`, looked at through `files` (lanes of its own when
 *  not given). */
export async function offLimits(db: Db, files?: FileLanes): Promise<OffLimits> {
  return placesOffLimits(db.name, excludedFolders(db), files);
}

/** The places off limits to a scan that writes `databaseFile`, the folders `excluded` among them. */
export async function placesOffLimits(
  databaseFile: string,
  excluded: readonly string[] = [],
  files?: FileLanes,
): Promise<OffLimits> {
  return withFileLanes(files, async (lanes) => {
    const real = (path: string) => realOrSelf(path, lanes);
    const home = await real(dirname(databaseFile));
    const sleeve = sleeveMounts();
    const mounts = new Map(sleeve.map((m) => [m.path, m.home]));
    const excludedReal = await Promise.all(excluded.map(real));
    const lookedAt = [home, ...excludedReal]; // Sleeve's mounts are not: their devices say
    const keys = async (list: readonly string[]) =>
      new Set(
        (await Promise.all(list.map((p) => keyOf(p, lanes)))).filter((k): k is string => k !== undefined),
      );
    // The kernel's own file systems never stop answering: asked in the lane of /, not a thread each.
    const system = await Promise.all(
      SYSTEM_FOLDERS.map((p) => lanes.stat(p, { via: sep }).catch(() => undefined)),
    );
    const file = await real(databaseFile);
    const served = [...new Set(mounts.values())].filter((h): h is string => h !== undefined);
    return {
      folders: new Set([...system.flatMap((st) => (st ? [fileKey(st)] : [])), ...(await keys(lookedAt))]),
      devices: new Set(sleeve.map((m) => String(m.dev))),
      files: await keys([file, `${file}-wal`, `${file}-shm`]),
      paths: [...SYSTEM_FOLDERS, home, ...mounts.keys(), ...excludedReal],
      home,
      mounts,
      excluded,
      excludedAt: new Map(excludedReal.map((r, i) => [r, excluded[i]!])),
      servedHomes: new Map(await Promise.all(served.map(async (h) => [h, await real(h)] as const))),
    };
  });
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
  const excluded = limits.excludedAt.get(inside);
  if (excluded !== undefined)
    return `it is inside ${excluded}, which is left out of the library ("sleeve exclude --remove ${excluded}" takes it back)`;
  const served = limits.mounts.get(inside);
  const whose =
    served === undefined
      ? 'a library it does not name'
      : limits.servedHomes.get(served) === limits.home
        ? 'this library'
        : `the library in ${served}`;
  return `it is inside the Sleeve mount at ${inside}, which serves ${whose} (its files, served again)`;
}

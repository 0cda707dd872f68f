// Whether a watched library folder is still the folder it was. An unplugged disk must pause the watch,
// never read as ten thousand deleted files: a folder that vanished, or an empty mount point where a disk
// was mounted, is "away" until it is back. Asked asynchronously: a network share whose server is away
// can leave a stat hanging, which must hold one of libuv's threads, never the backend's main thread.
import type { Stats } from 'node:fs';
import { readdir, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface RootIdentity {
  readonly dev: number;
  readonly ino: number;
  /** Another file system is mounted at the folder itself (a disk's mount point). */
  readonly mountPoint: boolean;
}

export type Presence =
  | { readonly kind: 'there' }
  /** The same name, another folder (recreated, or its disk mounted again): looked at whole. */
  | { readonly kind: 'replaced'; readonly now: RootIdentity }
  | { readonly kind: 'away'; readonly reason: string };

export const NOT_THERE = 'the folder is not there (a disk unplugged or unmounted?)';

/** The folder's identity, or why it has none: not there, or unreadable (a dead network mount). */
export async function identityOrReason(path: string): Promise<RootIdentity | string> {
  try {
    return (await rootIdentity(path)) ?? NOT_THERE;
  } catch (err) {
    return `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

async function rootIdentity(path: string): Promise<RootIdentity | undefined> {
  const s = await statIfThere(path);
  if (!s?.isDirectory()) return undefined;
  const parent = await statIfThere(dirname(path));
  return { dev: s.dev, ino: s.ino, mountPoint: parent !== undefined && parent.dev !== s.dev };
}

async function statIfThere(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

export async function presence(path: string, was: RootIdentity): Promise<Presence> {
  let now: RootIdentity | undefined;
  try {
    now = await rootIdentity(path);
  } catch (err) {
    return { kind: 'away', reason: `it cannot be read (${(err as NodeJS.ErrnoException).code})` };
  }
  if (!now) return { kind: 'away', reason: NOT_THERE };
  if (was.mountPoint && !now.mountPoint)
    return { kind: 'away', reason: 'its disk is not mounted (the mount point is there, empty)' };
  if (!was.mountPoint && now.mountPoint) return { kind: 'away', reason: 'another disk is mounted over it' };
  if (now.dev !== was.dev || now.ino !== was.ino) return { kind: 'replaced', now };
  return { kind: 'there' };
}

/** An empty folder where the library has tracks: more likely a disk not mounted than every file deleted. */
export async function isEmptyFolder(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch {
    return false;
  }
}

/** Linux file systems whose changes made elsewhere (another machine, the host of a VM) send no events. */
const EVENTLESS: ReadonlyMap<number, string> = new Map([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'SMB (CIFS)'],
  [0xfe534d42, 'SMB2'],
  [0x01021997, '9P'],
  [0x5346414f, 'AFS'],
  [0x73757245, 'Coda'],
  [0x00c36400, 'Ceph'],
  [0x564c, 'NCP'],
]);

/** The name of the folder's network file system, if it is one inotify cannot follow. */
export async function eventlessFileSystem(path: string): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return EVENTLESS.get((await statfs(path)).type);
  } catch {
    return undefined;
  }
}

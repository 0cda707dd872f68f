// Whether a watched library folder is still the folder it was. An unplugged disk must pause the watch,
// never read as ten thousand deleted files: a folder that vanished, or an empty mount point where a disk
// was mounted, is "away" until it is back.
import { readdirSync, statfsSync, statSync } from 'node:fs';
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
export function identityOrReason(path: string): RootIdentity | string {
  try {
    return rootIdentity(path) ?? NOT_THERE;
  } catch (err) {
    return `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

export function rootIdentity(path: string): RootIdentity | undefined {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s?.isDirectory()) return undefined;
  const parent = statSync(dirname(path), { throwIfNoEntry: false });
  return { dev: s.dev, ino: s.ino, mountPoint: parent !== undefined && parent.dev !== s.dev };
}

export function presence(path: string, was: RootIdentity): Presence {
  let now: RootIdentity | undefined;
  try {
    now = rootIdentity(path);
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
export function isEmptyFolder(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
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
export function eventlessFileSystem(path: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return EVENTLESS.get(statfsSync(path).type);
  } catch {
    return undefined;
  }
}

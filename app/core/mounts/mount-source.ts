// Which library a Sleeve mount serves, from the kernel's table: the daemon names its home in the mount's
// source (fsname "sleeve:HOME", what `mount` and `df` show), so a scan that meets a mount can say whose
// library it is.
import { mountTable } from '../../../kit/mount-table.ts';

const PREFIX = 'sleeve:';
/** The type the kernel gives Sleeve's mounts (the daemon mounts with subtype=sleeve). */
const SLEEVE_MOUNT = 'fuse.sleeve';

/** fusermount3's fsname option for a mount of the library in `home`: commas and backslashes escaped
 *  (fusermount3 splits its options on commas). */
export function fsnameOption(home: string): string {
  return `fsname=${`${PREFIX}${home}`.replace(/[\\,]/g, '\\$&')}`;
}

export interface SleeveMount {
  readonly path: string;
  /** The home of the library it serves; undefined: a mount by a Sleeve that did not name it. */
  readonly home: string | undefined;
  /** Its device number, which stat() gives everything in it, wherever a bind mount shows it. */
  readonly dev: number;
}

/** Sleeve's mounts on this machine, as this process sees them. */
export function sleeveMounts(): SleeveMount[] {
  return mountTable()
    .filter((m) => m.type === SLEEVE_MOUNT)
    .map((m) => ({
      path: m.path,
      home: m.source.startsWith(PREFIX) ? m.source.slice(PREFIX.length) : undefined,
      dev: m.dev,
    }));
}

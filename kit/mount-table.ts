// The kernel's table of mounts, as this process sees it (/proc/self/mounts, its octal escapes undone),
// and the mount a path lies on.
import { readFileSync } from 'node:fs';

export interface MountedFs {
  /** What is mounted (a device, a FUSE file system's fsname). */
  readonly source: string;
  readonly path: string;
  /** The file system type: `fuse.sleeve` for Sleeve's own mounts. */
  readonly type: string;
}

const unescapeOctal = (field: string) =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

export function mountTable(): MountedFs[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 3)
    .map((fields) => ({
      source: unescapeOctal(fields[0]!),
      path: unescapeOctal(fields[1]!),
      type: fields[2]!,
    }));
}

/** The mount point `path` lies on: the longest mounted path above it ('/' where there is no table). */
export function mountHolding(path: string): string {
  let mounts: MountedFs[];
  try {
    mounts = mountTable();
  } catch {
    return '/'; // no /proc (not Linux): one lane for everything
  }
  let best = '/';
  for (const { path: m } of mounts)
    if (m.length > best.length && (path === m || path.startsWith(`${m}/`))) best = m;
  return best;
}

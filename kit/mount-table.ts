// The kernel's table of mounts, as this process sees it (/proc/self/mountinfo, its octal escapes undone),
// and the mount a path lies on.
import { readFileSync } from 'node:fs';

export interface MountedFs {
  /** What is mounted (a device, a FUSE file system's fsname). */
  readonly source: string;
  readonly path: string;
  /** The file system type: `fuse.sleeve` for Sleeve's own mounts. */
  readonly type: string;
  /** The device number stat() gives everything on it (st_dev), from the table's major:minor. */
  readonly dev: number;
}

const unescapeOctal = (field: string) =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

/** st_dev as Linux encodes major:minor for user space (new_encode_dev). */
const deviceNumber = (major: number, minor: number) => (minor & 0xff) + major * 256 + (minor & ~0xff) * 4096;

/** A line of mountinfo: `id parent major:minor root mount-point options [optional…] - type source super`. */
function parsed(line: string): MountedFs | undefined {
  const fields = line.split(' ');
  const dash = fields.indexOf('-', 6);
  const [major, minor] = (fields[2] ?? '').split(':').map(Number);
  if (dash < 0 || fields.length < dash + 3 || !Number.isInteger(major) || !Number.isInteger(minor))
    return undefined;
  return {
    source: unescapeOctal(fields[dash + 2]!),
    path: unescapeOctal(fields[4]!),
    type: fields[dash + 1]!,
    dev: deviceNumber(major!, minor!),
  };
}

export function mountTable(): MountedFs[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .flatMap((line) => parsed(line) ?? []);
}

/** How long mountHolding trusts the table it read: a file opened per request (the mount daemon's first
 *  opens) must not parse it each time (66 µs at 24 mounts); a share mounted since is told apart a second
 *  later. */
const TABLE_MS = 1000;
let held: { readonly at: number; readonly mounts: readonly MountedFs[] } | undefined;

/** The table, read at most once a TABLE_MS; undefined where there is none (not Linux). */
function heldTable(): readonly MountedFs[] | undefined {
  const now = performance.now();
  if (!held || now - held.at > TABLE_MS) {
    try {
      held = { at: now, mounts: mountTable() };
    } catch {
      return undefined;
    }
  }
  return held.mounts;
}

/** The mount point `path` lies on: the longest mounted path above it ('/' where there is no table). */
export function mountHolding(path: string): string {
  const mounts = heldTable();
  if (!mounts) return '/'; // no /proc (not Linux): one lane for everything
  let best = '/';
  for (const { path: m } of mounts)
    if (m.length > best.length && (path === m || path.startsWith(`${m}/`))) best = m;
  return best;
}

/** The names in the folder `dir` that other file systems are mounted on. */
export function mountPointsIn(dir: string): string[] {
  const below = dir === '/' ? '/' : `${dir}/`;
  const names: string[] = [];
  for (const { path } of heldTable() ?? [])
    if (path.startsWith(below) && path.length > below.length && !path.includes('/', below.length))
      names.push(path.slice(below.length));
  return names;
}

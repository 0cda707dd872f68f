// Active mounts, one JSON file each in <home>/mounts, written atomically by the daemon once it serves and
// removed when it stops (beside it, when daemons served its mount point: kept, one small file a point). Entries of daemons that died are recognized (no such process, or no such mount)
// and dropped when listed; an entry that cannot be read is left alone and reported, never deleted.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readCapped } from '../../../kit/capped-file.ts';
import { replaceFileAtomically } from '../../../kit/fs-durable.ts';
import { mountTable } from '../../../kit/mount-table.ts';
import { processAlive } from '../../../kit/process-alive.ts';

const MountEntrySchema = z.object({
  mountpoint: z.string(),
  pid: z.number().int().positive(),
  template: z.string(),
  /** Every copy of a recording served, not only its kept one (entries from before this field: false). */
  allCopies: z.boolean().default(false),
  log: z.string().nullable(),
  startedAt: z.number(),
});
export type MountEntry = z.infer<typeof MountEntrySchema>;

const dirOf = (home: string) => join(home, 'mounts');
const keyOf = (mountpoint: string) => createHash('sha256').update(mountpoint).digest('hex').slice(0, 16);
const fileOf = (home: string, mountpoint: string) => join(dirOf(home), `${keyOf(mountpoint)}.json`);

/** What a daemon publishes about itself: files served, saves waiting for the library (journalled while
 *  another process held it), files whose layouts a listing had built before they were opened, and its
 *  latest problems (EIO, rejected writes). */
const MountReportSchema = z.object({
  files: z.number().int().nonnegative(),
  pendingSaves: z.number().int().nonnegative().default(0),
  builtAhead: z.number().int().nonnegative().default(0),
  problems: z.array(z.string()),
  /** The kernel's requests by kind since the mount (what the counting guards compare). */
  requests: z.record(z.string(), z.number()).optional(),
  updatedAt: z.number(),
});
export type MountReport = z.infer<typeof MountReportSchema>;

const reportOf = (home: string, mountpoint: string) => join(dirOf(home), `${keyOf(mountpoint)}.report`);

/**
 * Written by the daemon only, atomically: readers see a whole report or the previous one. Not fsync'd: it
 * says how a running daemon is, which a crash makes moot, and its two fsyncs every quarter second held
 * the daemon's thread (which answers taggers) 5.7 s in all through one 100k-track retag.
 */
export function writeMountReport(home: string, mountpoint: string, report: MountReport): void {
  mkdirSync(dirOf(home), { recursive: true });
  replaceFileAtomically(reportOf(home, mountpoint), JSON.stringify(report), false);
}

/** When a daemon last wrote its report (ms); undefined before its first one. */
export function mountReportTime(home: string, mountpoint: string): number | undefined {
  return statSync(reportOf(home, mountpoint), { throwIfNoEntry: false })?.mtimeMs;
}

/** A daemon's latest report; undefined before its first one or when it cannot be read. */
export function readMountReport(home: string, mountpoint: string): MountReport | undefined {
  try {
    return MountReportSchema.parse(JSON.parse(readFileSync(reportOf(home, mountpoint), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Where a mount's daemon logs (kept after it stops, for the reason it stopped). */
export function mountLogFile(home: string, mountpoint: string): string {
  mkdirSync(dirOf(home), { recursive: true });
  return join(dirOf(home), `${keyOf(mountpoint)}.log`);
}

/** When daemons served a mount point: since the first one started, until the last one stopped (absent
 *  while one serves, or if it died). Kept once the mount stops, one small file a mount point: a tagger that
 *  read files through one daemon may save them through the next (app/core/mounted/reader-base.ts). */
const ServedSchema = z
  .object({ since: z.number().int().nonnegative(), until: z.number().int().nonnegative().optional() })
  .strict()
  .refine((s) => s.until === undefined || s.since <= s.until);
export type Served = z.infer<typeof ServedSchema>;

const servedOf = (home: string, mountpoint: string) => join(dirOf(home), `${keyOf(mountpoint)}.served`);

/** When daemons served the mount point before, if any did (and its record reads). */
export function servedBefore(home: string, mountpoint: string): Served | undefined {
  try {
    // A record of two times: anything larger is no record of ours.
    return ServedSchema.parse(JSON.parse(readCapped(servedOf(home, mountpoint), 4096, 'a mount record')));
  } catch {
    return undefined;
  }
}

/** Records when daemons served the mount point (written as a daemon starts serving, and as it stops). */
export function noteServed(home: string, mountpoint: string, served: Served): void {
  mkdirSync(dirOf(home), { recursive: true });
  replaceFileAtomically(servedOf(home, mountpoint), JSON.stringify(served), false);
}

export function registerMount(home: string, entry: MountEntry): void {
  mkdirSync(dirOf(home), { recursive: true });
  replaceFileAtomically(fileOf(home, entry.mountpoint), JSON.stringify(entry, null, 2));
}

export function unregisterMount(home: string, mountpoint: string): void {
  rmSync(fileOf(home, mountpoint), { force: true });
  rmSync(reportOf(home, mountpoint), { force: true });
}

/** Mount points the kernel has right now. */
export function kernelMounts(): Set<string> {
  return new Set(mountTable().map((m) => m.path));
}

export interface MountList {
  readonly mounts: MountEntry[];
  /** Registry files that could not be read, each with the reason: kept for the user to look at. */
  readonly unreadable: string[];
}

/** The live mounts; entries left by daemons that are gone are removed. */
export function listMounts(home: string): MountList {
  let names: string[];
  try {
    names = readdirSync(dirOf(home)).filter((n) => n.endsWith('.json'));
  } catch {
    return { mounts: [], unreadable: [] };
  }
  const mounted = kernelMounts();
  const mounts: MountEntry[] = [];
  const unreadable: string[] = [];
  for (const name of names) {
    const file = join(dirOf(home), name);
    let entry: MountEntry;
    try {
      entry = MountEntrySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // its daemon just stopped
      unreadable.push(`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      continue;
    }
    if (processAlive(entry.pid) && mounted.has(entry.mountpoint)) mounts.push(entry);
    else rmSync(file, { force: true });
  }
  return { mounts: mounts.sort((a, b) => a.mountpoint.localeCompare(b.mountpoint)), unreadable };
}

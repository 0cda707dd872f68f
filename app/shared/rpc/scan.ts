// The RPC contract's scan and watch area: scans, library folders, exclusions, watching, unreadable files.
import { z } from 'zod';
import { Count, empty, Id, method, Window } from './blocks.ts';

export const ScanProgressSchema = z.object({
  /** merge: grouping's index merged before the scan ends (settleIndex), said only when a merge runs. */
  phase: z.enum(['walk', 'read', 'analyse', 'group', 'merge', 'index']),
  found: Count,
  total: Count,
  done: Count,
  filesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

const ScanResultSchema = z.object({
  folders: z.array(z.string()),
  added: Count,
  updated: Count,
  /** Known files found at a new path (moved or renamed): the same tracks, edits kept. */
  moved: Count,
  unchanged: Count,
  missing: Count,
  /** Files the scan read and could not read (new, or changed since). */
  errors: Count,
  /** Every unreadable file in the folders scanned: `errors`, and those known from earlier scans. */
  unreadable: Count,
  folderErrors: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** Links not followed (circles, places the library has without them, places off limits), and why. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  interrupted: z.boolean(),
  /** Reading the files' tags. */
  seconds: z.number(),
  /** The whole scan: reading, fingerprints and embeddings, grouping, the similarity index. */
  totalSeconds: z.number(),
  /** Folders scanned that hold no audio file (not kept as library folders). */
  empty: z.array(z.string()),
  /** Set when the scan stopped on an error of its own (e.g. the folder does not exist). */
  failure: z.string().nullable(),
  /** Set when a remote fingerprint index was unreachable: the files wait to be grouped, and why. */
  groupingWaits: z.string().nullable(),
  /** Edits carried from copies gone missing on disk to the copies their recordings keep now: the batch
   *  (undoable) and what it says. */
  carried: z.object({ batch: Id, description: z.string() }).nullable(),
});
export type ScanResult = z.infer<typeof ScanResultSchema>;

const WatchedFolderSchema = z.object({
  path: z.string(),
  state: z.enum(['watching', 'polling', 'paused']),
  /** Why the folder is polled or paused, and what to do about it. */
  notice: z.string().nullable(),
});

/** What one look at a watched folder changed. */
const WatchReportSchema = z.object({
  folder: z.string(),
  places: z.array(z.string()),
  added: Count,
  updated: Count,
  moved: Count,
  missing: Count,
  errors: Count,
  seconds: z.number(),
  /** A remote fingerprint index was unreachable: the files wait to be grouped, and why. */
  groupingWaits: z.string().nullable(),
  /** Links the look did not follow (each said once while it stays), and why. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** When it was taken in (ms since the epoch). */
  at: z.number(),
});
export type WatchReport = z.infer<typeof WatchReportSchema>;

const ScanStateSchema = z.object({
  running: z.boolean(),
  folders: z.array(z.string()),
  /** What the scan waits for, in words (a folder that does not answer, another scan), or null. */
  waiting: z.string().nullable(),
  progress: ScanProgressSchema.nullable(),
  last: ScanResultSchema.nullable(),
});
export type ScanState = z.infer<typeof ScanStateSchema>;

export const SCAN_METHODS = {
  /** Starts scanning folders (absolute paths on the backend's machine); one scan at a time. */
  'scan.start': method(
    z.object({ folders: z.array(z.string().min(1).max(4096)).min(1).max(100) }).strict(),
    ScanStateSchema,
  ),
  'scan.cancel': method(empty, z.object({ cancelled: z.boolean() })),
  'scan.status': method(empty, ScanStateSchema),
  /** The watched library folders and what watching took in lately (newest first). */
  'watch.status': method(
    empty,
    z.object({
      /** Off when config.json's watch.enabled is false. */
      enabled: z.boolean(),
      folders: z.array(WatchedFolderSchema),
      recent: z.array(WatchReportSchema),
    }),
  ),
  /** Library folders already added (with their files, present, missing or unreadable), for a rescan. */
  'scan.roots': method(
    empty,
    z.object({
      roots: z.array(z.object({ path: z.string(), tracks: Count })),
      /** Folders inside them left out of the library (`sleeve exclude`). */
      excluded: z.array(z.string()),
    }),
  ),
  /**
   * Leaves a folder inside a library folder out: its files leave every view and the mount, edits kept,
   * and scans skip it. `preview`: only how many tracks would leave. Refused while a scan runs.
   */
  'scan.exclude': method(
    z.object({ path: z.string().min(1).max(4096), preview: z.boolean().optional() }).strict(),
    z.object({ path: z.string(), files: Count }),
  ),
  /** Drops a folder's exclusion; `root`: the library folder whose next scan brings its tracks back. */
  'scan.include': method(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    z.object({ path: z.string(), root: z.string() }),
  ),
  /**
   * Takes a library folder out of the library: its files leave every view and the mount, their edits are
   * kept; scanning the folder again brings them back. Refused while a scan runs.
   */
  'scan.removeRoot': method(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    z.object({ path: z.string(), files: Count }),
  ),
  /** Files that could not be read, with the reason. */
  'scan.errors': method(
    z.object(Window).strict(),
    z.object({ total: Count, files: z.array(z.object({ id: Id, path: z.string(), error: z.string() })) }),
  ),
  /** Files read, but with a problem (`sleeve ls --errors` lists them too): cut short, a value ignored, a
   *  decoder's complaint, audio that does not decode at all (served to no player); with what it is. */
  'scan.warnings': method(
    z.object(Window).strict(),
    z.object({ total: Count, files: z.array(z.object({ id: Id, path: z.string(), error: z.string() })) }),
  ),
};

export const SCAN_EVENTS = {
  'scan.progress': ScanProgressSchema,
  /** The scan waits (a folder that does not answer, another process's scan): what for, in words. */
  'scan.waiting': z.object({ message: z.string() }),
  'scan.finished': ScanResultSchema,
  /** A watched folder's state changed (all folders). */
  'watch.folders': z.object({ folders: z.array(WatchedFolderSchema) }),
  /** Watching took in changes: files added, changed, moved or gone. */
  'watch.changed': WatchReportSchema,
};

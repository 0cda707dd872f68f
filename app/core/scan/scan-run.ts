// One scan as its three steps share it: what it was asked (options, the places off limits), what it has
// found so far (the summary, the progress said), and what each folder's plan hands to reading and settling.
import type { FileLanes } from '../../../kit/file-lanes.ts';
import type { ScanProgress as RpcScanProgress } from '../../shared/rpc/scan.ts';
import type { Db } from '../db/database.ts';
import type { HistoryRetention } from '../library/history-prune.ts';
import type { FileStat, IngestWriter, KnownFile } from '../library/ingest.ts';
import type { FollowedLinks } from './links.ts';
import type { OffLimits } from './off-limits.ts';
import type { ScanTarget } from './walk.ts';

export interface ScanOptions {
  readonly folders: readonly string[];
  readonly workers: number;
  readonly includeHidden: boolean;
  readonly ignore: readonly string[];
  /** A picture larger than this is left out, with a warning (config.json's art.maxBytes; its default when unset). */
  readonly maxArtBytes?: number;
  /** The edit history kept, as the scan's upkeep prunes it (config.json's history; its default when unset). */
  readonly history?: HistoryRetention;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Only these places inside the one folder scanned (a watcher's changes); the rest of it is left as is. */
  readonly only?: readonly ScanTarget[];
  /** Whether a new or changed file is complete: one that may still be being written is left as it is and
   *  named to onUnsettled, for a later look. */
  readonly settled?: (file: FileStat) => boolean;
  readonly onUnsettled?: (path: string) => void;
  /** Only a folder the library still has (a watcher's look must not bring back one the user removed). */
  readonly libraryFoldersOnly?: boolean;
  /** Asked before anything is marked missing: false when the folder is no longer the one meant (a
   *  watcher's disk unmounted while its look waited for the scan lock). */
  readonly folderStillThere?: (folder: string) => Promise<boolean>;
  /** Where the folder's links led in earlier looks (a watcher's, kept per library folder). */
  readonly followed?: FollowedLinks;
  /** The lanes the scan's file system calls go through, each with its deadline (the backend's own);
   *  when not given, the scan makes its own (10 s). */
  readonly files?: FileLanes;
}

export interface ScanProgress {
  readonly phase: RpcScanProgress['phase'];
  /** Candidate files found so far. */
  readonly found: number;
  /** Files to read (new or changed) and how many are done. */
  readonly total: number;
  readonly done: number;
  readonly filesPerSecond: number;
  readonly etaSeconds: number | null;
}

export interface ScanSummary {
  added: number;
  updated: number;
  /** Files found at a new path that the library knew at an old one (moved, renamed): same track. */
  moved: number;
  unchanged: number;
  missing: number;
  /** Files this scan read and could not read (new, or changed since the last scan). */
  errors: number;
  /** Every unreadable file (status 'error') the scan found in its folders: those it could not read now
   *  (`errors`) and those unchanged since an earlier scan could not. */
  unreadable: number;
  readonly folderErrors: Array<{ path: string; reason: string }>;
  /** Links not followed: circles, places the library has without them, places off limits. */
  readonly skipped: Array<{ path: string; reason: string }>;
  interrupted: boolean;
  seconds: number;
  /** Files read (added, updated or found unreadable), and the bytes reading them took from disk: their
   *  tags, properties and checks (what a slow disk pays for; the page cache may have held some). */
  filesRead: number;
  bytesRead: number;
}

/** A summary of nothing scanned yet. */
export function emptyScanSummary(): ScanSummary {
  return {
    added: 0,
    updated: 0,
    moved: 0,
    unchanged: 0,
    missing: 0,
    errors: 0,
    unreadable: 0,
    folderErrors: [],
    skipped: [],
    interrupted: false,
    seconds: 0,
    filesRead: 0,
    bytesRead: 0,
  };
}

/** A new or changed file to read. */
export interface WorkItem {
  readonly stat: FileStat;
  isNew: boolean;
  readonly sniffOnly: boolean;
  /** Set when the walk already knows the file is unreadable. */
  readonly error?: string;
  /** Files gone from the library of this one's size: one whose recorded content it has was moved here. */
  movedFrom?: number[];
}

/** What planning one library folder leaves to reading and settling. */
export interface FolderPlan {
  readonly folder: string;
  readonly rootId: number;
  /** The folder's device:inode before the walk: settling checks the disk walked is still the one there. */
  readonly rootKey: string | undefined;
  /** New and changed files, in the order walked. */
  readonly work: readonly WorkItem[];
  /** Files the library knows that the walk did not find, by id: reading takes out those copied back. */
  readonly gone: Map<number, KnownFile>;
  /** The walk ran to its end (not cancelled): only then is anything known to be gone. */
  readonly walkComplete: boolean;
}

const PROGRESS_MS = 100;

/** What a scan is asked, fixed for the whole run. */
export interface ScanScope {
  readonly db: Db;
  readonly writer: IngestWriter;
  readonly options: ScanOptions;
  readonly limits: OffLimits;
  readonly files: FileLanes;
  /** Every library folder and every folder scanned: links into one are not followed (their files are there). */
  readonly libraryFolders: readonly string[];
  /** `options.only`, normalized: a place named twice (two bursts merged) would be read twice. */
  readonly only: readonly ScanTarget[] | undefined;
  /** When the scan began (performance.now()), for its reading rate. */
  readonly started: number;
}

/** The last ScanRun's id in this thread. */
let lastRunId = 0;

/** The state one scan's steps share, folder after folder: what it was asked, and what it found so far. */
export class ScanRun {
  /** Unique among this thread's scans: what a kept reader thread tells them apart by. */
  readonly id = ++lastRunId;
  readonly summary = emptyScanSummary();
  /** Candidate files found so far, in every folder. */
  found = 0;
  #lastProgress = 0;

  readonly scope: ScanScope;

  constructor(scope: ScanScope) {
    this.scope = scope;
  }

  get signal(): AbortSignal | undefined {
    return this.scope.options.signal;
  }

  /** Says where the scan is, at most every PROGRESS_MS unless `force`d. */
  report(p: Omit<ScanProgress, 'found'>, force = false): void {
    const now = performance.now();
    if (!this.scope.options.onProgress || (!force && now - this.#lastProgress < PROGRESS_MS)) return;
    this.#lastProgress = now;
    this.scope.options.onProgress({ ...p, found: this.found });
  }
}

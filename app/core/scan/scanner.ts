// The incremental scanner: walk → diff against the library by (size, mtime, inode) → read new and
// changed files in worker threads → write in batched transactions. Unchanged files are never opened.

import { lstatSync, type Stats, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../../../kit/user-error.ts';
import { inBatches, runIsolating, WorkerPool } from '../../../kit/worker-pool.ts';
import type { Db } from '../db/database.ts';
import { type FileStat, IngestWriter, type KnownFile, type ReadOutcome } from '../library/ingest.ts';
import { libraryRoots } from '../library/library-folders.ts';
import { ServedRecorder } from '../library/served-recorder.ts';
import type { ReadOptions } from '../media/read-track.ts';
import type { FollowedLinks } from './links.ts';
import { fileKey, type OffLimits, offLimits, whyOffLimits } from './off-limits.ts';
import type { ReadTask } from './read-worker.ts';
import { type ScanTarget, walk } from './walk.ts';

export interface ScanOptions {
  readonly folders: readonly string[];
  readonly workers: number;
  readonly includeHidden: boolean;
  readonly ignore: readonly string[];
  /** A picture larger than this is left out, with a warning (config.json's art.maxBytes; its default when unset). */
  readonly maxArtBytes?: number;
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
}

export type { ScanTarget };

/** Without places another target already covers: anything below a deep target, a shallow one it equals. */
export function normalizedTargets(targets: readonly ScanTarget[]): ScanTarget[] {
  const deep = targets.filter((t) => t.deep).map((t) => t.path);
  const covered = (t: ScanTarget) =>
    deep.some((d) => t.path.startsWith(`${d}/`) || (!t.deep && t.path === d));
  const out = new Map<string, ScanTarget>();
  for (const t of targets)
    if (!covered(t)) out.set(t.path, { path: t.path, deep: t.deep || (out.get(t.path)?.deep ?? false) });
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface ScanProgress {
  readonly phase: 'walk' | 'read' | 'analyse' | 'group' | 'index';
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
  errors: number;
  readonly folderErrors: Array<{ path: string; reason: string }>;
  /** Links not followed: circles, places the library has without them, places off limits. */
  readonly skipped: Array<{ path: string; reason: string }>;
  interrupted: boolean;
  seconds: number;
}

export class ScanFolderError extends UserError {
  override name = 'ScanFolderError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

interface WorkItem {
  readonly stat: FileStat;
  isNew: boolean;
  readonly sniffOnly: boolean;
  /** Set when the walk already knows the file is unreadable. */
  readonly error?: string;
  /** Files gone from the library of this one's size: one whose recorded content it has was moved here. */
  movedFrom?: number[];
}

const BATCH = 64;
/** Stale served facts recorded per transaction (no file is read: tags and art from the database). */
const RECORD_BATCH = 1000;
const PROGRESS_MS = 100;
/** Folders walked between yields to the event loop. */
const YIELD_FOLDERS = 64;

function sameFile(k: KnownFile, s: FileStat): boolean {
  return k.size === s.size && k.mtimeMs === s.mtimeMs && k.inode === s.inode && !k.outdated;
}

function isUnder(path: string, folders: readonly string[]): boolean {
  return folders.some((f) => path === f || path.startsWith(`${f}/`));
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
    folderErrors: [],
    skipped: [],
    interrupted: false,
    seconds: 0,
  };
}

/** The absolute folder to scan, or a ScanFolderError: missing, not a folder, or off limits. */
export async function scanFolder(folder: string, limits: OffLimits): Promise<string> {
  const abs = resolve(folder);
  const s = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    throw new ScanFolderError(
      `cannot scan ${abs}: ${err.code === 'ENOENT' ? 'no such folder' : err.message}`,
    );
  });
  if (!s.isDirectory()) throw new ScanFolderError(`cannot scan ${abs}: not a folder`);
  // Asked on the pool too: a share that stops answering after the stat (answered from the kernel's
  // cache) must not hold this thread in a realpath.
  const offLimits = whyOffLimits(await realpath(abs).catch(() => abs), limits);
  if (offLimits) throw new ScanFolderError(`cannot scan ${abs}: ${offLimits}`);
  return abs;
}

export async function scan(db: Db, options: ScanOptions): Promise<ScanSummary> {
  const started = performance.now();
  const summary = emptyScanSummary();
  const folders: string[] = [];
  const limits = offLimits(db.name);
  for (const f of options.folders) folders.push(await scanFolder(f, limits));
  const writer = new IngestWriter(db);
  const served = new ServedRecorder(db);
  let pool: WorkerPool<ReadTask[], ReadOutcome[]> | undefined;
  let found = 0;
  let lastProgress = 0;
  const report = (p: Omit<ScanProgress, 'found'>, force = false) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastProgress < PROGRESS_MS)) return;
    lastProgress = now;
    options.onProgress({ ...p, found });
  };

  try {
    if (options.only && folders.length !== 1) throw new Error('a scan of some places is of one folder');
    // Links into any of them are not followed: their files are there.
    const libraryFolders = [...new Set([...libraryRoots(db), ...folders])];
    for (const folder of folders) {
      if (options.signal?.aborted) break;
      const now = Date.now();
      if (options.libraryFoldersOnly && !writer.isLibraryFolder(folder)) continue;
      const rootId = writer.ensureRoot(folder, now);
      const wasRemoved = writer.isRemoved(rootId);
      // Normalized: a place named twice (two bursts merged) would be read twice, and fail as a duplicate.
      const targets = options.only ? normalizedTargets(options.only) : [{ path: folder, deep: true }];
      const rootStat = tryStat(folder);
      const known = knownInScope(writer, targets);
      const seen = new Set<string>();
      let walked = 0;
      const unreadable: string[] = [];
      const work: WorkItem[] = [];
      const back: number[] = [];
      for (const entries of walk(folder, {
        only: options.only ? targets : undefined,
        libraryFolders,
        followed: options.followed,
        includeHidden: options.includeHidden,
        ignore: new Set(options.ignore),
        signal: options.signal,
        offLimits: limits,
        onFolderError: (path, reason) => {
          unreadable.push(path);
          summary.folderErrors.push({ path, reason });
        },
        onSkipped: (path, reason) => summary.skipped.push({ path, reason }),
      })) {
        for (const entry of entries) {
          found++;
          seen.add(entry.stat.path);
          const k = known.get(entry.stat.path);
          // A file already recorded as unreadable stays so until it changes.
          if (k && sameFile(k, entry.stat) && (!entry.error || k.status === 'error')) {
            summary.unchanged++;
            if (k.status === 'missing' || k.status === 'removed') back.push(k.id);
          } else if (options.settled && !options.settled(entry.stat)) {
            options.onUnsettled?.(entry.stat.path);
          } else {
            work.push({ stat: entry.stat, isNew: !k, sniffOnly: entry.sniffOnly, error: entry.error });
          }
        }
        report({ phase: 'walk', total: 0, done: 0, filesPerSecond: 0, etaSeconds: null });
        // A backend scanning keeps answering: the walk's file system calls are synchronous.
        if (++walked % YIELD_FOLDERS === 0) await new Promise((resume) => setImmediate(resume));
      }
      const walkComplete = !options.signal?.aborted;
      // A removed folder comes back whole or not at all: a cancelled walk leaves it removed.
      if (wasRemoved && !walkComplete) break;
      if (back.length > 0 || wasRemoved) {
        db.transaction(() => {
          for (const id of back) writer.markPresent(id, rootId, now);
          if (wasRemoved) writer.restoreRoot(rootId);
        })();
      }
      // Files under a folder we could not read are not known to be gone.
      const gone = new Map(
        walkComplete
          ? [...known.entries()]
              // A removed folder's file under this one stays removed (its folder is not this scan's).
              .filter(
                ([path, k]) =>
                  k.status !== 'missing' &&
                  !(k.status === 'removed' && k.rootId !== rootId) &&
                  !seen.has(path) &&
                  !isUnder(path, unreadable),
              )
              .map(([, k]) => [k.id, k] as const)
          : [],
      );
      const taken = new Set<number>(); // files already found again at a new path
      if (walkComplete) {
        const fresh = work.filter((w) => w.isNew && !w.error);
        const moves = findMoves(writer, fresh, known, gone);
        const moved = new Set(moves.map((m) => m.item));
        if (moves.length > 0) {
          db.transaction(() => {
            for (const { item, id } of moves) writer.move(id, rootId, item.stat, now);
          })();
          summary.moved += moves.length;
          for (let i = work.length - 1; i >= 0; i--) if (moved.has(work[i]!)) work.splice(i, 1);
        }
        findContentCandidates(
          writer,
          fresh.filter((w) => !moved.has(w)),
          gone,
        );
      }

      if (work.length > 0) {
        // No more threads than batches to read: a look at one changed file starts one, not one per core.
        const threads = Math.min(options.workers, Math.ceil(work.length / BATCH));
        pool ??= new WorkerPool(new URL('./read-worker.ts', import.meta.url), threads, {
          workerData: { maxArtBytes: options.maxArtBytes } satisfies ReadOptions,
        });
        pool.grow(threads);
        await readAll(
          pool,
          work,
          options.signal,
          (items, outcomes) => {
            const t = Date.now();
            db.transaction(() => {
              items.forEach((item, i) => {
                const outcome = outcomes[i]!;
                // A README or licence without an extension is simply not part of the library.
                if (item.isNew && item.sniffOnly && 'error' in outcome && outcome.notAudio) return;
                const movedFrom =
                  'track' in outcome
                    ? item.movedFrom?.find(
                        (id) => !taken.has(id) && writer.sameContent(id, item.stat.size, outcome.track),
                      )
                    : undefined;
                if (movedFrom !== undefined) {
                  writer.move(movedFrom, rootId, item.stat, t);
                  gone.delete(movedFrom);
                  taken.add(movedFrom);
                  item.isNew = false;
                  summary.moved++;
                }
                writer.write(rootId, item.stat, outcome, t, item.isNew);
                if ('error' in outcome) summary.errors++;
                else if (movedFrom !== undefined) return;
                else if (item.isNew) summary.added++;
                else summary.updated++;
              });
            })();
          },
          (done) => {
            const elapsed = (performance.now() - started) / 1000;
            const rate = done / Math.max(elapsed, 1e-3);
            report(
              {
                phase: 'read',
                total: work.length,
                done,
                filesPerSecond: rate,
                etaSeconds: (work.length - done) / Math.max(rate, 1e-3),
              },
              done === work.length,
            );
          },
        );
      }
      // A folder whose disk went away during the scan (it is gone, or another disk is there) lost nothing.
      if (
        gone.size > 0 &&
        (!sameFolder(rootStat, folder) || (await options.folderStillThere?.(folder)) === false)
      ) {
        summary.folderErrors.push({ path: folder, reason: 'it disappeared during the scan' });
        gone.clear();
      }
      if (walkComplete && !options.signal?.aborted && gone.size > 0) {
        db.transaction(() => writer.markMissing([...gone.keys()], Date.now()))();
        summary.missing += gone.size;
      }
      // Files this scan did not read whose served size and path an older Sleeve recorded, or none did.
      const stale = served.staleIds(rootId);
      for (let i = 0; i < stale.length && !options.signal?.aborted; i += RECORD_BATCH) {
        db.transaction(() => {
          for (const id of stale.slice(i, i + RECORD_BATCH)) served.record(id);
        })();
      }
    }
  } finally {
    await pool?.close();
  }
  summary.interrupted = options.signal?.aborted ?? false;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** What the library knew inside the targets: under a deep one everything, else the folder's own files and
 *  those under its subfolders that are gone (a subfolder still there is not looked at). */
function knownInScope(writer: IngestWriter, targets: readonly ScanTarget[]): Map<string, KnownFile> {
  const known = new Map<string, KnownFile>();
  for (const t of targets) {
    const stillThere = new Map<string, boolean>();
    for (const [path, k] of writer.knownFiles(t.path)) {
      if (!t.deep && path !== t.path) {
        const sub = path.slice(t.path.length + 1).split('/');
        if (sub.length > 1) {
          const dir = `${t.path}/${sub[0]}`;
          let there = stillThere.get(dir);
          if (there === undefined) {
            // One that cannot be looked at is not known to be gone.
            there = !pathExists(dir) ? false : (tryStat(dir)?.isDirectory() ?? true);
            stillThere.set(dir, there);
          }
          if (there) continue;
        }
      }
      known.set(path, k);
    }
  }
  return known;
}

function sameFolder(before: Stats | undefined, path: string): boolean {
  const now = tryStat(path);
  return before !== undefined && now !== undefined && fileKey(before) === fileKey(now);
}

function tryStat(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

const moveKey = (f: { inode: number; size: number; mtimeMs: number }) => `${f.inode}:${f.size}:${f.mtimeMs}`;

/** Whether a file is at `path` (one that cannot be looked at, on a dead mount, counts as there). */
function pathExists(path: string | Buffer): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

/**
 * New paths that are files the library knows by inode, size and modification time (a rename or move keeps
 * all three): files gone in this scan, missing ones, or listed ones whose old path is no longer there.
 * An inode two candidates share is left alone (not a move anyone can be sure of).
 */
function findMoves(
  writer: IngestWriter,
  fresh: readonly WorkItem[],
  known: ReadonlyMap<string, KnownFile>,
  gone: Map<number, KnownFile>,
): Array<{ item: WorkItem; id: number }> {
  if (fresh.length === 0) return [];
  const candidates = new Map<string, number[]>();
  const add = (key: string, id: number) => {
    const ids = candidates.get(key) ?? [];
    if (!ids.includes(id)) candidates.set(key, [...ids, id]);
  };
  for (const k of gone.values()) if (k.status === 'ok') add(moveKey(k), k.id);
  const byKey = new Map<string, WorkItem[]>();
  for (const w of fresh) byKey.set(moveKey(w.stat), [...(byKey.get(moveKey(w.stat)) ?? []), w]);
  for (const row of writer.byInodes(fresh.map((w) => w.stat.inode))) {
    if (gone.has(row.id) || known.get(row.path)?.id === row.id) continue; // this scan decides those
    // Inode numbers repeat across disks: only a row that matches in size and time too is worth a look.
    if (!byKey.has(moveKey(row))) continue;
    if (row.status === 'missing' || !pathExists(row.pathBytes ?? row.path)) add(moveKey(row), row.id);
  }
  const moves: Array<{ item: WorkItem; id: number }> = [];
  for (const [key, ids] of candidates) {
    const items = byKey.get(key);
    if (ids.length !== 1 || items?.length !== 1) continue;
    moves.push({ item: items[0]!, id: ids[0]! });
    gone.delete(ids[0]!);
  }
  return moves;
}

/** New files the size of a file gone or missing: once read, one with the same recorded content is that
 *  file, copied rather than moved (a new inode: another disk, a restore from backup). */
function findContentCandidates(
  writer: IngestWriter,
  fresh: readonly WorkItem[],
  gone: Map<number, KnownFile>,
): void {
  if (fresh.length === 0) return;
  const bySize = writer.missingBySize();
  for (const k of gone.values())
    if (k.status === 'ok') bySize.set(k.size, [...(bySize.get(k.size) ?? []), k.id]);
  for (const w of fresh) {
    const ids = bySize.get(w.stat.size);
    if (ids) w.movedFrom = ids;
  }
}

/** Reads work items in batches across the pool; commits each batch as it returns. */
async function readAll(
  pool: WorkerPool<ReadTask[], ReadOutcome[]>,
  work: readonly WorkItem[],
  signal: AbortSignal | undefined,
  commit: (items: readonly WorkItem[], outcomes: readonly ReadOutcome[]) => void,
  progress: (done: number) => void,
): Promise<void> {
  let done = 0;
  await inBatches(work, BATCH, signal, async (items) => {
    const read = await runIsolating(
      pool,
      items
        .filter((i) => !i.error)
        .map(
          (i): ReadTask => (i.stat.bytes ? { path: i.stat.path, disk: i.stat.bytes } : { path: i.stat.path }),
        ),
      (reason): ReadOutcome => ({ error: `reader crashed on this file: ${reason}` }),
    );
    let r = 0;
    commit(
      items,
      items.map((i) => (i.error ? { error: i.error } : read[r++]!)),
    );
    done += items.length;
    progress(done);
  });
}

// The incremental scanner: walk → diff against the library by (size, mtime, inode) → read new and
// changed files in worker threads → write in batched transactions. Unchanged files are never opened.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../../kit/user-error.ts';
import { inBatches, runIsolating, WorkerPool } from '../../kit/worker-pool.ts';
import type { Db } from '../db/database.ts';
import { type FileStat, IngestWriter, type KnownFile, type ReadOutcome } from '../library/ingest.ts';
import { ServedRecorder } from '../library/served-recorder.ts';
import { type OffLimits, offLimits, offLimitsRoot } from './off-limits.ts';
import type { ReadTask } from './read-worker.ts';
import { walk } from './walk.ts';

export interface ScanOptions {
  readonly folders: readonly string[];
  readonly workers: number;
  readonly includeHidden: boolean;
  readonly ignore: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
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
  unchanged: number;
  missing: number;
  errors: number;
  readonly folderErrors: Array<{ path: string; reason: string }>;
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
  readonly isNew: boolean;
  readonly sniffOnly: boolean;
  /** Set when the walk already knows the file is unreadable. */
  readonly error?: string;
}

const BATCH = 64;
/** Stale served facts recorded per transaction (no file is read: tags and art from the database). */
const RECORD_BATCH = 1000;
const PROGRESS_MS = 100;

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
    unchanged: 0,
    missing: 0,
    errors: 0,
    folderErrors: [],
    interrupted: false,
    seconds: 0,
  };
}

/** The absolute path of a folder to scan; ScanFolderError says why it cannot be scanned. */
/** The absolute folder to scan, or a ScanFolderError: missing, not a folder, or off limits. */
export async function scanFolder(folder: string, limits: OffLimits): Promise<string> {
  const abs = resolve(folder);
  const s = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    throw new ScanFolderError(
      `cannot scan ${abs}: ${err.code === 'ENOENT' ? 'no such folder' : err.message}`,
    );
  });
  if (!s.isDirectory()) throw new ScanFolderError(`cannot scan ${abs}: not a folder`);
  const offLimits = offLimitsRoot(abs, limits);
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
    for (const folder of folders) {
      if (options.signal?.aborted) break;
      const now = Date.now();
      const rootId = writer.ensureRoot(folder, now);
      const wasRemoved = writer.isRemoved(rootId);
      const known = writer.knownFiles(folder);
      const seen = new Set<string>();
      const unreadable: string[] = [];
      const work: WorkItem[] = [];
      const back: number[] = [];
      for (const entries of walk(folder, {
        includeHidden: options.includeHidden,
        ignore: new Set(options.ignore),
        signal: options.signal,
        offLimits: limits,
        onFolderError: (path, reason) => {
          unreadable.push(path);
          summary.folderErrors.push({ path, reason });
        },
      })) {
        for (const entry of entries) {
          found++;
          seen.add(entry.stat.path);
          const k = known.get(entry.stat.path);
          // A file already recorded as unreadable stays so until it changes.
          if (k && sameFile(k, entry.stat) && (!entry.error || k.status === 'error')) {
            summary.unchanged++;
            if (k.status === 'missing' || k.status === 'removed') back.push(k.id);
          } else {
            work.push({ stat: entry.stat, isNew: !k, sniffOnly: entry.sniffOnly, error: entry.error });
          }
        }
        report({ phase: 'walk', total: 0, done: 0, filesPerSecond: 0, etaSeconds: null });
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

      if (work.length > 0) {
        pool ??= new WorkerPool(new URL('./read-worker.ts', import.meta.url), options.workers);
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
                writer.write(rootId, item.stat, outcome, t, item.isNew);
                if ('error' in outcome) summary.errors++;
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
      // Files under a folder we could not read are not known to be gone.
      if (walkComplete && !options.signal?.aborted) {
        const gone = [...known.entries()]
          // A removed folder's file under this one stays removed (its folder is not this scan's).
          .filter(
            ([path, k]) =>
              k.status !== 'missing' &&
              !(k.status === 'removed' && k.rootId !== rootId) &&
              !seen.has(path) &&
              !isUnder(path, unreadable),
          )
          .map(([, k]) => k.id);
        if (gone.length > 0) db.transaction(() => writer.markMissing(gone, Date.now()))();
        summary.missing += gone.length;
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

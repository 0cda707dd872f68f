// A whole scan as the CLI and the backend run it: read new and changed files, analyse them (fingerprint
// and embedding from one decode), group recordings, and bring the similarity table up to date.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { IndexEngine } from '../../../index-engine/engine-client.ts';
import type { RemoteIndex } from '../../../index-engine/http/client.ts';
import { RemoteIndexError, RemoteIndexUnavailable } from '../../../index-engine/http/remote-errors.ts';
import type { VerifiedSegments } from '../../../index-engine/verified-segments.ts';
import { collectGarbage } from '../../../kit/collect-garbage.ts';
import { ExclusiveLock, waitingMessage } from '../../../kit/exclusive-lock.ts';
import { type FileLanes, withFileLanes } from '../../../kit/file-lanes.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { engineThread, settleIndex } from '../fingerprint/engine-thread.ts';
import {
  type GroupingSummary,
  groupingWork,
  ungroupedFiles,
  updateRecordingGroups,
} from '../fingerprint/recording-groups.ts';
import { RemoteIndexes, remoteIndexName } from '../fingerprint/remote-indexes.ts';
import { type Home, scanLockPath } from '../home.ts';
import type { EditOrigin } from '../library/edits.ts';
import type { CarriedByScan, KeptMove } from '../library/prefer-copy.ts';
import type { SyncSummary } from '../similar/similarity-sync.ts';
import type { AnalysisSummary } from './analysis.ts';
import type { AnalysisPool } from './analysis-pool.ts';
import { RunAnalysis } from './analysis-scope.ts';
import { type OffLimits, offLimits } from './off-limits.ts';
import type { Readers } from './scan-read.ts';
import { type ScanOptions, type ScanSummary, scan, scanFolder } from './scanner.ts';
import { measureTranscodeResiduals, type ResidualsMeasured, residualsDue } from './transcode-residuals.ts';

/** The scan's own options (a watcher's look at some places included), and what the later phases need. */
export interface PipelineOptions extends ScanOptions {
  readonly fingerprint: boolean;
  readonly embed: boolean;
  /** Measure each file's loudness (the whole file decoded). */
  readonly loudness: boolean;
  readonly signal: AbortSignal;
  /** Another process is using the fingerprint index or the similarity table: said once per wait. */
  readonly onWait: (message: string) => void;
  /** Analyse, group and index only after a scan that took something in (a watcher's look): work an
   *  earlier scan left (one run with --no-fingerprint) is left to a scan. A look with
   *  `libraryFoldersOnly` never forgets a folder as empty either. */
  readonly changesOnly?: boolean;
  /** A remote fingerprint index (config.json's `index`): grouping uses it instead of the embedded engine. */
  readonly index?: Config['index'];
  /** Who runs the scan, for the history of an edit it makes (edits carried from a copy gone missing). */
  readonly origin?: EditOrigin;
  /** Reader threads started ahead of the scan (the CLI starts one as it loads), closed once it has read,
   *  or kept by the scan's owner (kept-scan-workers.ts). */
  readonly readers?: Readers;
  /** The analysis processes of a long-lived owner (a watcher, the app), kept between its scans; when not
   *  given, the scan starts its own. */
  readonly analysisPool?: AnalysisPool;
  /** The fingerprint index's files the owner's scans verified before, which its next ones need not
   *  checksum again (verified-segments.ts). */
  readonly verified?: VerifiedSegments;
}

/** The threads and processes a scan may be given rather than start (kept-scan-workers.ts). */
export type ScanWorkers = Pick<PipelineOptions, 'files' | 'readers' | 'analysisPool' | 'verified'>;

export interface PipelineSummary {
  readonly scan: ScanSummary;
  readonly analysis?: AnalysisSummary;
  readonly grouping?: GroupingSummary;
  readonly similarity?: SyncSummary & { readonly seconds: number };
  /** Set when grouping could not reach a remote fingerprint index: why, and how many files wait. */
  readonly groupingWaits?: string;
  /** Edits carried from copies gone missing, or found transcoded, to the copies their recordings keep now
   *  (prefer-copy.ts). */
  readonly carried?: CarriedByScan;
  /** Pairs of lossy copies compared by their decodes (transcode-residuals.ts), when any were. */
  readonly transcodes?: ResidualsMeasured;
  /** Whether any stage was cut short by the signal. */
  readonly interrupted: boolean;
  /** The whole run, every phase. */
  readonly totalSeconds: number;
  /** Folders scanned that hold no audio file: not kept as library folders. */
  readonly empty: readonly string[];
}

/**
 * One scan of a library at a time, across processes (the app's backend and the CLI): two at once would
 * both insert the same new files. A second one waits, and says once for whom.
 */
/** A full scan's options as the user's config sets them (every analysis on): what the app's scans and
 *  the watcher's looks share. */
export function configuredScan(config: Config) {
  return {
    workers: config.scan.workers ?? availableParallelism(),
    includeHidden: config.scan.includeHidden,
    ignore: config.scan.ignore,
    maxArtBytes: config.art.maxBytes,
    history: config.history,
    fingerprint: true,
    embed: true,
    loudness: true,
    index: config.index,
  } as const;
}

export async function scanLibrary(db: Db, home: Home, options: PipelineOptions): Promise<PipelineSummary> {
  const lock = await ExclusiveLock.acquire(
    scanLockPath(home),
    (holder) => options.onWait(waitingMessage('another scan of this library', holder)),
    options.signal,
  );
  try {
    return await withFileLanes(options.files, (files) => scanLocked(db, home, { ...options, files }));
  } finally {
    lock.release();
  }
}

async function scanLocked(
  db: Db,
  home: Home,
  options: PipelineOptions & { readonly files: FileLanes },
): Promise<PipelineSummary> {
  const { signal, onProgress: progress } = options;
  const runStarted = performance.now();
  // Once for the run: reading the mount table and stat-ing each place is not work to do per folder.
  const limits = await offLimits(db, options.files);
  // The reading is over once the scan is: its own reader threads go before the analysis starts; kept
  // ones wait for their owner's next scan (doneReading).
  // A scan analyses every file that needs it; a look, what it took in (analysis-scope.ts).
  const run = new RunAnalysis(home.dir, {
    look: options.changesOnly === true,
    whole: options.only === undefined,
    everyKind: options.fingerprint && options.embed && options.loudness,
  });
  run.start();
  const summary = await scan(db, options, limits, options.readers).finally(() =>
    options.readers?.doneReading(),
  );
  let analysis: AnalysisSummary | undefined;
  const took = summary.added + summary.updated + summary.moved + summary.missing > 0;
  const scope = run.scope(took);
  const fingerprint = options.fingerprint && scope !== null;
  const embed = options.embed && scope !== null;
  const loudness = options.loudness && scope !== null;
  if ((fingerprint || embed || loudness) && scope !== null && !signal.aborted) {
    // The walk and the reading leave the library's rows as garbage in the old generation, which the
    // analysis allocates too little to collect before its end (measured at 100,000 files: ~40 MB more
    // resident throughout).
    collectGarbage();
    run.begin(scope);
    // Loaded only for an analysis: a scan of tags alone does without their ~40 modules (~20 ms).
    const { analyzeLibrary } = await import('./analysis.ts');
    analysis = await analyzeLibrary(db, {
      workers: options.workers,
      scope,
      fingerprint,
      embed,
      loudness,
      signal,
      onProgress: (p) => progress?.({ phase: 'analyse', found: 0, ...p }),
      pool: options.analysisPool,
    });
    if (!signal.aborted) run.finish();
  } else if (!signal.aborted) run.finish();
  const { grouping, groupingWaits } = await groupPhase(db, home, options);
  const transcodes =
    !signal.aborted && residualsDue(db) ? await measureTranscodeResiduals(db, signal) : undefined;
  // A copy gone missing whose recording then moved on from the copy it was to keep: to the copy kept now.
  const movedOn = new Map((transcodes?.moved ?? []).map((m) => [m.from, m.to]));
  const moves: KeptMove[] = [
    ...(grouping?.orphanedEdits ?? []).map((m) => ({
      from: m.from,
      to: movedOn.get(m.to) ?? m.to,
      why: 'missing' as const,
    })),
    ...(transcodes?.moved ?? []).map((m) => ({ ...m, why: 'transcode' as const })),
  ];
  // At once: the copies kept now are shown without the edits until they are carried. Loaded only then: the
  // editing it does (edits.ts, the query language it names fields by) is ~20 modules few scans need.
  const carried =
    moves.length > 0
      ? (await import('../library/prefer-copy.ts')).carryFromMoved(db, moves, options.origin ?? 'cli')
      : undefined;
  const similarity = embed && !signal.aborted ? await syncSimilarity(db, home, options) : undefined;
  return {
    scan: summary,
    analysis,
    grouping,
    similarity,
    groupingWaits,
    carried,
    ...(transcodes && transcodes.measured > 0 && { transcodes }),
    interrupted: summary.interrupted || signal.aborted,
    totalSeconds: (performance.now() - runStarted) / 1000,
    empty:
      summary.interrupted || options.only || options.libraryFoldersOnly
        ? []
        : forgetEmptyRoots(db, await resolved(options.folders, limits, options.files), summary),
  };
}

/**
 * Grouping: after a switch of index, every group again; else the files that wait. An index that cannot be
 * reached leaves them waiting, said so (groupingWaits), for the next scan or look.
 */
async function groupPhase(
  db: Db,
  home: Home,
  options: PipelineOptions,
): Promise<{ grouping?: GroupingSummary; groupingWaits?: string }> {
  const { signal, onProgress: progress } = options;
  const remote = options.index?.url;
  const remoteName = remote ? remoteIndexName(db, options.index!.name) : undefined;
  if (options.fingerprint && !signal.aborted)
    regroupIfIndexChanged(db, home, remote ? `${remote} ${remoteName}` : 'embedded');
  // Grouping catches up whatever waits (a remote index that was down), even after a look that read nothing.
  const work = options.fingerprint && !signal.aborted ? groupingWork(db, remote ? null : home.indexes) : 0;
  if (work > 0) {
    const started = performance.now();
    const embedded = remote
      ? undefined
      : await IndexEngine.open(home.indexes, {
          thread: engineThread(home.indexes, work),
          verified: options.verified,
          signal,
          onWait: (holder) => options.onWait(waitingMessage('the fingerprint index', holder)),
        });
    const engine = embedded ?? (await remoteIndex(options.index!, signal, options.onWait));
    try {
      const grouping = await updateRecordingGroups(db, engine, {
        signal,
        remote: remote ? { name: remoteName!, owner: new RemoteIndexes(db, remote) } : undefined,
        onProgress: (p) => {
          const rate = p.done / Math.max((performance.now() - started) / 1000, 1e-3);
          const eta = (p.total - p.done) / Math.max(rate, 1e-3);
          progress?.({ phase: 'group', found: 0, ...p, filesPerSecond: rate, etaSeconds: eta });
        },
      });
      // A remote index's merges are its server's, which outlives the scan.
      if (embedded)
        await settleIndex(embedded, signal, () =>
          progress?.({ phase: 'merge', found: 0, total: 0, done: 0, filesPerSecond: 0, etaSeconds: null }),
        );
      return { grouping };
    } catch (err) {
      // A refusal retrying cannot fix (a read-only feed, a bad index name): the user's to change.
      if (err instanceof RemoteIndexError) throw new UserError('unavailable', err.message);
      // Never skipped in silence: the files stay ungrouped, said so, and the next scan or look groups them.
      if (!(err instanceof RemoteIndexUnavailable)) throw err;
      const groupingWaits = `grouping waits: ${err.message}; ${ungroupedFiles(db)} file(s) will be grouped by the next scan once it is back`;
      return { groupingWaits };
    } finally {
      await engine.close();
    }
  }
  return {};
}

/** The similarity table brought up to the library's embeddings (undefined when stopped meanwhile). */
async function syncSimilarity(
  db: Db,
  home: Home,
  options: PipelineOptions,
): Promise<PipelineSummary['similarity']> {
  const { signal, onProgress: progress } = options;
  progress?.({ phase: 'index', found: 0, total: 0, done: 0, filesPerSecond: 0, etaSeconds: null });
  const started = performance.now();
  const [{ openSynced, tableNeeded }, { embeddingExtractor }] = await Promise.all([
    import('../similar/similarity-sync.ts'),
    import('../similar/current-extractor.ts'),
  ]);
  if (!tableNeeded(db, embeddingExtractor)) {
    const seconds = (performance.now() - started) / 1000;
    return { written: 0, removed: 0, rows: 0, due: 0, whole: false, index: 'none', seconds };
  }
  // Stopped while it waits for another writer of the table: the scan is interrupted, as anywhere else.
  const opened = await openSynced(home.similarity, db, embeddingExtractor, {
    onWait: options.onWait,
    signal,
  }).catch((err: unknown) => {
    if (signal.aborted) return undefined;
    throw err;
  });
  opened?.table.close();
  return opened && { ...opened.sync, seconds: (performance.now() - started) / 1000 };
}

/**
 * The groups hold only for the index they were built in: after a switch (embedded ↔ remote, another server
 * or index name) the members are cleared, so grouping recomputes every group into the index now in use.
 * `groups-index` in the home names the index the groups were last built in.
 */
function regroupIfIndexChanged(db: Db, home: Home, index: string): void {
  const marker = join(home.dir, 'groups-index');
  const hasGroups = db.prepare('SELECT 1 FROM recording_members LIMIT 1').get() !== undefined;
  const was = existsSync(marker) ? readFileSync(marker, 'utf8') : hasGroups ? 'embedded' : index;
  if (was !== index && hasGroups) db.prepare('DELETE FROM recording_members').run();
  if (was !== index || !existsSync(marker)) writeFileSync(marker, index);
}

/** The HTTP client for config.json's `index.url`, its retries said as waits; loaded only then (it brings
 *  zod and msgpack with it). */
async function remoteIndex(
  index: Config['index'],
  signal: AbortSignal,
  onWait: (message: string) => void,
): Promise<RemoteIndex> {
  const { RemoteIndex } = await import('../../../index-engine/http/client.ts');
  return new RemoteIndex({
    url: index.url!,
    format: index.format,
    token: index.token,
    retries: index.retries,
    signal,
    onRetry: onWait,
  });
}

/** The folders as the scan stored them (absolute, `~` expanded); one gone since is left out. */
async function resolved(folders: readonly string[], limits: OffLimits, files: FileLanes): Promise<string[]> {
  const found = await Promise.all(folders.map((f) => scanFolder(f, limits, files).catch(() => undefined)));
  return found.filter((f): f is string => f !== undefined);
}

/** Of the folders scanned, those with no file of the library anywhere under them (whichever library
 *  folder the files count under) and that were read without a problem: their root is not kept (a
 *  mistyped or musicless folder does not become a library folder the mount and the stats then carry). */
function forgetEmptyRoots(db: Db, folders: readonly string[], summary: ScanSummary): string[] {
  const unreadable = new Set(summary.folderErrors.map((e) => e.path));
  const empty = db
    .prepare(
      `SELECT r.path FROM roots r JOIN json_each(?) j ON j.value = r.path
       WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.root_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM files f WHERE substr(f.path, 1, length(r.path) + 1) = r.path || '/')`,
    )
    .pluck()
    .all(JSON.stringify(folders.filter((f) => !unreadable.has(f)))) as string[];
  const forget = db.prepare('DELETE FROM roots WHERE path = ?');
  for (const path of empty) forget.run(path);
  return empty;
}

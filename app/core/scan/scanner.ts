// The incremental scanner: for each library folder, plan (walk, and diff against the library by (size,
// mtime, inode): unchanged files are never opened; moves matched), read (new and changed files on worker
// threads, written in batched transactions), settle (files gone marked missing, stale served facts); then,
// the folders done, the library's upkeep (upkeep.ts): the history pruned to the user's rule, the cover
// pictures nothing has named for a day deleted, the WAL truncated.

import { resolve } from 'node:path';
import { type FileLanes, withFileLanes } from '../../../kit/file-lanes.ts';
import { UserError } from '../../../kit/user-error.ts';
import { HISTORY_DEFAULTS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { IngestWriter } from '../library/ingest.ts';
import { libraryRoots } from '../library/library-folders.ts';
import { keepBounded } from '../library/upkeep.ts';
import { type OffLimits, whyOffLimits } from './off-limits.ts';
import { planFolder } from './scan-plan.ts';
import { Readers, readFolder } from './scan-read.ts';
import { type ScanOptions, ScanRun, type ScanSummary } from './scan-run.ts';
import { settleFolder } from './scan-settle.ts';
import { reason, type ScanTarget } from './walk.ts';

export { emptyScanSummary, type ScanOptions, type ScanProgress, type ScanSummary } from './scan-run.ts';
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

/**
 * The folders a scan of `asked` walks: a folder inside a library folder is a look at that part of it (the
 * library folder scanned with `only` those places), not a library folder of its own, which could then not
 * be forgotten apart from the one around it. Places inside two library folders, or beside a whole
 * folder, are scanned one library folder at a time: refused, saying so.
 */
export function withinLibraryFolders(
  asked: readonly string[],
  roots: readonly string[],
): { folders: string[]; only?: ScanTarget[] } {
  const around = (folder: string) => roots.find((r) => folder.startsWith(`${r}/`));
  const inside = asked.filter((f) => around(f) !== undefined && !roots.includes(f));
  if (inside.length === 0) return { folders: [...asked] };
  const root = around(inside[0]!)!;
  const others = asked.filter((f) => !inside.includes(f) || around(f) !== root);
  if (others.some((f) => f !== root))
    throw new ScanFolderError(
      `${inside[0]} is inside the library folder ${root}: scan it alone, or with other folders of ${root} only (sleeve scan ${root} scans the whole folder)`,
    );
  if (others.includes(root)) return { folders: [root] };
  return { folders: [root], only: inside.map((path) => ({ path, deep: true })) };
}

export class ScanFolderError extends UserError {
  override name = 'ScanFolderError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** The absolute folder to scan, or a ScanFolderError: missing, not a folder, not answering (past the
 *  lanes' deadline), or off limits. */
export async function scanFolder(folder: string, limits: OffLimits, files: FileLanes): Promise<string> {
  const abs = resolve(folder);
  const s = await files.stat(abs).catch((err: NodeJS.ErrnoException) => {
    throw new ScanFolderError(`cannot scan ${abs}: ${reason(err)}`);
  });
  if (!s) throw new ScanFolderError(`cannot scan ${abs}: no such folder`);
  if (s.kind !== 'folder') throw new ScanFolderError(`cannot scan ${abs}: not a folder`);
  const offLimits = whyOffLimits(await files.realpath(abs).catch(() => abs), limits);
  if (offLimits) throw new ScanFolderError(`cannot scan ${abs}: ${offLimits}`);
  return abs;
}

/** Scans the folders, each planned, read and settled in turn. `limits`: the places off limits, computed
 *  once for the run (the pipeline's). `ahead`: reader threads started ahead of the scan (the CLI
 *  starts one as it loads), which the caller closes; else the scan starts and closes its own. */
export async function scan(
  db: Db,
  options: ScanOptions,
  limits: OffLimits,
  ahead?: Readers,
): Promise<ScanSummary> {
  return withFileLanes(options.files, (files) => scanWith(db, options, limits, files, ahead));
}

async function scanWith(
  db: Db,
  options: ScanOptions,
  limits: OffLimits,
  files: FileLanes,
  ahead?: Readers,
): Promise<ScanSummary> {
  const started = performance.now();
  const asked: string[] = [];
  for (const f of options.folders) asked.push(await scanFolder(f, limits, files));
  if (options.only && asked.length !== 1) throw new Error('a scan of some places is of one folder');
  const { folders, only } = options.only
    ? { folders: asked, only: options.only }
    : withinLibraryFolders(asked, libraryRoots(db));
  const run = new ScanRun({
    db,
    writer: new IngestWriter(db),
    options,
    limits,
    files,
    libraryFolders: [...new Set([...libraryRoots(db), ...folders])],
    only: only && normalizedTargets(only),
    started,
  });
  const readers = ahead ?? new Readers();
  try {
    for (const folder of folders) {
      if (options.signal?.aborted) break;
      const plan = await planFolder(run, folder);
      if (!plan) continue;
      await readFolder(run, plan, readers);
      await settleFolder(run, plan);
    }
  } finally {
    if (!ahead) await readers.close();
  }
  // Pictures are let go when a scan rewrites what files hold: the scan is where collecting them is due.
  if (!options.signal?.aborted) await keepBounded(db, options.history ?? HISTORY_DEFAULTS);
  run.summary.interrupted = options.signal?.aborted ?? false;
  run.summary.seconds = (performance.now() - started) / 1000;
  return run.summary;
}

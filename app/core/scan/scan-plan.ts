// A scan's first step for one library folder: walk it, and diff what is there against what the library
// knows by (size, mtime, inode). Unchanged files are counted (those missing or removed marked present
// again), new and changed ones become work to read, moves are matched, and the files not found are gone.
import type { FileLanes } from '../../../kit/file-lanes.ts';
import { writeTransaction } from '../db/write-lock.ts';
import type { FileStat, IngestWriter, KnownFile } from '../library/ingest.ts';
import { keyOf } from './off-limits.ts';
import { matchMoves, pathExists } from './scan-moves.ts';
import type { FolderPlan, ScanRun, WorkItem } from './scan-run.ts';
import { type ScanTarget, walk } from './walk.ts';

/**
 * The plan for one library folder, its unchanged files back and its moves already recorded; undefined
 * when there is nothing to do: a look at a folder the library no longer has, or a removed folder whose
 * walk was cancelled (it comes back whole or not at all, so it stays removed).
 */
export async function planFolder(run: ScanRun, folder: string): Promise<FolderPlan | undefined> {
  const { db, writer, options } = run.scope;
  const now = Date.now();
  if (options.libraryFoldersOnly && !writer.isLibraryFolder(folder)) return undefined;
  const rootId = writer.ensureRoot(folder, now);
  const wasRemoved = writer.isRemoved(rootId);
  const rootKey = await keyOf(folder, run.scope.files);
  const known = await knownInScope(writer, run.scope.only ?? [{ path: folder, deep: true }], run.scope.files);
  const walked = await walkAndDiff(run, folder, known);
  const walkComplete = !run.signal?.aborted;
  if (wasRemoved && !walkComplete) return undefined;
  if (walked.back.length > 0 || wasRemoved) {
    writeTransaction(db, () => {
      for (const id of walked.back) writer.markPresent(id, rootId, now);
      if (wasRemoved) writer.restoreRoot(rootId);
    });
  }
  // A walk cut short knows of nothing gone, so of no move either.
  if (!walkComplete) return { folder, rootId, rootKey, work: walked.work, gone: new Map(), walkComplete };
  const gone = goneFiles(known, walked, rootId, run.scope.limits.excluded);
  const work = await matchMoves(run, rootId, walked.work, known, gone, now);
  return { folder, rootId, rootKey, work, gone, walkComplete };
}

interface Walked {
  /** Every path the walk found. */
  readonly seen: Set<string>;
  /** Folders the walk could not read: what the library knows under them is not known to be gone. */
  readonly unreadable: string[];
  readonly work: WorkItem[];
  /** Files missing or removed that are there again, unchanged. */
  readonly back: number[];
}

/** Walks the folder (or the places in it the run is limited to) and sorts what it finds against what is `known`. */
async function walkAndDiff(
  run: ScanRun,
  folder: string,
  known: ReadonlyMap<string, KnownFile>,
): Promise<Walked> {
  const { summary } = run;
  const { options } = run.scope;
  const walked: Walked = { seen: new Set(), unreadable: [], work: [], back: [] };
  for await (const entries of walk(folder, {
    only: run.scope.only,
    libraryFolders: run.scope.libraryFolders,
    followed: options.followed,
    includeHidden: options.includeHidden,
    ignore: new Set(options.ignore),
    signal: options.signal,
    offLimits: run.scope.limits,
    onFolderError: (path, reason) => {
      walked.unreadable.push(path);
      summary.folderErrors.push({ path, reason });
    },
    onSkipped: (path, reason) => summary.skipped.push({ path, reason }),
    files: run.scope.files,
  })) {
    for (const entry of entries) {
      run.found++;
      walked.seen.add(entry.stat.path);
      const k = known.get(entry.stat.path);
      // A file already recorded as unreadable stays so until it changes.
      if (k && sameFile(k, entry.stat) && (!entry.error || k.status === 'error')) {
        summary.unchanged++;
        if (k.status === 'error') summary.unreadable++;
        if (k.status === 'missing' || k.status === 'removed') walked.back.push(k.id);
      } else if (options.settled && !options.settled(entry.stat)) {
        options.onUnsettled?.(entry.stat.path);
      } else {
        walked.work.push({ stat: entry.stat, isNew: !k, sniffOnly: entry.sniffOnly, error: entry.error });
      }
    }
    run.report({ phase: 'walk', total: 0, done: 0, filesPerSecond: 0, etaSeconds: null });
  }
  return walked;
}

function sameFile(k: KnownFile, s: FileStat): boolean {
  return k.size === s.size && k.mtimeMs === s.mtimeMs && k.inode === s.inode && !k.outdated;
}

/** Files known in scope that a complete walk did not find, by id. Not those under a folder it could not
 *  read or one left out of the library (`excluded`), nor a removed folder's file under this one (its
 *  folder is not this scan's), nor ones already missing. */
function goneFiles(
  known: ReadonlyMap<string, KnownFile>,
  walked: Walked,
  rootId: number,
  excluded: readonly string[],
): Map<number, KnownFile> {
  const gone = new Map<number, KnownFile>();
  for (const [path, k] of known)
    if (
      k.status !== 'missing' &&
      !(k.status === 'removed' && k.rootId !== rootId) &&
      !walked.seen.has(path) &&
      !isUnder(path, walked.unreadable) &&
      !isUnder(path, excluded)
    )
      gone.set(k.id, k);
  return gone;
}

function isUnder(path: string, folders: readonly string[]): boolean {
  return folders.some((f) => path === f || path.startsWith(`${f}/`));
}

/** What the library knew inside the targets: under a deep one everything, else the folder's own files and
 *  those under its subfolders that are gone (a subfolder still there is not looked at). */
async function knownInScope(
  writer: IngestWriter,
  targets: readonly ScanTarget[],
  files: FileLanes,
): Promise<Map<string, KnownFile>> {
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
            // One that cannot be looked at (or does not answer) is not known to be gone.
            there = !(await pathExists(dir, files))
              ? false
              : ((await files.stat(dir).catch(() => undefined))?.kind ?? 'folder') === 'folder';
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

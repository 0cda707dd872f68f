// Files found at a new path that the library knew at an old one, kept as the same track (their id, edits,
// groups and playlists): moved or renamed (by inode, size and time, before reading), or copied back from
// elsewhere (a new inode: candidates by size here, confirmed by what reading them finds).
import type { FileLanes } from '../../../kit/file-lanes.ts';
import { writeTransaction } from '../db/write-lock.ts';
import type { IngestWriter, KnownFile } from '../library/ingest.ts';
import type { TrackRecord } from '../media/read-track.ts';
import type { ScanRun, WorkItem } from './scan-run.ts';

/**
 * Records the moves among a complete walk's new files and takes them out of `gone`; marks the rest that
 * may be a gone or missing file copied back. Returns the work left to read.
 */
export async function matchMoves(
  run: ScanRun,
  rootId: number,
  work: readonly WorkItem[],
  known: ReadonlyMap<string, KnownFile>,
  gone: Map<number, KnownFile>,
  now: number,
): Promise<WorkItem[]> {
  const { db, writer, files } = run.scope;
  const fresh = work.filter((w) => w.isNew && !w.error);
  const moves = await findMoves(writer, fresh, known, gone, files);
  const moved = new Set(moves.map((m) => m.item));
  if (moves.length > 0) {
    writeTransaction(db, () => {
      for (const { item, id } of moves) writer.move(id, rootId, item.stat, now);
    });
    run.summary.moved += moves.length;
  }
  findContentCandidates(
    writer,
    fresh.filter((w) => !moved.has(w)),
    gone,
  );
  return work.filter((w) => !moved.has(w));
}

const moveKey = (f: { inode: number; size: number; mtimeMs: number }) => `${f.inode}:${f.size}:${f.mtimeMs}`;

/** Whether a file is at `path` (one that cannot be looked at, on a dead mount or a share that does not
 *  answer, counts as there). */
export async function pathExists(path: string | Buffer, files: FileLanes): Promise<boolean> {
  return files.stat(path, { lstat: true }).then(
    (s) => s !== undefined,
    () => true,
  );
}

/**
 * New paths that are files the library knows by inode, size and modification time (a rename or move keeps
 * all three): files gone in this scan, missing ones, or listed ones whose old path is no longer there.
 * An inode two candidates share is left alone (not a move anyone can be sure of).
 */
async function findMoves(
  writer: IngestWriter,
  fresh: readonly WorkItem[],
  known: ReadonlyMap<string, KnownFile>,
  gone: Map<number, KnownFile>,
  files: FileLanes,
): Promise<Array<{ item: WorkItem; id: number }>> {
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
    if (row.status === 'missing' || !(await pathExists(row.pathBytes ?? row.path, files)))
      add(moveKey(row), row.id);
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

/** Which of a new file's candidates (`movedFrom`) it is a copy of, by what reading it found; not one
 *  another file of this scan was already found to be. */
export function copiedFrom(
  writer: IngestWriter,
  item: WorkItem,
  track: TrackRecord,
  taken: ReadonlySet<number>,
): number | undefined {
  return item.movedFrom?.find((id) => !taken.has(id) && writer.sameContent(id, item.stat.size, track));
}

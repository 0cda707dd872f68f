// Recording groups, maintained incrementally: each new or re-fingerprinted file puts its windows into the
// fingerprint index (the embedded engine, or an acoustid-index server: the same calls), searches with
// them, re-ranks the candidates with compare2 and joins (or merges) the groups it matches. Files that
// vanish, change or fail leave their group, which is split again if they held it together. The user's
// word (copy-decisions.ts) overrides the audio: a pair split apart never shares a group, a joined pair
// always does. The DB holds the groups; the index can always be rebuilt from it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexEngine } from '../../../index-engine/engine-client.ts';
import { IndexError } from '../../../index-engine/errors.ts';
import { RemoteIndexError } from '../../../index-engine/http/remote-errors.ts';
import { MANIFEST_FILE } from '../../../index-engine/manifest-file.ts';
import type { SearchHit } from '../../../index-engine/search.ts';
import type { Change } from '../../../index-engine/transaction.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { CopyDecisions } from './copy-decisions.ts';
import { keptCopy } from './duplicates.ts';
import { rawItems } from './fingerprint-store.ts';
import { queryTerms, windowTerms } from './query-terms.ts';
import {
  ITEM_SECONDS,
  MAX_DURATION_DIFF,
  matchRecordings,
  startInside,
  type Track,
} from './recording-match.ts';

export const RECORDINGS_INDEX = 'recordings';

/** What grouping asks of a fingerprint index: the embedded engine and the HTTP client both answer it. */
export type RecordingIndex = Pick<
  IndexEngine,
  'health' | 'createIndex' | 'deleteIndex' | 'update' | 'searchMany'
>;
/** Index document ids are fileId * WINDOWS + window. */
const WINDOWS = 16;
const BATCH = 256;
const MAX_CANDIDATES = 20;
/** Decoded fingerprints kept between batches (≈ 4 KB each): copies in nearby batches are not re-read. */
const CACHED_TRACKS = 2048;

export interface GroupingProgress {
  readonly total: number;
  readonly done: number;
}

export interface GroupingSummary {
  grouped: number;
  removed: number;
  seconds: number;
  /** Edited copies gone missing on disk, each with the copy its recording keeps now: the edits the user
   *  gave the recording are on a file no one is shown (the caller carries them over). */
  orphanedEdits: Array<{ readonly from: number; readonly to: number }>;
  /** Set when a search found the index damaged and it was made again in this run: what was wrong. */
  remade?: string;
}

/** Members gone missing on disk that the user edited, full copies, with the other members of their group. */
const MISSING_EDITED = `SELECT m.file_id AS id,
    (SELECT json_group_array(o.file_id) FROM recording_members o WHERE o.group_id = m.group_id AND o.file_id <> m.file_id) AS others
  FROM recording_members m JOIN files f ON f.id = m.file_id AND f.status = 'missing'
  JOIN edited_files ef ON ef.file_id = m.file_id
  WHERE m.partial_offset IS NULL AND m.file_id IN (SELECT value FROM json_each(?))`;

interface Pending {
  readonly id: number;
  readonly computedAt: number;
}

/** Fingerprints a file is grouped by: a full one, or one too short for AcoustID (a jingle, an interlude),
 *  which matches copies of its own length only (recording-match.ts). */
const GROUPED_BY = `p.status IN ('ok', 'too_short')`;

/** Members whose file is gone, changed or no longer fingerprintable. */
const STALE = `SELECT m.file_id AS id, m.group_id AS groupId FROM recording_members m
  LEFT JOIN files f ON f.id = m.file_id LEFT JOIN fingerprints p ON p.file_id = m.file_id
  WHERE f.status IS NOT 'ok' OR NOT coalesce(${GROUPED_BY}, 0) OR p.computed_at IS NOT m.fingerprint_at`;

/** Fingerprinted files not in a group yet. */
const PENDING = `SELECT f.id, p.computed_at AS computedAt
  FROM files f JOIN fingerprints p ON p.file_id = f.id
  LEFT JOIN recording_members m ON m.file_id = f.id
  WHERE f.status = 'ok' AND ${GROUPED_BY} AND m.file_id IS NULL ORDER BY f.id`;

/**
 * How many files grouping has to put through the index, counted up to one past a batch (BATCH): files to
 * add or remove, or every fingerprinted file when the embedded index (`indexesDir`; a remote one is checked
 * when there is work, not by every scan) went missing under existing groups (its manifest gone: the engine
 * loads no index without one, and grouping makes it anew). 0 lets an unchanged rescan skip starting the
 * index engine or calling the server; a single batch has nothing for an engine thread to overlap
 * (updateRecordingGroups searches the next batch while it groups one), so its caller hosts it.
 */
export function groupingWork(db: Db, indexesDir: string | null): number {
  const upTo = (sql: string) =>
    db
      .prepare(`SELECT count(*) FROM (${sql} LIMIT ${BATCH + 1})`)
      .pluck()
      .get() as number;
  const rebuilt =
    indexesDir !== null &&
    upTo('SELECT 1 FROM recording_members') > 0 &&
    !existsSync(join(indexesDir, RECORDINGS_INDEX, MANIFEST_FILE));
  const files = rebuilt ? upTo(`SELECT 1 FROM fingerprints p WHERE ${GROUPED_BY}`) : upTo(PENDING);
  return Math.min(BATCH + 1, upTo(STALE) + files);
}

/** Whether grouping `work` files (groupingWork) fits one batch of the index's. */
export const oneBatch = (work: number): boolean => work <= BATCH;

/** Fingerprinted files waiting to join a group (what a grouping that could not run leaves). */
export function ungroupedFiles(db: Db): number {
  return db.prepare(`SELECT count(*) FROM (${PENDING})`).pluck().get() as number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A remote index's owner: a library deletes only an index it created (remote-indexes.ts). */
export interface IndexOwnership {
  /** Where the index lives, for messages. */
  readonly where: string;
  created(name: string): boolean;
  recordCreated(name: string): void;
}

/** The index, ready; recreated empty (and every group recomputed) when it is missing or damaged, or
 *  when the library has no groups yet (an index left from another run must not leak into it). A remote
 *  index this library did not create is never deleted: another library's, it is refused. */
async function ensureIndex(
  db: Db,
  engine: RecordingIndex,
  name: string,
  owner?: IndexOwnership,
): Promise<void> {
  const hasGroups = db.prepare('SELECT 1 FROM recording_members LIMIT 1').get() !== undefined;
  for (let waited = 0; ; waited++) {
    // A remote index gives up on one that stays "loading" (RemoteIndexUnavailable).
    const health = await engine.health(name);
    if (health === 'loading') {
      await sleep(Math.min(1000, 20 * 2 ** waited)); // a remote replica may load for minutes
      continue;
    }
    if (health === 'ready' && hasGroups) return;
    if (health !== 'absent') {
      if (owner && !owner.created(name))
        throw new UserError(
          'conflict',
          `the fingerprint index ${name} at ${owner.where} was not created by this library (another library's, or made by hand): Sleeve will not empty it; set index.name in config.json to another name, or leave it unset for this library's own`,
        );
      await engine.deleteIndex(name);
    }
    // Recorded first: a process killed between the two must not leave this library's own index refused.
    owner?.recordCreated(name);
    await engine.createIndex(name);
    // Only once the index is there (a wrong address fails above): every group is recomputed into it.
    db.prepare('DELETE FROM recording_members').run();
    db.prepare('DELETE FROM recording_relations').run();
    return;
  }
}

function deleteDocs(fileIds: readonly number[]): Change[] {
  return fileIds.flatMap((f) =>
    Array.from({ length: WINDOWS }, (_, w) => ({ op: 'delete' as const, id: f * WINDOWS + w })),
  );
}

/**
 * Members whose file is gone, changed or no longer fingerprintable leave their groups, and a group that lost
 * members is split if they held it together, in one transaction: a later failure in this run (a remote
 * index gone) must not leave a group joined by a member no later run knows it lost. Says how many left,
 * and where each edited copy's recording now is.
 */
async function removeStale(
  db: Db,
  engine: RecordingIndex,
  name: string,
  groups: GroupTable,
  tracks: TrackCache,
): Promise<Pick<GroupingSummary, 'removed' | 'orphanedEdits'>> {
  const stale = db.prepare(STALE).all() as Array<{ id: number; groupId: number }>;
  const orphanedEdits: GroupingSummary['orphanedEdits'] = [];
  if (stale.length === 0) return { removed: 0, orphanedEdits };
  await engine.update(name, { changes: deleteDocs(stale.map((s) => s.id)) });
  writeTransaction(db, () => {
    const edited = db.prepare(MISSING_EDITED).all(JSON.stringify(stale.map((s) => s.id))) as Array<{
      id: number;
      others: string;
    }>;
    for (const s of stale) groups.remove(s.id);
    for (const g of new Set(stale.map((s) => s.groupId)))
      groups.settlePartials(groups.regroup([g], tracks), tracks);
    // Where each edited copy's recording is now: the group of a member still there, and its kept copy.
    for (const e of edited) {
      const group = (JSON.parse(e.others) as number[])
        .map((o) => groups.groupOf(o))
        .find((g) => g !== undefined);
      const to = group === undefined ? undefined : keptCopy(db, group);
      if (to !== undefined) orphanedEdits.push({ from: e.id, to });
    }
  });
  return { removed: stale.length, orphanedEdits };
}

export async function updateRecordingGroups(
  db: Db,
  engine: RecordingIndex,
  options: {
    signal?: AbortSignal;
    onProgress?: (p: GroupingProgress) => void;
    /** A remote index: its name, and who created what there. */
    remote?: { name: string; owner: IndexOwnership };
  } = {},
): Promise<GroupingSummary> {
  const started = performance.now();
  const name = options.remote?.name ?? RECORDINGS_INDEX;
  await ensureIndex(db, engine, name, options.remote?.owner);
  const groups = new GroupTable(db, new CopyDecisions(db));
  // Fingerprints are decoded as their batch comes (a large library never sits in memory at once) and
  // kept for a while, since copies tend to be near each other.
  const tracks = new TrackCache(db, CACHED_TRACKS);

  const { removed, orphanedEdits } = await removeStale(db, engine, name, groups, tracks);
  let grouped: number;
  let remade: string | undefined;
  try {
    grouped = await groupPending(db, engine, name, groups, tracks, options);
  } catch (err) {
    // A damaged page of the index is found when a search first reads it, and the engine (or the remote's
    // server) sets the index aside: it is made again, every group recomputed into it (what left its group
    // above stays said). A remote index another library made is refused there, not emptied.
    const damaged =
      (err instanceof IndexError || err instanceof RemoteIndexError) && err.code === 'CorruptSegment';
    if (!damaged || options.signal?.aborted) throw err;
    await ensureIndex(db, engine, name, options.remote?.owner);
    grouped = await groupPending(db, engine, name, groups, tracks, options);
    remade = err.message;
  }
  return {
    grouped,
    removed,
    seconds: (performance.now() - started) / 1000,
    orphanedEdits,
    ...(remade !== undefined && { remade }),
  };
}

/** Groups the fingerprinted files not in a group yet, a batch at a time; how many it grouped. */
async function groupPending(
  db: Db,
  engine: RecordingIndex,
  name: string,
  groups: GroupTable,
  tracks: TrackCache,
  options: { signal?: AbortSignal; onProgress?: (p: GroupingProgress) => void },
): Promise<number> {
  const pending = db.prepare(PENDING).all() as Pending[];
  /** Batches whose windows are in the index but whose files are not in groups yet. */
  const ungrouped = new Set<readonly Pending[]>();
  const search = (start: number) => {
    const batch = pending.slice(start, start + BATCH);
    const own = batch.map((p) => tracks.get(p.id)!);
    ungrouped.add(batch);
    const candidates = indexAndSearch(engine, name, batch, own);
    candidates.catch(() => {}); // awaited later: its failure must not count as unhandled meanwhile
    return { batch, own, candidates };
  };
  const aborted = () => options.signal?.aborted === true;
  let done = 0;
  // The engine indexes and searches the next batch while this thread matches and groups the current one:
  // a batch's groups only depend on the ones before it, its candidates only on the index.
  let next = pending.length > 0 && !aborted() ? search(0) : null;
  try {
    while (next) {
      const { batch, own, candidates: found } = next;
      next = null;
      const candidates = await found;
      if (aborted()) break;
      if (done + batch.length < pending.length) next = search(done + batch.length);
      groupBatch(batch, own, candidates);
      ungrouped.delete(batch);
      done += batch.length;
      options.onProgress?.({ total: pending.length, done });
    }
  } finally {
    await next?.candidates.catch(() => {});
    // Indexed but never grouped (an abort or a failure): their documents leave the index, since nothing
    // else would remove them if their files vanished. Best effort; a later run re-indexes these files.
    const orphans = [...ungrouped].flat().map((p) => p.id);
    if (orphans.length > 0) await engine.update(name, { changes: deleteDocs(orphans) }).catch(() => {});
  }

  function groupBatch(batch: readonly Pending[], own: readonly Track[], candidates: number[][]): void {
    writeTransaction(db, () => {
      const touched = new Set<number>();
      batch.forEach((p, b) => {
        const track = own[b]!;
        const matched: number[] = [];
        for (const c of candidates[b]!) {
          const group = groups.groupOf(c);
          if (group === undefined) continue; // later in this batch: it will find this file
          const other = tracks.get(c);
          if (!other) continue;
          const m = matchRecordings(track, other);
          if (m?.kind === 'related') groups.relate(m.longer === 'a' ? [p.id, c] : [c, p.id], m);
          else if (m) matched.push(group);
        }
        touched.add(groups.add(p.id, groups.admit(p.id, matched), p.computedAt));
      });
      groups.settlePartials(touched, tracks);
    });
  }

  return done;
}

/** Indexes a batch's windows, then searches with each file's queries (one round trip for the batch);
 *  resolves to every file's candidates. The whole batch is indexed first so its files find each other. */
async function indexAndSearch(
  engine: RecordingIndex,
  name: string,
  batch: readonly Pending[],
  own: readonly Track[],
): Promise<number[][]> {
  // Typed arrays: they reach the engine thread as one copy each, not element by element.
  const windows = own.map((t) => windowTerms(t.raw, WINDOWS).map((w) => Uint32Array.from(w)));
  const inserts: Change[] = batch.flatMap((p, b) =>
    windows[b]!.map((hashes, w) => ({ op: 'insert' as const, id: p.id * WINDOWS + w, hashes })),
  );
  // Not awaited before searching: both indexes apply an index's updates before a later search of it.
  const indexed = engine.update(name, { changes: inserts });
  // AcoustID's query (≈ 10–25 s in, standing for window 1), then every other window from 3 on: any copy
  // sharing two consecutive windows' worth of audio (≈ 30 s) holds an indexed window that overlaps a
  // queried one by at least half, so partial copies are found too.
  const perFile = own.map((t, b) => [
    Uint32Array.from(queryTerms(t.raw)),
    ...windows[b]!.filter((_, w) => w >= 3 && w % 2 === 1),
  ]);
  const [, results] = await Promise.all([indexed, engine.searchMany(name, perFile.flat())]);
  let at = 0;
  return perFile.map((queries, b) => {
    at += queries.length;
    return bestCandidates(batch[b]!.id, results.slice(at - queries.length, at));
  });
}

/** Files sharing terms with this one: best score per file, above 10 % of the top, at most 20. */
function bestCandidates(self: number, results: readonly SearchHit[][]): number[] {
  const best = new Map<number, number>();
  for (const hits of results) {
    for (const h of hits) {
      const file = Math.floor(h.id / WINDOWS);
      if (file !== self && h.score > (best.get(file) ?? 0)) best.set(file, h.score);
    }
  }
  const ranked = [...best].sort((x, y) => y[1] - x[1]);
  const top = ranked[0]?.[1] ?? 0;
  return ranked
    .filter(([, s]) => s > top * 0.1)
    .slice(0, MAX_CANDIDATES)
    .map(([f]) => f);
}

/** Decoded fingerprints, loaded on first use; the least recently used go beyond `capacity`. */
class TrackCache {
  readonly #load;
  readonly #capacity: number;
  readonly #tracks = new Map<number, Track | null>();
  constructor(db: Db, capacity: number) {
    this.#capacity = capacity;
    this.#load = db.prepare(
      `SELECT f.duration, p.data,
         (SELECT t.fold FROM tags t WHERE t.file_id = f.id AND t.key = 'title' AND t.idx = 0) AS title
       FROM files f JOIN fingerprints p ON p.file_id = f.id
       WHERE f.id = ? AND ${GROUPED_BY}`,
    );
  }
  get(id: number): Track | undefined {
    let track = this.#tracks.get(id);
    if (track === undefined) {
      const row = this.#load.get(id) as
        | { duration: number | null; data: Uint8Array; title: string | null }
        | undefined;
      const raw = row && rawItems(row.data);
      // A length the reader could not tell: what the fingerprint holds of it (a lower bound).
      track =
        row && raw ? { raw, duration: row.duration ?? raw.length * ITEM_SECONDS, title: row.title } : null;
      if (this.#tracks.size >= this.#capacity) this.#tracks.delete(this.#tracks.keys().next().value!);
    } else this.#tracks.delete(id); // re-inserted below: Map order is recency
    this.#tracks.set(id, track);
    return track ?? undefined;
  }
}

/** Regroups the groups of these files at once, as the user's decisions now say (after a split, a join,
 *  or the undo or redo of one): their members' components are worked out again. */
export function regroupFiles(db: Db, fileIds: readonly number[]): void {
  const groups = new GroupTable(db, new CopyDecisions(db));
  const ids = fileIds.map((f) => groups.groupOf(f)).filter((g) => g !== undefined);
  const tracks = new TrackCache(db, CACHED_TRACKS);
  writeTransaction(db, () => groups.settlePartials(groups.regroup(ids, tracks), tracks));
}

/** recording_members, with the group operations grouping needs. */
class GroupTable {
  readonly #sql;
  readonly #decisions: CopyDecisions;
  constructor(db: Db, decisions: CopyDecisions) {
    this.#decisions = decisions;
    this.#sql = {
      groupOf: db.prepare('SELECT group_id FROM recording_members WHERE file_id = ?').pluck(),
      newGroup: db.prepare('SELECT coalesce(max(group_id), 0) + 1 FROM recording_members').pluck(),
      insert: db.prepare(
        'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, ?, ?, ?)',
      ),
      merge: db.prepare('UPDATE recording_members SET group_id = ? WHERE group_id = ?'),
      move: db.prepare('UPDATE recording_members SET group_id = ? WHERE file_id = ?'),
      partial: db.prepare(
        'UPDATE recording_members SET partial_offset = ? WHERE file_id = ? AND partial_offset IS NOT ?',
      ),
      remove: db.prepare('DELETE FROM recording_members WHERE file_id = ?'),
      unrelate: db.prepare('DELETE FROM recording_relations WHERE longer_id = ? OR shorter_id = ?'),
      relate: db.prepare(
        'INSERT OR REPLACE INTO recording_relations (longer_id, shorter_id, start, overlap) VALUES (?, ?, ?, ?)',
      ),
      members: db
        .prepare('SELECT file_id FROM recording_members WHERE group_id = ? ORDER BY file_id')
        .pluck(),
    };
  }

  groupOf(fileId: number): number | undefined {
    return this.#sql.groupOf.get(fileId) as number | undefined;
  }

  #newGroup(): number {
    return this.#sql.newGroup.get() as number;
  }

  /** Of the groups a file matched, those it may join: its joined files' groups too, and never one that
   *  holds a file split from it or from a group joined before (oldest first). */
  admit(fileId: number, matched: readonly number[]): number[] {
    const d = this.#decisions;
    if (d.none) return [...matched];
    const joined = [...d.joinedWith(fileId)].map((f) => this.groupOf(f)).filter((g) => g !== undefined);
    const members = new Set([fileId]);
    const admitted: number[] = [];
    for (const g of new Set([...joined, ...matched])) {
      const theirs = this.#sql.members.all(g) as number[];
      if (d.conflict(theirs, members)) continue;
      admitted.push(g);
      for (const m of theirs) members.add(m);
    }
    return admitted;
  }

  /** Adds a file to the groups it matched, merging them into the oldest; a new group if none. Returns
   *  its group (whose partial copies settlePartials then works out). */
  add(fileId: number, matched: readonly number[], fingerprintAt: number): number {
    const distinct = [...new Set(matched)].sort((a, b) => a - b);
    const group = distinct[0] ?? this.#newGroup();
    for (const g of distinct.slice(1)) this.#sql.merge.run(group, g);
    this.#sql.insert.run(fileId, group, null, fingerprintAt);
    return group;
  }

  /** Records that `longer` holds part of `shorter`: two recordings, each listed on its own. */
  relate([longer, shorter]: readonly [number, number], m: { start: number; overlap: number }): void {
    this.#sql.relate.run(longer, shorter, m.start, m.overlap);
  }

  /** Which members of these groups are partial copies, and where each starts: decided against the
   *  group's longest copy, so the answer is the same whatever order the copies were scanned in. A copy
   *  more than MAX_DURATION_DIFF shorter than it (AcoustID's length rule for full copies) whose audio is
   *  found inside it is partial; one that is not found there (joined by the user, or grouped through a
   *  third copy) is not called partial on a guess. */
  settlePartials(groupIds: Iterable<number>, tracks: TrackCache): void {
    for (const g of new Set(groupIds)) {
      const members = (this.#sql.members.all(g) as number[])
        .map((id) => ({ id, track: tracks.get(id) }))
        .filter((m): m is { id: number; track: Track } => m.track !== undefined);
      const longest = members.reduce<(typeof members)[number] | undefined>(
        (best, m) => (best === undefined || m.track.duration > best.track.duration ? m : best),
        undefined,
      );
      for (const m of members) {
        const shorter =
          longest !== undefined && m.track.duration < longest.track.duration - MAX_DURATION_DIFF;
        const start = shorter ? startInside(longest.track, m.track) : null;
        this.#sql.partial.run(start, m.id, start);
      }
    }
  }

  remove(fileId: number): void {
    this.#sql.remove.run(fileId);
    this.#sql.unrelate.run(fileId, fileId);
  }

  /** Recomputes the connected components of these groups' members: joined pairs first, then copies
   *  that match, never joining two components that hold a split pair. Each component, largest first,
   *  keeps the group most of its members are in (so few rows move: each move raises copies_state).
   *  Returns the groups its members are in now. */
  regroup(groupIds: readonly number[], tracks: TrackCache): Set<number> {
    const groupOf = new Map<number, number>();
    for (const g of new Set(groupIds))
      for (const id of this.#sql.members.all(g) as number[]) groupOf.set(id, g);
    const ids = [...groupOf.keys()];
    if (ids.length < 2) return new Set(groupOf.values());
    const d = this.#decisions;
    const component = new Map(ids.map((id) => [id, new Set([id])]));
    const parent = new Map(ids.map((id) => [id, id]));
    const find = (x: number): number => {
      while (parent.get(x) !== x) x = parent.get(x)!;
      return x;
    };
    /** Joins the components of two files unless a split pair stands between them. */
    const union = (x: number, y: number, same: () => boolean) => {
      const [rx, ry] = [find(x), find(y)];
      if (rx === ry || d.conflict(component.get(rx)!, component.get(ry)!) || !same()) return;
      parent.set(rx, ry);
      for (const id of component.get(rx)!) component.get(ry)!.add(id);
      component.delete(rx);
    };
    for (const id of ids) for (const j of d.joinedWith(id)) if (groupOf.has(j)) union(id, j, () => true);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        union(ids[i]!, ids[j]!, () => {
          const a = tracks.get(ids[i]!);
          const b = tracks.get(ids[j]!);
          const m = a !== undefined && b !== undefined ? matchRecordings(a, b) : null;
          return m !== null && m.kind !== 'related';
        });
      }
    }
    const taken = new Set<number>();
    for (const members of [...component.values()].sort((a, b) => b.size - a.size)) {
      // The group most of its members are in already, if no larger component kept it.
      const counts = new Map<number, number>();
      for (const id of members) counts.set(groupOf.get(id)!, (counts.get(groupOf.get(id)!) ?? 0) + 1);
      const kept = [...counts].sort((x, y) => y[1] - x[1] || x[0] - y[0]).find(([g]) => !taken.has(g));
      const g = kept?.[0] ?? this.#newGroup();
      taken.add(g);
      for (const id of members) if (groupOf.get(id) !== g) this.#sql.move.run(g, id);
    }
    return taken;
  }
}

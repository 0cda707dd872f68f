// Brings the LanceDB table in step with the library: rows for files with a current embedding (new ones
// added, those whose tags, group or vector changed rewritten), rows of files gone, missing or re-analysed
// without a vector removed. `similarity_rows` records what the table holds; `similarity_due` the files
// changed since (noted by triggers: migration 74), so a sync compares those alone with the record. Every
// file is compared when the table is new or rebuilt, when it was last compared whole by another extractor
// (`similarity_synced`), or when so many are due that one pass over all is cheaper. A table that
// disagrees with the record is rebuilt.

import { ExclusiveLock, type LockHolder, waitingMessage } from '../../../kit/exclusive-lock.ts';
import type { Db } from '../db/database.ts';
import { fold } from '../db/fold.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { type Tags, tagsFor } from '../library/list.ts';
import { blobVector, CURRENT_EMBEDDING, extractorParams } from './embedding-store.ts';
import type { EmbeddingExtractor } from './extractor.ts';
import { type IndexAction, type SimilarityRow, SimilarityTable } from './similarity-table.ts';

export interface SyncSummary {
  /** Rows written (new or changed) and removed. */
  readonly written: number;
  readonly removed: number;
  readonly rows: number;
  /** Files noted as changed since the last sync (similarity_due), and whether every file was compared
   *  with the table's record rather than those alone. */
  readonly due: number;
  readonly whole: boolean;
  /** Why the table was rebuilt from the library's stored vectors, if it was. */
  readonly rebuilt?: string;
  readonly index: IndexAction;
}

interface Wanted {
  readonly id: number;
  readonly changeSeq: number;
  readonly groupId: number | null;
  readonly computedAt: number;
}

const CHUNK = 5000;

/** Above this share of the recorded rows due (and a chunk), one pass over every file is cheaper than a
 *  look at each. */
const WHOLE_SHARE = 1 / 8;

/** Files whose current embedding should be in the table, as of which change, group and computation. */
const WANTED = `
  SELECT f.id, f.change_seq AS changeSeq, m.group_id AS groupId, e.computed_at AS computedAt
  FROM embeddings e JOIN files f ON f.id = e.file_id LEFT JOIN recording_members m ON m.file_id = f.id
  WHERE f.status = 'ok' AND e.status = 'ok' AND ${CURRENT_EMBEDDING}`;

/** A wanted row the table holds otherwise, or not at all. */
const DIFFERS = `r.file_id IS NULL OR r.change_seq != w.changeSeq OR r.group_id IS NOT w.groupId
  OR r.computed_at != w.computedAt`;

/** Whether the table has anything to hold or to give up: a file with a current embedding, or a row written
 *  before. A library with neither (its files too short for a vector, every one analysed without) is in
 *  step with no table, which a scan then never opens (LanceDB's load and a look at the table: 0.27–0.33 s
 *  for a rescan of five files against 0.37–0.41 s). */
export function tableNeeded(db: Db, extractor: EmbeddingExtractor): boolean {
  return (
    db.prepare('SELECT 1 FROM similarity_rows LIMIT 1').get() !== undefined ||
    db.prepare(`SELECT 1 FROM (${WANTED}) LIMIT 1`).get(extractorParams(extractor)) !== undefined
  );
}

/** The last file noted due so far (0: none ever): it rises with every note, so a reader that syncs only
 *  when it moved syncs after every change the table may need, at the cost of a lookup. */
export function lastDue(db: Db): number {
  return (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'similarity_due'").pluck().get() ??
    0) as number;
}

/** What differs between the table's record and the library: rows to write, and files whose row goes. */
interface Difference {
  readonly changed: Wanted[];
  readonly gone: number[];
}

/** Every file with a vector compared with the record. */
function wholeDifference(db: Db, params: ReturnType<typeof extractorParams>): Difference {
  const changed = db
    .prepare(
      `WITH wanted AS (${WANTED})
       SELECT w.* FROM wanted w LEFT JOIN similarity_rows r ON r.file_id = w.id WHERE ${DIFFERS} ORDER BY w.id`,
    )
    .all(params) as Wanted[];
  const gone = db
    .prepare(`SELECT file_id FROM similarity_rows WHERE file_id NOT IN (SELECT id FROM (${WANTED}))`)
    .pluck()
    .all(params) as number[];
  return { changed, gone };
}

/** The files `due` compared with the record, a chunk at a time. */
function dueDifference(
  db: Db,
  params: ReturnType<typeof extractorParams>,
  due: readonly number[],
): Difference {
  const wantedOf = db.prepare(
    `WITH wanted AS (${WANTED} AND f.id IN (SELECT value FROM json_each(@ids)))
     SELECT w.*, (${DIFFERS}) AS differs
     FROM wanted w LEFT JOIN similarity_rows r ON r.file_id = w.id`,
  );
  const recordedOf = db
    .prepare('SELECT file_id FROM similarity_rows WHERE file_id IN (SELECT value FROM json_each(?))')
    .pluck();
  const changed: Wanted[] = [];
  const gone: number[] = [];
  for (let i = 0; i < due.length; i += CHUNK) {
    const ids = JSON.stringify(due.slice(i, i + CHUNK));
    const wanted = wantedOf.all({ ...params, ids }) as Array<Wanted & { differs: number }>;
    const kept = new Set(wanted.map((w) => w.id));
    for (const { differs, ...w } of wanted) if (differs) changed.push(w);
    for (const id of recordedOf.all(ids) as number[]) if (!kept.has(id)) gone.push(id);
  }
  changed.sort((a, b) => a.id - b.id);
  return { changed, gone };
}

/** Whether the table was last compared whole with `extractor`'s vectors. */
function syncedWith(db: Db, extractor: EmbeddingExtractor): boolean {
  const { extractor: name, version } = extractorParams(extractor);
  return (
    db.prepare('SELECT 1 FROM similarity_synced WHERE extractor = ? AND version = ?').get(name, version) !==
    undefined
  );
}

export async function syncSimilarity(
  db: Db,
  table: SimilarityTable,
  extractor: EmbeddingExtractor,
  problem?: string,
): Promise<SyncSummary> {
  const params = extractorParams(extractor);
  const recorded = (db.prepare('SELECT count(*) AS n FROM similarity_rows').get() as { n: number }).n;
  let rebuilt = problem;
  if (rebuilt === undefined) {
    const rows = await table.count();
    if (rows !== recorded) rebuilt = `it holds ${rows} rows where ${recorded} were written`;
  }
  if (rebuilt !== undefined) {
    await table.clear();
    db.prepare('DELETE FROM similarity_rows').run();
  }
  // What is due is read before the library: a file that changes from here on is due again, after `last`.
  const { due, last } = db.prepare('SELECT count(*) AS due, max(seq) AS last FROM similarity_due').get() as {
    due: number;
    last: number | null;
  };
  const whole =
    rebuilt !== undefined ||
    recorded === 0 ||
    due > Math.max(CHUNK, recorded * WHOLE_SHARE) ||
    !syncedWith(db, extractor);
  const { changed, gone } = whole
    ? wholeDifference(db, params)
    : dueDifference(
        db,
        params,
        db.prepare('SELECT file_id FROM similarity_due WHERE seq <= ?').pluck().all(last) as number[],
      );

  const forget = db.prepare('DELETE FROM similarity_rows WHERE file_id = ?');
  if (gone.length > 0) {
    await table.remove(gone);
    writeTransaction(db, () => {
      for (const id of gone) forget.run(id);
    });
  }
  const record = db.prepare(
    `INSERT OR REPLACE INTO similarity_rows (file_id, change_seq, group_id, computed_at)
     VALUES (@id, @changeSeq, @groupId, @computedAt)`,
  );
  for (let i = 0; i < changed.length; i += CHUNK) {
    const chunk = changed.slice(i, i + CHUNK);
    // The table first: if the process dies before the record is written, the next sync rewrites the
    // chunk (upsert deletes before adding, so nothing is doubled; the files are still due).
    const rows = rowsFor(db, chunk);
    await (rebuilt === undefined ? table.upsert(rows) : table.add(rows));
    writeTransaction(db, () => {
      for (const w of chunk) record.run(w);
    });
  }
  // Only now, the record written: what was due is in step (a scan's million notes let go a chunk at a
  // time, each transaction short).
  const letGo = db.prepare(
    'DELETE FROM similarity_due WHERE seq IN (SELECT seq FROM similarity_due WHERE seq <= ? LIMIT 20000)',
  );
  for (let left = last === null ? 0 : 1; left > 0; )
    left = writeTransaction(db, () => letGo.run(last).changes);
  if (whole)
    db.prepare('INSERT OR REPLACE INTO similarity_synced (id, extractor, version) VALUES (1, ?, ?)').run(
      params.extractor,
      params.version,
    );
  const index = await table.maintain();
  return {
    written: changed.length,
    removed: gone.length,
    rows: await table.count(),
    due,
    whole,
    ...(rebuilt === undefined ? {} : { rebuilt }),
    index,
  };
}

const foldAll = (values: readonly string[] | undefined): string => (values ?? []).map(fold).join('\n');

function rowsFor(db: Db, wanted: readonly Wanted[]): SimilarityRow[] {
  const ids = wanted.map((w) => w.id);
  const files = db
    .prepare(
      `SELECT f.id, f.duration, f.format, e.vector FROM json_each(?) j
       JOIN files f ON f.id = j.value JOIN embeddings e ON e.file_id = f.id`,
    )
    .all(JSON.stringify(ids)) as Array<{
    id: number;
    duration: number | null;
    format: string | null;
    vector: Buffer;
  }>;
  const byId = new Map(files.map((f) => [f.id, f]));
  const tags = tagsFor(db, ids);
  return wanted.map((w) => {
    const f = byId.get(w.id)!;
    const t: Tags = tags.get(w.id) ?? {};
    const year = Number.parseInt(t.date?.[0]?.slice(0, 4) ?? '', 10);
    return {
      file_id: w.id,
      vector: blobVector(f.vector),
      duration: f.duration,
      group_id: w.groupId,
      year: Number.isFinite(year) ? year : null,
      title: foldAll(t.title),
      artist: foldAll(t.artist),
      albumartist: foldAll(t.albumartist),
      album: foldAll(t.album),
      genre: foldAll(t.genre),
      format: f.format ?? '',
    };
  });
}

/** How a writer of the table waits for another process that writes it: told once, cancellable. */
export interface TableWait {
  readonly onWait: (message: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs `write` (an open that may rebuild, a sync) as the table's only writer among processes: the CLI and
 * the app's backend each sync it, and two syncs at once would each add the rows the other is adding.
 * Readers need no lock: LanceDB's versions keep a read consistent while a writer commits.
 */
export async function writingTable<T>(dir: string, wait: TableWait, write: () => Promise<T>): Promise<T> {
  const lock = await ExclusiveLock.acquire(
    `${dir}.lock`,
    (holder: LockHolder | undefined) => wait.onWait(waitingMessage('the similarity table', holder)),
    wait.signal,
  );
  try {
    return await write();
  } finally {
    lock.release();
  }
}

/** Opens the table in `dir` and syncs it; a table that could not be used is rebuilt (summary.rebuilt). */
export function openSynced(
  dir: string,
  db: Db,
  extractor: EmbeddingExtractor,
  wait: TableWait,
): Promise<{ table: SimilarityTable; sync: SyncSummary }> {
  return writingTable(dir, wait, async () => {
    const { table, problem } = await SimilarityTable.open(dir, extractor.dimension);
    return { table, sync: await syncSimilarity(db, table, extractor, problem) };
  });
}

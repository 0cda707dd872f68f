// The scan's analysis phase: every readable file without a current fingerprint, embedding or loudness,
// across a pool of worker processes that decode each file once for all three (the start for the first two,
// the whole file for its loudness), saved batch by batch (so an interrupted scan resumes where it stopped).

import { inBatches, runIsolating } from '../../../kit/worker-pool.ts';
import { LOUDNESS_STALE, type LoudnessOutcome, loudnessSaver } from '../audio/loudness/loudness-store.ts';
import { TAGS_SKIPPED } from '../audio/native-decoder.ts';
import { NO_AUDIO_SAMPLES } from '../audio/pcm.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import {
  type FingerprintOutcome,
  fingerprintSaver,
  type PendingFile,
} from '../fingerprint/fingerprint-store.ts';
import { AlbumYears } from '../library/album-years.ts';
import { ChangeFeed } from '../library/change-feed.ts';
import { ServedRecorder } from '../library/served-recorder.ts';
import { embeddingExtractor } from '../similar/current-extractor.ts';
import {
  CURRENT_EMBEDDING,
  type EmbeddingRecord,
  embeddingSaver,
  extractorParams,
} from '../similar/embedding-store.ts';
import {
  type AnalysisOutcome,
  type AnalysisPool,
  type AnalysisTask,
  scanAnalysisPool,
} from './analysis-pool.ts';
import type { AnalysisScope } from './analysis-scope.ts';

/** How the decoder's messages start in files.warning, after what the read phase found. */
export const DECODE_WARNING = 'the decoder reported: ';

/** A file's warning with its decode part (always last) replaced by `decoded`'s, or removed. */
export function withDecodeWarning(current: string | null, decoded: string | undefined): string | null {
  const at = current?.indexOf(DECODE_WARNING) ?? -1;
  const read = (at >= 0 ? current!.slice(0, at).replace(/; $/, '') : current) || null;
  if (decoded === undefined) return read;
  return read ? `${read}; ${DECODE_WARNING}${decoded}` : `${DECODE_WARNING}${decoded}`;
}

export interface AnalysisProgress {
  readonly total: number;
  readonly done: number;
  readonly filesPerSecond: number;
  readonly etaSeconds: number | null;
}

export interface AnalysisSummary {
  fingerprinted: number;
  embedded: number;
  /** Files too short or silent to describe for "more like this" (each one's reason is kept). */
  notDescribable: number;
  /** Files whose loudness was measured ('ok', 'silent' or 'too_short'). */
  measured: number;
  /** Files that could not be decoded. */
  errors: number;
  interrupted: boolean;
  seconds: number;
}

// One file per task: a file costs ~0.3 s, so messages are cheap and no worker idles behind a slow batch.
const BATCH = 1;

/** Why not one sample of a file decoded, with what the file is where that explains it: FFmpeg decodes a
 *  32-bit FLAC (FLAC 1.4's deepest) from version 6.0 on, and older ones (Debian 12's 5.1, the system's,
 *  which Sleeve decodes with) find no samples in one that `flac -t` calls sound. */
export function undecodableReason(failed: string, file: { format: string; bitDepth: number | null }): string {
  return file.format === 'flac' && file.bitDepth === 32 && failed === NO_AUDIO_SAMPLES
    ? `${failed}: a 32-bit FLAC, which FFmpeg decodes from version 6.0 on (Sleeve decodes with the system's)`
    : failed;
}

/** The files `where` (over files f) chooses whose fingerprint, embedding or loudness is missing or not for
 *  their current content (loudness: or measured by an older meter); a file whose audio did not decode is
 *  tried again at every scan (a decoder added since, a share that failed that time). */
const pendingOf = (where: string) => `SELECT * FROM (
    SELECT f.id, coalesce(f.path_bytes, f.path) AS path, f.format, f.size, f.mtime_ms AS mtimeMs,
           f.audio_start AS audioStart, f.audio_end AS audioEnd, f.bit_depth AS bitDepth,
           f.scanned_at AS scannedAt,
           CASE WHEN f.format IN (${[...TAGS_SKIPPED].map((f) => `'${f}'`).join(', ')}) THEN NULL
                ELSE (SELECT count(*) FROM file_tags t WHERE t.file_id = f.id) END AS tagFields,
           @fingerprint AND (p.file_id IS NULL OR p.size != f.size OR p.mtime_ms != f.mtime_ms
             OR f.undecodable IS NOT NULL) AS fingerprint,
           @embed AND NOT coalesce(${CURRENT_EMBEDDING}, 0) AS embed,
           @loudness AND ${LOUDNESS_STALE} AS loudness
    FROM files f
    LEFT JOIN fingerprints p ON p.file_id = f.id
    LEFT JOIN embeddings e ON e.file_id = f.id
    LEFT JOIN loudness l ON l.file_id = f.id
    WHERE ${where})
  WHERE fingerprint OR embed OR loudness`;

/** How the pending files of a scope are counted and read a page at a time, each page after the last
 *  file read (`@at`: its scanned_at, `@after`: its id): every readable file in id order; or those a scan
 *  wrote since a time, in the order of the index on scanned_at (the rest of one time's files, then the
 *  later times'), so a watcher's look at 1,000 files reads those, not a million. (`+f.status`: not the
 *  index on status, which SQLite would otherwise choose.) */
export const PENDING_SQL = {
  all: {
    count: `SELECT count(*) FROM (${pendingOf("f.status = 'ok'")})`,
    page: `${pendingOf("f.status = 'ok' AND f.id > @after")} ORDER BY id LIMIT @limit`,
  },
  scanned: {
    count: `SELECT count(*) FROM (${pendingOf("+f.status = 'ok' AND f.scanned_at >= @at")})`,
    page: `${pendingOf("+f.status = 'ok' AND f.scanned_at = @at AND f.id > @after")}
      UNION ALL ${pendingOf("+f.status = 'ok' AND f.scanned_at > @at")}
      ORDER BY scannedAt, id LIMIT @limit`,
  },
};

/** Rows read at a time: 100,000 pending files read at once held ~20 MB, and ~60 MB while being read. */
const PAGE = 1000;

/** What is analysed, of which files (analysis-scope.ts; all when not said). */
type Want = { fingerprint: boolean; embed: boolean; loudness: boolean; scope?: AnalysisScope };

const sinceOf = (want: Want) =>
  want.scope === undefined || want.scope === 'all' ? null : want.scope.scannedSince;

const pendingParams = (want: Want) => ({
  fingerprint: Number(want.fingerprint),
  embed: Number(want.embed),
  loudness: Number(want.loudness),
  ...extractorParams(embeddingExtractor),
});

function countPendingAnalysis(db: Db, want: Want): number {
  const since = sinceOf(want);
  const sql = since === null ? PENDING_SQL.all.count : PENDING_SQL.scanned.count;
  return db
    .prepare(sql)
    .pluck()
    .get({ ...pendingParams(want), at: since ?? 0 }) as number;
}

type PendingRow = PendingFile & {
  bitDepth: number | null;
  scannedAt: number;
  fingerprint: number;
  embed: number;
  loudness: number;
};

/** The pending files, read a page at a time as they are taken (paged by a key: whatever is saved
 *  meanwhile, no file comes twice, unless a scan writes it again meanwhile). */
export function* pendingAnalysis(db: Db, want: Want, pageSize = PAGE): Generator<AnalysisTask> {
  const since = sinceOf(want);
  const page = db.prepare(since === null ? PENDING_SQL.all.page : PENDING_SQL.scanned.page);
  const params = pendingParams(want);
  for (let at = since ?? 0, after = 0; ; ) {
    const rows = page.all({ ...params, at, after, limit: pageSize }) as PendingRow[];
    for (const { scannedAt: _, ...r } of rows)
      yield { ...r, fingerprint: r.fingerprint === 1, embed: r.embed === 1, loudness: r.loudness === 1 };
    if (rows.length < pageSize) return;
    ({ scannedAt: at, id: after } = rows.at(-1)!);
  }
}

export async function analyzeLibrary(
  db: Db,
  options: {
    workers: number;
    /** Which files: every one that needs it, or those a look took in. */
    scope: AnalysisScope;
    fingerprint: boolean;
    embed: boolean;
    loudness: boolean;
    signal?: AbortSignal;
    onProgress?: (p: AnalysisProgress) => void;
    /** A long-lived owner's processes (analysis-pool.ts), grown to what this analysis needs and left
     *  running; without it the analysis starts its own and stops them at its end. */
    pool?: AnalysisPool;
  },
): Promise<AnalysisSummary> {
  const started = performance.now();
  const summary: AnalysisSummary = {
    fingerprinted: 0,
    embedded: 0,
    notDescribable: 0,
    measured: 0,
    errors: 0,
    interrupted: false,
    seconds: 0,
  };
  const total = countPendingAnalysis(db, options);
  if (total > 0) {
    // No more workers than files: each one loads the decoders before its first file.
    const workers = Math.min(options.workers, total);
    const pool = options.pool ?? scanAnalysisPool(workers);
    options.pool?.grow(workers);
    const save = analysisSaver(db);
    try {
      let done = 0;
      await inBatches(
        pendingAnalysis(db, options),
        BATCH,
        options.signal,
        async (tasks) => {
          const outcomes = await runIsolating(pool, tasks, (reason) => ({
            failed: `decoder crashed on this file: ${reason}`,
          }));
          save(tasks, outcomes, summary);
          done += tasks.length;
          const rate = done / Math.max((performance.now() - started) / 1000, 1e-3);
          options.onProgress?.({
            total,
            done,
            filesPerSecond: rate,
            etaSeconds: (total - done) / Math.max(rate, 1e-3),
          });
        },
        options.workers * 2,
      );
    } finally {
      if (!options.pool) await pool.close();
    }
  }
  summary.interrupted = options.signal?.aborted ?? false;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

type SaveAnalysis = (
  tasks: readonly AnalysisTask[],
  outcomes: readonly AnalysisOutcome[],
  summary: AnalysisSummary,
) => void;

/**
 * Saves a batch's fingerprints, embeddings, loudness and decode warnings in one transaction; a failure is
 * recorded for each. A file measured (or measured before) changes with it: its change_seq and served size
 * move, and its album's figures follow (album-loudness.ts). Its statements are prepared once per run: prepared per file (the batch is one), they piled up
 * until a GC finalized them (20,000 saves in a loop: 540 MB more RSS) and made a save 3.5× as slow.
 */
function analysisSaver(db: Db): SaveAnalysis {
  const saveFingerprints = fingerprintSaver(db);
  const saveEmbeddings = embeddingSaver(db, embeddingExtractor);
  const saveLoudness = loudnessSaver(db);
  const feed = new ChangeFeed(db);
  const served = new ServedRecorder(db);
  const wasMeasured = db.prepare("SELECT 1 FROM loudness WHERE file_id = ? AND status = 'ok'").pluck();
  const getWarning = db.prepare('SELECT warning FROM files WHERE id = ?').pluck();
  const setWarning = db.prepare('UPDATE files SET warning = ? WHERE id = ?');
  // Whether it decoded at all: a file with no audio is served to no player, so the mount follows.
  const setUndecodable = db.prepare('UPDATE files SET undecodable = ? WHERE id = ? AND undecodable IS NOT ?');
  const years = new AlbumYears(db, served);
  const saveOutcomes: SaveAnalysis = (tasks, outcomes, summary) => {
    const fingerprints: Array<{ file: PendingFile; outcome: FingerprintOutcome }> = [];
    const embeddings: Array<{ file: PendingFile; record: EmbeddingRecord }> = [];
    const measured: Array<{ file: PendingFile; outcome: LoudnessOutcome }> = [];
    tasks.forEach((file, i) => {
      const o = outcomes[i]!;
      if (o.failed !== undefined) summary.errors++;
      if (file.fingerprint) {
        const outcome = o.fingerprint ?? { status: 'error' as const, error: o.failed ?? 'not fingerprinted' };
        fingerprints.push({ file, outcome });
        if (outcome.status !== 'error') summary.fingerprinted++;
      }
      if (file.embed) {
        const record = o.embedding ?? { status: 'error' as const, reason: o.failed ?? 'not analysed' };
        embeddings.push({ file, record });
        if (record.status === 'ok') summary.embedded++;
        else if (record.status !== 'error') summary.notDescribable++;
      }
      if (file.loudness) {
        const outcome = o.loudness ?? { status: 'error' as const, note: o.failed ?? 'not measured' };
        measured.push({ file, outcome });
        if (outcome.status !== 'error') summary.measured++;
      }
    });
    saveFingerprints(fingerprints);
    saveEmbeddings(embeddings);
    for (const { file, outcome } of measured) {
      // Measured before or from now on: its album's figures change, and the mount's tags for it when it
      // carries no gain of its own (the album rounds follow the feed, so it moves either way).
      const changes = outcome.status === 'ok' || wasMeasured.get(file.id) === 1;
      saveLoudness([{ file, outcome }]);
      if (changes) {
        feed.bumpMeasured(file.id);
        served.record(file.id);
      }
    }
    tasks.forEach((file, i) => {
      const o = outcomes[i]!;
      // A crash of the decoder (no DecodeError) says nothing either way: only a decode's word counts.
      const undecodable = o.undecodable
        ? undecodableReason(o.failed!, file)
        : o.failed === undefined
          ? null
          : undefined;
      if (undecodable !== undefined && setUndecodable.run(undecodable, file.id, undecodable).changes > 0)
        feed.bump(file.id);
      const current = getWarning.get(file.id) as string | null | undefined;
      if (current === undefined) return; // the file's row is gone
      const next = withDecodeWarning(current, outcomes[i]!.warning);
      if (next !== current) setWarning.run(next, file.id);
    });
  };
  // Loudness is nothing an album year depends on: the album years pass the files it alone changed. Begun
  // as a writer (their check reads first, and a read-then-write transaction fails if another writer
  // commits in between).
  return (...batch) => writeTransaction(db, () => feed.measuring(years, () => saveOutcomes(...batch)));
}

// Embeddings in the library database: the durable copy (LanceDB's table can always be rebuilt from it).
import type { Db } from '../db/database.ts';
import type { EmbeddingExtractor, EmbeddingOutcome } from './extractor.ts';

export interface EmbeddedFile {
  readonly id: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export type EmbeddingRecord = EmbeddingOutcome | { readonly status: 'error'; readonly reason: string };

/** Float32s as stored (little-endian, as every platform Node runs on). */
export const vectorBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

export function blobVector(blob: Uint8Array): Float32Array {
  // Copied: a BLOB's bytes need not be 4-byte aligned.
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** SQL condition: embedding row `e` is current for file row `f` — made by this extractor and version from
 *  the file's present content. Bind `extractorParams(extractor)`. */
export const CURRENT_EMBEDDING =
  '(e.extractor = @extractor AND e.version = @version AND e.size = f.size AND e.mtime_ms = f.mtime_ms)';

export const extractorParams = (extractor: EmbeddingExtractor) => ({
  extractor: extractor.name,
  version: extractor.version,
});

export type SaveEmbeddings = (
  results: ReadonlyArray<{ file: EmbeddedFile; record: EmbeddingRecord }>,
  now?: number,
) => void;

/** Saves `extractor`'s embeddings, each call in one transaction; its statement is prepared once, for many
 *  calls. */
export function embeddingSaver(db: Db, extractor: EmbeddingExtractor): SaveEmbeddings {
  const put = db.prepare(
    `INSERT OR REPLACE INTO embeddings
       (file_id, size, mtime_ms, extractor, version, status, seconds, vector, reason, computed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction<SaveEmbeddings>((results, now = Date.now()) => {
    for (const { file, record } of results) {
      const ok = record.status === 'ok';
      put.run(
        file.id,
        file.size,
        file.mtimeMs,
        extractor.name,
        extractor.version,
        record.status,
        'seconds' in record ? record.seconds : null,
        ok ? vectorBlob(record.vector) : null,
        ok ? null : record.reason,
        now,
      );
    }
  });
}

/** Current vectors (this extractor, the file's present content) of the given files that have one. */
export function currentVectors(
  db: Db,
  extractor: EmbeddingExtractor,
  ids: readonly number[],
): Map<number, Float32Array> {
  const rows = db
    .prepare(
      `SELECT e.file_id AS id, e.vector FROM json_each(@ids) j
       JOIN embeddings e ON e.file_id = j.value JOIN files f ON f.id = e.file_id
       WHERE e.status = 'ok' AND ${CURRENT_EMBEDDING}`,
    )
    .all({ ids: JSON.stringify(ids), ...extractorParams(extractor) }) as Array<{
    id: number;
    vector: Buffer;
  }>;
  return new Map(rows.map((r) => [r.id, blobVector(r.vector)]));
}

/** Why a file has no current vector, in words for the user. */
export function missingVectorReason(db: Db, extractor: EmbeddingExtractor, id: number): string {
  const row = db
    .prepare(
      `SELECT f.status AS fileStatus, f.error, e.status, e.reason, coalesce(${CURRENT_EMBEDDING}, 0) AS current
       FROM files f LEFT JOIN embeddings e ON e.file_id = f.id WHERE f.id = @id`,
    )
    .get({ id, ...extractorParams(extractor) }) as
    | {
        fileStatus: string;
        error: string | null;
        status: string | null;
        reason: string | null;
        current: number;
      }
    | undefined;
  if (!row) return `no track has id ${id}`;
  if (row.fileStatus === 'missing') return `track ${id} is missing from disk`;
  if (row.fileStatus === 'error') return `track ${id} could not be read: ${row.error}`;
  if (!row.current) return `track ${id} has not been analysed yet (run sleeve scan)`;
  return `track ${id} has no embedding: ${row.reason ?? row.status}`;
}

// Fingerprints in the library database: which files need one, saving results, reading them back.

import type { AudioSource } from '../audio/pcm.ts';
import type { Db } from '../db/database.ts';
import { decompressFingerprint } from './fingerprint-codec.ts';
import type { FingerprintStatus } from './fingerprint-status.ts';

export interface PendingFile extends AudioSource {
  readonly id: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export type FingerprintOutcome =
  | { readonly status: FingerprintStatus; readonly compressed: Uint8Array; readonly seconds: number }
  | { readonly status: 'error'; readonly error: string };

export interface StoredFingerprint {
  readonly id: number;
  readonly path: string;
  readonly duration: number | null;
  /** null: never fingerprinted. */
  readonly status: FingerprintStatus | 'error' | null;
  readonly data: Uint8Array | null;
  readonly error: string | null;
}

export type SaveFingerprints = (
  results: ReadonlyArray<{ file: PendingFile; outcome: FingerprintOutcome }>,
  now?: number,
) => void;

/** Saves fingerprints, each call in one transaction; its statement is prepared once, for many calls. */
export function fingerprintSaver(db: Db): SaveFingerprints {
  const put = db.prepare(
    `INSERT OR REPLACE INTO fingerprints (file_id, size, mtime_ms, status, seconds, data, error, computed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction<SaveFingerprints>((results, now = Date.now()) => {
    for (const { file, outcome } of results) {
      if (outcome.status === 'error')
        put.run(file.id, file.size, file.mtimeMs, 'error', null, null, outcome.error, now);
      else
        put.run(
          file.id,
          file.size,
          file.mtimeMs,
          outcome.status,
          outcome.seconds,
          outcome.compressed,
          null,
          now,
        );
    }
  });
}

/** Files with their fingerprints (if any), in the order of `fileIds`, in one query. */
export function storedFingerprints(db: Db, fileIds: readonly number[]): StoredFingerprint[] {
  return db
    .prepare(
      `SELECT f.id, f.path, f.duration, p.status, p.data, p.error
       FROM json_each(?) j JOIN files f ON f.id = j.value LEFT JOIN fingerprints p ON p.file_id = f.id
       ORDER BY j.key`,
    )
    .all(JSON.stringify(fileIds)) as StoredFingerprint[];
}

export function rawItems(data: Uint8Array): Uint32Array {
  return decompressFingerprint(data).raw;
}

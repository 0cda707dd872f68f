// A file as a player is served it: what the scan recorded of it (ServedFacts), where its original is, and
// which version of it (change_seq) a header was built for. The mount's view and the served file's readers
// (the Subsonic server's, the app's) build one per file.
import type { FlacKept } from '../media/fast-readers.ts';
import { type ServedFacts, serveKind } from './served-plan.ts';

export interface ServedRecord extends ServedFacts {
  readonly fileId: number;
  /** The original file, as the library shows it (for messages). */
  readonly path: string;
  /** ... and as the file system knows it: the same, or its bytes when they are not valid UTF-8. */
  readonly disk: string | Buffer;
  readonly mtimeMs: number;
  /** The file's change_seq: a header built for one value is stale for any other. */
  readonly seq: number;
  /** What the mount shows as mtime: the original's, or the newest edit to the file's tags. */
  readonly shownMtimeMs: number;
  /** The served size the scan or the last edit recorded for this version; null: not known. */
  readonly servedSize: number | null;
}

/** What a served record is made of, as `files` columns name them. */
export interface ServedRow {
  readonly id: number;
  readonly path: string;
  /** path_bytes: the path's bytes when they are not valid UTF-8. */
  readonly bytes: Buffer | null;
  readonly size: number;
  readonly mtimeMs: number;
  readonly format: string | null;
  readonly audioStart: number | null;
  readonly audioEnd: number | null;
  readonly keptBytes: number | null;
  readonly vendor: string | null;
  readonly headerKept: string | null;
  readonly seq: number;
}

/** A file's served record from its row; `flacKept` makes its kept-block facts (the mount's view shares
 *  one object among the many files alike). */
export function servedRecord(
  row: ServedRow,
  shown: { readonly mtimeMs: number; readonly servedSize: number | null },
  flacKept: (bytes: number, vendor: string) => FlacKept = (bytes, vendor) => ({ bytes, vendor }),
): ServedRecord {
  return {
    fileId: row.id,
    path: row.path,
    disk: row.bytes ?? row.path, // the path's one string, not a copy per record
    size: row.size,
    mtimeMs: row.mtimeMs,
    kind: serveKind(row),
    audioStart: row.audioStart ?? 0,
    audioEnd: row.audioEnd ?? row.size,
    flacKept: row.keptBytes === null ? null : flacKept(row.keptBytes, row.vendor ?? ''),
    headerKept: row.headerKept,
    seq: row.seq,
    shownMtimeMs: shown.mtimeMs,
    servedSize: shown.servedSize,
  };
}

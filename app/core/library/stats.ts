// Library totals for `sleeve stats` (a handful of aggregate queries).
import type { Db } from '../db/database.ts';
import { libraryRoots } from './library-folders.ts';

/** Tag rows of files in the library (a removed folder's are not): the set of removed files is the small
 *  one, read through files_by_status (a set of the files kept cost 2.5× the whole count at 100k). */
const IN_LIBRARY = "AND file_id NOT IN (SELECT id FROM files WHERE status = 'removed')";

export interface LibraryStats {
  readonly files: { readonly ok: number; readonly missing: number; readonly error: number };
  readonly formats: Record<string, number>;
  readonly totalDurationSeconds: number;
  readonly totalBytes: number;
  readonly artists: number;
  readonly albums: number;
  readonly roots: string[];
  readonly art: { readonly images: number; readonly bytes: number };
  readonly edits: { readonly batches: number; readonly undone: number; readonly editedFiles: number };
}

export function libraryStats(db: Db): LibraryStats {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const byStatus = Object.fromEntries(
    (
      db.prepare('SELECT status, count(*) AS n FROM files GROUP BY status').all() as Array<{
        status: string;
        n: number;
      }>
    ).map((r) => [r.status, r.n]),
  );
  const formats = Object.fromEntries(
    (
      db
        .prepare(
          "SELECT format, count(*) AS n FROM files WHERE status = 'ok' GROUP BY format ORDER BY n DESC",
        )
        .all() as Array<{ format: string; n: number }>
    ).map((r) => [r.format, r.n]),
  );
  const totals = db
    .prepare(
      "SELECT coalesce(sum(duration), 0) AS d, coalesce(sum(size), 0) AS b FROM files WHERE status = 'ok'",
    )
    .get() as { d: number; b: number };
  const art = db.prepare('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b FROM art').get() as {
    n: number;
    b: number;
  };
  return {
    files: { ok: byStatus.ok ?? 0, missing: byStatus.missing ?? 0, error: byStatus.error ?? 0 },
    formats,
    totalDurationSeconds: totals.d,
    totalBytes: totals.b,
    artists: count(
      `SELECT count(DISTINCT fold) FROM tags WHERE key IN ('albumartist', 'artist') ${IN_LIBRARY}`,
    ),
    albums: count(`SELECT count(DISTINCT fold) FROM tags WHERE key = 'album' ${IN_LIBRARY}`),
    roots: libraryRoots(db).sort(),
    art: { images: art.n, bytes: art.b },
    edits: {
      batches: count('SELECT count(*) FROM edit_batches'),
      undone: count('SELECT count(*) FROM edit_batches WHERE undone_at IS NOT NULL'),
      editedFiles: count(
        'SELECT count(DISTINCT e.file_id) FROM edits e JOIN edit_batches b ON b.id = e.batch_id WHERE b.undone_at IS NULL',
      ),
    },
  };
}

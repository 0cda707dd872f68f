// Library totals for `sleeve stats` and the app's footer (a handful of aggregate queries). Albums and
// artists are the entries the album grid and the artist list show for the whole library, in the same
// scope (one file per recording, or every file), so the three never disagree; the rest counts files.
import type { Db } from '../db/database.ts';
import { countAlbums, countArtists } from './albums.ts';
import { editCounts } from './edit-counts.ts';
import { libraryRoots } from './library-folders.ts';
import { countMatching } from './list.ts';
import type { ListScope } from './query-sql.ts';
import { readyScope } from './recordings-scope.ts';

export interface LibraryStats {
  /** Files by status, every copy included (as are formats, duration and bytes). */
  readonly files: { readonly ok: number; readonly missing: number; readonly error: number };
  readonly formats: Record<string, number>;
  readonly totalDurationSeconds: number;
  /** The duration of what the scope lists: one per recording leaves the other copies out (the app's
   *  footer beside its albums and artists; with every copy counted, 8 tracks said 28 minutes for 24). */
  readonly listedDurationSeconds: number;
  readonly totalBytes: number;
  /** Recordings in the library: what `sleeve ls` lists, copies of one counted once. */
  readonly recordings: number;
  /** Whether artists and albums counted every file ('library') or one per recording. */
  readonly scope: ListScope;
  /** Entries of the artist list (the tracks without an artist are one, "Unknown Artist"). */
  readonly artists: number;
  /** Tiles of the album grid (the tracks without an album are one per artist, "Unknown Album"). */
  readonly albums: number;
  readonly roots: string[];
  readonly art: { readonly images: number; readonly bytes: number };
  /** Batches in the history (those pruned past it are not counted); files an active edit changes. */
  readonly edits: { readonly batches: number; readonly undone: number; readonly editedFiles: number };
}

/** A batch the history still holds (history-prune.ts). */
const IN_HISTORY = 'id > (SELECT through FROM history_pruned)';

/** The counts of the whole library's lists: counted here, or by a caller that holds the lists cached. */
export interface StatsCounts {
  albums(): number;
  artists(): number;
  recordings(): number;
}

export function libraryStats(
  db: Db,
  scope: ListScope,
  counts: StatsCounts = {
    albums: () => countAlbums(db, scope),
    artists: () => countArtists(db, scope),
    recordings: () => countMatching(db, '', 'recordings'),
  },
): LibraryStats {
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
  // The copies a recording does not list (recordings-scope.ts: each present copy's place in its group).
  readyScope(db, scope);
  const otherCopies =
    scope === 'recordings'
      ? count(
          `SELECT coalesce(sum(f.duration), 0) FROM temp.copy_place c JOIN files f ON f.id = c.id
           WHERE c.place > 1 AND f.status = 'ok'`,
        )
      : 0;
  const art = db.prepare('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b FROM art').get() as {
    n: number;
    b: number;
  };
  return {
    files: { ok: byStatus.ok ?? 0, missing: byStatus.missing ?? 0, error: byStatus.error ?? 0 },
    formats,
    totalDurationSeconds: totals.d,
    listedDurationSeconds: totals.d - otherCopies,
    totalBytes: totals.b,
    recordings: counts.recordings(),
    scope,
    artists: counts.artists(),
    albums: counts.albums(),
    roots: libraryRoots(db).sort(),
    art: { images: art.n, bytes: art.b },
    edits: {
      batches: count(`SELECT count(*) FROM edit_batches WHERE writing_pid IS NULL AND ${IN_HISTORY}`),
      undone: count(
        `SELECT count(*) FROM edit_batches WHERE undone_at IS NOT NULL AND writing_pid IS NULL AND ${IN_HISTORY}`,
      ),
      editedFiles: count(
        `SELECT count(DISTINCT e.file_id) FROM edits e JOIN edit_batches b ON b.id = e.batch_id WHERE ${editCounts('e', 'b')}`,
      ),
    },
  };
}

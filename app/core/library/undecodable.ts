// Files whose tags read but whose audio did not decode at all (the scan's analysis: files.undecodable):
// listed everywhere with the reason, served to no player — the mount and Subsonic leave them out.
import type { Db } from '../db/database.ts';

/** How many are listed at most: the count says the rest. */
const LISTED = 20;

export function undecodableFiles(db: Db): {
  readonly count: number;
  readonly listed: Array<{ readonly path: string; readonly reason: string }>;
} {
  const count = db
    .prepare("SELECT count(*) FROM files WHERE status = 'ok' AND undecodable IS NOT NULL")
    .pluck()
    .get() as number;
  const listed =
    count === 0
      ? []
      : (db
          .prepare(
            `SELECT path, undecodable AS reason FROM files WHERE status = 'ok' AND undecodable IS NOT NULL
             ORDER BY path LIMIT ?`,
          )
          .all(LISTED) as Array<{ path: string; reason: string }>);
  return { count, listed };
}

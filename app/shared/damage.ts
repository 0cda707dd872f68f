// What is wrong with a file, in one word the table shows and `status:` matches: the file is gone
// (missing), could not be read (error), stops short of what it declares (truncated), or read with a
// warning (an impossible value ignored, a picture over the cap left out). Declared once here; the query's
// `status` column (query-sql.ts) computes the same from the files row.

/** A file's stored state and the scan's warnings, joined by "; " (ingest.ts). */
export interface FileState {
  readonly status: string;
  readonly warning: string | null;
}

/** What each of truncation's reasons begins with (core/media/truncation.ts), wherever it is among the
 *  warnings. */
const TRUNCATED = 'truncated:';

/** Every word statusOf gives but 'ok' (the table leaves a fine file's cell empty): the Status column is
 *  as wide as the longest. */
export const DAMAGE_WORDS = ['missing', 'error', 'truncated', 'warning'] as const;

/** The file's status as `status:` matches it: the stored one, or, for a file read, what its warning says. */
export function statusOf({ status, warning }: FileState): string {
  if (status !== 'ok' || warning === null) return status;
  return warning.includes(TRUNCATED) ? 'truncated' : 'warning';
}

/** The same, as SQL over `files f`. */
export const STATUS_SQL = `CASE WHEN f.status <> 'ok' OR f.warning IS NULL THEN f.status
  WHEN instr(f.warning, '${TRUNCATED}') > 0 THEN 'truncated' ELSE 'warning' END`;

// Which recording groups a query reaches (`sleeve dup QUERY`, the Duplicates view's query bar): those with
// a present copy that matches it, in the language and fields of `sleeve ls` (a mistyped field is an error
// that says where, as there). Here and not with the groups (fingerprint/duplicates.ts): queries are the
// library's, a layer above.
import type { Db } from '../db/database.ts';
import { type DuplicateFilter, duplicateGroupIds } from '../fingerprint/duplicates.ts';
import { libraryQuery } from './library-query.ts';
import { compileQuery } from './query-sql.ts';

/** Ids of the groups `filter` keeps (oldest first) with a present copy matching `query`; every one of them
 *  when the query is empty. */
export async function duplicateGroupIdsMatching(
  db: Db,
  filter: DuplicateFilter,
  query: string,
): Promise<number[]> {
  // Checked first: a mistyped query fails before any file is hashed for `exact`.
  const parsed = query.trim() === '' ? undefined : libraryQuery(db, query);
  const ids = await duplicateGroupIds(db, filter);
  if (!parsed) return ids;
  const q = compileQuery(parsed, 'library');
  const reached = new Set(
    db
      .prepare(
        `SELECT DISTINCT m.group_id FROM files f JOIN recording_members m ON m.file_id = f.id
         WHERE f.status = 'ok' AND ${q.where}`,
      )
      .pluck()
      .all(...q.whereParams) as number[],
  );
  return ids.filter((g) => reached.has(g));
}

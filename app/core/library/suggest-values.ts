// The library's own values of a field, as the user types one: those that begin with what was typed
// (case aside, as queries compare), the most used first, each with how many tracks use it and
// its sort name (artist: artistsort). Read from `tag_values` (migration 43: each suggested field's values
// and their uses, kept by triggers on the effective tags), so a keystroke costs an index range, not a pass
// over a million tracks' tags.
import { SUGGESTED_FIELDS } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { fold } from '../db/fold.ts';

export interface Suggestion {
  readonly value: string;
  /** Tracks using it. */
  readonly uses: number;
  /** Its sort name, when the field has one and a track gives it. */
  readonly sort: string | null;
}

/** Values that begin with the text looked at, at most: past them the most used of those are shown (a
 *  one-letter prefix of a field with a million values is not sorted whole at each keystroke). */
const LOOKED_AT = 20_000;

/** The values of `key` beginning with `typed`, the most used first (`limit` of them); none for a field
 *  the editor does not suggest. */
export function suggestValues(db: Db, key: string, typed: string, limit = 10): Suggestion[] {
  const field = key.toLowerCase();
  if (!SUGGESTED_FIELDS.has(field)) return [];
  const prefix = fold(typed.trim());
  const rows = (
    prefix === ''
      ? db
          .prepare('SELECT value, uses, fold FROM tag_values WHERE key = ? ORDER BY uses DESC LIMIT ?')
          .all(field, limit)
      : db
          .prepare(
            `SELECT value, uses, fold FROM (
               SELECT value, uses, fold FROM tag_values WHERE key = ? AND fold >= ? AND fold < ? LIMIT ?
             ) ORDER BY uses DESC, fold LIMIT ?`,
          )
          .all(field, prefix, `${prefix}\u{10ffff}`, LOOKED_AT, limit)
  ) as Array<{ value: string; uses: number; fold: string }>;
  const sortedAs = SUGGESTED_FIELDS.get(field);
  const sortOf = sortedAs
    ? db
        .prepare(
          `SELECT s.value FROM tags t JOIN tags s ON s.file_id = t.file_id AND s.key = ?
           WHERE t.key = ? AND t.fold = ? LIMIT 1`,
        )
        .pluck()
    : undefined;
  return rows.map((r) => ({
    value: r.value,
    uses: r.uses,
    sort: (sortOf?.get(sortedAs, field, r.fold) as string | undefined) ?? null,
  }));
}

// The other copies of a selection's recordings, as the tag editor lists them when the user turns copies on:
// each with what it says of the fields being edited and where it differs from the selected copy of its
// recording. An edit reaches a copy only when the user ticks it; the editor ticks at first only copies
// that are whole and say what the selected copy says of every edited field (a 30-second cut titled
// "(edit)" keeps its title unless picked).
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { withCopies } from '../fingerprint/duplicates.ts';
import { sameValues } from './edits.ts';

export interface SelectionCopy {
  readonly id: number;
  /** The selected file whose recording it is a copy of. */
  readonly of: number;
  readonly path: string;
  readonly format: string | null;
  readonly bitrate: number | null;
  /** Part of the recording only (a cut, an excerpt). */
  readonly partial: boolean;
  /** Its values of the fields asked (absent: it has none). */
  readonly values: Record<string, string[]>;
  /** The fields asked where it says something else than the file it is a copy of. */
  readonly differs: string[];
}

/** Present copies of `ids`' recordings that are not among them, in the selection's order, a window of
 *  them with their values of `keys`. */
export function selectionCopies(
  db: Db,
  ids: readonly number[],
  keys: readonly string[],
  offset: number,
  limit: number,
): { total: number; copies: SelectionCopy[] } {
  const pairs = `WITH sel(id, ord) AS MATERIALIZED (SELECT value, key FROM json_each(@ids)),
    pairs AS (SELECT m2.file_id AS id, min(sel.ord) AS ord FROM sel
      JOIN recording_members m ON m.file_id = sel.id
      JOIN recording_members m2 ON m2.group_id = m.group_id
      JOIN files f ON f.id = m2.file_id AND f.status = 'ok'
      WHERE m2.file_id NOT IN (SELECT id FROM sel) GROUP BY m2.file_id)`;
  const total = db
    .prepare(`${pairs} SELECT count(*) FROM pairs`)
    .pluck()
    .get({ ids: JSON.stringify(ids) }) as number;
  const rows = db
    .prepare(
      `${pairs} SELECT p.id, (SELECT sel.id FROM sel WHERE sel.ord = p.ord) AS of, f.path, f.format, f.bitrate,
         m.partial_offset IS NOT NULL AS partial
       FROM pairs p JOIN files f ON f.id = p.id JOIN recording_members m ON m.file_id = p.id
       ORDER BY p.ord, f.path LIMIT @limit OFFSET @offset`,
    )
    .all({ ids: JSON.stringify(ids), limit, offset }) as Array<
    Omit<SelectionCopy, 'values' | 'differs' | 'partial'> & { partial: number }
  >;
  const values = valuesOf(db, [...new Set(rows.flatMap((r) => [r.id, r.of]))], keys);
  return {
    total,
    copies: rows.map((r) => {
      const mine = values.get(r.id) ?? {};
      const theirs = values.get(r.of) ?? {};
      return {
        ...r,
        partial: r.partial === 1,
        values: mine,
        differs: keys.filter((k) => !sameValues(mine[k] ?? [], theirs[k] ?? [])),
      };
    }),
  };
}

/** Each file's effective values of `keys`, by the key as asked. */
function valuesOf(
  db: Db,
  ids: readonly number[],
  keys: readonly string[],
): Map<number, Record<string, string[]>> {
  const asked = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const rows = db
    .prepare(
      `SELECT t.file_id AS id, lower(t.key) AS key, json_group_array(t.value ORDER BY t.idx) AS vals
       FROM json_each(?) j CROSS JOIN tags t ON t.file_id = j.value
       WHERE t.key IN (SELECT value FROM json_each(?)) GROUP BY t.file_id, t.key`,
    )
    .all(JSON.stringify(ids), JSON.stringify(keys)) as Array<{ id: number; key: string; vals: string }>;
  const out = new Map<number, Record<string, string[]>>();
  for (const r of rows) {
    const record = out.get(r.id) ?? {};
    record[asked.get(r.key) ?? r.key] = JSON.parse(r.vals) as string[];
    out.set(r.id, record);
  }
  return out;
}

/** `ids` and the copies the user picked of their recordings; refused when one picked is no such copy. */
export function withPickedCopies(db: Db, ids: readonly number[], picked: readonly number[]): number[] {
  if (picked.length === 0) return [...ids];
  const copies = new Set(withCopies(db, ids));
  const stray = picked.find((id) => !copies.has(id));
  if (stray !== undefined)
    throw new UserError(
      'conflict',
      `track ${stray} is not a present copy of the selected recordings: look again`,
    );
  return [...new Set([...ids, ...picked])];
}

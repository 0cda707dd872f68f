// Colours for the library map: each track's first value of a field, as one of the most common values
// (an index into `categories`), "other", or "none". Case is folded so "Rock" and "rock" are one colour.
import type { Db } from '../db/database.ts';

export interface MapColors {
  /** The most common values, most tracks first, each with its track count. */
  readonly categories: ReadonlyArray<{ readonly name: string; readonly tracks: number }>;
  /** Per file id: index into categories, `other`, or none (absent from the map). */
  readonly categoryOf: ReadonlyMap<number, number>;
}

export function mapColors(db: Db, field: string, most: number, other: number): MapColors {
  const rows = db
    .prepare(
      `SELECT t.file_id AS id, t.value, t.fold FROM tags t JOIN files f ON f.id = t.file_id AND f.status = 'ok'
       WHERE t.key = ? AND t.idx = 0 AND t.fold != ''`,
    )
    .all(field) as Array<{ id: number; value: string; fold: string }>;
  const counts = new Map<string, { name: string; tracks: number }>();
  for (const r of rows) {
    const c = counts.get(r.fold);
    if (c) c.tracks++;
    else counts.set(r.fold, { name: r.value, tracks: 1 });
  }
  const top = [...counts.entries()]
    .sort((a, b) => b[1].tracks - a[1].tracks || a[0].localeCompare(b[0]))
    .slice(0, most);
  const index = new Map(top.map(([fold], i) => [fold, i]));
  return {
    categories: top.map(([, c]) => c),
    categoryOf: new Map(rows.map((r) => [r.id, index.get(r.fold) ?? other])),
  };
}

// Colours for the library map: each track's first value of a field, as one of the most common values
// (an index into `categories`), "other", or "none". Case is folded so "Rock" and "rock" are one colour.
// Values are counted over the points the map plots (one per recording unless it shows every copy), so the
// legend counts what the map shows.
import type { Db } from '../db/database.ts';

export interface MapColors {
  /** The most common values among the points, most first, each with how many points hold it. */
  readonly categories: ReadonlyArray<{ readonly name: string; readonly tracks: number }>;
  /** Per file id: index into categories, `other`, or none (absent from the map). */
  readonly categoryOf: ReadonlyMap<number, number>;
}

export function mapColors(
  db: Db,
  field: string,
  points: ReadonlySet<number>,
  most: number,
  other: number,
): MapColors {
  const rows = (
    db
      .prepare(
        `SELECT t.file_id AS id, t.value, t.fold FROM tags t JOIN files f ON f.id = t.file_id AND f.status = 'ok'
         WHERE t.key = ? AND t.idx = 0 AND t.fold != ''`,
      )
      .all(field) as Array<{ id: number; value: string; fold: string }>
  ).filter((r) => points.has(r.id));
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

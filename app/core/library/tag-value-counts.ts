// How many tracks use each value of a suggested field (`tag_values`, read by suggest-values.ts), kept as
// a file's effective tags are written (effective.ts): what the file held of those fields before and
// after, and only the difference counted. A retag of one field moves its two values' counts, not every
// field's — counting each row the rewrite deletes and inserts (triggers) made a retag half again as slow.
import type Database from 'better-sqlite3';
import { SUGGESTED_FIELDS } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { fold } from '../db/fold.ts';
import type { TagList } from '../tags/normalize.ts';

/** A file's values of the suggested fields: by `key\0fold`, the spelling met first. */
export type SuggestedValues = Map<string, { key: string; fold: string; value: string; uses: number }>;

/** The suggested fields as an SQL list (names from the field table: plain words). */
const KEYS = [...SUGGESTED_FIELDS.keys()].map((k) => `'${k}'`).join(', ');

export class TagValueCounts {
  readonly #rows: Database.Statement;
  readonly #add: Database.Statement;
  readonly #drop: Database.Statement;
  readonly #clean: Database.Statement;

  constructor(db: Db) {
    this.#rows = db.prepare(
      `SELECT lower(key) AS key, fold, value FROM tags
       WHERE file_id = ? AND key IN (${KEYS})`,
    );
    this.#add = db.prepare(
      `INSERT INTO tag_values (key, fold, value, uses) VALUES (?, ?, ?, ?)
       ON CONFLICT (key, fold) DO UPDATE SET uses = uses + excluded.uses`,
    );
    this.#drop = db.prepare('UPDATE tag_values SET uses = uses - ? WHERE key = ? AND fold = ?');
    this.#clean = db.prepare('DELETE FROM tag_values WHERE key = ? AND fold = ? AND uses <= 0');
  }

  /** The file's values of the suggested fields, as its effective tags hold them now. */
  held(fileId: number): SuggestedValues {
    const out: SuggestedValues = new Map();
    for (const r of this.#rows.all(fileId) as Array<{ key: string; fold: string; value: string }>)
      add(out, r.key, r.value, r.fold);
    return out;
  }

  /** The suggested fields' values among tags just read (a file's effective tags, written from them). */
  static of(tags: TagList): SuggestedValues {
    const out: SuggestedValues = new Map();
    for (const [key, values] of tags) {
      const lower = key.toLowerCase();
      if (SUGGESTED_FIELDS.has(lower)) for (const v of values) add(out, lower, v, fold(v));
    }
    return out;
  }

  /** Counts the change from `before` to `after` (one file's). */
  moved(before: SuggestedValues, after: SuggestedValues): void {
    for (const [id, now] of after) {
      const delta = now.uses - (before.get(id)?.uses ?? 0);
      if (delta > 0) this.#add.run(now.key, now.fold, now.value, delta);
      else if (delta < 0) this.#less(now.key, now.fold, -delta);
    }
    for (const [id, was] of before) if (!after.has(id)) this.#less(was.key, was.fold, was.uses);
  }

  #less(key: string, folded: string, by: number): void {
    this.#drop.run(by, key, folded);
    this.#clean.run(key, folded);
  }
}

function add(into: SuggestedValues, key: string, value: string, folded: string): void {
  const id = `${key}\u0000${folded}`;
  const known = into.get(id);
  if (known) known.uses++;
  else into.set(id, { key, fold: folded, value, uses: 1 });
}

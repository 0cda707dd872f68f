// Colours for the library map: each track's first value of a field, as one of the most common values
// (an index into `categories`), "other", or "none". Case is folded so "Rock" and "rock" are one colour.
// Values are counted over the points the map plots (one per recording unless it shows every copy), so the
// legend counts what the map shows. Each file's value is kept and followed through the change feed
// (files.change_seq): after an edit only the files it changed are read again, where reading every track's
// value took 3.5–7 s at a million tracks, in each map request after any edit.
import type { Db } from '../db/database.ts';

export interface MapColors {
  /** The most common values among the points, most first, each with how many points hold it. */
  readonly categories: ReadonlyArray<{ readonly name: string; readonly tracks: number }>;
  /** Of a point's file id: its index into categories, `other`, or undefined (no value). */
  readonly categoryOf: (fileId: number) => number | undefined;
}

/** No value: a file with none, or not present. */
const NONE = -1;
/** Most values kept: past it (values an edit replaced are kept too), every file's is read again. */
const MAX_VALUES = 2_000_000;

/** Each present file's first value of one field (folded), held as a code a file: its value's place in
 *  `#values`, the values kept as first seen in each folding. */
export class FieldValues {
  readonly #field: string;
  #codes = new Int32Array(0);
  #values: Array<{ readonly fold: string; readonly name: string }> = [];
  #codeOf = new Map<string, number>();
  /** The change feed's place taken in (-1: nothing yet; every file's change_seq is at least 0). */
  #seen = -1;

  constructor(field: string) {
    this.#field = field;
  }

  /** Where in the change feed the values are: it moves when any file changed since. */
  get seen(): number {
    return this.#seen;
  }

  /** Takes in the files changed since the last look (one query when none did); returns how many. */
  update(db: Db): number {
    const change = db.prepare('SELECT coalesce(max(change_seq), 0) FROM files').pluck().get() as number;
    if (change === this.#seen) return 0;
    if (this.#values.length > MAX_VALUES) {
      this.#codes = new Int32Array(0);
      this.#values = [];
      this.#codeOf = new Map();
      this.#seen = -1;
    }
    const rows = db
      .prepare(
        `SELECT f.id, t.value, t.fold FROM files f
         LEFT JOIN tags t ON t.file_id = f.id AND t.key = ? AND t.idx = 0 AND t.fold != '' AND f.status = 'ok'
         WHERE f.change_seq > ? AND f.change_seq <= ?`,
      )
      .raw()
      .all(this.#field, this.#seen, change) as Array<[number, string | null, string | null]>;
    for (const [id, value, fold] of rows) this.#set(id, value === null ? NONE : this.#code(fold!, value));
    this.#seen = change;
    return rows.length;
  }

  /** The colours of `points`: the `most` commonest values, `other` for the rest. */
  colors(points: readonly number[], most: number, other: number): MapColors {
    const counts = new Int32Array(this.#values.length);
    for (const id of points) {
      const code = this.#codeAt(id);
      if (code !== NONE) counts[code]!++;
    }
    const top = [...counts.keys()]
      .filter((code) => counts[code]! > 0)
      .sort((a, b) => counts[b]! - counts[a]! || this.#values[a]!.fold.localeCompare(this.#values[b]!.fold))
      .slice(0, most);
    const index = new Map(top.map((code, i) => [code, i]));
    return {
      categories: top.map((code) => ({ name: this.#values[code]!.name, tracks: counts[code]! })),
      categoryOf: (id) => {
        const code = this.#codeAt(id);
        return code === NONE ? undefined : (index.get(code) ?? other);
      },
    };
  }

  #codeAt(id: number): number {
    return id < this.#codes.length ? this.#codes[id]! : NONE;
  }

  #code(fold: string, name: string): number {
    let code = this.#codeOf.get(fold);
    if (code === undefined) {
      code = this.#values.length;
      this.#values.push({ fold, name });
      this.#codeOf.set(fold, code);
    }
    return code;
  }

  #set(id: number, code: number): void {
    if (id >= this.#codes.length) {
      if (code === NONE) return;
      const grown = new Int32Array(Math.max(id + 1, this.#codes.length * 2)).fill(NONE);
      grown.set(this.#codes);
      this.#codes = grown;
    }
    this.#codes[id] = code;
  }
}

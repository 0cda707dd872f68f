// "Did you mean" for a query's values: a term naming a field the editor suggests (artist, album, genre…)
// whose text no value of that field holds is, most likely, a typo (`genre:rokc`, `artist:beatels`); the
// library's values that hold the text within one or two edits are offered instead, the most used first.
// Read from `tag_values` (each suggested field's values and their uses), so the look costs one pass over
// that field's values — made only when a query lists nothing.
import { SUGGESTED_FIELDS, sleeveFieldName } from '../../shared/fields.ts';
import { FIELD_RE, quotedValue, tokenize } from '../../shared/query.ts';
import type { Db } from '../db/database.ts';
import { fold } from '../db/fold.ts';

/** A query rewritten with one value put right, and what was changed. */
export interface CloserQuery {
  readonly query: string;
  /** Each value replaced: the field, the text typed, the library's value put in its place. */
  readonly changes: ReadonlyArray<{ readonly field: string; readonly typed: string; readonly value: string }>;
}

/** Shorter typed text is not looked at: two letters are within a typo of nearly everything. */
const SHORTEST = 3;

/** Longer values are not compared (a field holds up to a million characters): a name, a genre or a label
 *  is far shorter, and the table editsToPart keeps grows with the longest value. */
const LONGEST_COMPARED = 500;

/** The edits a text may be from a value: one up to five characters, two past. */
const editsAllowed = (typed: string) => (typed.length <= 5 ? 1 : 2);

/** editsToPart's last three rows of its table, grown for a longer value. */
let rows: Int32Array[] = [new Int32Array(256), new Int32Array(256), new Int32Array(256)];

/** The fewest edits (insert, delete, replace, two letters swapped) that make `typed` a part of `value`:
 *  Sellers' edit distance with Damerau's swap (a typo as often swaps two letters as it misses one), free
 *  to start and end anywhere in the value. Past `most` it stops early and answers more. */
export function editsToPart(typed: string, value: string, most: number): number {
  const n = value.length;
  if (rows[0]!.length <= n) rows = rows.map(() => new Int32Array(n * 2 + 1));
  let [twoBack, previous, row] = rows as [Int32Array, Int32Array, Int32Array];
  previous.fill(0, 0, n + 1);
  for (let i = 1; i <= typed.length; i++) {
    row[0] = i;
    let best = i;
    const letter = typed.charCodeAt(i - 1);
    const before = i > 1 ? typed.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= n; j++) {
      const at = value.charCodeAt(j - 1);
      let edits = Math.min(previous[j - 1]! + (letter === at ? 0 : 1), previous[j]! + 1, row[j - 1]! + 1);
      if (j > 1 && letter === value.charCodeAt(j - 2) && before === at && letter !== at)
        edits = Math.min(edits, twoBack[j - 2]! + 1);
      row[j] = edits;
      if (edits < best) best = edits;
    }
    if (best > most) return most + 1;
    [twoBack, previous, row] = [previous, row, twoBack];
  }
  let fewest = typed.length;
  for (let j = 0; j <= n; j++) fewest = Math.min(fewest, previous[j]!);
  return fewest;
}

/** The values of `field` holding `typed` within a typo, the closest and then the most used first; none
 *  when a value holds it as typed, or the field is not one the editor suggests. */
export function closestValues(db: Db, field: string, typed: string, limit = 3): string[] {
  const text = fold(typed.trim());
  if (!SUGGESTED_FIELDS.has(field) || text.length < SHORTEST) return [];
  const values = db.prepare('SELECT value, uses, fold FROM tag_values WHERE key = ?').raw();
  const most = editsAllowed(text);
  const near: Array<{ value: string; edits: number; uses: number }> = [];
  for (const [value, uses, folded] of values.iterate(field) as Iterable<[string, number, string]>) {
    if (folded.includes(text)) return [];
    if (folded.length > LONGEST_COMPARED) continue;
    const edits = editsToPart(text, folded, most);
    if (edits <= most) near.push({ value, edits, uses });
  }
  return near
    .sort((a, b) => a.edits - b.edits || b.uses - a.uses)
    .slice(0, limit)
    .map((n) => n.value);
}

/** The query with each value that looks mistyped replaced by the closest value the library has, or null
 *  when none does. Only a field's plain text (`genre:rokc`): an exact value, a pattern, a negation or a word
 *  in any field is left as typed. */
export function closerQuery(db: Db, query: string): CloserQuery | null {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(query);
  } catch {
    return null; // the query's own error is said where it runs
  }
  const changes: Array<CloserQuery['changes'][number]> = [];
  let rewritten = '';
  let at = 0;
  for (const token of tokens) {
    const named = FIELD_RE.exec(token.text);
    if (!named || token.text.startsWith('^') || token.text.startsWith('-')) continue;
    const typed = token.text.slice(named[0].length);
    if (/^[=/:~]/.test(typed) || typed.trim() === '') continue;
    const field = sleeveFieldName(named[1]!.toLowerCase());
    const [value] = closestValues(db, field, typed, 1);
    if (value === undefined) continue;
    changes.push({ field, typed, value });
    rewritten += `${query.slice(at, token.start)}${named[1]}:${quotedValue(value)}`;
    at = token.end;
  }
  return changes.length === 0 ? null : { query: rewritten + query.slice(at), changes };
}

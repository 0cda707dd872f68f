// "Did you mean" for a query's values: a term naming a field the editor suggests (artist, album, genre…)
// whose text no value of that field holds is, most likely, a typo (`genre:rokc`, `artist:beatels`); the
// library's values that hold the text within one or two edits are offered instead, the most used first.
// A word in any field (`beatels`) that no file holds is looked for in every suggested field's values, and
// put right as that field's term (`artist:"The Beatles"`). Read from `tag_values` (each suggested field's
// values and their uses), so the look costs one pass over those values — made only when a query lists
// nothing.
import { SUGGESTED_FIELDS, sleeveFieldName } from '../../shared/fields.ts';
import { FIELD_RE, quotedValue, SORT_RE, type Token, tokenize } from '../../shared/query.ts';
import type { Db } from '../db/database.ts';
import { fold } from '../db/fold.ts';
import { countMatching } from './list.ts';

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

interface Near {
  readonly field: string;
  readonly value: string;
  readonly edits: number;
  readonly uses: number;
}

const closestFirst = (a: Near, b: Near) => a.edits - b.edits || b.uses - a.uses;

/** The values of `field` holding `text` (folded) within a typo; null when a value holds it as typed. */
function nearValues(db: Db, field: string, text: string): Near[] | null {
  const values = db.prepare('SELECT value, uses, fold FROM tag_values WHERE key = ?').raw();
  const most = editsAllowed(text);
  const near: Near[] = [];
  for (const [value, uses, folded] of values.iterate(field) as Iterable<[string, number, string]>) {
    if (folded.includes(text)) return null;
    if (folded.length > LONGEST_COMPARED) continue;
    const edits = editsToPart(text, folded, most);
    if (edits <= most) near.push({ field, value, edits, uses });
  }
  return near;
}

/** The values of `field` holding `typed` within a typo, the closest and then the most used first; none
 *  when a value holds it as typed, or the field is not one the editor suggests. */
export function closestValues(db: Db, field: string, typed: string, limit = 3): string[] {
  const text = fold(typed.trim());
  if (!SUGGESTED_FIELDS.has(field) || text.length < SHORTEST) return [];
  return (nearValues(db, field, text) ?? [])
    .sort(closestFirst)
    .slice(0, limit)
    .map((n) => n.value);
}

/** More values as close as the closest: the word is a typo of a word many values share ("albim" of
 *  "Album 1" to "Album 900"), and no one value is what the user meant. */
const AMBIGUOUS = 4;

/** The suggested field's value closest to a word typed in any field; none when some value or some file
 *  holds the word as typed (a word of a title only is no typo), or many values are as close. */
function closestAnywhere(db: Db, word: string): Near | undefined {
  const text = fold(word.trim());
  if (text.length < SHORTEST) return undefined;
  const near: Near[] = [];
  for (const field of SUGGESTED_FIELDS.keys()) {
    const found = nearValues(db, field, text);
    if (found === null) return undefined;
    near.push(...found);
  }
  near.sort(closestFirst);
  // A name held by several fields (artist, album artist) is one value.
  const seen = new Set<string>();
  const values = near.filter((n) => !seen.has(n.value) && seen.add(n.value));
  const closest = values[0];
  if (!closest || values[AMBIGUOUS - 1]?.edits === closest.edits) return undefined;
  return countMatching(db, quotedValue(word)) > 0 ? undefined : closest;
}

/** A word in any field, as typed: not an operator, a sort, a pattern, a negation or a number. */
const isWord = (token: Token) =>
  token.quoted ||
  (token.text !== 'OR' && token.text !== ',' && !SORT_RE.test(token.text) && /^[\p{L}]/u.test(token.text));

/** What a token is put right as: its field's closest value, or for a word in any field, the closest
 *  value of any suggested field as that field's term. */
function putRight(
  db: Db,
  token: Token,
): { change: CloserQuery['changes'][number]; text: string } | undefined {
  if (token.text.startsWith('^') || token.text.startsWith('-')) return undefined;
  const named = FIELD_RE.exec(token.text);
  if (!named) {
    const near = isWord(token) ? closestAnywhere(db, token.text) : undefined;
    return (
      near && {
        change: { field: near.field, typed: token.text, value: near.value },
        text: `${near.field}:${quotedValue(near.value)}`,
      }
    );
  }
  const typed = token.text.slice(named[0].length);
  if (/^[=/:~]/.test(typed) || typed.trim() === '') return undefined;
  const field = sleeveFieldName(named[1]!.toLowerCase());
  const [value] = closestValues(db, field, typed, 1);
  return value === undefined
    ? undefined
    : { change: { field, typed, value }, text: `${named[1]}:${quotedValue(value)}` };
}

/** The query with each value that looks mistyped replaced by the closest value the library has, or null
 *  when none does. A field's plain text (`genre:rokc`) and a word in any field (`beatels`): an exact
 *  value, a pattern or a negation is left as typed. */
export function closerQuery(db: Db, query: string): CloserQuery | null {
  let tokens: Token[];
  try {
    tokens = tokenize(query);
  } catch {
    return null; // the query's own error is said where it runs
  }
  const changes: Array<CloserQuery['changes'][number]> = [];
  let rewritten = '';
  let at = 0;
  for (const token of tokens) {
    const right = putRight(db, token);
    if (!right) continue;
    changes.push(right.change);
    rewritten += `${query.slice(at, token.start)}${right.text}`;
    at = token.end;
  }
  return changes.length === 0 ? null : { query: rewritten + query.slice(at), changes };
}

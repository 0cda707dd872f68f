// One name in either of Unicode's canonical forms: "Café" typed (é, composed: NFC) and "Café" as macOS
// writes names it took from file names (e and a combining accent: NFD) are the same text, so a list that
// groups by name (the album grid, the artist list, the catalog a player browses) shows them as one, named
// in the composed form, as a query's `field:=value` selects both, a playlist's name is one whichever is
// typed, and the mount's folders are one.

/** A name's composed form (NFC). */
export const canonicalName = (name: string): string => name.normalize('NFC');

/** A name in both forms, composed first: what `column IN (?, ?)` looks a name up by, however stored. */
export const bothForms = (name: string): [string, string] => [name.normalize('NFC'), name.normalize('NFD')];

/** SQL: whether text column `column` is outside ASCII (its length in characters is not its length in
 *  bytes, counted in C): only such text can be decomposed, so only it is asked of nfc(). */
const outsideAsciiSql = (column: string): string => `length(${column}) <> length(CAST(${column} AS BLOB))`;

/** SQL: whether text column `column` may be decomposed (NFC changes it). */
export const mayBeDecomposedSql = (column: string): string =>
  `(${outsideAsciiSql(column)} AND nfc(${column}) <> ${column})`;

/** A value's composed form where it differs from the value, else null: what `tags.composed` holds beside
 *  `tags.value` (effective.ts), so that grouping by name reads it instead of composing each name again. */
export function composedIfOther(value: string): string | null {
  const composed = canonicalName(value);
  return composed === value ? null : composed;
}

/** SQL of composedIfOther(`column`): NULL for all-ASCII text without a call into JavaScript. */
export const composedIfOtherSql = (column: string): string =>
  `CASE WHEN ${outsideAsciiSql(column)} THEN nullif(nfc(${column}), ${column}) END`;

/** SQL of the composed form of tags row `row`'s value: the form kept beside it, else the value itself.
 *  Read as it is stored, where composing each name as it was grouped (nfc(), a call into JavaScript) had
 *  cost 0.4–0.7 s more a million names outside ASCII. */
export const composedValueSql = (row: string): string => `coalesce(${row}.composed, ${row}.value)`;

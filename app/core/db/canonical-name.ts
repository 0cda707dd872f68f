// One name in either of Unicode's canonical forms: "Café" typed (é, composed: NFC) and "Café" as macOS
// writes names it took from file names (e and a combining accent: NFD) are the same text, so a list that
// groups by name (the album grid, the artist list, the catalog a player browses) shows them as one, named
// in the composed form, as a query's `field:=value` selects both, a playlist's name is one whichever is
// typed, and the mount's folders are one.

/** A GLOB of the names that may be decomposed: holding a combining accent of Latin, Greek or Cyrillic,
 *  a kana's voicing mark or a Hangul jamo, what NFD writes apart. Tested first in SQL (SQLite's own code,
 *  about 0.1 µs a name), so that only such names cost a call into JavaScript. */
const MAY_BE_DECOMPOSED = `'*[\u0300-\u036f\u1100-\u11ff\u3099\u309a]*'`;

/** A name's composed form (NFC). */
export const canonicalName = (name: string): string => name.normalize('NFC');

/** A name in both forms, composed first: what `column IN (?, ?)` looks a name up by, however stored. */
export const bothForms = (name: string): [string, string] => [name.normalize('NFC'), name.normalize('NFD')];

/** SQL: whether text column `column` may be decomposed. Text all ASCII (its length in characters its
 *  length in bytes: counted in C, cheaper than the GLOB) may not. */
export const mayBeDecomposedSql = (column: string): string =>
  `(length(${column}) <> length(CAST(${column} AS BLOB)) AND ${column} GLOB ${MAY_BE_DECOMPOSED})`;

/** SQL of text column `column`'s composed form: the column itself unless it may be decomposed. (A column,
 *  not a subquery: the expression names it three times.) */
export const canonicalSql = (column: string): string =>
  `CASE WHEN ${mayBeDecomposedSql(column)} THEN nfc(${column}) ELSE ${column} END`;

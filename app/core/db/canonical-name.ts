// One name in either of Unicode's canonical forms: "Café" typed (é, composed: NFC) and "Café" as macOS
// writes names it took from file names (e and a combining accent: NFD) are the same text, so a list that
// groups by name (the album grid, the artist list, the catalog a player browses) shows them as one, named
// in the composed form, as a query's `field:=value` selects both, a playlist's name is one whichever is
// typed, and the mount's folders are one.

/** A name's composed form (NFC). */
export const canonicalName = (name: string): string => name.normalize('NFC');

/** A name in both forms, composed first: what `column IN (?, ?)` looks a name up by, however stored. */
export const bothForms = (name: string): [string, string] => [name.normalize('NFC'), name.normalize('NFD')];

/** SQL: whether text column `column` may be decomposed: text all ASCII (its length in characters its
 *  length in bytes, counted in C) may not; other text is asked of nfc(). */
export const mayBeDecomposedSql = (column: string): string =>
  `(length(${column}) <> length(CAST(${column} AS BLOB)) AND nfc(${column}) <> ${column})`;

/** SQL of text column `column`'s composed form: all-ASCII text as it is, other text through nfc() (a call
 *  into JavaScript: at a million rows of names outside ASCII, 0.5–0.7 s more to group them, where a GLOB of
 *  the characters NFC may change had cost 1.5 s). A column, not a subquery: the expression names it twice. */
export const canonicalSql = (column: string): string =>
  `CASE WHEN length(${column}) <> length(CAST(${column} AS BLOB)) THEN nfc(${column}) ELSE ${column} END`;

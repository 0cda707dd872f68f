// One name in either of Unicode's canonical forms: "Café" typed (é, composed: NFC) and "Café" as macOS
// writes names it took from file names (e and a combining accent: NFD) are the same text, so a list that
// groups by name (the album grid, the artist list, the catalog a player browses) shows them as one, named
// in the composed form, as a query's `field:=value` selects both, a playlist's name is one whichever is
// typed, and the mount's folders are one.

/** Where the characters lie that NFC may change in a name: every character NFD writes after a base (Latin,
 *  Greek and Cyrillic accents, Hebrew and Arabic marks, the vowel signs of Indic scripts, Tibetan,
 *  Myanmar, Balinese, Hangul jamo, kana voicing marks, …) and every one NFC writes otherwise (a singleton
 *  such as the ångström sign, CJK compatibility ideographs). Ranges wider than the characters where that
 *  keeps them few: a name that falls in one needlessly only costs a call of nfc(). canonical-names.test
 *  checks them against every character NFD and NFC change. */
export const MAY_COMPOSE: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f],
  [0x0374, 0x0387],
  [0x0591, 0x05c7],
  [0x0653, 0x0655],
  [0x0900, 0x0dff],
  [0x0f40, 0x0fb9],
  [0x1000, 0x109f],
  [0x1100, 0x11ff],
  [0x1b00, 0x1b7f],
  [0x1f00, 0x1fff],
  [0x2000, 0x2001],
  [0x2126, 0x212b],
  [0x2329, 0x232a],
  [0x2adc, 0x2adc],
  [0x3099, 0x309a],
  [0xf900, 0xfaff],
  [0xfb1d, 0xfb4e],
  [0x11000, 0x11fff],
  [0x16100, 0x16d7f],
  [0x1d15e, 0x1d1c0],
  [0x2f800, 0x2fa1d],
];

/** A GLOB of the names that may be decomposed (MAY_COMPOSE), tested in SQL so that only such names cost a
 *  call into JavaScript. */
const MAY_BE_DECOMPOSED = `'*[${MAY_COMPOSE.map(([from, to]) =>
  from === to ? String.fromCodePoint(from) : `${String.fromCodePoint(from)}-${String.fromCodePoint(to)}`,
).join('')}]*'`;

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

// The one folding of searchable text. The folded columns (tags.fold, search_folded, tag_values.fold), the
// full-text index's entries, the SQL function fold(), query terms and the similarity table's filter values
// all fold with it, so they agree. Changing it means folding the stored columns again (migrations 52, 54).
//
// - Case: String.toLowerCase (not Unicode's full case folding: ß is the last point's), and Greek's final
//   sigma as σ: toLowerCase writes Σ as ς at a word's end, so a typed fragment ("ΟΔΥΣ") did not find
//   the word it begins ("Οδυσσέας").
// - Accents of Latin and Greek letters: "bjork" finds Björk, "sigur ros" Sigur Rós, "οδυσσεας" Οδυσσέας, as
//   a user typing without them expects (Navidrome, Jellyfin and foobar2000 search so). Only those scripts':
//   a Japanese kana's voicing mark (が) or a Cyrillic breve (й) makes another letter, not an accent. The
//   Latin letters Unicode does not decompose are written as the letters a user types for them, as beets'
//   unidecode does: ø as o, ł as l, ð as d, æ as ae, œ as oe, ß as ss, þ as th ("agaetis" finds Ágætis);
//   a typographic apostrophe as the one typed ("don't" finds Don’t).
const NON_ASCII = /[\u0080-\uffff]/;
// After NFD a Latin or Greek letter's accents are the combining marks of U+0300–U+036F following it (a
// Latin base is ASCII unless it is a letter of its own: æ, or the IPA letters of West African alphabets,
// ɛ̀ and ɔ́). The Latin and Greek blocks as ranges and a lookbehind, not \p{Script=…} and a captured base
// put back, which took three to five times as long.
const ACCENTS =
  /(?<=[a-z\u00c0-\u02af\u0370-\u03ff\u1d00-\u1dbf\u1e00-\u1fff\u2c60-\u2c7f\ua720-\ua7ff])[\u0300-\u036f]+/g;
const TYPED_AS: Readonly<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ŧ: 't',
  ƀ: 'b',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  þ: 'th',
  '\u2018': "'",
  '\u2019': "'",
};
const UNDECOMPOSED = new RegExp(`[${Object.keys(TYPED_AS).join('')}]`, 'g');

export function fold(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(ACCENTS, '')
    .normalize('NFC')
    .replace(UNDECOMPOSED, (c) => TYPED_AS[c] ?? c)
    .replaceAll('ς', 'σ');
}

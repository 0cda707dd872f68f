// The one case folding of searchable text. The folded columns (tags.fold, search_folded, tag_values.fold),
// the SQL function fold(), query terms and the similarity table's filter values all fold with it, so they
// agree. It is String.toLowerCase, without Unicode's full case folding ("Straße" folds to "straße", not
// "strasse"), and with Greek's final sigma as σ: toLowerCase writes Σ as ς at a word's end, so a typed
// fragment ("ΟΔΥΣ", "οδυς") did not find the word it begins ("Οδυσσέας"), while the full-text index,
// which folds ς to σ, did (migration 52). Changing it means folding the stored columns again.
export function fold(text: string): string {
  return text.toLowerCase().replaceAll('ς', 'σ');
}

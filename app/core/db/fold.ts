// The one case folding of searchable text. The folded columns (effective_tags.fold, search_folded), the SQL
// function fold(), query terms and the similarity table's filter values all fold with it, so they agree.
// It is String.toLowerCase: per character, without Unicode's full case folding ("Straße" folds to
// "straße", not "strasse"); changing it means folding the stored columns again in a migration.
export function fold(text: string): string {
  return text.toLowerCase();
}

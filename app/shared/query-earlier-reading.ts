// A saved query kept meaning what it meant when it was saved. The query language came to read four things
// as beets does (schema 73): a word with an unquoted dash in front (`-live`: text then, a negation now), a
// term without a field that starts with `=` (`=rock`: text then, refused now), `field:=~x` (the exact value
// ~x then, x in any case now) and `\:` (a backslash and a colon then, the text's own colon now). A smart
// playlist saved before is rewritten so that it reads as it did: the dash, the equals sign or the tilde
// quoted, a token with `\:` given an empty quote (a quoted token keeps its backslashes) — visible in its
// query, for the user to change if the new reading is what they meant.
import { FIELD_RE, parseQuery, QuerySyntaxError, SORT_RE, type Token, tokenize } from './query.ts';

/** Whether a token alone reads as a regular expression (whose `\:` is the expression's, as before). */
function readsRegex(raw: string): boolean {
  try {
    return parseQuery(raw).groups[0]?.[0]?.op.kind === 'regex';
  } catch {
    return false;
  }
}

/** `token`'s source as it read before (unchanged when it reads the same). Each rewrite is of characters
 *  before the token's first quote, where its text is its source. */
function tokenAsBefore(input: string, token: Token): string {
  const raw = input.slice(token.start, token.end);
  const { text } = token;
  if (!token.quoted && (text === ',' || text === 'OR' || SORT_RE.test(text))) return raw;
  if (text.startsWith('-') && text.length > 1 && token.quotedFrom > 0) return `"-"${raw.slice(1)}`;
  const at = text.startsWith('^') ? 1 : 0;
  if (text.startsWith('=', at) && text.length > at + 1 && token.quotedFrom > at)
    return `${raw.slice(0, at)}"="${raw.slice(at + 1)}`;
  const field = FIELD_RE.exec(text.slice(at));
  const value = at + (field?.[0].length ?? 0);
  if (field && text.startsWith('=~', value) && token.quotedFrom > value + 1)
    return `${raw.slice(0, value + 1)}"~"${raw.slice(value + 2)}`;
  if (!token.quoted && text.includes('\\:') && !readsRegex(raw)) return `${raw}""`;
  return raw;
}

/** `query` written for the language before schema 73, rewritten to read the same now; a query that does
 *  not parse is left as it is (it is refused as before). */
export function queryAsBefore(query: string): string {
  let tokens: Token[];
  try {
    tokens = tokenize(query);
  } catch (err) {
    if (err instanceof QuerySyntaxError) return query;
    throw err;
  }
  let out = '';
  let at = 0;
  for (const token of tokens) {
    out += query.slice(at, token.start) + tokenAsBefore(query, token);
    at = token.end;
  }
  return out + query.slice(at);
}

// Case conversion of tag values: upper, lower, sentence case, and title case as English style guides and
// taggers (Mp3tag, foobar2000's $caps2) write it — every word capitalized except short articles,
// conjunctions and prepositions inside the title; the first and last word, and a word after a colon, dash
// or opening bracket, always capitalized. Words that already hold capitals after their first letter
// (AC/DC, iPhone, McCartney, USA) are names and stay as they are — unless the whole text is in capitals
// (shouted, not named); apostrophes do not start a word (Don't).

export type CaseMode = 'title' | 'upper' | 'lower' | 'sentence';

/** Lower-case in a title unless first, last or after a break (Chicago style's short function words). */
const SMALL_WORDS = new Set(
  'a an and as at but by en for from if in into nor of off on onto or per so than the to up via vs vs. with yet feat feat. ft ft.'.split(
    ' ',
  ),
);

/** Letters-and-apostrophes runs, with what lies between them. */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;
/** Between two words, these start a new phrase: its first word is capitalized (a hyphen inside a word, a
 *  closing quote or an abbreviation's dot is no break). */
const BREAK = /(?:[:–—([{/“!?]|\s-|\s")\s*$/u;
/** Featuring credits stay lower case even after a bracket: "Song (feat. Artist)". */
const FEATURING = new Set(['feat', 'feat.', 'ft', 'ft.', 'featuring']);

const capitalize = (w: string) => w.charAt(0).toLocaleUpperCase() + w.slice(1).toLocaleLowerCase();
/** A word with a capital after its first letter is a name as written (AC/DC's parts, McCartney, iPhone). */
const keepsItsCase = (w: string) => /\p{Lu}/u.test(w.slice(1));

/** Whether a word's own capitals are kept: a word with capitals after its first letter, unless the text is
 *  a phrase in capitals (shouted); a value of one word in capitals (ABBA, AC/DC, GB) is a name. */
const keeper = (text: string) => {
  const shouted = !/\p{Ll}/u.test(text) && /\p{L}\s+\p{L}/u.test(text);
  return (w: string) => !shouted && keepsItsCase(w);
};

export function titleCase(text: string): string {
  const keep = keeper(text);
  const words = [...text.matchAll(WORD)];
  let out = '';
  let at = 0;
  words.forEach((m, i) => {
    const word = m[0];
    const before = text.slice(at, m.index);
    out += before;
    // Only what lies between this word and the one before decides (linear in the text's length).
    const first = i === 0 || BREAK.test(before);
    const last = i === words.length - 1;
    const lower = word.toLowerCase();
    if (keep(word)) out += word;
    else if ((!first || FEATURING.has(lower)) && !last && SMALL_WORDS.has(lower)) out += lower;
    else out += capitalize(word);
    at = m.index + word.length;
  });
  return out + text.slice(at);
}

export function sentenceCase(text: string): string {
  const keep = keeper(text);
  let end = -1;
  return text.replace(WORD, (word, offset: number) => {
    const first = end < 0 || /[.!?]\s*$/u.test(text.slice(end, offset));
    end = offset + word.length;
    if (keep(word)) return word;
    // The pronoun I (I, I'm, I've) is a capital in any sentence.
    if (first || /^i(?:['’]\p{L}+)?$/iu.test(word)) return capitalize(word);
    return word.toLocaleLowerCase();
  });
}

export function convertCase(text: string, mode: CaseMode): string {
  switch (mode) {
    case 'upper':
      return text.toLocaleUpperCase();
    case 'lower':
      return text.toLocaleLowerCase();
    case 'title':
      return titleCase(text);
    case 'sentence':
      return sentenceCase(text);
  }
}

// beets' %asciify{}: each path component in ASCII, by unidecode's tables (the npm port of the
// Text::Unidecode tables that beets' Python unidecode also comes from: "Björk/Москва" is "Bjork/Moskva").
// A "/" the transliteration makes ("½" is "1/2") becomes beets' path_sep_replace ("_" unless a beets
// config says): no folder is added. The tables load per block of 256 code points, as text needs them.
import unidecode from 'unidecode';
import type { RenderHelpers } from '../../shared/template.ts';

/** One character in ASCII. The package is given one character at a time: it reads its input as UTF-8
 *  bytes, so two characters in a row could pass for one encoded character and be left as they are ("É«").
 *  Beyond the first 65,536 code points it has no table: a styled letter (𝐁) is its plain one first (NFKC),
 *  as Python's tables have it; what is still beyond (an emoji) is dropped, as there. */
function asciiOf(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return char;
  return unidecode(code > 0xffff ? char.normalize('NFKC') : char);
}

/** `text` in ASCII, its folders kept: a "/" the transliteration makes becomes `sep`. */
export function asciify(text: string, sep = '_'): string {
  return text
    .split('/')
    .map((part) => Array.from(part, asciiOf).join('').replaceAll('/', sep))
    .join('/');
}

/** What a template rendered in the core needs beyond its fields. */
export const RENDER_HELPERS: RenderHelpers = { asciify: (text) => asciify(text) };

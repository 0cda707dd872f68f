// beets' %asciify{}: each path component in ASCII, by unidecode's tables (the npm port of the
// Text::Unidecode tables that beets' Python unidecode also comes from: "Björk/Москва" is "Bjork/Moskva").
// A "/" the transliteration makes ("½" is "1/2") becomes beets' path_sep_replace, "_": no folder is
// added. The tables load per block of 256 code points, as text needs them.
import unidecode from 'unidecode';
import type { RenderHelpers } from '../../shared/template.ts';

export function asciify(text: string): string {
  return text
    .split('/')
    .map((part) => unidecode(part).replaceAll('/', '_'))
    .join('/');
}

/** What a template rendered in the core needs beyond its fields. */
export const RENDER_HELPERS: RenderHelpers = { asciify };

// A count with its noun, singular or plural: "1 track", "1,204 tracks"; a list in a sentence. In edit
// descriptions (kept in the history), notices and views alike.

/** A number as `toLocaleString('en')` writes it ("1,204"); a whole one without Intl, whose number data
 *  Chromium loads on a page's first use of it: 40 ms of the app's first render (measured). (String(-0)
 *  is "0", where toLocaleString says "-0".) */
export function formatNumber(n: number): string {
  return Number.isSafeInteger(n) && !Object.is(n, -0)
    ? String(n).replace(/\B(?=(\d{3})+$)/g, ',')
    : n.toLocaleString('en');
}

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** Names in a sentence: "Genre", "Genre and Composer", "Title, Genre and Composer". */
export const formatList = (names: readonly string[]): string =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

// What an undo or redo did to the copies an edit was carried to (edit-counts.ts), as `sleeve undo` and the
// app's notice say it: the same words in both.
import { formatCount } from './count-words.ts';

/** "1 other copy it was carried to", "3 other copies it was carried to". */
export const carriedTo = (copies: number): string =>
  `${formatCount(copies, 'other copy', 'other copies')} it was carried to`;

/** "took it back from 1 other copy it was carried to" (an undo) or "brought it back to …" (a redo). */
export function carriedWords(copies: number, undo: boolean): string {
  return `${undo ? 'took it back from' : 'brought it back to'} ${carriedTo(copies)}`;
}

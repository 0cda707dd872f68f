// What an undo or redo did to the copies an edit was carried to (edit-counts.ts), as `sleeve undo` and the
// app's notice say it: the same words in both.
import { formatCount } from './count-words.ts';

/** "took it back from 1 other copy it was carried to" (an undo) or "brought it back to …" (a redo); empty
 *  when the edit was carried nowhere. */
export function carriedWords(copies: number, undo: boolean): string {
  if (copies === 0) return '';
  const where = formatCount(copies, 'other copy', 'other copies');
  return `${undo ? 'took it back from' : 'brought it back to'} ${where} it was carried to`;
}

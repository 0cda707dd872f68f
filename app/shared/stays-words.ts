// What an undo or redo left as it was — a field a newer edit set on some of the batch's files, whose
// value stands (edited-since.ts) — as `sleeve undo` and the app's notice say it: the same words in both.
import { formatCount } from './count-words.ts';

/** A field a newer edit set since, on how many of the batch's files, and the newest such batch. */
export interface Stays {
  readonly key: string;
  readonly files: number;
  readonly newest: number;
}

/** "title stays as edit 5 set it on 1 file (a newer edit)"; `batch` what a batch is called there (the
 *  command line says "edit batch", as its history does). */
export const staysWords = (f: Stays, batch = 'edit'): string =>
  `${f.key} stays as ${batch} ${f.newest} set it on ${formatCount(f.files, 'file')} (a newer edit)`;

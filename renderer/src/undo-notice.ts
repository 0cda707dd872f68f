// What an undo's or a redo's notice says: the edit, what it did to the copies the edit was carried to,
// and each field it left as a newer edit set it (the command line's `sleeve undo` says the same).
import { carriedWords } from '../../app/shared/carried-words.ts';
import type { Batch } from '../../app/shared/rpc-contract.ts';
import { type Stays, staysWords } from '../../app/shared/stays-words.ts';

/** "Undid edit 3: Set title …; title stays as edit 5 set it on 1 file (a newer edit)". */
export function undoNotice(
  { batch, stays }: { batch: Batch; stays: readonly Stays[] },
  undo: boolean,
): string {
  const carried = batch.carriedTo > 0 ? `; and ${carriedWords(batch.carriedTo, undo)}` : '';
  const left = stays.map((f) => `; ${staysWords(f)}`).join('');
  return `${undo ? 'Undid' : 'Redid'} edit ${batch.id}: ${batch.description}${carried}${left}`;
}

// `sleeve saves`: saves a mount accepted that are set aside (app/core/library/set-aside-saves.ts) — a
// journal entry damaged, written for another library or by an older Sleeve, or a save whose file left
// the library — each with its reason; applied when it can be (its file back), or discarded.
import { applySave } from '../../core/library/save-journal.ts';
import {
  discardAllSetAside,
  discardSetAside,
  retrySetAside,
  type SetAsideSave,
  setAsideDir,
  setAsideIds,
  setAsideSaves,
} from '../../core/library/set-aside-saves.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';

export const usage = `sleeve saves [list]
  sleeve saves apply ID|--all    applies a set-aside save (once its file is back in the library)
  sleeve saves discard ID|--all  drops it for good`;

const line = (s: SetAsideSave) =>
  `${s.id}  ${s.path ?? '(unreadable)'}  set aside ${new Date(s.setAsideAt).toLocaleString()}: ${s.reason}`;

export async function run(ctx: Context, args: string[]): Promise<number> {
  const [action = 'list', which, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`saves ${action}: one ID or --all`);
  const db = ctx.db;
  const { count, listed } = setAsideSaves(db);
  if (action === 'list') {
    if (count === 0) ctx.print('no saves are set aside');
    for (const s of listed) ctx.print(line(s));
    if (count > listed.length) ctx.print(`… and ${count - listed.length} more`);
    return 0;
  }
  if (action !== 'apply' && action !== 'discard') throw new UsageError(usage);
  if (!which) throw new UsageError(`saves ${action}: which save (its ID, or --all)`);
  if (which === '--all' && action === 'discard') {
    ctx.print(`discarded ${discardAllSetAside(db, setAsideDir(ctx.home.dir))} set-aside save(s)`);
    return 0;
  }
  const ids = which === '--all' ? setAsideIds(db) : [which];
  let failed = 0;
  for (const id of ids) {
    try {
      if (action === 'apply')
        retrySetAside(db, setAsideDir(ctx.home.dir), id, (save) => applySave(db, save, true));
      else discardSetAside(db, setAsideDir(ctx.home.dir), id);
      ctx.print(`${action === 'apply' ? 'applied' : 'discarded'} ${id}`);
    } catch (err) {
      if (ids.length === 1) throw err;
      failed++;
      ctx.warn(`sleeve: ${id}: ${(err as Error).message}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

// `sleeve forget FOLDER`: takes a library folder out of the library (its files leave the lists, the
// duplicates and the mount; edits are kept; `sleeve scan FOLDER` brings it back). Files are not touched.

import { folderSize, removeFolder } from '../../core/library/library-folders.ts';
import { askYes } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = 'sleeve forget FOLDER [-y]   take a library folder out of the library (files untouched)';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { yes: { type: 'boolean', short: 'y', default: false } },
  });
  if (positionals.length !== 1)
    throw new UsageError('forget needs one FOLDER (a library folder, as "sleeve stats" lists them)');
  const { path, files } = folderSize(ctx.db, positionals[0]!);
  const what = `${path}: ${files} track(s) leave the library, its lists and the mount; their edits are kept, and the files on disk are not touched`;
  if (!values.yes && !(await askYes(ctx, `Forget ${what}?`, `not forgetting ${what}: pass -y to confirm`)))
    return 1;
  const removed = removeFolder(ctx.db, ctx.home, path);
  ctx.print(`forgot ${removed.path}: ${removed.files} track(s) left the library`);
  ctx.warn(`"sleeve scan ${removed.path}" brings them back with their edits`);
  return 0;
}

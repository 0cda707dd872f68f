// `sleeve exclude FOLDER`: leaves a folder inside a library folder out of the library (an Audiobooks or
// Samples folder inside Music): its tracks leave the lists, the duplicates and the mount, edits kept, and
// scans and the watcher never walk it. `--list` shows the rules; `--remove FOLDER` drops one (the next
// scan of its library folder brings the tracks back). Files are not touched.

import {
  excludedFolders,
  excludeFolder,
  exclusionSize,
  includeFolder,
} from '../../core/library/excluded-folders.ts';
import { askYes } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage =
  'sleeve exclude FOLDER [-y] | --list | --remove FOLDER   leave a folder inside a library folder out (files untouched)';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      yes: { type: 'boolean', short: 'y', default: false },
      list: { type: 'boolean', default: false },
      remove: { type: 'string' },
    },
  });
  if (values.list) {
    for (const path of excludedFolders(ctx.db)) ctx.print(path);
    return 0;
  }
  if (values.remove !== undefined) {
    const path = includeFolder(ctx.db, values.remove);
    ctx.print(`${path} is no longer left out`);
    ctx.warn('scanning its library folder brings its tracks back with their edits');
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError('exclude needs one FOLDER inside a library folder (or --list, or --remove FOLDER)');
  const { path, files } = exclusionSize(ctx.db, positionals[0]!);
  const what = `${path}: ${files} track(s) leave the library, its lists and the mount, and scans skip it; their edits are kept, and the files on disk are not touched`;
  if (
    !values.yes &&
    !(await askYes(ctx, `Leave out ${what}?`, `not leaving out ${what}: pass -y to confirm`))
  )
    return 1;
  const left = excludeFolder(ctx.db, ctx.home, path);
  ctx.print(`left out ${left.path}: ${left.files} track(s) left the library`);
  ctx.warn(`"sleeve exclude --remove ${left.path}" takes it back`);
  return 0;
}

// `sleeve import FILE`: tags from CSV, TSV or JSON (as `sleeve export` writes them, or a spreadsheet keyed
// by id or path), shown as a diff and saved, once confirmed, as one undoable edit batch: the plan shown,
// exactly. Cells are merged against what the library had when the export was read: an edit made since
// keeps its value, and a cell the user changed over it is kept as a conflict (`sleeve conflicts`).

import { feedPosition } from '../../core/library/change-feed.ts';
import { openImport, planImport, saveImport } from '../../core/library/tags-import.ts';
import { formatOfName, TEXT_FORMATS } from '../../shared/text-formats.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { printPlan } from '../plan-preview.ts';

export const usage = 'sleeve import FILE [--format csv|tsv|json] [-y | --yes-all]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, ...CONFIRM_OPTIONS },
  });
  const [file, ...rest] = positionals;
  if (!file || rest.length > 0) throw new UsageError(usage);
  const format =
    values.format === undefined ? formatOfName(file) : TEXT_FORMATS.find((f) => f === values.format);
  if (!format)
    throw new UsageError(`${file}: say --format ${TEXT_FORMATS.join('|')} (its name does not end in one)`);
  const opened = await openImport(file, format);
  const db = ctx.db;
  // The preview's version is taken before the rows are read (previewing's rule, here across awaits).
  const version = feedPosition(db);
  const { ids, plan, conflicts, warnings } = await planImport(db, opened);
  for (const warning of warnings) ctx.warn(warning);
  for (const c of conflicts.slice(0, 10))
    ctx.warn(
      `${c.path}: ${c.key} changed in the library since the export (now “${c.library.join('; ')}”); the file's “${c.tagger.join('; ')}” is kept as a conflict`,
    );
  if (conflicts.length > 10) ctx.warn(`… and ${conflicts.length - 10} more conflicts`);
  if (plan.length === 0 && conflicts.length === 0) {
    ctx.print(`nothing to change: the ${ids.length} track(s) already have these values`);
    return 0;
  }
  const files = printPlan(ctx, db, plan);
  ctx.print(
    `${files} file(s) will change${conflicts.length > 0 ? `; ${conflicts.length} conflict(s) kept` : ''}`,
  );
  // An import names its tracks one by one: wide only by its size.
  if (!(await confirmEdit(ctx, file, files, { yes: values.yes, yesAll: values['yes-all'] }))) return 0;
  const batch = saveImport(
    db,
    { ids, version },
    { plan, conflicts },
    { description: `Import tags from ${file}`, origin: 'cli' },
  );
  if (batch !== undefined)
    ctx.print(`saved as edit batch ${batch} (${files} file(s)); undo with: sleeve undo ${batch}`);
  if (conflicts.length > 0) ctx.print(`${conflicts.length} conflict(s): see sleeve conflicts`);
  return 0;
}

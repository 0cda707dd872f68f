// `sleeve set QUERY field=value…`: the edit shown as a diff, then saved, once confirmed, exactly as shown
// (refused if one of its files changed meanwhile).

import { editTargets } from '../../core/library/edit-targets.ts';
import { describeEdit, type FieldChange, planEdit, readEdit } from '../../core/library/edits.ts';
import { applyPreviewed, previewing } from '../../core/library/previewed.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { copiesNotes } from '../copies-notes.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { printPlan } from '../plan-preview.ts';

export const usage =
  'sleeve set QUERY field=value... [field!]... [--clear field]... [--copies] [-y | --yes-all]   (repeat field=value for several values; field! or field= clears it)';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_ ]*)=(.*)$/s;
/** beets' `modify` deletion, `field!`: the field cleared, as --clear does. */
const DELETION = /^([A-Za-z_][A-Za-z0-9_]*)!$/;

/** Splits positionals into query words, field=value assignments (a query's field:=x has a colon first)
 *  and deletions: beets' `field!`, and `field=` with nothing after it (a word of the query ending in "!" is written with its field,
 *  title:help!). */
export function splitAssignments(positionals: readonly string[]): {
  query: string;
  changes: FieldChange[];
  cleared: string[];
} {
  const words: string[] = [];
  const cleared: string[] = [];
  const values = new Map<string, { key: string; values: string[] }>();
  for (const p of positionals) {
    const deletion = DELETION.exec(p);
    if (deletion) {
      cleared.push(deletion[1]!);
      continue;
    }
    const m = ASSIGNMENT.exec(p);
    if (!m) {
      words.push(p);
      continue;
    }
    const key = m[1]!;
    const entry = values.get(key.toLowerCase()) ?? { key, values: [] };
    entry.values.push(m[2]!);
    values.set(key.toLowerCase(), entry);
  }
  // An empty value is a blank field, as in beets (`title=`) and the app's editor ("Empty clears"): a field
  // given only empty values is cleared; beside other values, an empty one is none.
  const changes: FieldChange[] = [];
  for (const entry of values.values()) {
    const given = entry.values.filter((v) => v !== '');
    if (given.length === 0) cleared.push(entry.key);
    else changes.push({ key: entry.key, values: given });
  }
  return { query: words.join(' '), changes, cleared };
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      clear: { type: 'string', multiple: true, default: [] },
      ...CONFIRM_OPTIONS,
      // Every copy of the recordings listed (sleeve dup), not only the one listed: copies keep the same tags.
      copies: { type: 'boolean', default: false },
    },
  });
  const { query, changes, cleared } = splitAssignments(positionals);
  for (const key of [...values.clear, ...cleared]) {
    const same = changes.find((c) => c.key.toLowerCase() === key.toLowerCase());
    if (same && same.values.length > 0) throw new UsageError(`${key} is both set and cleared`);
    if (!same) changes.push({ key, values: [] });
  }
  if (changes.length === 0)
    throw new UsageError('set needs at least one field=value, or field! (--clear field) to clear one');
  const db = ctx.db;
  const { changes: valid, warnings } = readEdit(db, changes);
  for (const warning of warnings) ctx.warn(warning);
  const { targets, ids, plan, version } = previewing(db, () => {
    const targets = editTargets(db, query, values.copies);
    if (targets.ids.length === 0) throw new CliError(`no files match "${query}"`);
    return { targets, ids: targets.ids, plan: planEdit(db, targets.ids, valid) };
  });
  if (values.copies && ids.length > targets.listed)
    ctx.print(`${targets.listed} recording(s) match; with their other copies: ${ids.length} file(s)`);
  for (const note of copiesNotes(targets, 'edits')) ctx.warn(note);
  if (plan.length === 0) {
    ctx.print(`nothing to change: ${ids.length} file(s) already have these values`);
    return 0;
  }
  const files = printPlan(ctx, db, plan);
  ctx.print(`${files} file(s) will change`);
  if (!(await confirmEdit(ctx, query, files, { yes: values.yes, yesAll: values['yes-all'] }))) return 0;
  const where = query ? `where ${query}${values.copies ? ' and their copies' : ''}` : '';
  const batch = applyPreviewed(db, { ids, version }, plan, {
    description: describeEdit(valid, where, plan),
    origin: 'cli',
  });
  ctx.print(`saved as edit batch ${batch} (${files} file(s)); undo with: sleeve undo ${batch}`);
  return 0;
}

// `sleeve tool NAME QUERY [options]`: a tagger's tool over the recordings the query lists, as `sleeve ls`
// shows them (the kept copy of each, in the query's order or path order; --copies: every copy too), shown
// as a diff and saved, once confirmed, as one undoable edit batch: the plan shown, exactly.

import { readCapped } from '../../../kit/capped-file.ts';
import { filesByIds, matchingIds } from '../../core/library/list.ts';
import { applyPreviewed, previewing } from '../../core/library/previewed.ts';
import { planSteps, type TagTool } from '../../core/library/tag-tools/tag-tool.ts';
import type { CaseMode } from '../../core/library/tag-tools/text-case.ts';
import { toolTracks } from '../../core/library/tag-tools/tool-tracks.ts';
import { formatCount } from '../../shared/count-words.ts';
import { picardScriptFile } from '../../shared/tagger-script/script-file.ts';
import { describeSteps } from '../../shared/tool-words.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { copiesNotes } from '../copies-notes.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { printPlan } from '../plan-preview.ts';

export const usage = `sleeve tool replace QUERY --find TEXT --with TEXT [--regex] [--ignore-case] [--field F]...
  sleeve tool case QUERY --mode title|sentence|upper|lower [--field F]...
  sleeve tool from-path QUERY --pattern '%tracknumber% - %title%'   (%_% skips a part)
  sleeve tool number QUERY [--per-disc] [--totals]                   (in the query's order)
  sleeve tool copy QUERY --from F --to G        sleeve tool swap QUERY --field F --field G
  sleeve tool trim QUERY [--field F]...         sleeve tool split|join QUERY --field F --separator S
  sleeve tool script QUERY --script FILE | --expr '$set(…)'   (a Picard tagging script: what its $set changes)
  Without --field, replace, case and trim work on every text field (never ids); -y or --yes-all saves.
  A tool works on the recordings the query lists (one copy each, as sleeve ls); --copies on every copy
  (a copy takes its recording's number)`;

/** A script file's bound: community scripts run to thousands of lines. */
const SCRIPT_BYTES = 1 << 20;

const TOOL_NAMES = 'replace, case, from-path, number, copy, swap, trim, split, join or script';

const CASE_MODES: readonly CaseMode[] = ['title', 'sentence', 'upper', 'lower'];

type Options = Record<string, string | boolean | string[] | undefined>;

const need = (values: Options, name: string, tool: string): string => {
  const v = values[name];
  if (typeof v !== 'string') throw new UsageError(`tool ${tool} needs --${name}`);
  return v;
};

/** The tool the arguments describe. */
function toolOf(name: string, values: Options): TagTool {
  const fields = (values.field as string[] | undefined) ?? [];
  switch (name) {
    case 'replace':
      return {
        kind: 'replace',
        fields,
        find: need(values, 'find', name),
        replace: need(values, 'with', name),
        regex: values.regex === true,
        ignoreCase: values['ignore-case'] === true,
      };
    case 'case': {
      const mode = need(values, 'mode', name) as CaseMode;
      if (!CASE_MODES.includes(mode)) throw new UsageError(`--mode is one of ${CASE_MODES.join(', ')}`);
      return { kind: 'case', fields, mode };
    }
    case 'from-path':
      return { kind: 'from-path', pattern: need(values, 'pattern', name) };
    case 'number':
      return { kind: 'number', perDisc: values['per-disc'] === true, totals: values.totals === true };
    case 'copy':
      return { kind: 'copy', from: need(values, 'from', name), to: need(values, 'to', name) };
    case 'swap':
      if (fields.length !== 2) throw new UsageError('tool swap needs two --field');
      return { kind: 'swap', a: fields[0]!, b: fields[1]! };
    case 'trim':
      return { kind: 'trim', fields };
    case 'script': {
      const file = values.script;
      const expr = values.expr;
      if ((typeof file === 'string') === (typeof expr === 'string'))
        throw new UsageError('tool script needs --script FILE or --expr SCRIPT (one of them)');
      return {
        kind: 'script',
        script:
          typeof expr === 'string'
            ? expr
            : picardScriptFile(file as string, readCapped(file as string, SCRIPT_BYTES, 'the script')),
      };
    }
    case 'split':
    case 'join':
      if (fields.length !== 1) throw new UsageError(`tool ${name} needs one --field`);
      return { kind: name, field: fields[0]!, separator: need(values, 'separator', name) };
    default:
      throw new UsageError(`unknown tool "${name}": ${TOOL_NAMES}`);
  }
}

/** The options a tool takes (every tool's: each reads its own). */
const TOOL_OPTIONS = {
  field: { type: 'string', multiple: true },
  find: { type: 'string' },
  with: { type: 'string' },
  regex: { type: 'boolean' },
  'ignore-case': { type: 'boolean' },
  mode: { type: 'string' },
  pattern: { type: 'string' },
  'per-disc': { type: 'boolean' },
  totals: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  separator: { type: 'string' },
  script: { type: 'string' },
  expr: { type: 'string' },
} as const;

/** A tool as words: its name and options (`case --mode title --field title`), positionals refused. */
export function toolFromWords(words: readonly string[]): TagTool {
  const [name, ...rest] = words;
  if (!name || name.startsWith('-')) throw new UsageError(`which tool? ${TOOL_NAMES}`);
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: TOOL_OPTIONS,
  });
  if (positionals.length > 0) throw new UsageError(`tool ${name}: "${positionals[0]}" is not an option`);
  return toolOf(name, values);
}

/**
 * Runs `steps` over the recordings `query` lists (every copy too with `copies`): the plan shown as a diff,
 * saved once confirmed as one undoable edit batch, exactly as shown.
 */
export async function runSteps(
  ctx: Context,
  query: string,
  steps: readonly TagTool[],
  options: { copies: boolean; yes: boolean; yesAll: boolean; action?: string },
): Promise<number> {
  const db = ctx.db;
  const { tracks, changes, skipped, partly, version } = previewing(db, () => {
    const listed = matchingIds(db, query, 'recordings');
    if (listed.length === 0) throw new CliError(`no files match "${query}"`);
    const tracks = toolTracks(db, listed, options.copies);
    return { tracks, ...planSteps(db, tracks, steps) };
  });
  const recordings = new Set(tracks.recordings).size;
  if (options.copies && tracks.ids.length > recordings)
    ctx.print(`${recordings} recording(s) match; with their other copies: ${tracks.ids.length} file(s)`);
  const paths = new Map(
    filesByIds(
      db,
      [...skipped, ...partly].map((s) => s.fileId),
    ).map((f) => [f.id, f.path]),
  );
  for (const s of skipped) ctx.warn(`left as it is: ${paths.get(s.fileId)}: ${s.reason}`);
  for (const s of partly) ctx.warn(`partly changed: ${paths.get(s.fileId)}: ${s.reason}`);
  if (changes.length === 0) {
    ctx.print(`nothing to change in ${tracks.ids.length} file(s)`);
    return skipped.length > 0 ? 1 : 0;
  }
  const files = printPlan(ctx, db, changes);
  ctx.print(`${files} file(s) will change${skipped.length ? `, ${skipped.length} left as they are` : ''}`);
  for (const note of copiesNotes(tracks, 'changes')) ctx.print(note);
  if (!(await confirmEdit(ctx, query, files, { yes: options.yes, yesAll: options.yesAll }))) return 0;
  const batch = applyPreviewed(db, { ids: tracks.ids, version }, changes, {
    description: `${describeSteps(steps, options.action)} on ${formatCount(files, 'track')}`,
    origin: 'cli',
  });
  ctx.print(`saved as edit batch ${batch} (${files} file(s)); undo with: sleeve undo ${batch}`);
  return 0;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...TOOL_OPTIONS, copies: { type: 'boolean', default: false }, ...CONFIRM_OPTIONS },
  });
  const [name, ...words] = positionals;
  if (!name) throw new UsageError(`which tool? ${TOOL_NAMES}`);
  return runSteps(ctx, words.join(' '), [toolOf(name, values)], {
    copies: values.copies,
    yes: values.yes,
    yesAll: values['yes-all'],
  });
}

// `sleeve action save|run|ls|show|rm`: saved actions, a named sequence of tag tools (as Mp3tag's), run on
// the recordings a query lists as one previewed, undoable edit. Steps are written as `sleeve tool` takes
// them, separated by a lone `+`; `show` prints an action as JSON, which `save --file` takes back.

import { readCapped } from '../../../kit/capped-file.ts';
import { getAction, listActions, removeAction, saveAction } from '../../core/library/tag-tools/actions.ts';
import { describeTool } from '../../shared/tool-words.ts';
import { CONFIRM_OPTIONS } from '../confirm-edit.ts';
import { type Context, inert } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { runSteps, toolFromWords } from './tool.ts';

export const usage = `sleeve action save NAME TOOL [options] [+ TOOL [options]]... [--replace]
  sleeve action save NAME --file ACTION.json [--replace]    (as sleeve action show prints it)
  sleeve action run NAME QUERY [--copies] [-y | --yes-all]
  sleeve action ls                sleeve action show NAME       sleeve action rm NAME
  A step is written as sleeve tool takes it: sleeve action save tidy trim + case --mode title --field title
  (a lone + separates steps: to find a plus sign, --regex --find '+')`;

/** An action file's bound: its scripts may be long, never a whole disk. */
const ACTION_BYTES = 1 << 20;

/** The words after the name, split at each lone `+` into steps. */
function stepsOf(words: readonly string[]): string[][] {
  const steps: string[][] = [[]];
  for (const w of words) {
    if (w === '+') steps.push([]);
    else steps.at(-1)!.push(w);
  }
  if (steps.some((s) => s.length === 0)) throw new UsageError('a "+" needs a tool on each side of it');
  return steps;
}

function save(ctx: Context, name: string | undefined, words: string[]): number {
  if (!name) throw new UsageError(usage);
  // Only as the last word: a step's own text may be "--replace" (a find & replace of that).
  const replace = words.at(-1) === '--replace';
  const rest = replace ? words.slice(0, -1) : words;
  let steps: unknown;
  if (rest[0] === '--file') {
    if (rest.length !== 2) throw new UsageError('save NAME --file FILE takes nothing else');
    const text = readCapped(rest[1]!, ACTION_BYTES, 'the action file');
    try {
      const parsed = JSON.parse(text) as unknown;
      steps = Array.isArray(parsed) ? parsed : (parsed as { steps?: unknown } | null)?.steps;
    } catch (err) {
      throw new UsageError(`${rest[1]} is not JSON: ${(err as Error).message}`);
    }
  } else if (rest.length === 0) throw new UsageError(`save ${name} needs its steps: ${usage.split('\n')[0]}`);
  else steps = stepsOf(rest).map(toolFromWords);
  const action = saveAction(ctx.db, { name, steps }, { replace });
  ctx.print(`saved the action "${inert(action.name)}": ${action.steps.length} step(s)`);
  for (const [i, s] of action.steps.entries()) ctx.print(`  ${i + 1}. ${inert(describeTool(s))}`);
  return 0;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const [verb, name, ...words] = args;
  switch (verb) {
    case 'save':
      return save(ctx, name, words);
    case 'run': {
      if (!name) throw new UsageError(usage);
      const { values, positionals } = parseArgs({
        args: words,
        allowPositionals: true,
        options: { copies: { type: 'boolean', default: false }, ...CONFIRM_OPTIONS },
      });
      const action = getAction(ctx.db, name);
      return runSteps(ctx, positionals.join(' '), action.steps, {
        copies: values.copies,
        yes: values.yes,
        yesAll: values['yes-all'],
        action: action.name,
      });
    }
    case 'ls':
      for (const a of listActions(ctx.db)) {
        const saved = new Date(a.savedAt).toISOString().slice(0, 10);
        ctx.print(
          'problem' in a
            ? `${inert(a.name)}  (${inert(a.problem)})`
            : `${inert(a.name)}  ${a.steps.map((s) => inert(describeTool(s))).join('; ')}  (saved ${saved})`,
        );
      }
      return 0;
    case 'show':
      if (!name) throw new UsageError(usage);
      ctx.print(JSON.stringify(getAction(ctx.db, name), null, 2));
      return 0;
    case 'rm':
      if (!name) throw new UsageError(usage);
      removeAction(ctx.db, name);
      ctx.print(`removed the action "${inert(name)}"`);
      return 0;
    default:
      throw new UsageError(usage);
  }
}

// TaggerScript evaluated as Picard evaluates it (picard/script/parser.py): a variable is its values joined
// by "; " ('' unset; `%_name%` is the hidden `~name`); a function gets its arguments evaluated, or, for the
// few that decide what to evaluate ($if, the loops, the multi-value functions), as they were written; the
// script's result is its parts joined. The context is a track's fields, which $set, $unset and the like
// change: what a tagging script does; $datetime reads a clock given with it.
import { localMoment } from '../c-strftime.ts';
import { type Evaluator, ScriptContext, tagName } from './context.ts';
import { FUNCTIONS } from './functions.ts';
import { parseScript, type ScriptExpression } from './parser.ts';
import type { PyDateTime } from './python.ts';

/** The time now as Python's aware local datetime has it: its zone's offset, and a name for the zone
 *  (JavaScript's short one: "UTC", "EST"; Python gives the C library's, "CET" where this says "GMT+1"). */
export function localNow(): PyDateTime {
  const local = new Date();
  const name = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(local)
    .find((p) => p.type === 'timeZoneName')?.value;
  return {
    moment: localMoment(local),
    micro: local.getMilliseconds() * 1000,
    zone: { offsetMinutes: -local.getTimezoneOffset(), name: name ?? '' },
  };
}

export class ScriptRun implements Evaluator {
  readonly context: ScriptContext;
  readonly now: () => PyDateTime;
  constructor(context: ScriptContext, clock: () => PyDateTime = localNow) {
    this.context = context;
    this.now = clock;
  }

  expression(nodes: ScriptExpression): string {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') out += node.text;
      else if (node.kind === 'variable') out += this.context.get(tagName(node.name));
      else {
        const fn = FUNCTIONS.get(node.name)!;
        out += fn.lazy
          ? fn.run(this, node.args)
          : fn.run(
              this,
              node.args.map((a) => this.expression(a)),
            );
      }
    }
    return out;
  }
}

const parsed = new Map<string, ScriptExpression>();
/** Scripts kept parsed, as Picard keeps them. */
const KEPT = 256;

/** The script parsed (kept for the next time it is run). */
export function compileScript(script: string): ScriptExpression {
  let tree = parsed.get(script);
  if (!tree) {
    tree = parseScript(script, FUNCTIONS);
    if (parsed.size >= KEPT) parsed.clear();
    parsed.set(script, tree);
  }
  return tree;
}

/** Runs `script` over `context` (which its $set and the like change); returns what it evaluates to.
 *  `clock`: the time $datetime writes. */
export function runScript(script: string, context = new ScriptContext(), clock = localNow): string {
  return new ScriptRun(context, clock).expression(compileScript(script));
}

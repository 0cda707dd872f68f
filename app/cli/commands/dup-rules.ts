// `sleeve dup --rule RULE…`, `--rules`, `--clear-rules`: the user's rules for which copy is kept
// (app/core/library/copy-rules.ts). A change is shown first — the recordings that would keep another
// copy, and the edits that would go with them — and made as shown, with -y or a "y" at a terminal.
import {
  type CopyRule,
  copyRules,
  parseRule,
  type RulesOutcome,
  ruleText,
  setCopyRules,
} from '../../core/library/copy-rules.ts';
import { askYes } from '../confirm-edit.ts';
import type { Context } from '../context.ts';

/** Lists the rules in force. */
export function listRules(ctx: Context, json: boolean): number {
  const rules = copyRules(ctx.db);
  if (json) ctx.print(JSON.stringify(rules.map(ruleText)));
  else if (rules.length === 0)
    ctx.print('no copy rules: each recording keeps the copy Sleeve ranks first (sleeve dup says why)');
  else for (const [i, r] of rules.entries()) ctx.print(`${i + 1}. ${ruleText(r)}`);
  return 0;
}

/**
 * Puts `texts` (none: no rules) in place of the rules in force: what they change is shown, then made —
 * with `yes`, or a "y" typed at a terminal — exactly as shown (refused if it changed in between).
 */
export async function changeRules(
  ctx: Context,
  texts: readonly string[],
  yes: boolean,
  json: boolean,
): Promise<number> {
  const rules: CopyRule[] = texts.map(parseRule);
  const shown = setCopyRules(ctx.db, rules, { apply: false, origin: 'cli' });
  if (!yes) {
    if (json || !ctx.io.stdin.isTTY) {
      if (json) ctx.print(JSON.stringify({ rules: rules.map(ruleText), applied: false, ...shown }));
      else {
        say(ctx, shown, false, rules.length === 0);
        // A rule that moves no copy now still decides for copies found later: it is not set without -y.
        const same = JSON.stringify(copyRules(ctx.db).map(ruleText)) === JSON.stringify(rules.map(ruleText));
        if (!same)
          ctx.print(
            `nothing changed yet: run it again with -y to ${rules.length === 0 ? 'clear the rules' : 'set these rules'}`,
          );
      }
      return 0;
    }
    say(ctx, shown, false, rules.length === 0);
    if (!(await askYes(ctx, 'Set these rules? Files on disk are never modified.', ''))) return 0;
  }
  const made = setCopyRules(ctx.db, rules, { apply: true, origin: 'cli', shown: shown.changes });
  if (json) {
    ctx.print(JSON.stringify({ rules: rules.map(ruleText), applied: true, ...made }));
    return 0;
  }
  say(ctx, made, true, rules.length === 0);
  ctx.print(rules.length === 0 ? 'copy rules cleared' : `copy rules: ${rules.map(ruleText).join(', ')}`);
  return 0;
}

function say(ctx: Context, { changes, batch }: RulesOutcome, yes: boolean, clearing: boolean): void {
  if (changes.length === 0) {
    ctx.print(
      `no recording ${yes ? 'keeps' : 'would keep'} another copy ${clearing ? 'without rules' : 'by these rules'}`,
    );
    return;
  }
  const verb = yes ? 'keeps' : 'would keep';
  for (const c of changes) {
    const carried =
      c.carries.length > 0
        ? `, your edits of ${c.carries.join(', ')} ${yes ? 'carried' : 'carried with it'}`
        : '';
    const newer =
      c.keepsNewer.length > 0
        ? `; track ${c.to}'s own newer edits of ${c.keepsNewer.join(', ')} ${yes ? 'kept' : 'would stay'} (track ${c.from}'s older ones not carried)`
        : '';
    ctx.print(`recording ${c.group} ${verb} track ${c.to} instead of ${c.from}${carried}${newer}`);
  }
  if (batch !== undefined) ctx.print(`(edit batch ${batch}; sleeve undo takes the carried edits back)`);
}

// `sleeve identify`: names the tracks of a query from what the library already knows, offline — each
// file's better-tagged acoustic copy (see core/identify/from-copies.ts). Shows every proposal as a diff;
// applies the strong ones, or all shown, as one undoable edit batch when asked.
import { parseArgs } from 'node:util';
import { type CopyProposal, changedSince, proposalsFromCopies } from '../../core/identify/from-copies.ts';
import { applyEdit } from '../../core/library/edits.ts';
import { filesByIds, matchingIds } from '../../core/library/list.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { CliError } from '../errors.ts';
import { valuesText } from '../format.ts';

export const usage = `sleeve identify QUERY [--json]             proposals for the matching tracks, as diffs
  sleeve identify QUERY --apply-strong [-y]  apply the strong ones (they only fill empty fields)
  sleeve identify QUERY --apply [-y | --yes-all]  apply every proposal shown`;

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      apply: { type: 'boolean', default: false },
      'apply-strong': { type: 'boolean', default: false },
      ...CONFIRM_OPTIONS,
    },
  });
  const query = positionals.join(' ');
  const db = ctx.db;
  const matching = matchingIds(db, query);
  if (matching.length === 0) throw new CliError(`no files match "${query}"`);
  const proposals = proposalsFromCopies(db, matching);
  const paths = new Map(
    filesByIds(db, [...new Set(proposals.flatMap((p) => [p.fileId, p.sourceId]))]).map((f) => [f.id, f.path]),
  );
  if (values.json) {
    ctx.io.out.write(
      `${JSON.stringify(
        proposals.map((p) => ({ ...p, path: paths.get(p.fileId), sourcePath: paths.get(p.sourceId) })),
        null,
        1,
      )}\n`,
    );
    return 0;
  }
  for (const p of proposals) {
    ctx.print(`${paths.get(p.fileId)}`);
    ctx.print(
      `  ← its copy ${paths.get(p.sourceId)} (track ${p.sourceId}): ${p.strength}${p.reasons.length ? ` (${p.reasons.join('; ')})` : ''}`,
    );
    for (const c of p.changes) ctx.print(`  ${c.key}: ${valuesText(c.before)} → ${valuesText(c.after)}`);
  }
  const strong = proposals.filter((p) => p.strength === 'strong');
  ctx.print(
    `${matching.length} file(s) looked at: ${proposals.length} proposal(s) from their copies, ${strong.length} strong, ${proposals.length - strong.length} to review; ${matching.length - proposals.length} without a better-tagged copy`,
  );
  const chosen: CopyProposal[] = values.apply ? proposals : values['apply-strong'] ? strong : [];
  if (!values.apply && !values['apply-strong']) {
    if (proposals.length > 0)
      ctx.print('apply with --apply-strong (the strong ones) or --apply (every one shown); undoable');
    return 0;
  }
  if (chosen.length === 0) {
    ctx.print('nothing to apply');
    return 0;
  }
  if (!(await confirmEdit(ctx, query, chosen.length, { yes: values.yes, yesAll: values['yes-all'] })))
    return 0;
  const changes = chosen.flatMap((p) => p.changes);
  // Checked and applied in one transaction: nothing lands on a file whose tags moved since they were read.
  const { batch, stale } = db.transaction(() => {
    const stale = changedSince(db, changes);
    const kept = changes.filter((c) => !stale.has(c.fileId));
    const files = chosen.length - stale.size;
    const batch = applyEdit(
      db,
      kept,
      `identify ${files} file(s) from their copies${query ? ` where ${query}` : ''}`,
    );
    return { batch, stale };
  })();
  for (const id of stale)
    ctx.warn(`not applied to ${paths.get(id)}: its tags changed since the proposal; run identify again`);
  if (batch === undefined) return stale.size > 0 ? 1 : 0;
  ctx.print(
    `saved as edit batch ${batch} (${chosen.length - stale.size} file(s)); undo with: sleeve undo ${batch}`,
  );
  return 0;
}

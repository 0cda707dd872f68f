// `sleeve history`: the edit batches, newest first; `sleeve history BATCH`: what one batch changed, per
// track and field, before → after.

import { batchChanges } from '../../core/library/batch-changes.ts';
import { history } from '../../core/library/edits.ts';
import { prunedHistory, prunedWords } from '../../core/library/history-prune.ts';
import { carriedTo } from '../../shared/carried-words.ts';
import { MEASURED_GAIN_SERVED } from '../../shared/gain.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { shownValues } from '../format.ts';
import { parseArgs, wholeNumber } from '../parse-options.ts';

export const usage = 'sleeve history [BATCH] [--json] [-n COUNT]';

/** The most batches, or changes of one batch, -n may ask for. */
const MAX_LISTED = 1_000_000;

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, n: { type: 'string', short: 'n' } },
  });
  if (positionals.length > 1) throw new UsageError('history takes at most one BATCH');
  if (positionals.length === 1) return showBatch(ctx, positionals[0]!, values.json, values.n);
  const batches = history(ctx.db, wholeNumber('-n', values.n, { min: 1, max: MAX_LISTED, fallback: 50 }));
  if (values.json) {
    ctx.print(JSON.stringify(batches));
    return 0;
  }
  const pruned = prunedHistory(ctx.db);
  if (batches.length === 0 && !pruned) ctx.print('no edits yet');
  for (const b of batches) {
    const when = new Date(b.createdAt).toISOString().replace('T', ' ').slice(0, 19);
    ctx.print(
      `${String(b.id).padStart(4)}  ${when}  ${b.files} file(s)${b.carriedTo ? ` (and ${carriedTo(b.carriedTo)})` : ''}  ${b.description}${b.undoneAt ? '  [undone]' : ''}`,
    );
  }
  // Said whether or not the list reaches that far: older batches can no longer be undone or redone.
  if (pruned) ctx.print(`(${prunedWords(pruned)})`);
  return 0;
}

function showBatch(ctx: Context, text: string, json: boolean, n: string | undefined): number {
  const batchId = Number(text);
  if (!Number.isSafeInteger(batchId) || batchId < 1) throw new UsageError(`"${text}" is not a batch number`);
  const limit = wholeNumber('-n', n, { min: 1, max: MAX_LISTED, fallback: 1000 });
  const { total, covers, changes } = batchChanges(ctx.db, batchId, 0, limit);
  if (json) {
    ctx.print(JSON.stringify({ total, covers, changes }));
    return 0;
  }
  const [batch] = history(ctx.db, 1, batchId);
  ctx.print(`${batch!.description}${batch!.undoneAt ? '  [undone]' : ''}`);
  let path = '';
  for (const c of changes) {
    if (c.path !== path) {
      path = c.path;
      ctx.print(path);
    }
    const before = c.measuredBefore ? `(${MEASURED_GAIN_SERVED})` : shownValues(c.before);
    ctx.print(`  ${c.key}: ${before} → ${shownValues(c.after)}`);
  }
  if (total > changes.length) ctx.print(`… and ${total - changes.length} more change(s) (-n to show more)`);
  if (covers > 0) ctx.print(`cover art changed on ${covers} track(s): sleeve art to see it`);
  return 0;
}

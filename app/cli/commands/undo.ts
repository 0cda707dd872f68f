import { parseArgs } from 'node:util';
import { undoBatch } from '../../core/library/edits.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseId } from './info.ts';

export const usage = 'sleeve undo [BATCH]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError('undo takes at most one BATCH id');
  const batch = undoBatch(
    ctx.db,
    positionals[0] === undefined ? undefined : parseId(positionals[0], 'BATCH'),
  );
  ctx.print(`undid edit batch ${batch.id}: ${batch.description} (${batch.files} file(s))`);
  return 0;
}

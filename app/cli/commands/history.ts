import { parseArgs } from 'node:util';
import { history } from '../../core/library/edits.ts';
import type { Context } from '../context.ts';

export const usage = 'sleeve history [--json] [-n COUNT]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, n: { type: 'string', short: 'n', default: '50' } },
  });
  const batches = history(ctx.db, Math.max(1, Number(values.n) || 50));
  if (values.json) {
    ctx.print(JSON.stringify(batches));
    return 0;
  }
  if (batches.length === 0) ctx.print('no edits yet');
  for (const b of batches) {
    const when = new Date(b.createdAt).toISOString().replace('T', ' ').slice(0, 19);
    ctx.print(
      `${String(b.id).padStart(4)}  ${when}  ${b.files} file(s)  ${b.description}${b.undoneAt ? '  [undone]' : ''}`,
    );
  }
  return 0;
}

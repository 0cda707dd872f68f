import { parseArgs } from 'node:util';
import { iterateFiles } from '../../library/list.ts';
import type { Context } from '../context.ts';
import { formatItem, itemJson } from '../format.ts';

export const usage = 'sleeve ls [QUERY...] [--json] [-f FORMAT] [--errors]';

const DEFAULT_FORMAT = '$id  $artist - $album - $title';
const ERROR_FORMAT = '$id  $path: $error';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      format: { type: 'string', short: 'f' },
      errors: { type: 'boolean', default: false },
    },
  });
  const query = positionals.join(' ');
  const items = iterateFiles(ctx.db, query, values.errors ? 'errors' : 'library');
  if (values.json) {
    // Streamed: a large library is never one string in memory.
    let first = true;
    ctx.io.out.write('[');
    for (const item of items) {
      ctx.io.out.write(`${first ? '\n' : ',\n'}${JSON.stringify(itemJson(item))}`);
      first = false;
    }
    ctx.io.out.write(first ? ']\n' : '\n]\n');
    return 0;
  }
  const template = values.format ?? (values.errors ? ERROR_FORMAT : DEFAULT_FORMAT);
  for (const item of items) ctx.print(formatItem(template, item));
  return 0;
}

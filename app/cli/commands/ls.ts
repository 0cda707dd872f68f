import { parseArgs } from 'node:util';
import { iterateFiles } from '../../core/library/list.ts';
import { Template, TemplateError } from '../../shared/template.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
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
  const template = parseFormat(values.format ?? (values.errors ? ERROR_FORMAT : DEFAULT_FORMAT));
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
  for (const item of items) ctx.print(formatItem(template, item));
  return 0;
}

/** The -f template, checked before anything is listed. */
function parseFormat(source: string): Template {
  try {
    return new Template(source);
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(`-f: ${err.message} (write $% for a literal %)`);
    throw err;
  }
}

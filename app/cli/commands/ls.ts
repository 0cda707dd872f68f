import { once } from 'node:events';
import { countMatching, iterateFiles } from '../../core/library/list.ts';
import type { Scope } from '../../core/library/query-sql.ts';
import { type Context, inert } from '../context.ts';
import { UsageError } from '../errors.ts';
import { albumValuesFor, formatItem, formatTemplate, itemJson } from '../format.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = 'sleeve ls [QUERY...] [--json] [-f FORMAT] [--all-copies] [--errors]';

const DEFAULT_FORMAT = '$id  $artist - $album - $title';
/** Unreadable files say why; damaged ones (truncated, a value ignored) what the scan warned of. */
const ERROR_FORMAT = '$id  $status  $path: $error$warning';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      format: { type: 'string', short: 'f' },
      errors: { type: 'boolean', default: false },
      'all-copies': { type: 'boolean', default: false },
    },
  });
  if (values.json && values.format !== undefined)
    throw new UsageError('-f formats the lines ls prints; --json gives every field (give one of them)');
  const template = formatTemplate(ctx.db, values.format ?? (values.errors ? ERROR_FORMAT : DEFAULT_FORMAT));
  const albumValues = albumValuesFor(ctx.db, template);
  const query = positionals.join(' ');
  // One file per recording (its kept copy) unless every copy is asked for; --errors lists files.
  const scope: Scope = values.errors ? 'errors' : values['all-copies'] ? 'library' : 'recordings';
  const items = iterateFiles(ctx.db, query, scope);
  // Streamed at the reader's pace: a large library is never one string, nor a growing buffer, in memory.
  const out = ctx.io.out;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let listed = 0;
  if (values.json) {
    await write('[');
    for (const item of items) {
      await write(`${listed++ === 0 ? '\n' : ',\n'}${JSON.stringify(itemJson(item))}`);
    }
    await write(listed === 0 ? ']\n' : '\n]\n');
  } else
    for (const item of items) {
      await write(`${inert(formatItem(template, item, albumValues))}\n`);
      listed++;
    }
  // Said on stderr, so a script reading stdout still gets an empty list (or `[]` with --json).
  if (listed === 0)
    ctx.warn(
      values.errors
        ? `no unreadable or damaged files${query ? ` match "${query}"` : ''}`
        : query
          ? `no tracks match "${query}"`
          : 'the library has no tracks yet',
    );
  if (scope === 'recordings' && listed > 0) {
    // What was listed is known: one count of every file says how many copies were left out.
    const hidden = countMatching(ctx.db, query, 'library') - listed;
    if (hidden > 0)
      ctx.warn(
        `${hidden} other ${hidden === 1 ? 'copy' : 'copies'} of these recordings not listed (--all-copies lists every file)`,
      );
  }
  return 0;
}

// `sleeve export [QUERY...]`: the listed tracks' tags as CSV, TSV or JSON on stdout, keyed by id and path,
// with when they were read (so `sleeve import` takes back no edit made since). Streamed at the reader's pace.
import { once } from 'node:events';
import { matchingIds } from '../../core/library/list.ts';
import type { Scope } from '../../core/library/query-sql.ts';
import { exportText, exportWriter, fieldsOfTracks } from '../../core/library/tags-export.ts';
import { EDITOR_FIELDS } from '../../shared/fields.ts';
import { TEXT_FORMATS } from '../../shared/text-formats.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage =
  'sleeve export [QUERY...] [--format csv|tsv|json] [-f FIELD,...] [--all-fields] [--all-copies] > FILE';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'csv' },
      fields: { type: 'string', short: 'f', multiple: true },
      'all-fields': { type: 'boolean', default: false },
      'all-copies': { type: 'boolean', default: false },
    },
  });
  const format = TEXT_FORMATS.find((f) => f === values.format);
  if (!format) throw new UsageError(`--format is one of ${TEXT_FORMATS.join(', ')}`);
  if (values['all-fields'] && values.fields)
    throw new UsageError('-f and --all-fields: name fields, or take all');
  const query = positionals.join(' ');
  const scope: Scope = values['all-copies'] ? 'library' : 'recordings';
  // Before anything is read: an edit landing meanwhile, even in the same millisecond (fields-since.ts),
  // counts as newer than the export (merged against, never taken back).
  const readAt = Date.now();
  const ids = matchingIds(ctx.db, query, scope);
  const fields = values['all-fields']
    ? fieldsOfTracks(ctx.db, ids)
    : values.fields
      ? values.fields
          .flatMap((f) => f.split(','))
          .map((f) => f.trim())
          .filter((f) => f !== '')
      : [...EDITOR_FIELDS];
  const out = ctx.io.out;
  // The app's /export writes the same text (exportText), a chunk of tracks at a time.
  for (const text of exportText(ctx.db, ids, exportWriter(format, fields, readAt)))
    if (text !== '' && !out.write(text)) await once(out, 'drain');
  ctx.warn(`exported ${ids.length} track(s)`);
  return 0;
}

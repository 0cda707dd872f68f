import { parseArgs } from 'node:util';
import { ArtStore } from '../../core/library/art.ts';
import { fieldDetails } from '../../core/library/edits.ts';
import { getFile } from '../../core/library/list.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { formatBytes, formatDuration, itemJson } from '../format.ts';

export const usage = 'sleeve info ID [--json]';

export function parseId(text: string | undefined, what = 'ID'): number {
  const id = Number(text);
  if (text === undefined || !Number.isInteger(id) || id < 1)
    throw new UsageError(`${what} must be a positive whole number`);
  return id;
}

const show = (values: string[] | null) =>
  values === null ? '' : values.length === 0 ? '(cleared)' : values.join(' ; ');

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('info takes exactly one ID');
  const id = parseId(positionals[0]);
  const item = getFile(ctx.db, id);
  if (!item) throw new CliError(`there is no file with id ${id}`);
  const fields = fieldDetails(ctx.db, id);
  const art = new ArtStore(ctx.db).pictures(id);
  const warning = ctx.db.prepare('SELECT warning FROM files WHERE id = ?').pluck().get(id) as string | null;
  if (values.json) {
    ctx.print(
      JSON.stringify(
        {
          ...itemJson(item),
          size: item.size,
          audioStart: item.audioStart,
          audioEnd: item.audioEnd,
          warning,
          fields,
          art,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const props: Array<[string, string]> = [
    ['id', String(item.id)],
    ['path', item.path],
    [
      'status',
      item.error ? `error: ${item.error}` : warning ? `${item.status}, warning: ${warning}` : item.status,
    ],
    ['format', [item.format, item.codec].filter(Boolean).join(' / ')],
    [
      'audio',
      [
        item.sampleRate && `${item.sampleRate} Hz`,
        item.channels && `${item.channels} ch`,
        item.bitDepth && `${item.bitDepth} bit`,
        item.bitrate && `${Math.round(item.bitrate / 1000)} kbps`,
        formatDuration(item.duration),
      ]
        .filter(Boolean)
        .join(', '),
    ],
    ['size', formatBytes(item.size)],
    ['audio bytes', item.audioStart === null ? 'whole file' : `${item.audioStart}–${item.audioEnd}`],
    [
      'art',
      art.map((a) => `${a.mime} ${a.width ?? '?'}x${a.height ?? '?'} (${formatBytes(a.bytes)})`).join('; ') ||
        'none',
    ],
  ];
  for (const [k, v] of props) ctx.print(`${k.padEnd(12)} ${v}`);
  ctx.print();
  const width = Math.max(5, ...fields.map((f) => f.key.length));
  ctx.print(`${'field'.padEnd(width)}  effective  [file value → edited value, where edited]`);
  for (const f of fields) {
    const note =
      f.edited === null
        ? ''
        : `  [file: ${f.file.length > 0 ? show(f.file) : '(none)'} → edited: ${show(f.edited)}]`;
    ctx.print(`${f.key.padEnd(width)}  ${show(f.effective)}${note}`);
  }
  return 0;
}

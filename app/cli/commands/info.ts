import { lossyCutOf } from '../../core/audio/lossy-cut.ts';
import { lossySource, sourceResidualOf } from '../../core/fingerprint/duplicates.ts';
import { ArtStore } from '../../core/library/art.ts';
import { fieldDetails } from '../../core/library/edits.ts';
import { getFile } from '../../core/library/list.ts';
import { loudnessFacts } from '../../core/library/loudness-report.ts';
import { formatKHz } from '../../shared/fields.ts';
import { MULTI_SEPARATOR } from '../../shared/track-table.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { formatBytes, formatDuration, itemJson } from '../format.ts';
import { parseArgs } from '../parse-options.ts';
import { loudnessLine } from './loudness.ts';

export const usage = 'sleeve info ID... [--json]   (several IDs: one block each; --json: an array)';

export function parseId(text: string | undefined, what = 'ID'): number {
  const id = Number(text);
  if (text === undefined || !Number.isInteger(id) || id < 1)
    throw new UsageError(`${what} must be a positive whole number`);
  return id;
}

const show = (values: string[] | null) =>
  values === null ? '' : values.length === 0 ? '(cleared)' : values.join(MULTI_SEPARATOR);

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new UsageError('info takes at least one ID');
  // Every ID checked before anything is printed.
  const ids = positionals.map((p) => parseId(p));
  for (const id of ids) if (!getFile(ctx.db, id)) throw new CliError(`there is no file with id ${id}`);
  const details = ids.map((id) => fileDetails(ctx, id));
  if (values.json) {
    const json = details.map(detailsJson);
    ctx.print(JSON.stringify(ids.length === 1 ? json[0] : json, null, 2));
    return 0;
  }
  details.forEach((d, i) => {
    if (i > 0) ctx.print();
    printDetails(ctx, d);
  });
  return 0;
}

type Details = ReturnType<typeof fileDetails>;

/** One file's record, its warning, its fields (file value, edit, effective) and its art. */
function fileDetails(ctx: Context, id: number) {
  const source = lossySource(ctx.db, id);
  return {
    item: getFile(ctx.db, id)!,
    warning: ctx.db.prepare('SELECT warning FROM files WHERE id = ?').pluck().get(id) as string | null,
    /** Why not one sample of it decoded (it is served to no player), or null. */
    undecodable: ctx.db.prepare('SELECT undecodable FROM files WHERE id = ?').pluck().get(id) as
      | string
      | null,
    /** The lossy copy of its recording it was transcoded from, or null. */
    transcodedFrom: source,
    /** How far under the music its decode differs from that copy's, when that told (dB), or null. */
    sourceResidual: source === null ? null : sourceResidualOf(ctx.db, id, source),
    /** Where its audio stops (Hz) when it stops as a lossy encode's does, or null. */
    lossyCut: lossyCutOf(ctx.db, id),
    fields: fieldDetails(ctx.db, id),
    art: new ArtStore(ctx.db).pictures(id),
    loudness: loudnessFacts(ctx.db, [id])[0]!,
  };
}

function detailsJson({ item, loudness, ...facts }: Details): object {
  return {
    ...itemJson(item),
    size: item.size,
    audioStart: item.audioStart,
    audioEnd: item.audioEnd,
    ...facts,
    loudness: { ...loudness, id: undefined, path: undefined },
  };
}

function printDetails(
  ctx: Context,
  { item, fields, art, warning, undecodable, transcodedFrom, sourceResidual, lossyCut, loudness }: Details,
): void {
  const props: Array<[string, string]> = [
    ['id', String(item.id)],
    ['path', item.path],
    [
      'status',
      item.error ? `error: ${item.error}` : warning ? `${item.status}, warning: ${warning}` : item.status,
    ],
    ...(undecodable
      ? [['served', `to no player: no audio decodes (${undecodable})`] as [string, string]]
      : []),
    ['format', [item.format, item.codec].filter(Boolean).join(' / ')],
    ...sourceLine(transcodedFrom, sourceResidual, lossyCut),
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
    ['loudness', loudnessLine(loudness, 'info')],
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
}

/** Where the file's audio came from, when it was not what it seems. */
function sourceLine(
  transcodedFrom: number | null,
  residual: number | null,
  lossyCut: number | null,
): Array<[string, string]> {
  if (transcodedFrom !== null && residual !== null)
    return [
      [
        'source',
        `transcoded from lossy audio: track ${transcodedFrom}'s, or holds nothing more (their decodes differ by an encoder's noise, ${residual.toFixed(1)} dB under the music)`,
      ],
    ];
  if (transcodedFrom !== null) return [['source', `transcoded from lossy audio: track ${transcodedFrom}'s`]];
  if (lossyCut === null) return [];
  return [
    [
      'source',
      `looks transcoded from lossy audio: it stops sharply at ${formatKHz(lossyCut)}, as a lossy encoder's low-pass does`,
    ],
  ];
}

import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { matchingIds } from '../../core/library/list.ts';
import { type LoudnessFacts, loudnessFacts } from '../../core/library/loudness-report.ts';
import { formatGain } from '../../shared/gain.ts';
import { type Context, inert } from '../context.ts';

export const usage = 'sleeve loudness [QUERY...] [--json] [--all-copies]';

/** Files read per query: a large library is listed a page at a time. */
const PAGE = 500;

const STATUS: Record<Exclude<NonNullable<LoudnessFacts['status']>, 'ok'>, string> = {
  silent: 'silent',
  too_short: 'too short to measure',
  error: 'not measured',
};

const dB = (linear: number) => `${(20 * Math.log10(linear)).toFixed(2)} dBTP`;

/** One line: track gain and figures, album gain, and whose ReplayGain players get. */
export function loudnessLine(f: LoudnessFacts): string {
  const what =
    f.status === null
      ? 'not measured yet (scan)'
      : f.status === 'ok'
        ? `${formatGain(f.trackGain!)}  ${f.integrated!.toFixed(2)} LUFS  peak ${dB(f.truePeak!)}  LRA ${f.range!.toFixed(1)} LU` +
          (f.album ? `  album ${formatGain(f.album.gain)} (${f.album.tracks} tracks)` : '')
        : `${STATUS[f.status]}${f.note ? `: ${f.note}` : ''}`;
  const served = f.served === 'file' ? '  [its own ReplayGain is served (tags or edits)]' : '';
  const damaged =
    f.warning && f.status === 'ok' ? `  [of what decodes of a damaged file: sleeve info ${f.id}]` : '';
  return `${what}${served}${damaged}`;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'all-copies': { type: 'boolean', default: false },
    },
  });
  const query = positionals.join(' ');
  const ids = matchingIds(ctx.db, query, values['all-copies'] ? 'library' : 'recordings');
  const out = ctx.io.out;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (values.json) await write('[');
  for (let i = 0; i < ids.length; i += PAGE) {
    for (const [j, f] of loudnessFacts(ctx.db, ids.slice(i, i + PAGE)).entries()) {
      if (values.json) await write(`${i + j === 0 ? '\n' : ',\n'}${JSON.stringify(f)}`);
      else await write(`${inert(`${f.id}  ${loudnessLine(f)}  ${f.path}`)}\n`);
    }
  }
  if (values.json) await write(ids.length === 0 ? ']\n' : '\n]\n');
  if (ids.length === 0) ctx.warn(query ? `no tracks match "${query}"` : 'the library has no tracks yet');
  return 0;
}

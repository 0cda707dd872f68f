// `sleeve loudness [QUERY]`: what was measured of each track and whose ReplayGain players get; with
// --prefer, which of a track's own and the measured figures they get, and with --default, the library's.
import { once } from 'node:events';
import { giveWay } from '../../core/db/write-lock.ts';
import { type GainChoice, GainSources } from '../../core/library/gain-source.ts';
import { filesByIds, matchingIds } from '../../core/library/list.ts';
import { type LoudnessFacts, loudnessFacts } from '../../core/library/loudness-report.ts';
import type { GainSource } from '../../core/library/served-tags.ts';
import { formatGain } from '../../shared/gain.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import { type Context, inert } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage =
  'sleeve loudness [QUERY...] [--json] [--all-copies] [--prefer measured|own|default | --default measured|own] [-y | --yes-all]';

/** Files read per query: a large library is listed a page at a time. */
const PAGE = 500;

const STATUS: Record<Exclude<NonNullable<LoudnessFacts['status']>, 'ok'>, string> = {
  silent: 'silent',
  too_short: 'too short to measure',
  error: 'not measured',
};

const dB = (linear: number) => `${(20 * Math.log10(linear)).toFixed(2)} dBTP`;

/** One line: track gain and figures, album gain, and whose ReplayGain players get. */
export function loudnessLine(f: LoudnessFacts, within: 'list' | 'info' = 'list'): string {
  const what =
    f.status === null
      ? 'not measured yet (scan)'
      : f.status === 'ok'
        ? `${formatGain(f.trackGain!)}  ${f.integrated!.toFixed(2)} LUFS  peak ${dB(f.truePeak!)}  LRA ${f.range!.toFixed(1)} LU` +
          (f.album
            ? `  album ${formatGain(f.album.gain)} (${f.album.tracks} track${f.album.tracks === 1 ? '' : 's'})`
            : '')
        : `${STATUS[f.status]}${f.note ? `: ${f.note}` : ''}`;
  const served =
    f.served === 'file'
      ? '  [its own ReplayGain is served (tags or edits)]'
      : f.ownGain && f.served === 'measured'
        ? `  [measured, in place of its own (${f.chosen ? 'chosen for it' : "the library's default"})]`
        : '';
  // A list points to where the damage is said; `info` says it above, in its status.
  const damaged =
    f.warning && f.status === 'ok'
      ? `  [of what decodes of a damaged file${within === 'list' ? `: sleeve info ${f.id}` : ', as its status says'}]`
      : '';
  return `${what}${served}${damaged}`;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'all-copies': { type: 'boolean', default: false },
      prefer: { type: 'string' },
      default: { type: 'string' },
      ...CONFIRM_OPTIONS,
    },
  });
  const query = positionals.join(' ');
  const confirm = { yes: values.yes, yesAll: values['yes-all'] };
  if (values.default !== undefined) {
    if (query || values.prefer !== undefined)
      throw new UsageError('--default takes no query and no --prefer');
    return setDefault(ctx, oneOf(values.default, ['measured', 'own'], '--default'), confirm);
  }
  // A choice is made for every matching file, each copy of a recording too (copies are played alike).
  const scope = values['all-copies'] || values.prefer !== undefined ? 'library' : 'recordings';
  const ids = matchingIds(ctx.db, query, scope);
  if (values.prefer !== undefined)
    return prefer(ctx, query, ids, oneOf(values.prefer, ['measured', 'own', 'default'], '--prefer'), confirm);
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

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} is one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

type Confirm = { readonly yes: boolean; readonly yesAll: boolean };

const SOURCE: Record<GainChoice, string> = {
  measured: 'the ReplayGain Sleeve measured',
  own: 'their own ReplayGain',
  default: "the library's default",
};

/** Records a per-track choice, once the tracks whose served ReplayGain it changes were shown and confirmed. */
async function prefer(ctx: Context, query: string, ids: number[], choice: GainChoice, confirm: Confirm) {
  if (ids.length === 0)
    throw new CliError(query ? `no tracks match "${query}"` : 'the library has no tracks yet');
  const gains = new GainSources(ctx.db);
  const moving = gains.flipping(ids, choice);
  const shown = filesByIds(ctx.db, moving.slice(0, 20), ['title']);
  for (const f of shown) ctx.print(inert(`  ${f.id}  ${f.path}`));
  if (moving.length > shown.length) ctx.print(`  … and ${moving.length - shown.length} more`);
  ctx.print(
    `${ids.length} track(s) will follow ${SOURCE[choice]}; players will get other ReplayGain for ${moving.length} of them (those carrying their own, measured)`,
  );
  if (!(await confirmEdit(ctx, query, ids.length, confirm))) return 0;
  const moved = gains.choose(ids, choice);
  ctx.print(`${ids.length} track(s) now follow ${SOURCE[choice]} (${moved} changed what players get)`);
  return 0;
}

/** Sets the library's default, once the number of tracks it moves was shown and confirmed. */
async function setDefault(ctx: Context, source: GainSource, confirm: Confirm) {
  const gains = new GainSources(ctx.db);
  const now = gains.defaultSource();
  if (now.source === source && !now.pending) {
    ctx.print(`the library's default is already ${SOURCE[source]}`);
    return 0;
  }
  const moving = gains.defaultFlipping(source);
  ctx.print(
    `tracks without a choice of their own will get ${SOURCE[source]} by default: players will get other ReplayGain for ${moving} of them (those carrying their own, measured)`,
  );
  if (!(await confirmEdit(ctx, "the library's default", moving, confirm))) return 0;
  gains.setDefault(source);
  // The tracks it moves are brought up to date a short transaction at a time; a process killed meanwhile
  // leaves the rest to the next one (every sleeve command and the app catch up).
  while (gains.defaultChunk() > 0) giveWay(ctx.db);
  ctx.print(`the library's default is now ${SOURCE[source]} (${moving} track(s) changed what players get)`);
  return 0;
}

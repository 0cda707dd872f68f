import { KEPT_FOR_EDITS } from '../../core/fingerprint/copy-rank.ts';
import { type DuplicateFilter, duplicateGroup, missingChoices } from '../../core/fingerprint/duplicates.ts';
import { recordingRelations } from '../../core/fingerprint/recording-relations.ts';
import { joinCopies, splitCopy } from '../../core/fingerprint/split-join.ts';
import { duplicateGroupIdsMatching } from '../../core/library/duplicate-query.ts';
import { history } from '../../core/library/edits.ts';
import { preferCarrying } from '../../core/library/prefer-copy.ts';
import { formatKHz } from '../../shared/fields.ts';
import { relationSentence } from '../../shared/relation-words.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { formatDuration } from '../format.ts';
import { parseArgs } from '../parse-options.ts';
import { changeRules, listRules } from './dup-rules.ts';

export const usage =
  'sleeve dup [QUERY] [--exact | --partial | --related] [--json] | --prefer ID | --unprefer ID | --split ID | --join ID ID | --rule RULE… [-y] | --clear-rules [-y] | --rules';

function trackId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`not a track id: ${text}`);
  return id;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      exact: { type: 'boolean', default: false },
      partial: { type: 'boolean', default: false },
      related: { type: 'boolean', default: false },
      prefer: { type: 'string' },
      unprefer: { type: 'string' },
      split: { type: 'string' },
      join: { type: 'string' },
      rule: { type: 'string', multiple: true },
      rules: { type: 'boolean', default: false },
      'clear-rules': { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
    },
  });
  if (values.rules) return listRules(ctx, values.json);
  if (values.rule !== undefined || values['clear-rules'])
    return await changeRules(ctx, values.rule ?? [], values.yes, values.json);
  // Without --join, the words are a query (as for `sleeve ls`): the groups with a copy that matches.
  const query = values.join === undefined ? positionals.join(' ') : '';
  if (query !== '' && (values.related || values.prefer || values.unprefer || values.split))
    throw new UsageError(
      `unexpected argument: ${positionals[0]} (a query lists groups: not with --related, --prefer, --unprefer or --split)`,
    );
  if (values.split !== undefined || values.join !== undefined) {
    let batch: number;
    if (values.split !== undefined) batch = splitCopy(ctx.db, trackId(values.split));
    else {
      if (positionals.length !== 1) throw new UsageError('--join takes two track ids: --join ID ID');
      batch = joinCopies(ctx.db, trackId(values.join!), trackId(positionals[0]!));
    }
    ctx.print(
      `${history(ctx.db, 1, batch)[0]!.description} (edit batch ${batch}; sleeve undo takes it back)`,
    );
    return 0;
  }
  if (Number(values.exact) + Number(values.partial) + Number(values.related) > 1)
    throw new UsageError('give one of --exact, --partial and --related');
  const choice = values.prefer ?? values.unprefer;
  if (choice !== undefined) {
    const prefer = values.prefer !== undefined;
    const { group, kept, batch, carried, keptNewer } = preferCarrying(ctx.db, trackId(choice), 'cli', prefer);
    ctx.print(
      `recording ${group}: keeping ${prefer ? '' : 'its suggested copy, '}track ${kept} ${batch === undefined ? '(your choice already)' : `(edit batch ${batch}; sleeve undo takes it back)`}`,
    );
    if (carried) ctx.print(`carried your edits of ${carried.fields.join(', ')} from track ${carried.from}`);
    if (keptNewer)
      ctx.print(
        `kept track ${kept}'s own newer edits of ${keptNewer.fields.join(', ')} (track ${keptNewer.from}'s older ones not carried)`,
      );
    if (prefer && kept !== undefined) await warnKept(ctx, group, kept);
    return 0;
  }
  if (values.related) return listRelations(ctx, values.json);
  const filter: DuplicateFilter = values.exact ? 'exact' : values.partial ? 'partial' : 'all';
  const groups = await listGroups(ctx, filter, query, values.json);
  // Related recordings are listed whole, so only with the groups whole.
  if (!values.json && filter === 'all' && !query) printRelations(ctx, recordingRelations(ctx.db), groups > 0);
  if (!values.json)
    for (const m of missingChoices(ctx.db))
      ctx.print(
        `your choice, track ${m.id} (${m.path}), is missing on disk: its recording keeps the best copy present until it returns`,
      );
  return 0;
}

/** The copy kept by the user's word is made from another copy of its recording, or is a part of it: said, as
 *  the app asks. */
async function warnKept(ctx: Context, group: number, kept: number): Promise<void> {
  const members = (await duplicateGroup(ctx.db, group))?.members ?? [];
  const copy = members.find((k) => k.id === kept);
  const source = members.find((m) => m.id === copy?.transcodedFrom);
  const whole = Math.max(...members.map((m) => m.duration ?? 0));
  const back = `sleeve dup --unprefer ${kept} goes back to the suggested copy`;
  if (source)
    ctx.warn(
      `track ${kept} is transcoded from track ${source.id} (${source.path}): it holds nothing more than that copy; ${back}`,
    );
  else if (copy?.partialOffset != null && copy.duration !== null)
    ctx.warn(
      `track ${kept} holds ${formatDuration(copy.duration)} of the recording's ${formatDuration(whole)} (from ${formatDuration(copy.partialOffset)}): players get only that part; ${back}`,
    );
}

type Member = NonNullable<Awaited<ReturnType<typeof duplicateGroup>>>['members'][number];

/** A copy's line in a group: kept or not, its id, format, bitrate, length, path and why. */
function memberLine(m: Member): string {
  const notes = [
    m.preferred
      ? 'your choice'
      : m.best
        ? `kept: ${m.why}`
        : `score ${m.score.toFixed(2)}, below the kept copy: ${m.why}`,
    m.suggested && !m.best ? 'suggested' : '',
    m.partialOffset !== null ? `partial, starts at ${m.partialOffset.toFixed(1)}s` : '',
    m.identicalTo !== null ? `identical to ${m.identicalTo}` : '',
    m.transcodedFrom !== null
      ? `transcoded from lossy track ${m.transcodedFrom}`
      : m.lossyCut !== null
        ? `looks transcoded from lossy audio: stops sharply at ${formatKHz(m.lossyCut)}`
        : '',
    m.carriesEdits && !m.why.startsWith(KEPT_FOR_EDITS) ? 'carries your edits' : '',
  ].filter(Boolean);
  const kbps = m.bitrate ? `${Math.round(m.bitrate / 1000)}k` : '?';
  return `${m.best ? '*' : ' '} ${String(m.id).padStart(6)}  ${(m.format ?? '?').padEnd(10)} ${kbps.padStart(6)} ${formatDuration(m.duration).padStart(7)}  ${m.path}  (${notes.join(', ')})`;
}

/** Prints the duplicate groups that pass the filter and have a copy matching the query (as text, or a
 *  JSON array written as it goes); returns how many. */
async function listGroups(
  ctx: Context,
  filter: DuplicateFilter,
  query: string,
  json: boolean,
): Promise<number> {
  let groups = 0;
  if (json) ctx.io.out.write('[');
  for (const id of await duplicateGroupIdsMatching(ctx.db, filter, query)) {
    const g = await duplicateGroup(ctx.db, id);
    if (!g) continue;
    if (json) {
      ctx.io.out.write(`${groups ? ',\n' : '\n'}${JSON.stringify(g)}`);
    } else {
      if (groups) ctx.print();
      ctx.print(`recording ${g.group}: ${g.members.length} copies`);
      for (const m of g.members) ctx.print(memberLine(m));
    }
    groups++;
  }
  if (json) ctx.io.out.write(groups ? '\n]\n' : ']\n');
  else if (groups === 0)
    ctx.print(
      (filter === 'all'
        ? query
          ? 'no duplicate recordings'
          : 'no duplicate recordings found (sleeve scan fingerprints and groups them)'
        : `no duplicate recordings with ${filter === 'exact' ? 'byte-identical' : 'partial'} copies`) +
        (query ? ` with a copy matching ${JSON.stringify(query)}` : ''),
    );
  return groups;
}

const fileName = (f: { id: number; path: string }) => `track ${f.id} ${f.path}`;

function printRelations(
  ctx: Context,
  relations: ReturnType<typeof recordingRelations>,
  after: boolean,
): void {
  if (relations.length === 0) return;
  if (after) ctx.print();
  ctx.print('related recordings (not copies: each is listed on its own)');
  for (const r of relations) ctx.print(`  ${relationSentence(r, fileName)}`);
}

/** `sleeve dup --related`: recordings holding part of another. */
function listRelations(ctx: Context, json: boolean): number {
  const relations = recordingRelations(ctx.db);
  if (json) ctx.print(JSON.stringify(relations, null, 1));
  else if (relations.length === 0) ctx.print('no recording holds part of another');
  else printRelations(ctx, relations, false);
  return 0;
}

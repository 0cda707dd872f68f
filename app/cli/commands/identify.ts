// `sleeve identify`: names the tracks of a query. Sources in order: the library itself, offline (each
// file's better-tagged acoustic copy: core/identify/from-copies.ts), then, when enabled in config.json,
// AcoustID for the files left (their recording by sound: from-acoustid.ts). Shows every proposal as a diff;
// applies the strong ones, or all shown, as one undoable edit batch when asked.
import { parseArgs } from 'node:util';
import { applyProposals, type Proposal, propose } from '../../core/identify/propose.ts';
import { filesByIds, matchingIds } from '../../core/library/list.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { CliError } from '../errors.ts';
import { valuesText } from '../format.ts';
import { requestProgress } from '../progress.ts';

export const usage = `sleeve identify QUERY [--json] [--offline]  proposals for the matching tracks, as diffs
  sleeve identify QUERY --apply-strong [-y]  apply the strong ones (they only fill empty fields)
  sleeve identify QUERY --apply [-y | --yes-all]  apply every proposal shown
  sleeve identify QUERY --apply… --copies    and to every other copy of those recordings
  AcoustID is asked only when identify.acoustid.enabled is true in config.json (--offline: not even then)`;

/** Where a proposal comes from, for the reader. */
function origin(p: Proposal, paths: ReadonlyMap<number, string>): string {
  return p.source === 'copy'
    ? `its copy ${paths.get(p.sourceId!)} (track ${p.sourceId})`
    : `AcoustID ${p.acoustid} (score ${p.score!.toFixed(2)}), recording ${p.recordingId}`;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      apply: { type: 'boolean', default: false },
      'apply-strong': { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
      // Applied to every other copy of each recording too, so copies agree (sleeve dup).
      copies: { type: 'boolean', default: false },
      ...CONFIRM_OPTIONS,
    },
  });
  const query = positionals.join(' ');
  const db = ctx.db;
  const matching = matchingIds(db, query);
  if (matching.length === 0) throw new CliError(`no files match "${query}"`);
  const acoustid = ctx.config.identify.acoustid;
  const online = acoustid.enabled && !values.offline;
  const progress = requestProgress(ctx.io, 'AcoustID');
  const { proposals, online: stats } = await propose(
    db,
    matching,
    online ? acoustid : null,
    progress,
  ).finally(progress.end);
  if (stats)
    ctx.warn(
      `AcoustID: ${stats.requests} request(s) for ${stats.asked} fingerprint(s), ${stats.cached} answered from earlier runs`,
    );
  const paths = new Map(
    filesByIds(db, [...new Set([...matching, ...proposals.flatMap((p) => p.sourceId ?? [])])]).map((f) => [
      f.id,
      f.path,
    ]),
  );
  if (values.json) {
    const json = proposals.map((p) => ({
      ...p,
      path: paths.get(p.fileId),
      ...(p.sourceId !== undefined ? { sourcePath: paths.get(p.sourceId) } : {}),
    }));
    ctx.io.out.write(`${JSON.stringify(json, null, 1)}\n`);
    return 0;
  }
  for (const p of proposals) {
    ctx.print(`${paths.get(p.fileId)}`);
    ctx.print(
      `  ← ${origin(p, paths)}: ${p.strength}${p.reasons.length ? ` (${p.reasons.join('; ')})` : ''}`,
    );
    for (const c of p.changes) ctx.print(`  ${c.key}: ${valuesText(c.before)} → ${valuesText(c.after)}`);
  }
  const strong = proposals.filter((p) => p.strength === 'strong');
  const fromCopies = proposals.filter((p) => p.source === 'copy').length;
  const fromAcoustId = stats
    ? `, ${proposals.length - fromCopies} from AcoustID (${stats.unknown} unknown to it, ${stats.unfingerprinted} without a usable fingerprint)`
    : '';
  ctx.print(
    `${matching.length} file(s) looked at: ${fromCopies} proposal(s) from their copies${fromAcoustId}; ${strong.length} strong, ${proposals.length - strong.length} to review; ${matching.length - proposals.length} without a proposal`,
  );
  if (!acoustid.enabled && !values.offline && proposals.length < matching.length)
    ctx.print(
      'AcoustID is off: set identify.acoustid.enabled and apiKey in config.json to name the rest by sound',
    );
  const chosen = values.apply ? proposals : values['apply-strong'] ? strong : [];
  if (!values.apply && !values['apply-strong']) {
    if (proposals.length > 0)
      ctx.print('apply with --apply-strong (the strong ones) or --apply (every one shown); undoable');
    return 0;
  }
  if (chosen.length === 0) {
    ctx.print('nothing to apply');
    return 0;
  }
  if (!(await confirmEdit(ctx, query, chosen.length, { yes: values.yes, yesAll: values['yes-all'] })))
    return 0;
  const { batch, applied, stale } = applyProposals(
    db,
    chosen,
    `identify ${chosen.length} file(s)${query ? ` where ${query}` : ''}${values.copies ? ' and their copies' : ''}`,
    values.copies,
  );
  for (const id of stale)
    ctx.warn(`not applied to ${paths.get(id)}: its tags changed since the proposal; run identify again`);
  if (batch === undefined) return stale.length > 0 ? 1 : 0;
  ctx.print(`saved as edit batch ${batch} (${applied} file(s)); undo with: sleeve undo ${batch}`);
  return 0;
}

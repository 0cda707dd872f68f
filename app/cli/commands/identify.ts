// `sleeve identify`: names the tracks of a query. Sources in order: the library itself, offline (each
// file's better-tagged acoustic copy: core/identify/from-copies.ts), then, when enabled in config.json,
// AcoustID for the files left (their recording by sound: from-acoustid.ts). Shows every proposal as a diff;
// applies the strong ones, or all shown, as one undoable edit batch when asked.
import { parseArgs } from 'node:util';
import { AcoustIdClient } from '../../core/identify/acoustid.ts';
import { type AcoustIdOutcome, proposalsFromAcoustId } from '../../core/identify/from-acoustid.ts';
import { changedSince, proposalsFromCopies, type Strength } from '../../core/identify/from-copies.ts';
import { applyEdit, type PlannedChange } from '../../core/library/edits.ts';
import { filesByIds, matchingIds } from '../../core/library/list.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { CliError } from '../errors.ts';
import { valuesText } from '../format.ts';

export const usage = `sleeve identify QUERY [--json] [--offline]  proposals for the matching tracks, as diffs
  sleeve identify QUERY --apply-strong [-y]  apply the strong ones (they only fill empty fields)
  sleeve identify QUERY --apply [-y | --yes-all]  apply every proposal shown
  AcoustID is asked only when identify.acoustid.enabled is true in config.json (--offline: not even then)`;

/** A proposal as shown and applied, whatever its source. */
interface Shown {
  readonly fileId: number;
  readonly source: 'copy' | 'acoustid';
  /** Where it comes from, for the reader. */
  readonly from: string;
  readonly strength: Strength;
  readonly reasons: readonly string[];
  readonly changes: readonly PlannedChange[];
  /** What --json adds: the source's own facts. */
  readonly facts: Record<string, unknown>;
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
      ...CONFIRM_OPTIONS,
    },
  });
  const query = positionals.join(' ');
  const db = ctx.db;
  const matching = matchingIds(db, query);
  if (matching.length === 0) throw new CliError(`no files match "${query}"`);
  const copies = proposalsFromCopies(db, matching);
  const left = new Set(matching);
  for (const p of copies) left.delete(p.fileId);
  const acoustid = ctx.config.identify.acoustid;
  let online: AcoustIdOutcome | undefined;
  if (acoustid.enabled && !values.offline && left.size > 0) {
    const client = new AcoustIdClient(db, acoustid);
    online = await proposalsFromAcoustId(db, client, [...left]);
    ctx.warn(
      `AcoustID: ${client.stats.requests} request(s) for ${left.size - online.unfingerprinted.length} fingerprint(s), ${client.stats.cached} answered from earlier runs`,
    );
  }
  const paths = new Map(
    filesByIds(db, [...new Set([...matching, ...copies.map((p) => p.sourceId)])]).map((f) => [f.id, f.path]),
  );
  const shown: Shown[] = [
    ...copies.map(({ sourceId, ...p }) => ({
      ...p,
      source: 'copy' as const,
      from: `its copy ${paths.get(sourceId)} (track ${sourceId})`,
      facts: { sourceId, sourcePath: paths.get(sourceId) },
    })),
    ...(online?.proposals ?? []).map(({ acoustid: id, score, recordingId, ...p }) => ({
      ...p,
      source: 'acoustid' as const,
      from: `AcoustID ${id} (score ${score.toFixed(2)}), recording ${recordingId}`,
      facts: { acoustid: id, score, recordingId },
    })),
  ];
  if (values.json) {
    const json = shown.map(({ from: _, facts, ...p }) => ({ ...p, ...facts, path: paths.get(p.fileId) }));
    ctx.io.out.write(`${JSON.stringify(json, null, 1)}\n`);
    return 0;
  }
  for (const p of shown) {
    ctx.print(`${paths.get(p.fileId)}`);
    ctx.print(`  ← ${p.from}: ${p.strength}${p.reasons.length ? ` (${p.reasons.join('; ')})` : ''}`);
    for (const c of p.changes) ctx.print(`  ${c.key}: ${valuesText(c.before)} → ${valuesText(c.after)}`);
  }
  const strong = shown.filter((p) => p.strength === 'strong');
  const fromCopies = `${copies.length} proposal(s) from their copies`;
  const fromAcoustId = online
    ? `, ${online.proposals.length} from AcoustID (${online.unknown.length} unknown to it, ${online.unfingerprinted.length} without a usable fingerprint)`
    : '';
  ctx.print(
    `${matching.length} file(s) looked at: ${fromCopies}${fromAcoustId}; ${strong.length} strong, ${shown.length - strong.length} to review; ${matching.length - shown.length} without a proposal`,
  );
  if (!acoustid.enabled && !values.offline && left.size > 0)
    ctx.print(
      'AcoustID is off: set identify.acoustid.enabled and apiKey in config.json to name the rest by sound',
    );
  const chosen = values.apply ? shown : values['apply-strong'] ? strong : [];
  if (!values.apply && !values['apply-strong']) {
    if (shown.length > 0)
      ctx.print('apply with --apply-strong (the strong ones) or --apply (every one shown); undoable');
    return 0;
  }
  if (chosen.length === 0) {
    ctx.print('nothing to apply');
    return 0;
  }
  if (!(await confirmEdit(ctx, query, chosen.length, { yes: values.yes, yesAll: values['yes-all'] })))
    return 0;
  const changes = chosen.flatMap((p) => p.changes);
  // Checked and applied in one transaction: nothing lands on a file whose tags moved since they were read.
  const { batch, stale } = db.transaction(() => {
    const stale = changedSince(db, changes);
    const kept = changes.filter((c) => !stale.has(c.fileId));
    const files = chosen.length - stale.size;
    const batch = applyEdit(db, kept, `identify ${files} file(s)${query ? ` where ${query}` : ''}`);
    return { batch, stale };
  })();
  for (const id of stale)
    ctx.warn(`not applied to ${paths.get(id)}: its tags changed since the proposal; run identify again`);
  if (batch === undefined) return stale.size > 0 ? 1 : 0;
  ctx.print(
    `saved as edit batch ${batch} (${chosen.length - stale.size} file(s)); undo with: sleeve undo ${batch}`,
  );
  return 0;
}

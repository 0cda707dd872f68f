// `sleeve identify`: names the tracks of a query. Sources: the library itself, offline (each file's
// better-tagged acoustic copy: core/identify/from-copies.ts), and, when enabled in config.json, AcoustID
// (each file's recording by sound: from-acoustid.ts) and MusicBrainz (each folder matched as an album to a
// release: from-releases.ts). Shows each album's candidates and every proposal as a diff — with --copies,
// also every other copy of its recording it would write (to-copies.ts), and their diffs; applies the strong
// ones, or all shown, as one undoable edit batch when asked (exactly the files shown), with the releases'
// front covers if asked.

import type { Db } from '../../core/db/database.ts';
import type { ClusterMatch } from '../../core/identify/from-releases.ts';
import { MBID } from '../../core/identify/musicbrainz.ts';
import {
  addReleaseCovers,
  applyProposals,
  filesNamed,
  onlineSources,
  type Proposal,
  propose,
} from '../../core/identify/propose.ts';
import { ServiceUnreachableError } from '../../core/identify/web-request.ts';
import { filesByIds, matchingIds } from '../../core/library/list.ts';
import { replacingKept } from '../../shared/kept-credits.ts';
import { changeLine, sharedChanges } from '../../shared/shared-changes.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { withCtrlC } from '../ctrl-c.ts';
import { CliError } from '../errors.ts';
import { valuesText } from '../format.ts';
import { parseArgs } from '../parse-options.ts';
import { requestProgress } from '../progress.ts';

export const usage = `sleeve identify QUERY [--json] [--offline]  proposals for the matching tracks, as diffs
  sleeve identify QUERY --apply-strong [-y]  apply the strong ones (they only fill empty fields)
  sleeve identify QUERY --apply [-y | --yes-all]  apply every proposal shown
  sleeve identify QUERY --copies [--apply…]  also their recordings' other copies (the recording's own
                                             fields, listed under each proposal); off unless given
  sleeve identify QUERY --apply… --cover     and the release's front cover from the Cover Art Archive
  sleeve identify QUERY --release MBID       propose that release for the query's album(s) instead
  sleeve identify QUERY --apply… --replace-credits  also remove the credits entered in Sleeve that the
                                             source lacks (kept otherwise)
  AcoustID and MusicBrainz are asked only when enabled in config.json (--offline: not even then)`;

/** The other copies a proposal writes too (planned only with --copies). */
const copiesOf = (p: Proposal) => p.copies ?? [];

/** Where a proposal comes from, for the reader. */
function origin(p: Proposal, paths: ReadonlyMap<number, string>): string {
  if (p.source === 'copy') return `its copy ${paths.get(p.sourceId!)} (track ${p.sourceId})`;
  if (p.source === 'release') return `release ${p.releaseId} (album score ${p.score!.toFixed(2)})`;
  return `AcoustID ${p.acoustid} (score ${p.score!.toFixed(2)}), recording ${p.recordingId}`;
}

/** An album's candidates, the proposed one marked. */
function printAlbum(ctx: Context, c: ClusterMatch): void {
  ctx.print(
    `album ${c.album ? `"${c.album}" ` : ''}in ${c.dir} (${c.fileIds.length} file(s)): ${c.strength}${c.reasons.length ? ` (${c.reasons.join('; ')})` : ''}`,
  );
  for (const r of c.candidates)
    ctx.print(
      `  ${r.id === c.releaseId ? '→' : ' '} ${r.score.toFixed(2)} "${r.title}" by ${r.artist} (${[r.date, r.country, r.format, `${r.tracks} tracks`].filter(Boolean).join(', ')}) ${r.id}: ${r.evidence.join(', ')}`,
    );
}

/** Each album matched, with the changes its every proposal makes shown once, then each file's proposal:
 *  where it comes from, how strong, and its other changes (and its copies'). */
function printProposals(
  ctx: Context,
  proposals: readonly Proposal[],
  clusters: readonly ClusterMatch[],
  paths: ReadonlyMap<number, string>,
): void {
  // A field kept as it is: the source names only values the user's credits hold (--replace-credits).
  const after = ({ before, after }: Proposal['changes'][number]) =>
    valuesText(after) === valuesText(before) ? 'as it is' : valuesText(after);
  const change = (c: Proposal['changes'][number]) => `${c.key}: ${valuesText(c.before)} → ${after(c)}`;
  // An album's changes that are the same for every file of it (album, date, label…) are shown once.
  const common = new Map<string, Set<string>>();
  const ofAlbum = new Map<string, Proposal[]>();
  for (const p of proposals) {
    if (p.cluster === undefined) continue;
    const list = ofAlbum.get(p.cluster) ?? [];
    list.push(p);
    ofAlbum.set(p.cluster, list);
  }
  for (const c of clusters) {
    printAlbum(ctx, c);
    const mine = ofAlbum.get(c.key) ?? [];
    const shared = sharedChanges(mine);
    if (shared.size === 0) continue;
    common.set(c.key, shared);
    ctx.print(`  every one of its ${mine.length} proposals:`);
    for (const x of mine[0]!.changes) if (shared.has(changeLine(x))) ctx.print(`    ${change(x)}`);
  }
  for (const p of proposals) {
    ctx.print(`${paths.get(p.fileId)}`);
    ctx.print(
      `  ← ${origin(p, paths)}: ${p.strength}${p.reasons.length ? ` (${p.reasons.join('; ')})` : ''}`,
    );
    const shared = p.cluster === undefined ? undefined : common.get(p.cluster);
    for (const c of p.changes) if (!shared?.has(changeLine(c))) ctx.print(`  ${change(c)}`);
    for (const copy of copiesOf(p)) {
      ctx.print(`  and its copy ${paths.get(copy.fileId)} (track ${copy.fileId}):`);
      for (const c of copy.changes) ctx.print(`    ${change(c)}`);
    }
  }
}

/** The proposals as JSON, each with its file's path (and its source's, and its copies'). */
function printJson(
  ctx: Context,
  proposals: readonly Proposal[],
  albums: Awaited<ReturnType<typeof propose>>['albums'],
  paths: ReadonlyMap<number, string>,
): number {
  const json = {
    proposals: proposals.map((p) => ({
      ...p,
      path: paths.get(p.fileId),
      ...(p.sourceId !== undefined ? { sourcePath: paths.get(p.sourceId) } : {}),
      ...(p.copies ? { copies: p.copies.map((c) => ({ ...c, path: paths.get(c.fileId) })) } : {}),
    })),
    ...(albums ? { albums: albums.clusters } : {}),
  };
  ctx.io.out.write(`${JSON.stringify(json, null, 1)}\n`);
  return 0;
}

/** The run in one line: files looked at, proposals by source, how many strong. */
function printSummary(
  ctx: Context,
  run: {
    proposals: readonly Proposal[];
    looked: number;
    stats: Awaited<ReturnType<typeof propose>>['online'];
    albums: Awaited<ReturnType<typeof propose>>['albums'];
    copies: boolean;
  },
): void {
  const { proposals, looked: matchingCount, stats, albums } = run;
  const strong = proposals.filter((p) => p.strength === 'strong');
  const count = (source: Proposal['source']) => proposals.filter((p) => p.source === source).length;
  const fromAcoustId = stats
    ? `, ${count('acoustid')} from AcoustID (${stats.unknown} unknown to it, ${stats.unfingerprinted} without a usable fingerprint)`
    : '';
  const fromReleases = albums
    ? `, ${count('release')} from ${albums.clusters.filter((c) => c.releaseId).length} of ${albums.clusters.length} album(s) matched to a release`
    : '';
  const copies = run.copies
    ? `; ${proposals.reduce((n, p) => n + copiesOf(p).length, 0)} other copies of their recordings to write too`
    : '';
  ctx.print(
    `${matchingCount} file(s) looked at: ${count('copy')} proposal(s) from their copies${fromAcoustId}${fromReleases}; ${strong.length} strong, ${proposals.length - strong.length} to review; ${matchingCount - proposals.length} without a proposal${copies}`,
  );
}

/** The chosen releases' front covers added to the applied batch; 'stopped' on Ctrl-C (the tags stay). */
async function addCovers(
  ctx: Context,
  chosen: readonly Proposal[],
  applied: ReturnType<typeof applyProposals>,
  config: Context['config']['identify'],
  progress: ReturnType<typeof requestProgress>,
): Promise<'done' | 'stopped'> {
  // The tags are saved: Ctrl-C now stops only the covers still being fetched.
  const stopCovers = new AbortController();
  const covers = await withCtrlC(stopCovers, () =>
    addReleaseCovers(ctx.db, chosen, applied, {
      coverart: config.coverart,
      signal: stopCovers.signal,
      onProgress: (done, total) => progress('Cover Art Archive', done, total),
    }),
  ).finally(progress.end);
  for (const problem of covers.problems) ctx.warn(`no cover: ${problem}`);
  if (covers.files > 0)
    ctx.print(`front covers added to edit batch ${applied.batch} (${covers.files} file(s))`);
  if (stopCovers.signal.aborted) return 'stopped';
  return 'done';
}

/** The paths of the files asked about, and of those the proposals name (sources and copies). */
function pathsOf(db: Db, matching: readonly number[], proposals: readonly Proposal[]): Map<number, string> {
  const ids = new Set([...matching, ...filesNamed(proposals)]);
  return new Map(filesByIds(db, [...ids]).map((f) => [f.id, f.path]));
}

/** --release's MusicBrainz id, checked (MusicBrainz must be on to use it). */
function chosenRelease(
  given: string | undefined,
  sources: ReturnType<typeof onlineSources>,
): string | undefined {
  if (given !== undefined && !sources.musicbrainz)
    throw new CliError('--release needs MusicBrainz: set identify.musicbrainz.enabled in config.json');
  const release = given?.trim().toLowerCase();
  if (release !== undefined && !MBID.test(release))
    throw new CliError(`--release ${given}: not a MusicBrainz release id (a UUID)`);
  return release;
}

/** What the sources warned of, and how many requests they took (on stderr: stdout is the proposals). */
function warnAsked(ctx: Context, found: Awaited<ReturnType<typeof propose>>): void {
  const { online: stats, albums } = found;
  for (const warning of found.warnings) ctx.warn(`sleeve: ${warning}`);
  if (stats)
    ctx.warn(
      `AcoustID: ${stats.requests} request(s) for ${stats.asked} fingerprint(s), ${stats.cached} answered from earlier runs`,
    );
  if (albums)
    ctx.warn(`MusicBrainz: ${albums.requests} request(s), ${albums.cached} answered from earlier runs`);
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
      // The other copies of each recording too, so copies agree (sleeve dup): only when asked, since they
      // are files the query did not name.
      copies: { type: 'boolean', default: false },
      cover: { type: 'boolean', default: false },
      release: { type: 'string' },
      'replace-credits': { type: 'boolean', default: false },
      ...CONFIRM_OPTIONS,
    },
  });
  const query = positionals.join(' ');
  const db = ctx.db;
  const matching = matchingIds(db, query);
  if (matching.length === 0) throw new CliError(`no files match "${query}"`);
  const config = ctx.config.identify;
  const sources = onlineSources(config, values.offline);
  const release = chosenRelease(values.release, sources);
  if (values.cover && !config.coverart.enabled)
    throw new CliError('--cover needs the Cover Art Archive: set identify.coverart.enabled in config.json');
  const progress = requestProgress(ctx.io);
  const stop = new AbortController();
  const ask = (from: typeof sources) =>
    withCtrlC(stop, () =>
      propose(db, matching, from, {
        onProgress: progress,
        chosen: release,
        copies: values.copies,
        signal: stop.signal,
      }),
    ).finally(progress.end);
  let found: Awaited<ReturnType<typeof propose>>;
  try {
    found = await ask(sources).catch((err: unknown) => {
      // A service this computer cannot reach: the library's own proposals are still shown. Not applied:
      // --apply asked for what the services say too (--offline applies the library's own).
      const applying = values.apply || values['apply-strong'];
      if (!(err instanceof ServiceUnreachableError) || stop.signal.aborted || applying) throw err;
      ctx.warn(
        `sleeve: ${err.message}; these are the library's own proposals, from its better-tagged copies`,
      );
      return ask(onlineSources(config, true));
    });
  } catch (err) {
    if (!stop.signal.aborted) throw err;
    ctx.warn(`\n${(err as Error).message}`);
    return 130;
  }
  const { proposals, online: stats, albums } = found;
  warnAsked(ctx, found);
  const paths = pathsOf(db, matching, proposals);
  if (values.json) return printJson(ctx, proposals, albums, paths);
  printProposals(ctx, proposals, albums?.clusters ?? [], paths);
  const strong = proposals.filter((p) => p.strength === 'strong');
  printSummary(ctx, { proposals, looked: matching.length, stats, albums, copies: values.copies });
  if (!values.offline && proposals.length < matching.length && (!sources.acoustid || !sources.musicbrainz))
    ctx.print(
      'AcoustID or MusicBrainz is off: set identify.acoustid (enabled, apiKey) and identify.musicbrainz (enabled) in config.json to name the rest by sound and album',
    );
  if (proposals.some((p) => p.kept) && !values['replace-credits'])
    ctx.print('credits entered in Sleeve that a source lacks are kept; --replace-credits removes them');
  const picked = values.apply ? proposals : values['apply-strong'] ? strong : [];
  const chosen = values['replace-credits']
    ? picked.map(replacingKept).filter((p) => p.changes.length > 0)
    : picked;
  if (!values.apply && !values['apply-strong']) {
    if (proposals.length > 0)
      ctx.print('apply with --apply-strong (the strong ones) or --apply (every one shown); undoable');
    return 0;
  }
  if (chosen.length === 0) {
    ctx.print('nothing to apply');
    return 0;
  }
  const files = chosen.reduce((n, p) => n + 1 + copiesOf(p).length, 0);
  if (!(await confirmEdit(ctx, query, files, { yes: values.yes, yesAll: values['yes-all'] }))) return 0;
  const description = `identify ${chosen.length} file(s)${query ? ` where ${query}` : ''}${files > chosen.length ? ' and their copies' : ''}`;
  const applied = applyProposals(db, chosen, { description, origin: 'cli' });
  for (const id of applied.stale)
    ctx.warn(`not applied to ${paths.get(id)}: its tags changed since the proposal; run identify again`);
  if (applied.batch !== undefined)
    ctx.print(
      `saved as edit batch ${applied.batch} (${applied.applied} file(s)); undo with: sleeve undo ${applied.batch}`,
    );
  if (values.cover && (await addCovers(ctx, chosen, applied, config, progress)) === 'stopped') return 130;
  if (applied.batch === undefined && applied.stale.length > 0) return 1;
  return 0;
}

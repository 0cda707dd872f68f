import { matchingIds, tagsFor } from '../../core/library/list.ts';
import { embeddingExtractor } from '../../core/similar/current-extractor.ts';
import { similarTracks } from '../../core/similar/similar.ts';
import { openSynced, type SyncSummary } from '../../core/similar/similarity-sync.ts';
import { SimilarityTable } from '../../core/similar/similarity-table.ts';
import { FilterError, whereFilter } from '../../core/similar/where-filter.ts';
import { parseQuery } from '../../shared/query.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseArgs, wholeNumber } from '../parse-options.ts';

export const usage =
  'sleeve similar ID | --query QUERY [-n 10] [--where QUERY] [--include-duplicates] [--json]';

/** Says when the table had to be rebuilt: the user should know their index was damaged or missing. */
export function reportRebuild(sync: SyncSummary, warn: (message: string) => void): void {
  if (sync.rebuilt !== undefined)
    warn(`similarity index: rebuilt from the library's ${sync.rows} stored vectors, because ${sync.rebuilt}`);
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      n: { type: 'string', short: 'n', default: '10' },
      query: { type: 'string' },
      where: { type: 'string' },
      'include-duplicates': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const limit = wholeNumber('-n', values.n, { min: 1, max: 1000, fallback: 10 });
  if ((values.query === undefined) === (positionals.length === 0) || positionals.length > 1)
    throw new UsageError('give one track ID or --query QUERY');
  let seeds: number[];
  if (values.query !== undefined) {
    seeds = matchingIds(ctx.db, values.query);
    if (seeds.length === 0) throw new CliError(`no tracks match ${JSON.stringify(values.query)}`);
  } else {
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id < 1) throw new UsageError(`not a track id: ${positionals[0]}`);
    seeds = [id];
  }
  let filter: string | undefined;
  if (values.where !== undefined) {
    try {
      filter = whereFilter(parseQuery(values.where)) || undefined;
    } catch (err) {
      if (err instanceof FilterError) throw new UsageError(err.message);
      throw err;
    }
  }

  // A read-only home's table is read as it stands: bringing it up to date would write it.
  const { table, sync } = ctx.readOnly
    ? { ...(await SimilarityTable.open(ctx.home.similarity, embeddingExtractor.dimension)), sync: undefined }
    : await openSynced(ctx.home.similarity, ctx.db, embeddingExtractor, {
        onWait: (message) => ctx.warn(`sleeve: ${message}`),
      });
  if (sync) reportRebuild(sync, (message) => ctx.warn(message));
  let found: Awaited<ReturnType<typeof similarTracks>>;
  try {
    found = await similarTracks(ctx.db, table, embeddingExtractor, seeds, {
      limit,
      includeDuplicates: values['include-duplicates'],
      filter,
    });
  } finally {
    table.close();
  }
  const ids = found.map((f) => f.fileId);
  const paths = new Map(
    (
      ctx.db
        .prepare('SELECT f.id, f.path FROM json_each(?) j JOIN files f ON f.id = j.value')
        .all(JSON.stringify(ids)) as Array<{ id: number; path: string }>
    ).map((r) => [r.id, r.path]),
  );
  const tags = tagsFor(ctx.db, ids);
  const describe = (id: number) => {
    const t = tags.get(id) ?? {};
    return {
      artist: t.artist?.join('; ') ?? null,
      title: t.title?.join('; ') ?? null,
      album: t.album?.join('; ') ?? null,
    };
  };
  if (values.json) {
    ctx.print(
      JSON.stringify(
        found.map((f) => ({
          id: f.fileId,
          distance: f.distance,
          sameRecording: f.sameRecording,
          path: paths.get(f.fileId),
          ...describe(f.fileId),
        })),
      ),
    );
    return 0;
  }
  if (found.length === 0) ctx.print('no similar tracks found');
  for (const f of found) {
    const d = describe(f.fileId);
    const name = [d.artist, d.title].filter(Boolean).join(' – ') || paths.get(f.fileId);
    const note = f.sameRecording ? '  (same recording)' : '';
    ctx.print(
      `${f.distance.toFixed(3)}  ${String(f.fileId).padStart(6)}  ${name}${d.album ? `  [${d.album}]` : ''}${note}`,
    );
  }
  return 0;
}

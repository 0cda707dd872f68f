import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { IndexEngine } from '../../../index-engine/engine-client.ts';
import {
  type GroupingSummary,
  groupingNeeded,
  updateRecordingGroups,
} from '../../fingerprint/recording-groups.ts';
import { type AnalysisSummary, analyzeLibrary } from '../../scan/analysis.ts';
import { scan } from '../../scan/scanner.ts';
import { embeddingExtractor } from '../../similar/current-extractor.ts';
import { openSynced, type SyncSummary } from '../../similar/similarity-sync.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { progressSink } from '../progress.ts';
import { reportRebuild } from './similar.ts';

export const usage =
  'sleeve scan FOLDER... [--json] [--workers N] [--include-hidden] [--no-fingerprint] [--no-embeddings]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      workers: { type: 'string' },
      'include-hidden': { type: 'boolean' },
      'no-fingerprint': { type: 'boolean', default: false },
      'no-embeddings': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('scan needs at least one FOLDER');
  const workers =
    values.workers === undefined
      ? (ctx.config.scan.workers ?? availableParallelism())
      : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new UsageError('--workers must be a whole number from 1 to 64');

  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    ctx.warn('\nstopping: finishing the files in progress and saving (Ctrl-C again to quit at once)…');
  };
  process.on('SIGINT', onSigint);
  const progress = progressSink(ctx.io, values.json);
  try {
    const summary = await scan(ctx.db, {
      folders: positionals,
      workers,
      includeHidden: values['include-hidden'] ?? ctx.config.scan.includeHidden,
      ignore: ctx.config.scan.ignore,
      signal: abort.signal,
      onProgress: progress,
    });
    let analysis: AnalysisSummary | undefined;
    let grouping: GroupingSummary | undefined;
    let similarity: SyncSummary | undefined;
    const fingerprint = !values['no-fingerprint'];
    const embed = !values['no-embeddings'];
    if ((fingerprint || embed) && !abort.signal.aborted) {
      analysis = await analyzeLibrary(ctx.db, {
        workers,
        fingerprint,
        embed,
        signal: abort.signal,
        onProgress: (p) => progress?.({ phase: 'analyse', found: 0, ...p }),
      });
    }
    if (fingerprint && !abort.signal.aborted && groupingNeeded(ctx.db, ctx.home.indexes)) {
      const started = performance.now();
      const engine = await IndexEngine.open(ctx.home.indexes);
      try {
        grouping = await updateRecordingGroups(ctx.db, engine, {
          signal: abort.signal,
          onProgress: (p) => {
            const rate = p.done / Math.max((performance.now() - started) / 1000, 1e-3);
            const eta = (p.total - p.done) / Math.max(rate, 1e-3);
            progress?.({ phase: 'group', found: 0, ...p, filesPerSecond: rate, etaSeconds: eta });
          },
        });
      } finally {
        await engine.close();
      }
    }
    if (embed && !abort.signal.aborted) {
      progress?.({ phase: 'index', found: 0, total: 0, done: 0, filesPerSecond: 0, etaSeconds: null });
      const opened = await openSynced(ctx.home.similarity, ctx.db, embeddingExtractor);
      opened.table.close();
      similarity = opened.sync;
    }
    progress?.end();
    if (similarity) reportRebuild(ctx, similarity);
    const interrupted = summary.interrupted || abort.signal.aborted;
    if (values.json) {
      ctx.print(JSON.stringify({ ...summary, interrupted, analysis, grouping, similarity }));
    } else {
      for (const f of summary.folderErrors) ctx.warn(`skipped folder ${f.path}: ${f.reason}`);
      ctx.print(
        `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
          `${summary.missing} missing, ${summary.errors} errors in ${summary.seconds.toFixed(2)}s`,
      );
      if (analysis)
        ctx.print(
          `${analysis.fingerprinted} fingerprinted, ${analysis.embedded} analysed for similarity, ${analysis.errors} could not be decoded in ${analysis.seconds.toFixed(2)}s`,
        );
      if (grouping)
        ctx.print(
          `${grouping.grouped} grouped by recording in ${grouping.seconds.toFixed(2)}s (duplicates: sleeve dup)`,
        );
      if (similarity && similarity.written + similarity.removed > 0)
        ctx.print(
          `similarity index: ${similarity.rows} tracks${similarity.index === 'none' || similarity.index === 'compacted' ? '' : ` (approximate index ${similarity.index})`} (more like this: sleeve similar ID)`,
        );
      if (summary.errors > 0) ctx.print('files with errors: sleeve ls --errors');
      if (interrupted) ctx.print('interrupted: everything done so far is saved; scan again to continue');
    }
    return interrupted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

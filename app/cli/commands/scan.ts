import { availableParallelism } from 'node:os';
import { FileLanes } from '../../../kit/file-lanes.ts';
import type { PipelineOptions, ScanWorkers } from '../../core/scan/pipeline.ts';
import { Readers } from '../../core/scan/scan-read.ts';
import type { Context } from '../context.ts';
import { takeLanes, takeReaders } from '../early-readers.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { progressSink } from '../progress.ts';
import { warnSkipped } from '../skipped.ts';

export const usage =
  'sleeve scan FOLDER... [--json] [--workers N] [--include-hidden] [--no-fingerprint] [--no-embeddings] [--no-loudness]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  if (ctx.scanWorkers) return await scanCommand(ctx, args, ctx.scanWorkers.forScan);
  // Started by the launcher as it loaded this command (early-readers.ts), or else now.
  const readers = takeReaders() ?? new Readers().start();
  const files = takeLanes() ?? new FileLanes();
  try {
    return await scanCommand(ctx, args, { readers, files });
  } finally {
    files.close();
    await readers.close(); // the pipeline closes them once it has read; this, when it ends before
  }
}

async function scanCommand(ctx: Context, args: string[], threads: ScanWorkers): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      workers: { type: 'string' },
      'include-hidden': { type: 'boolean' },
      'no-fingerprint': { type: 'boolean', default: false },
      'no-embeddings': { type: 'boolean', default: false },
      'no-loudness': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('scan needs at least one FOLDER');
  const workers =
    values.workers === undefined
      ? (ctx.config.scan.workers ?? availableParallelism())
      : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new UsageError('--workers must be a whole number from 1 to 64');

  return await scanWith(ctx, values.json, {
    folders: positionals,
    workers,
    includeHidden: values['include-hidden'] ?? ctx.config.scan.includeHidden,
    ignore: ctx.config.scan.ignore,
    maxArtBytes: ctx.config.art.maxBytes,
    history: ctx.config.history,
    fingerprint: !values['no-fingerprint'],
    embed: !values['no-embeddings'],
    loudness: !values['no-loudness'],
    index: ctx.config.index,
    ...threads,
  });
}

/** The scan's unreadable files: every one in its folders, those it could not read this time said apart
 *  ("3 unreadable (1 new)"): a file known to be unreadable since an earlier scan is still one. */
export function unreadableWords(summary: { readonly unreadable: number; readonly errors: number }): string {
  const known = summary.unreadable - summary.errors;
  return `${summary.unreadable} unreadable${known > 0 ? ` (${summary.errors} new)` : ''}`;
}

/** What the command asks of the scan, but for what scanWith adds (stopping, progress, waiting). */
type Request = Omit<PipelineOptions, 'signal' | 'onProgress' | 'onWait'>;

async function scanWith(ctx: Context, json: boolean, request: Request): Promise<number> {
  const { scanLibrary } = await import('../../core/scan/pipeline.ts');
  // With --json, stderr carries JSON lines only: a message is an event there too.
  const warn = json
    ? (message: string) => ctx.io.err.write(`${JSON.stringify({ event: 'warning', message })}\n`)
    : (message: string) => ctx.warn(message);
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    warn(
      `${json ? '' : '\n'}stopping: finishing the files in progress and saving (Ctrl-C again to quit at once)…`,
    );
  };
  process.on('SIGINT', onSigint);
  const progress = progressSink(ctx.io, json);
  try {
    const result = await scanLibrary(ctx.db, ctx.home, {
      ...request,
      signal: abort.signal,
      onProgress: progress,
      onWait: (message) => warn(`sleeve: ${message}`),
    });
    const { scan: summary, analysis, grouping, similarity, interrupted } = result;
    progress?.end();
    if (similarity) (await import('./similar.ts')).reportRebuild(similarity, warn);
    if (json) {
      ctx.print(
        JSON.stringify({
          ...summary,
          bytesReadPerFile: summary.filesRead > 0 ? Math.round(summary.bytesRead / summary.filesRead) : 0,
          interrupted,
          analysis,
          grouping,
          similarity,
          totalSeconds: result.totalSeconds,
          empty: result.empty,
          groupingWaits: result.groupingWaits ?? null,
          carried: result.carried ?? null,
          transcodes: result.transcodes ?? null,
        }),
      );
    } else {
      for (const f of summary.folderErrors) ctx.warn(`skipped folder ${f.path}: ${f.reason}`);
      warnSkipped((line) => ctx.warn(line), summary.skipped);
      ctx.print(
        `${summary.added} added, ${summary.updated} updated, ${summary.moved > 0 ? `${summary.moved} moved, ` : ''}${summary.unchanged} unchanged, ` +
          `${summary.missing} missing, ${unreadableWords(summary)} in ${summary.seconds.toFixed(2)}s`,
      );
      if (analysis)
        ctx.print(
          `${analysis.fingerprinted} fingerprinted, ${analysis.embedded} analysed for similarity${analysis.notDescribable > 0 ? ` (${analysis.notDescribable} too short or silent for it)` : ''}, ${analysis.measured} measured for loudness, ${analysis.errors} could not be decoded in ${analysis.seconds.toFixed(2)}s`,
        );
      if (grouping?.remade)
        ctx.warn(
          `sleeve: the fingerprint index was damaged, and made again with every recording regrouped (${grouping.remade})`,
        );
      if (grouping)
        ctx.print(
          `${grouping.grouped} grouped by recording in ${grouping.seconds.toFixed(2)}s (duplicates: sleeve dup)`,
        );
      if (result.transcodes)
        ctx.print(
          `${result.transcodes.measured} pair(s) of lossy copies compared by their decodes in ${result.transcodes.seconds.toFixed(2)}s: in ${result.transcodes.transcodes}, the copy of more bits holds nothing more than the other (sleeve dup)`,
        );
      if (result.carried)
        ctx.print(
          `${result.carried.description} (edit batch ${result.carried.batch}; sleeve undo takes it back)`,
        );
      if (similarity && similarity.written + similarity.removed > 0)
        ctx.print(
          `similarity index: ${similarity.rows} tracks${similarity.index === 'none' || similarity.index === 'compacted' ? '' : ` (approximate index ${similarity.index})`} (more like this: sleeve similar ID)`,
        );
      for (const folder of result.empty)
        ctx.warn(`no audio files in ${folder}: it was not added to the library`);
      ctx.print(`scan done in ${result.totalSeconds.toFixed(1)}s in all`);
      if (summary.unreadable > 0) ctx.print('unreadable files and why: sleeve ls --errors');
      if (interrupted) ctx.print('interrupted: everything done so far is saved; scan again to continue');
    }
    if (result.groupingWaits) warn(`sleeve: ${result.groupingWaits}`);
    return interrupted ? 130 : result.groupingWaits ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { scan } from '../../scan/scanner.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { progressSink } from '../progress.ts';

export const usage = 'sleeve scan FOLDER... [--json] [--workers N] [--include-hidden]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      workers: { type: 'string' },
      'include-hidden': { type: 'boolean' },
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
    progress?.end();
    if (values.json) {
      ctx.print(JSON.stringify(summary));
    } else {
      for (const f of summary.folderErrors) ctx.warn(`skipped folder ${f.path}: ${f.reason}`);
      ctx.print(
        `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
          `${summary.missing} missing, ${summary.errors} errors in ${summary.seconds.toFixed(2)}s`,
      );
      if (summary.errors > 0) ctx.print('files with errors: sleeve ls --errors');
      if (summary.interrupted)
        ctx.print('interrupted: everything read so far is saved; scan again to continue');
    }
    return summary.interrupted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

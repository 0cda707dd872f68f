// `sleeve watch`: keeps the library current without the app: every library folder is watched, and files
// copied in, changed, moved or deleted are taken in (tags, fingerprints, groups, similarity) as they
// settle. A mount of the library follows. Runs until Ctrl-C.

import { catchUp } from '../../core/library/derivation.ts';
import { libraryRoots } from '../../core/library/library-folders.ts';
import { LibraryWatcher, type WatchedFolder } from '../../core/watch/library-watcher.ts';
import { changedCount, watchReportText } from '../../shared/watch-words.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { warnSkipped } from '../skipped.ts';
import { stopSignal } from '../stop-signal.ts';

export const usage = 'sleeve watch [--poll] [--json]   follow the library folders until Ctrl-C';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { poll: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0)
    throw new UsageError(
      'watch takes no folder: it follows the library folders (add one with sleeve scan FOLDER)',
    );
  ctx.requireWritable(); // what it sees is scanned into the library
  if (libraryRoots(ctx.db).length === 0)
    throw new UsageError('the library has no folders to watch yet: add one with sleeve scan FOLDER');
  const config = values.poll ? { ...ctx.config, watch: { ...ctx.config.watch, poll: true } } : ctx.config;
  const line = (event: string, data: object, text: string) =>
    values.json ? ctx.print(JSON.stringify({ event, ...data })) : ctx.print(text);
  const said = new Map<string, string>();
  const watcher = new LibraryWatcher(ctx.db, ctx.home, config, {
    folders: (folders) => {
      for (const f of folders) {
        const text = describeFolder(f);
        if (said.get(f.path) === text) continue;
        said.set(f.path, text);
        line('folder', f, text);
      }
    },
    changed: (report) => {
      if (values.json && (changedCount(report) > 0 || report.skipped.length > 0))
        ctx.print(JSON.stringify({ event: 'changed', ...report }));
      else if (!values.json && changedCount(report) > 0)
        ctx.print(`${watchReportText(report)} (${report.seconds.toFixed(1)} s)`);
      if (!values.json) warnSkipped((line) => ctx.warn(line), report.skipped);
      if (report.groupingWaits) ctx.warn(`sleeve: ${report.groupingWaits}`);
      // What the look measured moves its albums' loudness: brought up to date here, as the app's writer
      // does, since no other process may be following the library.
      if (changedCount(report) > 0) catchUp(ctx.db);
    },
    waiting: (message) => ctx.warn(`sleeve: ${message}`),
    failed: (folder, message) => ctx.warn(`sleeve: could not look at ${folder}: ${message}`),
  });
  const stopped = stopSignal();
  watcher.start();
  await stopped;
  if (!values.json) ctx.warn('stopping: finishing the files in progress…');
  await watcher.close();
  return 0;
}

function describeFolder(f: WatchedFolder): string {
  if (f.state === 'watching') return `watching ${f.path}`;
  return `${f.path}: ${f.notice ?? f.state}`;
}

// `sleeve mount`, `sleeve umount`, `sleeve mounts`: the FUSE view of the library, served by a daemon
// process of its own (fuse/daemon.ts).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDaemon } from '../../../fuse/daemon.ts';
import { checkMountpoint, fuseAvailability, startMount, stopMount } from '../../../fuse/mount-control.ts';
import { listMounts } from '../../../fuse/mount-registry.ts';
import { libraryRoots } from '../../core/library/ingest.ts';
import { PathTemplate } from '../../core/served/path-template.ts';
import { TemplateError } from '../../shared/template.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';

export const usage = 'sleeve mount MOUNTPOINT [--template T] [--foreground]';
export const umountUsage = 'sleeve umount MOUNTPOINT';
export const mountsUsage = 'sleeve mounts [--json]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { template: { type: 'string' }, foreground: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('mount takes exactly one MOUNTPOINT');
  let template: PathTemplate;
  try {
    template = new PathTemplate(values.template);
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(`--template: ${err.message}`);
    throw err;
  }
  const mountpoint = resolve(positionals[0]!);
  const files = ctx.db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck().get() as number;
  if (values.foreground) {
    // startMount checks the same for a daemon.
    const availability = fuseAvailability();
    if (!availability.ok) throw new CliError(availability.reason);
    checkMountpoint(mountpoint, libraryRoots(ctx.db));
    if (files === 0)
      ctx.warn('the library is empty: run `sleeve scan FOLDER` to add music (it appears live)');
    runDaemon({
      home: ctx.home.dir,
      mountpoint,
      template: template.source,
      log: null,
      onReady: (err) =>
        err
          ? ctx.warn(`sleeve: cannot mount ${mountpoint}: ${err.message}`)
          : ctx.print(`serving ${files} files at ${mountpoint}; Ctrl-C unmounts`),
    }).catch((err: Error) => {
      ctx.warn(`sleeve: cannot mount ${mountpoint}: ${err.message}`);
      process.exitCode = 1;
    });
    return new Promise<number>(() => {}); // the daemon ends the process
  }
  const { pid, log } = await startMount(ctx.home.dir, mountpoint, template.source, libraryRoots(ctx.db));
  if (files === 0) ctx.warn('the library is empty: run `sleeve scan FOLDER` to add music (it appears live)');
  ctx.print(`mounted ${files} files at ${mountpoint} (daemon pid ${pid}, log ${log})`);
  return 0;
}

export async function umount(ctx: Context, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('umount takes exactly one MOUNTPOINT');
  const mountpoint = resolve(positionals[0]!);
  await stopMount(ctx.home.dir, mountpoint);
  ctx.print(`unmounted ${mountpoint}`);
  return 0;
}

export async function mounts(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const { mounts: list, unreadable } = listMounts(ctx.home.dir);
  for (const problem of unreadable) ctx.warn(`sleeve: a mount registry entry cannot be read: ${problem}`);
  if (values.json) ctx.print(JSON.stringify(list, null, 2));
  else if (list.length === 0) ctx.print('no active mounts');
  else for (const m of list) ctx.print(`${m.mountpoint}  pid ${m.pid}  template ${m.template}`);
  return 0;
}

// `sleeve mount`, `sleeve umount`, `sleeve mounts`: the FUSE view of the library, served by a daemon
// process of its own (fuse/daemon.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runDaemon } from '../../../fuse/daemon.ts';
import { kernelMounts, listMounts, mountLogFile } from '../../../fuse/mount-registry.ts';
import { PathTemplate } from '../../../fuse/path-template.ts';
import { TemplateError } from '../../shared/template.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';

export const usage = 'sleeve mount MOUNTPOINT [--template T] [--foreground]';
export const umountUsage = 'sleeve umount MOUNTPOINT';
export const mountsUsage = 'sleeve mounts [--json]';

const DAEMON = fileURLToPath(new URL('../../../fuse/daemon.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

function checkFuse(): void {
  if (!existsSync('/dev/fuse')) throw new CliError('FUSE is not available: /dev/fuse is missing');
  const fusermount = ['fusermount', 'fusermount3'].some((cmd) => spawnSync(cmd, ['-V']).status === 0);
  if (!fusermount) {
    throw new CliError('fusermount is missing: install FUSE (Debian: apt-get install fuse3 libfuse2)');
  }
}

function checkMountpoint(mountpoint: string): void {
  if (kernelMounts().has(mountpoint)) throw new CliError(`${mountpoint} is already a mount point`);
  if (!existsSync(mountpoint)) return; // the daemon creates it
  if (!statSync(mountpoint).isDirectory()) throw new CliError(`${mountpoint} is not a directory`);
  if (readdirSync(mountpoint).length > 0) throw new CliError(`${mountpoint} is not empty`);
}

/** Reads the daemon's one status line from its fd 3. */
function statusLine(pipe: Readable): Promise<string> {
  return new Promise((done) => {
    let text = '';
    const timer = setTimeout(() => done('error the daemon did not report within 30 s'), READY_TIMEOUT_MS);
    pipe.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        done(text.slice(0, text.indexOf('\n')));
      }
    });
    pipe.on('end', () => {
      clearTimeout(timer);
      done(text || 'error the daemon exited before mounting');
    });
  });
}

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
  checkFuse();
  checkMountpoint(mountpoint);
  const files = ctx.db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck().get() as number;
  if (files === 0) ctx.warn('the library is empty: run `sleeve scan FOLDER` to add music (it appears live)');
  if (values.foreground) {
    runDaemon({
      home: ctx.home.dir,
      mountpoint,
      template: template.source,
      log: null,
      onReady: (err) =>
        err
          ? ctx.warn(`sleeve: cannot mount ${mountpoint}: ${err.message}`)
          : ctx.print(`serving ${files} files at ${mountpoint}; Ctrl-C unmounts`),
    });
    return new Promise<number>(() => {}); // the daemon ends the process
  }
  const log = mountLogFile(ctx.home.dir, mountpoint);
  const out = openSync(log, 'a');
  const child = spawn(
    process.execPath,
    [DAEMON, '--home', ctx.home.dir, '--template', template.source, '--log', log, mountpoint],
    { detached: true, stdio: ['ignore', out, out, 'pipe'] },
  );
  const status = await statusLine(child.stdio[3] as Readable);
  (child.stdio[3] as Readable).destroy();
  child.unref();
  if (status !== 'ready')
    throw new CliError(`cannot mount ${mountpoint}: ${status.replace(/^error /, '')} (log: ${log})`);
  ctx.print(`mounted ${files} files at ${mountpoint} (daemon pid ${child.pid}, log ${log})`);
  return 0;
}

export async function umount(ctx: Context, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('umount takes exactly one MOUNTPOINT');
  const mountpoint = resolve(positionals[0]!);
  const entry = listMounts(ctx.home.dir).find((m) => m.mountpoint === mountpoint);
  if (entry) {
    process.kill(entry.pid, 'SIGTERM');
    for (let waited = 0; kernelMounts().has(mountpoint); waited += 50) {
      if (waited > 10_000) throw new CliError(`the daemon (pid ${entry.pid}) did not unmount within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } else if (kernelMounts().has(mountpoint)) {
    // A mount whose daemon is gone, or another home's: let fusermount take it down.
    const res = spawnSync('fusermount', ['-u', mountpoint], { encoding: 'utf8' });
    if (res.status !== 0) throw new CliError(`cannot unmount ${mountpoint}: ${res.stderr.trim()}`);
  } else throw new CliError(`${mountpoint} is not mounted`);
  ctx.print(`unmounted ${mountpoint}`);
  return 0;
}

export async function mounts(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const list = listMounts(ctx.home.dir);
  if (values.json) ctx.print(JSON.stringify(list, null, 2));
  else if (list.length === 0) ctx.print('no active mounts');
  else for (const m of list) ctx.print(`${m.mountpoint}  pid ${m.pid}  template ${m.template}`);
  return 0;
}

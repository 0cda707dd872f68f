// `sleeve mount`, `sleeve umount`, `sleeve mounts`: the FUSE view of the library, served by a daemon
// process of its own (fuse/daemon.ts).
import { resolve } from 'node:path';
import { readCapped } from '../../../kit/capped-file.ts';
import { UserError } from '../../../kit/user-error.ts';
import { checkedPathTemplate } from '../../core/library/checked-template.ts';
import { libraryRoots } from '../../core/library/library-folders.ts';
import { openConflictCount } from '../../core/library/save-conflicts.ts';
import { orphanedSaves } from '../../core/library/save-journal.ts';
import { setAsideSaves } from '../../core/library/set-aside-saves.ts';
import { undecodableFiles } from '../../core/library/undecodable.ts';
import { runMountInForeground, startMount, stopMount } from '../../core/mounts/mount-control.ts';
import { listMounts, readMountReport } from '../../core/mounts/mount-registry.ts';
import { BEETS_PATHS, layoutText, PICARD_SCRIPT } from '../../shared/layout-kinds.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { pathTemplateOption } from '../format.ts';
import { parseArgs } from '../parse-options.ts';

export const usage =
  'sleeve mount MOUNTPOINT [--template T | --import-picard-script FILE | --import-beets-config FILE] [--all-copies] [--foreground]';
export const umountUsage = 'sleeve umount MOUNTPOINT';
export const mountsUsage = 'sleeve mounts [--json]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      template: { type: 'string' },
      // A Picard file naming script as the layout (picard-naming.ts).
      'import-picard-script': { type: 'string' },
      // beets' `paths:` formats as the layout (beets-paths.ts).
      'import-beets-config': { type: 'string' },
      // Every copy of a recording, not only the one it keeps (sleeve dup --prefer chooses it).
      'all-copies': { type: 'boolean', default: false },
      foreground: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('mount takes exactly one MOUNTPOINT');
  ctx.requireWritable(); // the daemon keeps its log, its report and the saves it takes in the home
  const template = pathTemplateOption(ctx.db, await layoutOption(ctx, values));
  const mountpoint = resolve(positionals[0]!);
  const files = ctx.db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck().get() as number;
  const request = {
    home: ctx.home.dir,
    mountpoint,
    template: template.source,
    roots: libraryRoots(ctx.db),
    allCopies: values['all-copies'],
  };
  const warnIfEmpty = () =>
    files === 0 && ctx.warn('the library is empty: run `sleeve scan FOLDER` to add music (it appears live)');
  if (values.foreground) {
    const running = await runMountInForeground(request);
    warnIfEmpty();
    ctx.print(
      `serving ${running.files} files at ${mountpoint}${copies(running.files, files)}; Ctrl-C unmounts`,
    );
    sayCreated(ctx, mountpoint, running.created);
    return running.exited;
  }
  const started = await startMount(request);
  warnIfEmpty();
  ctx.print(
    `mounted ${started.files} files at ${mountpoint}${copies(started.files, files)} (daemon pid ${started.pid}, log ${started.log})`,
  );
  sayCreated(ctx, mountpoint, started.created);
  return 0;
}

/** The layout the options name: a template, a Picard naming script, or a beets config's path formats
 *  (what of beets' config Sleeve does otherwise is said). The importers, which read YAML, load only when
 *  asked for: this module is `sleeve umount`'s and `sleeve mounts`' too. */
async function layoutOption(
  ctx: Context,
  values: { template?: string; 'import-picard-script'?: string; 'import-beets-config'?: string },
): Promise<string | undefined> {
  const script = values['import-picard-script'];
  const beets = values['import-beets-config'];
  if ([values.template, script, beets].filter((v) => v !== undefined).length > 1)
    throw new UsageError('--template, --import-picard-script or --import-beets-config: one layout');
  if (script !== undefined) {
    const { picardScriptFile } = await import('../../shared/tagger-script/script-file.ts');
    return PICARD_SCRIPT + picardScriptFile(script, readCapped(script, 1 << 20, 'the naming script'));
  }
  if (beets === undefined) return values.template;
  const { beetsConfigLayout } = await import('../../core/served/beets-config.ts');
  const { source, notes, templates } = beetsConfigLayout(readCapped(beets, 1 << 20, 'the beets config'));
  // Each format's fields checked on its own, as a beets layout's (beets' own fields known), so that a
  // field neither knows ($foo) is named with its key.
  for (const { key, template } of templates)
    try {
      checkedPathTemplate(ctx.db, BEETS_PATHS + JSON.stringify([[null, template]]));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      throw new UserError(err.code, `${beets}: the path format for "${key}" (${template}): ${err.message}`);
    }
  for (const note of notes) ctx.warn(`beets config: ${note}`);
  return source;
}

/** A mount point that did not exist is created: said, with the topmost folder made when it is another. */
function sayCreated(ctx: Context, mountpoint: string, created: string | undefined): void {
  if (created === undefined) return;
  ctx.print(
    created === mountpoint
      ? `created ${mountpoint} (it did not exist)`
      : `created ${mountpoint} (it did not exist, nor did ${created})`,
  );
}

/** What a mount of fewer files than the library holds left out. */
function copies(served: number, inLibrary: number): string {
  return served < inLibrary
    ? `, one copy per recording of ${inLibrary} files (--all-copies serves every copy)`
    : '';
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
  const withSaves = list.map((m) => {
    const report = readMountReport(ctx.home.dir, m.mountpoint);
    // The daemon's latest problems (a refused save says which file and why), newest last.
    return {
      ...m,
      pendingSaves: report?.pendingSaves ?? 0,
      builtAhead: report?.builtAhead ?? 0,
      problems: report?.problems ?? [],
    };
  });
  const orphaned = orphanedSaves(ctx.home, ctx.db);
  if (values.json) ctx.print(JSON.stringify(withSaves, null, 2));
  else if (list.length === 0) ctx.print('no active mounts');
  else
    for (const m of withSaves) {
      ctx.print(
        `${m.mountpoint}  pid ${m.pid}  ${m.allCopies ? 'every copy' : 'one copy per recording'}  template ${layoutText(m.template)}${waiting(m.pendingSaves, 'another process holds the library')}`,
      );
      for (const problem of m.problems) ctx.print(`  problem: ${problem}`);
    }
  if (orphaned > 0)
    ctx.warn(
      `sleeve:${waiting(orphaned, 'a mount that stopped left them; the next `sleeve mount` applies them')}`,
    );
  const undecodable = undecodableFiles(ctx.db);
  if (undecodable.count > 0) {
    ctx.warn(`sleeve: ${undecodable.count} file(s) with no audio that decodes are not served:`);
    for (const f of undecodable.listed) ctx.warn(`  ${f.path}: ${f.reason}`);
    if (undecodable.count > undecodable.listed.length)
      ctx.warn(`  … and ${undecodable.count - undecodable.listed.length} more`);
  }
  const conflicts = openConflictCount(ctx.db);
  if (conflicts > 0)
    ctx.warn(
      `sleeve: ${conflicts} field(s) saved through a mount kept the library's newer value; the tagger's wait in sleeve conflicts`,
    );
  const setAside = setAsideSaves(ctx.db);
  if (setAside.count > 0)
    ctx.warn(
      `sleeve: ${setAside.count} save(s) through a mount set aside, first: ${setAside.listed[0]!.reason} (sleeve saves)`,
    );
  return 0;
}

/** Saves accepted through a mount that are not in the library yet, and why. */
function waiting(count: number, why: string): string {
  return count === 0 ? '' : `  ${count} save(s) waiting for the library (${why})`;
}

import { libraryStats } from '../../core/library/stats.ts';
import type { Context } from '../context.ts';
import { formatBytes, formatDuration } from '../format.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = 'sleeve stats [--json] [--all-copies]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      // Artists and albums of every file (default: of one file per recording, as `sleeve ls` lists them).
      'all-copies': { type: 'boolean', default: false },
    },
  });
  const s = libraryStats(ctx.db, values['all-copies'] ? 'library' : 'recordings');
  if (values.json) {
    ctx.print(JSON.stringify(s));
    return 0;
  }
  ctx.print(`files      ${s.files.ok} ok, ${s.files.missing} missing, ${s.files.error} with errors`);
  ctx.print(
    `recordings ${s.recordings} (${s.scope === 'library' ? 'artists and albums below count every file' : 'artists and albums below are theirs; --all-copies counts every file'})`,
  );
  ctx.print(
    `formats    ${
      Object.entries(s.formats)
        .map(([f, n]) => `${f} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  ctx.print(`total      ${formatDuration(s.totalDurationSeconds)} of audio, ${formatBytes(s.totalBytes)}`);
  ctx.print(`artists    ${s.artists}`);
  ctx.print(`albums     ${s.albums}`);
  ctx.print(`cover art  ${s.art.images} image(s), ${formatBytes(s.art.bytes)}`);
  ctx.print(
    `edits      ${s.edits.batches} batch(es), ${s.edits.undone} undone, ${s.edits.editedFiles} file(s) edited`,
  );
  ctx.print(`folders    ${s.roots.join(', ') || 'none (sleeve scan FOLDER)'}`);
  return 0;
}

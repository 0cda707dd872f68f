import { parseArgs } from 'node:util';
import { libraryStats } from '../../core/library/stats.ts';
import type { Context } from '../context.ts';
import { formatBytes, formatDuration } from '../format.ts';

export const usage = 'sleeve stats [--json]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const s = libraryStats(ctx.db);
  if (values.json) {
    ctx.print(JSON.stringify(s));
    return 0;
  }
  ctx.print(`files      ${s.files.ok} ok, ${s.files.missing} missing, ${s.files.error} with errors`);
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

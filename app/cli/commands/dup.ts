import { parseArgs } from 'node:util';
import { duplicateGroups } from '../../fingerprint/duplicates.ts';
import type { Context } from '../context.ts';
import { formatDuration } from '../format.ts';

export const usage = 'sleeve dup [--json]';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  let groups = 0;
  if (values.json) ctx.io.out.write('[');
  for await (const g of duplicateGroups(ctx.db)) {
    if (values.json) {
      ctx.io.out.write(`${groups ? ',\n' : '\n'}${JSON.stringify(g)}`);
    } else {
      if (groups) ctx.print();
      ctx.print(`recording ${g.group}: ${g.members.length} copies`);
      for (const m of g.members) {
        const notes = [
          m.best ? 'best copy' : `score ${m.score.toFixed(2)}`,
          m.partialOffset !== null ? `partial, starts at ${m.partialOffset.toFixed(1)}s` : '',
          m.identicalTo !== null ? `identical to ${m.identicalTo}` : '',
        ].filter(Boolean);
        const kbps = m.bitrate ? `${Math.round(m.bitrate / 1000)}k` : '?';
        ctx.print(
          `${m.best ? '*' : ' '} ${String(m.id).padStart(6)}  ${(m.format ?? '?').padEnd(10)} ${kbps.padStart(6)} ${formatDuration(m.duration).padStart(7)}  ${m.path}  (${notes.join(', ')})`,
        );
      }
    }
    groups++;
  }
  if (values.json) ctx.io.out.write(groups ? '\n]\n' : ']\n');
  else if (groups === 0)
    ctx.print('no duplicate recordings found (sleeve scan fingerprints and groups them)');
  return 0;
}

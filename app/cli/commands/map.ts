import { embeddingExtractor } from '../../core/similar/current-extractor.ts';
import { libraryMap } from '../../core/similar/library-map.ts';
import type { Context } from '../context.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = 'sleeve map [--json] [--all-copies]';

const WIDTH = 64;
const HEIGHT = 24;
const SHADES = ' .:-=+*#%@';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      // Every copy of a recording (default: one point per recording, its kept copy).
      'all-copies': { type: 'boolean', default: false },
    },
  });
  const map = libraryMap(ctx.db, embeddingExtractor, values['all-copies']);
  if (values.json) {
    ctx.print(
      JSON.stringify({
        explained: map.explained,
        points: map.points.map((p) => ({ id: p.fileId, x: p.x, y: p.y })),
      }),
    );
    return 0;
  }
  if (map.points.length === 0) {
    ctx.print('no analysed tracks yet (sleeve scan analyses them)');
    return 0;
  }
  // A density picture: how many tracks fall in each character cell, on a log scale.
  const counts = new Array<number>(WIDTH * HEIGHT).fill(0);
  for (const p of map.points) {
    const col = Math.min(WIDTH - 1, Math.floor(((p.x + 1) / 2) * WIDTH));
    const row = Math.min(HEIGHT - 1, Math.floor(((1 - p.y) / 2) * HEIGHT));
    counts[row * WIDTH + col]!++;
  }
  const top = Math.log1p(Math.max(...counts));
  for (let row = 0; row < HEIGHT; row++) {
    let line = '';
    for (let col = 0; col < WIDTH; col++) {
      const c = counts[row * WIDTH + col]!;
      line += c === 0 ? ' ' : SHADES[Math.max(1, Math.round((Math.log1p(c) / top) * (SHADES.length - 1)))];
    }
    ctx.print(`|${line}|`);
  }
  const pct = (r: number) => `${(r * 100).toFixed(0)} %`;
  ctx.print(
    `${map.points.length} tracks; the axes hold ${pct(map.explained[0])} and ${pct(map.explained[1])} of the variance (--json for coordinates)`,
  );
  return 0;
}

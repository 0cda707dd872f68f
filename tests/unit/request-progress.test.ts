// The progress line of a run of web requests (and of albums matched): drawn in place on a terminal with the time left at the rate
// so far, cleared at the end, and nothing at all when stderr is not a terminal (a script or a log).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Output } from '../../app/cli/context.ts';
import { requestProgress } from '../../app/cli/progress.ts';

function output(tty: boolean): { io: Output; written: () => string } {
  const err = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 });
  const chunks: string[] = [];
  err.on('data', (d: Buffer) => chunks.push(d.toString()));
  const io = { out: new PassThrough(), err, stdin: new PassThrough() } as unknown as Output;
  return { io, written: () => chunks.join('') };
}

describe('requestProgress', () => {
  it('draws requests done of all, with the time left, then clears the line', async () => {
    const { io, written } = output(true);
    const progress = requestProgress(io);
    progress('AcoustID', 0, 10);
    await new Promise((r) => setTimeout(r, 50));
    progress('AcoustID', 4, 10);
    progress('MusicBrainz', 1, 3);
    progress.end();
    await new Promise((r) => setImmediate(r));
    const text = written();
    expect(text).toContain('AcoustID [');
    expect(text).toMatch(/4\/10 requests {2}ETA \d+s/);
    expect(text).toContain('MusicBrainz [');
    expect(text).toMatch(/1\/3 albums/);
    expect(text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal', async () => {
    const { io, written } = output(false);
    const progress = requestProgress(io);
    progress('AcoustID', 3, 10);
    progress.end();
    await new Promise((r) => setImmediate(r));
    expect(written()).toBe('');
  });
});

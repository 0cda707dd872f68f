// WorkerPool with a process a worker (what the scan's analysis runs FFmpeg's decoders in): a worker killed
// by a signal costs only the item that did it, Ctrl-C is left to the pool, and closing stops every worker.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runIsolating, WorkerPool } from '../../kit/worker-pool.ts';

const FLAKY = new URL('../fixtures/flaky-worker.ts', import.meta.url);

/** This process's children running the flaky worker. */
function workers(): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const parent = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1];
        return (
          parent === String(process.pid) &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('flaky-worker')
        );
      } catch {
        return false; // gone meanwhile
      }
    });
}

describe('WorkerPool in processes', () => {
  it('a worker killed by a signal (native code crashing) costs only the item that did it', async () => {
    const pool = new WorkerPool<string[], string[]>(FLAKY, 2, { inFlight: 1, processes: true });
    try {
      const out = await runIsolating(pool, ['a', 'segfault', 'b'], (reason) => `failed: ${reason}`);
      expect(out).toEqual(['A', 'failed: worker was killed by SIGSEGV', 'B']);
      expect(await pool.run(['after'])).toEqual(['AFTER']);
    } finally {
      await pool.close();
    }
  });

  it('leaves Ctrl-C to the pool, and stops every worker when closed', async () => {
    const pool = new WorkerPool<string, string>(FLAKY, 1, { processes: true });
    try {
      expect(await pool.run('one')).toBe('ONE');
      const [child] = workers();
      process.kill(Number(child), 'SIGINT');
      expect(await pool.run('two')).toBe('TWO');
      expect(workers()).toEqual([child]);
    } finally {
      await pool.close();
    }
    expect(workers()).toEqual([]);
  });
});

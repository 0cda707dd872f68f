// WorkerPool with a process a worker (what the scan's analysis runs FFmpeg's decoders in): a worker killed
// by a signal costs only the item that did it, Ctrl-C is left to the pool, closing stops every worker, and
// a worker whose parent died ends.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runIsolating, WorkerPool } from '../../kit/worker-pool.ts';
import { tempDir } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

const FLAKY = new URL('../fixtures/flaky-worker.ts', import.meta.url);
const ORPHANING_PARENT = new URL('../fixtures/orphaning-parent.ts', import.meta.url);

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

/** Whether process `pid` is gone (or a zombie, done and not yet reaped). */
function ended(pid: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return true;
  }
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

  it('ends a worker whose parent was killed, in the middle of a task', async () => {
    const took = join(tempDir(), 'took');
    const parent = spawn(process.execPath, [fileURLToPath(ORPHANING_PARENT), took], { stdio: 'ignore' });
    let worker: string | undefined;
    try {
      // Its pid, once written whole (the file may be seen before its content).
      worker = await waitFor('the worker taking its task', () =>
        existsSync(took) ? readFileSync(took, 'utf8') || undefined : undefined,
      );
      parent.kill('SIGKILL');
      await waitFor('the orphaned worker ended', () => (ended(worker!) ? true : undefined));
    } finally {
      parent.kill('SIGKILL');
      if (worker && !ended(worker)) process.kill(Number(worker), 'SIGKILL');
    }
  });
});

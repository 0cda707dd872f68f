import { describe, expect, it, vi } from 'vitest';
import { inBatches, runIsolating, WorkerCrashError, WorkerPool } from '../../kit/worker-pool.ts';

const FLAKY = new URL('../fixtures/flaky-worker.ts', import.meta.url);

describe('WorkerPool', () => {
  it('runs tasks across workers and passes task errors through', async () => {
    const pool = new WorkerPool<string, string>(FLAKY, 2);
    try {
      expect(await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => pool.run(x)))).toEqual([
        'A',
        'B',
        'C',
        'D',
        'E',
      ]);
      await expect(pool.run('throw')).rejects.toThrow('bad input');
    } finally {
      await pool.close();
    }
  });

  it('replaces a crashed worker, fails only its tasks, and keeps serving', async () => {
    const pool = new WorkerPool<string, string>(FLAKY, 1, { inFlight: 1 });
    try {
      await expect(pool.run('crash')).rejects.toBeInstanceOf(WorkerCrashError);
      expect(await pool.run('after')).toBe('AFTER');
    } finally {
      await pool.close();
    }
  });

  it('gives up on a task that never answers and recovers', async () => {
    const pool = new WorkerPool<string, string>(FLAKY, 1, { inFlight: 1, taskTimeoutMs: 300 });
    try {
      await expect(pool.run('hang')).rejects.toThrow(/no answer within 0.3 s/);
      expect(await pool.run('next')).toBe('NEXT');
    } finally {
      await pool.close();
    }
  });

  it('times a task from when its worker listens, not from its start (slow on a busy machine)', async () => {
    const pool = new WorkerPool<string, string>(FLAKY, 1, {
      inFlight: 1,
      taskTimeoutMs: 300,
      workerData: { startMs: 600 },
    });
    try {
      expect(await pool.run('slow start')).toBe('SLOW START');
    } finally {
      await pool.close();
    }
  });

  it('stops a thread only once it has started: one stopped while loading a native addon aborts the process', async () => {
    const listening = new Int32Array(new SharedArrayBuffer(4));
    const pool = new WorkerPool<string, string>(FLAKY, 1, { workerData: { startMs: 300, listening } });
    await pool.close();
    expect(Atomics.load(listening, 0)).toBe(1);
  });

  it('grows to more workers on demand', async () => {
    const pool = new WorkerPool<string, string>(FLAKY, 1, { inFlight: 1 });
    try {
      pool.grow(3);
      const threads = await Promise.all(['thread', 'thread', 'thread'].map((x) => pool.run(x)));
      expect(new Set(threads).size).toBe(3); // one task at a time each: three workers
    } finally {
      await pool.close();
    }
  });

  it('with stopWhenIdleMs, starts workers for tasks and stops them once idle', async () => {
    let stops = 0;
    const pool = new WorkerPool<string, string>(FLAKY, 1, {
      inFlight: 1,
      stopWhenIdleMs: 150,
      onIdleStop: () => stops++,
    });
    try {
      expect(pool.workers).toBe(0);
      const first = await pool.run('thread');
      expect(await pool.run('thread')).toBe(first); // within the idle time: the same worker
      await vi.waitFor(() => expect(pool.workers).toBe(0), { timeout: 5_000 });
      await vi.waitFor(() => expect(stops).toBe(1), { timeout: 5_000 }); // told once the worker exited
      expect(await pool.run('thread')).not.toBe(first); // a new one for the next burst
      expect(pool.workers).toBe(1);
      // A crash with no work waiting starts no worker again (one that cannot load would loop).
      await expect(pool.run('crash')).rejects.toBeInstanceOf(WorkerCrashError);
      expect(pool.workers).toBe(0);
      expect(await pool.run('after')).toBe('AFTER');
    } finally {
      await pool.close();
    }
  });

  it('rejects every unanswered task when closed, queued and running alike', async () => {
    const pool = new WorkerPool<string, string>(FLAKY, 1, { inFlight: 1 });
    const running = pool.run('hang');
    const queued = pool.run('queued');
    const settled = Promise.allSettled([running, queued]);
    await pool.close();
    expect((await settled).map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'worker pool is closed',
      'worker pool is closed',
    ]);
    await expect(pool.run('after')).rejects.toThrow('worker pool is closed');
  });

  it('isolates the item that crashes a batch: the others still get their results', async () => {
    const pool = new WorkerPool<string[], string[]>(FLAKY, 1, { inFlight: 1 });
    try {
      const out = await runIsolating(pool, ['a', 'crash', 'b'], (reason) => `failed: ${reason}`);
      expect(out).toEqual(['A', 'failed: worker exited with code 3', 'B']);
    } finally {
      await pool.close();
    }
  });
});

describe('inBatches', () => {
  it('hands every item over in batches and stops starting batches once aborted', async () => {
    const seen: number[][] = [];
    await inBatches([1, 2, 3, 4, 5], 2, undefined, async (b) => {
      seen.push([...b]);
    });
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    const abort = new AbortController();
    const started: number[][] = [];
    await inBatches([1, 2, 3, 4, 5], 2, abort.signal, async (b) => {
      started.push([...b]);
      abort.abort();
    });
    expect(started).toEqual([[1, 2]]);
  });

  it('starts with small batches (8, 16, 32…) up to the size asked, so the first results come back soon', async () => {
    const sizes: number[] = [];
    await inBatches(
      Array.from({ length: 250 }, (_, i) => i),
      64,
      undefined,
      async (b) => {
        sizes.push(b.length);
      },
    );
    expect(sizes).toEqual([8, 16, 32, 64, 64, 64, 2]);
  });

  it('reads a lazy iterable only as each batch starts', async () => {
    let read = 0;
    function* items() {
      for (let i = 0; i < 5; i++) {
        read++;
        yield i;
      }
    }
    const readWhenStarted: number[] = [];
    await inBatches(
      items(),
      2,
      undefined,
      async () => {
        readWhenStarted.push(read);
      },
      1,
    );
    expect(readWhenStarted).toEqual([2, 4, 5]);
  });
});

// Where a scan's grouping runs the embedded engine (engine-thread.ts): in the scan's own thread for one
// batch over a small index; in a thread of its own for more, or for an index large enough to take a
// while to open. How it leaves the index: the merges due done, unless the scan is stopped.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { engineThread, settleIndex } from '../../app/core/fingerprint/engine-thread.ts';
import { RECORDINGS_INDEX } from '../../app/core/fingerprint/recording-groups.ts';
import { IndexEngine } from '../../index-engine/engine-client.ts';
import { lcg, tempDir } from '../helpers.ts';

it('hosts the engine in the caller for one batch over a small index, in its own thread otherwise', () => {
  const indexes = tempDir();
  expect(engineThread(indexes, 1)).toBe('caller'); // no index yet
  const segment = join(indexes, RECORDINGS_INDEX, '0000000000000001-0000000000000001.seg');
  mkdirSync(join(indexes, RECORDINGS_INDEX));
  writeFileSync(segment, 'x');
  expect([engineThread(indexes, 256), engineThread(indexes, 257)]).toEqual(['caller', 'worker']);
  truncateSync(segment, 64 * 1024 ** 2); // sparse: its size, not its blocks, is what opening reads
  expect(engineThread(indexes, 2)).toBe('caller');
  truncateSync(segment, 64 * 1024 ** 2 + 1);
  expect(engineThread(indexes, 2)).toBe('worker');
});

it('waits for the merges a checkpoint calls for, stops waiting when the scan is stopped, fails no scan', async () => {
  // Checkpoints by hand only: nine segments, the tenth left in memory, its merge due at the flush. In the
  // caller's thread, as a small scan's: the merge worker's answer is a message, which no step below lets
  // in before the merge is asked about, so what is counted does not depend on how fast the merge runs.
  const engine = await IndexEngine.open(tempDir(), {
    checkpointPostings: Number.POSITIVE_INFINITY,
    thread: 'caller',
  });
  try {
    await engine.createIndex(RECORDINGS_INDEX);
    const rand = lcg(7);
    const write = async (segment: number) => {
      const changes = Array.from({ length: 2_000 }, (_, i) => ({
        op: 'insert' as const,
        id: segment * 2_000 + i + 1,
        hashes: Array.from({ length: 30 }, rand),
      }));
      await engine.update(RECORDINGS_INDEX, { changes });
    };
    for (let s = 0; s < 9; s++) {
      await write(s);
      await engine.flush(RECORDINGS_INDEX);
    }
    await write(9);
    let told = 0;
    const onMerge = () => told++;
    const stop = new AbortController();
    const settled = settleIndex(engine, stop.signal, onMerge);
    stop.abort();
    await settled;
    expect(await engine.segments(RECORDINGS_INDEX)).toHaveLength(10); // checkpointed, not merged
    expect(told).toBe(0); // stopped: no merge said to be waited for
    await settleIndex(engine, new AbortController().signal, onMerge);
    expect(await engine.segments(RECORDINGS_INDEX)).toHaveLength(1);
    expect(told).toBe(1);
    // An engine gone (as a died one): the scan's grouping stands, its end is not made a failure.
    await engine.close();
    await expect(settleIndex(engine, new AbortController().signal, onMerge)).resolves.toBeUndefined();
  } finally {
    await engine.close();
  }
});

// Where a scan's grouping runs the embedded engine (engine-thread.ts): in the scan's own thread for one
// batch over a small index; in a thread of its own for more, or for an index large enough to take a
// while to open.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { engineThread } from '../../app/core/fingerprint/engine-thread.ts';
import { RECORDINGS_INDEX } from '../../app/core/fingerprint/recording-groups.ts';
import { tempDir } from '../helpers.ts';

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

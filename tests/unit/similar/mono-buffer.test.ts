// The mono buffer reuses the storage of closed buffers, and a closed one never writes into it again.
import { expect, test } from 'vitest';
import { MonoBuffer } from '../../../app/core/similar/mono-buffer.ts';

test('a closed buffer hands its storage to the next of its capacity, and takes nothing more', () => {
  const closed = new MonoBuffer(8);
  closed.push(Int16Array.of(16384, -16384));
  const storage = closed.samples().buffer;
  closed.close();
  const next = new MonoBuffer(8);
  const other = new MonoBuffer(4);
  next.push(Int16Array.of(8192));
  closed.push(Int16Array.of(1, 2, 3));
  expect(next.samples().buffer).toBe(storage);
  expect(other.samples().buffer).not.toBe(storage);
  expect(Array.from(next.samples())).toEqual([0.25]);
  expect(closed.length).toBe(0);
  expect(Array.from(closed.samples())).toEqual([]);
});

import { describe, expect, it } from 'vitest';
import { WindowStore } from '../../../renderer/src/window-store.ts';

/** A server-side list of `size` numbers that records which windows were asked for. */
function list(size: () => number) {
  const asked: Array<[number, number]> = [];
  const fetch = async (offset: number, limit: number) => {
    asked.push([offset, limit]);
    const n = size();
    return {
      total: n,
      items: Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => offset + i),
    };
  };
  return { asked, fetch };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('WindowStore', () => {
  it('fetches only the blocks on screen, once each', async () => {
    const server = list(() => 100_000);
    const store = new WindowStore(server.fetch, 100);
    store.prime();
    await settle();
    expect(store.total).toBe(100_000);
    store.ensure(50_010, 50_060);
    store.ensure(50_020, 50_070);
    await settle();
    expect(server.asked).toEqual([
      [0, 100],
      [50_000, 100],
    ]);
    expect(store.get(50_042)).toBe(50_042);
    store.ensure(-100, 50); // a prefetch margin before the top asks for nothing below 0
    store.refresh();
    await settle();
    expect(server.asked.every(([offset]) => offset >= 0)).toBe(true);
    expect(store.get(70_000)).toBeUndefined();
  });

  it('on refresh reloads what is visible, forgets the rest, and drops rows past a shrunken end', async () => {
    let size = 1000;
    const server = list(() => size);
    const store = new WindowStore(server.fetch, 100);
    store.prime();
    await settle();
    store.ensure(900, 950);
    await settle();
    store.ensure(0, 30);
    size = 50;
    server.asked.length = 0;
    store.refresh();
    await settle();
    expect(server.asked).toEqual([[0, 100]]);
    expect(store.total).toBe(50);
    expect(store.get(920)).toBeUndefined();
  });

  it('ignores answers to requests made before a refresh', async () => {
    let release: () => void = () => undefined;
    let n = 0;
    const store = new WindowStore(async (offset) => {
      n++;
      const stale = n === 1;
      if (stale) await new Promise<void>((r) => (release = r));
      return { total: 10, items: [stale ? 'old' : 'new', offset] };
    }, 10);
    store.prime();
    store.refresh();
    await settle();
    release();
    await settle();
    expect(store.get(0)).toBe('new');
  });

  it('shows the first rows before the count, then takes the total from the count', async () => {
    let counted = 0;
    const store = new WindowStore(
      async (offset, limit) => ({ total: null, items: Array.from({ length: limit }, (_, i) => offset + i) }),
      100,
      async () => {
        counted++;
        return 12_345;
      },
    );
    store.prime();
    await settle();
    expect(store.get(99)).toBe(99);
    await settle();
    expect(store.total).toBe(12_345);
    store.ensure(12_300, 12_400);
    await settle();
    await settle();
    expect(counted).toBe(1); // once per list, not per block
    store.refresh();
    await settle();
    await settle();
    expect(counted).toBe(2); // the library changed: counted again
  });

  it('keeps the rows it has when the count answers that it did not count, and counts when loaded again', async () => {
    const answers: Array<number | null> = [null, 777];
    const store = new WindowStore(
      async (offset, limit) => ({ total: null, items: Array.from({ length: limit }, (_, i) => offset + i) }),
      100,
      async () => answers.shift() ?? null,
    );
    store.prime();
    await settle();
    await settle();
    expect(store.total).toBe(100); // the rows it has, no more: not counted
    store.refresh(); // its rows loaded again: counted then
    await settle();
    await settle();
    expect(store.total).toBe(777);
    expect(answers).toEqual([]);
  });

  it('on refresh of a short list under a prefetch margin, asks for no block past its end and keeps its count', async () => {
    // The backend answers first rows uncounted, the count after: 15 rows, a table asking rows 0..114.
    const asked: number[] = [];
    const items = (offset: number, limit: number) =>
      Array.from({ length: Math.max(0, Math.min(limit, 15 - offset)) }, (_, i) => offset + i);
    const store = new WindowStore(
      async (offset, limit) => {
        asked.push(offset);
        return { total: null, items: items(offset, limit) };
      },
      100,
      async () => 15,
    );
    store.prime();
    await settle();
    store.ensure(-100, 114);
    await settle();
    expect(store.total).toBe(15);
    asked.length = 0;
    store.refresh(); // the library changed
    await settle();
    expect(asked).toEqual([0]);
    expect(store.total).toBe(15);
  });

  it('keeps the error of a failed fetch for the view to show', async () => {
    const store = new WindowStore(async () => {
      throw new Error('backend gone');
    });
    store.prime();
    await settle();
    expect(store.error?.message).toBe('backend gone');
  });
});

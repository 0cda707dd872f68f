import { describe, expect, it } from 'vitest';
import { FileFactsTable } from '../../../fuse/file-facts-table.ts';

describe('FileFactsTable', () => {
  it('keeps each file’s size, version and writability, listing ids in order', () => {
    const t = new FileFactsTable();
    t.set(7, { size: 2 ** 40 + 3, version: 12, writable: true });
    t.set(2, { size: 0, version: 0, writable: false });
    t.set(2 ** 40, { size: 5, version: 1, writable: false });
    t.set(5000, { size: 9, version: 2, writable: true }); // past the first columns: they grow
    expect(t.get(7)).toEqual({ size: 2 ** 40 + 3, version: 12, writable: true });
    expect(t.get(2)).toEqual({ size: 0, version: 0, writable: false });
    expect(t.get(2 ** 40)).toEqual({ size: 5, version: 1, writable: false });
    expect(t.get(5000)).toEqual({ size: 9, version: 2, writable: true });
    expect([t.get(3), t.get(10 ** 6), t.get(2 ** 41)]).toEqual([undefined, undefined, undefined]);
    t.set(7, { size: 1, version: 13, writable: false });
    expect(t.get(7)).toEqual({ size: 1, version: 13, writable: false });
    for (const id of t.keys()) if (id === 5000 || id === 2 ** 40) t.delete(id);
    expect([...t.keys()]).toEqual([2, 7]);
    expect(t.get(5000)).toBeUndefined();
  });

  it('refuses what is not a row id', () => {
    const t = new FileFactsTable();
    for (const id of [-1, 1.5, Number.NaN, 2 ** 60])
      expect(() => t.set(id, { size: 1, version: 1, writable: false })).toThrow(/not a row id/);
    expect([...t.keys()]).toEqual([]);
  });
});

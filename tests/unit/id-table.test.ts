import { describe, expect, it } from 'vitest';
import { IdFloats } from '../../kit/id-floats.ts';
import { IdTable } from '../../kit/id-table.ts';

describe('IdTable', () => {
  it('keeps values by id as a Map would, listing them in id order', () => {
    const t = new IdTable<string>();
    t.set(7, 'seven')
      .set(2, 'two')
      .set(2 ** 40, 'far')
      .set(5, 'five');
    expect(t.size).toBe(4);
    expect([t.get(2), t.get(7), t.get(2 ** 40), t.get(3), t.get(2 ** 41)]).toEqual([
      'two',
      'seven',
      'far',
      undefined,
      undefined,
    ]);
    t.set(7, 'SEVEN');
    expect(t.delete(5)).toBe(true);
    expect(t.delete(5)).toBe(false);
    expect(t.delete(2 ** 40)).toBe(true);
    expect(t.has(5)).toBe(false);
    expect(t.size).toBe(2);
    t.set(2 ** 40 + 1, 'after');
    expect([...t.entries()]).toEqual([
      [2, 'two'],
      [7, 'SEVEN'],
      [2 ** 40 + 1, 'after'],
    ]);
    expect([...t.keys()]).toEqual([2, 7, 2 ** 40 + 1]);
    expect([...t.values()]).toEqual(['two', 'SEVEN', 'after']);
  });

  it('may lose values while they are listed', () => {
    const t = new IdTable<number>();
    for (let id = 1; id <= 5; id++) t.set(id, id * 10);
    for (const id of t.keys()) if (id % 2 === 1) t.delete(id);
    expect([...t.values()]).toEqual([20, 40]);
  });

  it('refuses what is not a row id', () => {
    const t = new IdTable<number>();
    for (const id of [-1, 1.5, Number.NaN, 2 ** 60]) expect(() => t.set(id, 1)).toThrow(/not a row id/);
    expect(t.size).toBe(0);
  });
});

describe('IdFloats', () => {
  it('keeps numbers by id as a Map would, listing ids in order', () => {
    const t = new IdFloats();
    t.set(7, 1.5)
      .set(2, 0)
      .set(2 ** 40, -3)
      .set(5000, 1.7e12 + 0.25); // past the first array: it grows
    expect(t.size).toBe(4);
    expect([t.get(2), t.get(7), t.get(2 ** 40), t.get(5000), t.get(3), t.get(10 ** 6)]).toEqual([
      0,
      1.5,
      -3,
      1.7e12 + 0.25,
      undefined,
      undefined,
    ]);
    t.set(7, 8);
    expect(t.size).toBe(4);
    for (const id of t.keys()) if (id === 5000 || id === 2 ** 40) t.delete(id);
    expect(t.delete(5000)).toBe(false);
    expect([...t.keys()]).toEqual([2, 7]);
    expect([t.size, t.get(7), t.has(5000)]).toEqual([2, 8, false]);
  });

  it('refuses what is not a row id, and NaN (its mark for no value)', () => {
    const t = new IdFloats();
    for (const id of [-1, 1.5, Number.NaN, 2 ** 60]) expect(() => t.set(id, 1)).toThrow(/not a row id/);
    expect(() => t.set(1, Number.NaN)).toThrow(/not a value to keep/);
    expect(t.size).toBe(0);
  });
});

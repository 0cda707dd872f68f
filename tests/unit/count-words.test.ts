import { describe, expect, it } from 'vitest';
import { formatCount, formatNumber } from '../../app/shared/count-words.ts';

describe('formatNumber', () => {
  it("writes a number as toLocaleString('en') does", () => {
    const numbers = [
      0,
      -0,
      7,
      -7,
      999,
      1000,
      -1000,
      12_345,
      999_999,
      1_000_000,
      -1_234_567,
      2 ** 53 - 1,
      0.5,
      1234.5678,
    ];
    for (let n = 1; n < 1e15; n = n * 7 + 3) numbers.push(n, -n);
    for (const n of numbers) expect(formatNumber(n), String(n)).toBe(n.toLocaleString('en'));
  });
});

describe('formatCount', () => {
  it('says the count with its noun, singular or plural', () => {
    expect(formatCount(1, 'track')).toBe('1 track');
    expect(formatCount(1204, 'track')).toBe('1,204 tracks');
    expect(formatCount(2, 'copy', 'copies')).toBe('2 copies');
  });
});

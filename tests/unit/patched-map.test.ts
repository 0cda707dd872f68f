// A map patched generation after generation answers as a plain map given the same changes would: every
// get, has, size and iteration, while the changes share the base and after they outgrow it.
import { describe, expect, it } from 'vitest';
import { PatchedMap } from '../../app/core/library/patched-map.ts';
import { prng } from '../fixtures/music.ts';

describe('PatchedMap', () => {
  it('answers as a plain map through rounds of removals and sets', () => {
    const random = prng(7);
    const plain = new Map<number, string>(Array.from({ length: 4000 }, (_, i) => [i, `v${i}`]));
    let patched: ReadonlyMap<number, string> = new Map(plain);
    let shared = 0;
    for (let round = 0; round < 200; round++) {
      const remove = Array.from({ length: 5 }, () => Math.floor(random() * 5000));
      const set = Array.from({ length: 5 }, () => [Math.floor(random() * 5000), `r${round}`] as const);
      for (const key of remove) plain.delete(key);
      for (const [key, value] of set) plain.set(key, value);
      patched = PatchedMap.patch(patched, remove, set);
      if (patched instanceof PatchedMap) shared++;
      expect(patched.size).toBe(plain.size);
      for (const key of [...remove, ...set.map(([k]) => k), 0, 4999, 6000]) {
        expect(patched.get(key)).toBe(plain.get(key));
        expect(patched.has(key)).toBe(plain.has(key));
      }
    }
    // Most rounds shared the base; some made a plain map once the changes grew past an eighth of it.
    expect(shared).toBeGreaterThan(100);
    expect(shared).toBeLessThan(200);
    const sorted = (m: ReadonlyMap<number, string>) => [...m].sort(([a], [b]) => a - b);
    expect(sorted(patched)).toEqual(sorted(plain));
    expect([...patched.keys()].length).toBe(plain.size);
  });
});

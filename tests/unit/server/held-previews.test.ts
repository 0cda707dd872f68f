// The previews the backend holds for saving: the newest are kept (64, and a bound on the ids across
// them), an evicted or unknown one is a conflict that says to preview again, and the newest is kept even
// when it alone is over the bound.
import { describe, expect, it } from 'vitest';
import { HeldPreviews } from '../../../app/server/held-previews.ts';

describe('held previews', () => {
  it('keeps the newest 64 and says to preview again for one no longer held', () => {
    const held = new HeldPreviews<{ ids: number[]; n: number }>();
    const tokens = Array.from({ length: 65 }, (_, n) => held.hold({ ids: [n + 1], n }));
    expect(new Set(tokens).size).toBe(65);
    expect(() => held.get(tokens[0]!)).toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/preview again$/) }),
    );
    expect(held.get(tokens[1]!).n).toBe(1);
    expect(held.get(tokens[64]!).n).toBe(64);
    expect(() => held.get('never-shown')).toThrow(expect.objectContaining({ code: 'conflict' }));
  });

  it('drops the oldest when the ids held pass the bound, never the newest', () => {
    const held = new HeldPreviews<{ ids: number[] }>();
    const small = held.hold({ ids: new Array<number>(10) });
    const big = held.hold({ ids: new Array<number>(3_000_000) });
    expect(held.get(small).ids.length).toBe(10); // 3,000,010 ids: within the bound
    const bigger = held.hold({ ids: new Array<number>(5_000_000) }); // alone over it
    expect(() => held.get(small)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => held.get(big)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(held.get(bigger).ids.length).toBe(5_000_000);
  });
});

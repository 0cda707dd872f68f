// What "More like this" shows while its questions are answered (renderer/src/similar-search.ts): answers
// come back in any order, and only the last question's are shown.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../app/shared/rpc-contract.ts';
import {
  alikeWords,
  closeness,
  radioSeedIds,
  type SimilarQuestion,
  SimilarSearch,
  type SimilarSeed,
} from '../../renderer/src/similar-search.ts';

type Found = Result<'similar.tracks'>;

/** Answers each question when the test says, in the order it says. */
function answers() {
  const waiting: Array<{ question: SimilarQuestion; answer(f: Found): void; fail(e: Error): void }> = [];
  const neighbours = (question: SimilarQuestion) =>
    new Promise<Found>((answer, fail) => waiting.push({ question, answer, fail }));
  return { waiting, neighbours };
}

const found = (...ids: number[]) => ({ tracks: ids.map((id) => ({ track: { id } })) }) as unknown as Found;
const seed = (label: string, ids: number[]): SimilarSeed => ({ label, seeds: { kind: 'ids', ids } });
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the neighbours "More like this" shows', () => {
  it("never shows the last seed's neighbours under another seed, and shows loading meanwhile", async () => {
    const s = new SimilarSearch();
    const { waiting, neighbours } = answers();
    const a = seed('a', [1]);
    s.ask({ seed: a, includeCopies: false }, neighbours);
    waiting[0]!.answer(found(2, 3));
    await settled();
    expect(s.state).toEqual({ found: found(2, 3), problem: null, loading: false });
    s.ask({ seed: seed('b', [9]), includeCopies: false }, neighbours);
    expect(s.state).toEqual({ found: null, problem: null, loading: true });
    s.ask({ seed: a, includeCopies: true }, neighbours); // copies turned on: another question too
    expect(s.state.found).toBeNull();
  });

  it('keeps the answer on screen while the same question is asked again, then shows the new one', async () => {
    const s = new SimilarSearch();
    const { waiting, neighbours } = answers();
    const question = { seed: seed('a', [1]), includeCopies: false };
    s.ask(question, neighbours);
    waiting[0]!.answer(found(2));
    await settled();
    s.ask({ ...question }, neighbours); // the library changed
    expect(s.state).toEqual({ found: found(2), problem: null, loading: false });
    waiting[1]!.answer(found(2, 4));
    await settled();
    expect(s.state.found).toEqual(found(2, 4));
  });

  it("shows only the last question's answer, whatever order they come in, and none after drop", async () => {
    const s = new SimilarSearch();
    const { waiting, neighbours } = answers();
    s.ask({ seed: seed('a', [1]), includeCopies: false }, neighbours);
    s.ask({ seed: seed('b', [5]), includeCopies: false }, neighbours);
    waiting[1]!.answer(found(6));
    waiting[0]!.answer(found(2));
    await settled();
    expect(s.state.found).toEqual(found(6));
    s.ask({ seed: seed('c', [7]), includeCopies: false }, neighbours);
    s.drop(); // the view is gone
    waiting[2]!.answer(found(8));
    await settled();
    expect(s.state).toEqual({ found: null, problem: null, loading: true });
  });

  it('says why a question failed, with no neighbours, and tells its listeners of each change', async () => {
    const s = new SimilarSearch();
    const { waiting, neighbours } = answers();
    let told = 0;
    const stop = s.subscribe(() => told++);
    s.ask({ seed: seed('a', [1]), includeCopies: false }, neighbours);
    waiting[0]!.fail(new Error('the similarity index is not built'));
    await settled();
    expect(s.state).toEqual({ found: null, problem: 'the similarity index is not built', loading: false });
    expect(told).toBe(2);
    stop();
    s.ask({ seed: seed('b', [2]), includeCopies: false }, neighbours);
    expect(told).toBe(2);
  });
});

describe('"More like this" in words and the radio it starts', () => {
  it('says how alike by distance, and draws the bar from it within 0–1', () => {
    expect([0.05, 0.3, 0.6, 0.9].map(alikeWords)).toEqual([
      'the same sound',
      'very alike',
      'alike',
      'a little alike',
    ]);
    expect([-0.2, 0.25, 1.5].map(closeness)).toEqual([1, 0.75, 0]);
  });

  it("starts a radio with the seed's own tracks, up to 20 of them, never a query's (an album)", () => {
    expect(radioSeedIds(seed('three', [1, 2, 3]))).toEqual([1, 2, 3]);
    const many = Array.from({ length: 21 }, (_, i) => i + 1);
    expect(radioSeedIds(seed('many', many))).toEqual([]);
    expect(radioSeedIds({ label: 'an album', seeds: { kind: 'query', query: 'album:x' } })).toEqual([]);
  });
});

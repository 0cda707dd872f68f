// What Apply in the Identify view writes (renderer/src/identify-apply.ts): exactly the ticked proposals
// that change something, their copies only while asked, counted as the button counts them.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../app/shared/rpc-contract.ts';
import { appliedProposals, applyPlan } from '../../renderer/src/identify-apply.ts';

type Proposal = Result<'identify.propose'>['proposals'][number];

const change = (key: string, before: string[], after: string[]) => ({ key, before, after });
const proposal = (fileId: number, over: Record<string, unknown> = {}): Proposal =>
  ({ fileId, strength: 'strong', changes: [change('title', ['a'], ['A'])], ...over }) as unknown as Proposal;
const copy = (fileId: number) => ({ fileId, changes: [change('title', ['a'], ['A'])] });

const proposals = [
  proposal(1, { releaseId: 'r1', copies: [copy(11), copy(12)] }),
  proposal(2, { strength: 'review' }),
  // The source names Src; the user's own Mine is kept beside it.
  proposal(3, { changes: [change('composer', ['Mine'], ['Src', 'Mine'])], kept: { composer: ['Mine'] } }),
  // The file names Src already: keeping the user's Mine is its only change.
  proposal(4, { changes: [change('composer', ['Src'], ['Src', 'Mine'])], kept: { composer: ['Mine'] } }),
];

describe('what Apply writes in the Identify view', () => {
  it('writes the ticked proposals, their copies only while asked, and counts the files', () => {
    const off = applyPlan(proposals, { ticked: new Set([1, 2]), replacing: new Set(), copies: false });
    expect(off.picked.map((p) => p.fileId)).toEqual([1, 2]);
    expect([off.files, off.withRelease, off.anyCopies, off.strong]).toEqual([2, true, true, 3]);
    const on = applyPlan(proposals, { ticked: new Set([1, 2]), replacing: new Set(), copies: true });
    expect(on.files).toBe(4);
    expect(appliedProposals(on.picked, true)[0]).toEqual({
      fileId: 1,
      changes: [change('title', ['a'], ['A'])],
      releaseId: 'r1',
      copies: [copy(11), copy(12)],
    });
    expect(appliedProposals(off.picked, false)[0]).not.toHaveProperty('copies');
    const none = applyPlan(proposals, { ticked: new Set(), replacing: new Set(), copies: true });
    expect([none.files, none.withRelease]).toEqual([0, false]);
  });

  it("keeps the user's own credits unless asked to replace them, and leaves out what then changes nothing", () => {
    const picks = { ticked: new Set([3, 4]), copies: false };
    const kept = applyPlan(proposals, { ...picks, replacing: new Set() });
    expect(kept.picked.map((p) => p.changes[0]!.after)).toEqual([
      ['Src', 'Mine'],
      ['Src', 'Mine'],
    ]);
    const replaced = applyPlan(proposals, { ...picks, replacing: new Set([3, 4]) });
    expect(replaced.picked.map((p) => [p.fileId, p.changes[0]!.after])).toEqual([[3, ['Src']]]);
    expect(replaced.files).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { carriedTicks, ticksFor } from '../../../renderer/src/identify-ticks.ts';

type Proposal = Result<'identify.propose'>['proposals'][number];

const proposal = (
  fileId: number,
  strength: Proposal['strength'],
  over: Partial<Proposal> = {},
): Proposal => ({
  fileId,
  source: 'copy',
  sourceId: 100,
  strength,
  reasons: [],
  changes: [{ fileId, key: 'title', before: [], after: ['Amber Light'] }],
  ...over,
});

describe('identify ticks', () => {
  const own = [proposal(1, 'strong'), proposal(2, 'review'), proposal(3, 'strong')];

  it('ticks all, none, or the strong only', () => {
    expect([...ticksFor(own, 'all')]).toEqual([1, 2, 3]);
    expect([...ticksFor(own, 'none')]).toEqual([]);
    expect([...ticksFor(own, 'strong')]).toEqual([1, 3]);
  });

  it('ticks the strong ones of a first answer', () => {
    expect([...carriedTicks([], new Set(), own)]).toEqual([1, 3]);
  });

  it('keeps the user’s ticks for the proposals a later answer repeats, and only those', () => {
    // The user ticked 2 and unticked 3; the services' answer repeats 2 and 3, replaces 1 with a release's
    // proposal (strong: ticked), and adds 4 (to review: not).
    const web = [
      proposal(1, 'strong', { source: 'release', sourceId: undefined, releaseId: 'r' }),
      own[1]!,
      own[2]!,
      proposal(4, 'review', { source: 'acoustid', sourceId: undefined }),
    ];
    expect([...carriedTicks(own, new Set([1, 2]), web)]).toEqual([1, 2]);
    // A proposal whose changes differ is another one: its strength decides.
    const changed = [{ ...own[2]!, changes: [{ fileId: 3, key: 'title', before: [], after: ['Other'] }] }];
    expect([...carriedTicks(own, new Set(), changed)]).toEqual([3]);
  });
});

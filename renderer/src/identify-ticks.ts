// Which of an identification's proposals are ticked: the strong ones when an answer first comes, all, none
// or the strong only at the user's word, and, when a later answer replaces an earlier one (the web
// services' after the library's own, a release chosen), the user's ticks kept for every proposal that is
// still the same.
import type { Result } from '../../app/shared/rpc-contract.ts';

type Proposal = Result<'identify.propose'>['proposals'][number];

export type TickChoice = 'all' | 'none' | 'strong';

export function ticksFor(proposals: readonly Proposal[], choice: TickChoice): Set<number> {
  const chosen =
    choice === 'none' ? [] : proposals.filter((p) => choice === 'all' || p.strength === 'strong');
  return new Set(chosen.map((p) => p.fileId));
}

/** What makes two proposals for a file the same one: where it comes from and what it changes. */
const sameness = (p: Proposal) =>
  JSON.stringify([p.source, p.sourceId, p.releaseId, p.recordingId, p.strength, p.changes]);

/** The ticks for `next`: as they were in `prev` for the proposals it repeats, the strong ones ticked of
 *  the rest. */
export function carriedTicks(
  prev: readonly Proposal[],
  ticked: ReadonlySet<number>,
  next: readonly Proposal[],
): Set<number> {
  const before = new Map(prev.map((p) => [p.fileId, sameness(p)]));
  return new Set(
    next
      .filter((p) => (before.get(p.fileId) === sameness(p) ? ticked.has(p.fileId) : p.strength === 'strong'))
      .map((p) => p.fileId),
  );
}

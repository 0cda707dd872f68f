// What Apply in the Identify view writes, from the proposals and what the user ticked: the ticked
// proposals with a change (as the source names the credits when the user asked to replace theirs), their
// other copies while "Also their other copies" is on, the files counted on the button, and the request
// that applies exactly those. Pure: no DOM, no React.
import { replacingKept } from '../../app/shared/kept-credits.ts';
import type { Params, Result } from '../../app/shared/rpc-contract.ts';

type Proposal = Result<'identify.propose'>['proposals'][number];

export interface IdentifyPicks {
  readonly ticked: ReadonlySet<number>;
  /** Proposals whose user's credits are removed too (applied as the source names them). */
  readonly replacing: ReadonlySet<number>;
  /** Their other copies are written too. */
  readonly copies: boolean;
}

export interface ApplyPlan {
  readonly picked: readonly Proposal[];
  /** The files Apply writes: the picked proposals' and, while asked, their copies. */
  readonly files: number;
  /** A picked proposal names a release (its front cover may come with it). */
  readonly withRelease: boolean;
  /** Some proposal has other copies to offer ("Also their other copies" is shown). */
  readonly anyCopies: boolean;
  readonly strong: number;
}

/** The copies a proposal writes too: none unless asked. */
export const copiesOf = (p: Proposal, copies: boolean): NonNullable<Proposal['copies']> =>
  copies ? (p.copies ?? []) : [];

export function applyPlan(proposals: readonly Proposal[], picks: IdentifyPicks): ApplyPlan {
  const picked = proposals
    .filter((p) => picks.ticked.has(p.fileId))
    .map((p) => (picks.replacing.has(p.fileId) ? replacingKept(p) : p))
    .filter((p) => p.changes.length > 0);
  return {
    picked,
    files: picked.reduce((n, p) => n + 1 + copiesOf(p, picks.copies).length, 0),
    withRelease: proposals.some((p) => picks.ticked.has(p.fileId) && p.releaseId),
    anyCopies: proposals.some((p) => (p.copies ?? []).length > 0),
    strong: proposals.filter((p) => p.strength === 'strong').length,
  };
}

/** What Apply sends: each picked proposal's changes and release, and exactly the copies listed under it
 *  (the backend writes these and no others). */
export function appliedProposals(
  picked: readonly Proposal[],
  copies: boolean,
): Params<'identify.apply'>['proposals'] {
  const changes = (c: Proposal['changes']) => c.map(({ key, before, after }) => ({ key, before, after }));
  return picked.map((p) => ({
    fileId: p.fileId,
    changes: changes(p.changes),
    ...(p.releaseId ? { releaseId: p.releaseId } : {}),
    ...(copiesOf(p, copies).length > 0
      ? { copies: copiesOf(p, copies).map((c) => ({ fileId: c.fileId, changes: changes(c.changes) })) }
      : {}),
  }));
}

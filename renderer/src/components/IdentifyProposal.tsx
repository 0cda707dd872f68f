// One proposal in the Identify view: its tick (the element the arrow keys move between), the file, where
// the proposal comes from and how sure it is, why it is to review, its before → after diff (less what the
// album shows once for every track), and, while asked for, the other copies it writes with theirs.
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { DiffTable } from './DiffTable.tsx';

type Proposal = Result<'identify.propose'>['proposals'][number];
type Change = Proposal['changes'][number];

interface Props {
  readonly proposal: Proposal;
  readonly name: string;
  /** Where it comes from, in words ("its copy a.flac"). */
  readonly from: string;
  /** Its own reasons (the album's are shown with the album). */
  readonly reasons: readonly string[];
  /** The changes shown under it (those every track of its album shares are shown once, above). */
  readonly changes: readonly Change[];
  /** The other copies it writes too, by name (empty unless asked for). */
  readonly copies: ReadonlyArray<{
    readonly fileId: number;
    readonly name: string;
    readonly changes: readonly Change[];
  }>;
  readonly ticked: boolean;
  readonly disabled: boolean;
  onTick(ticked: boolean): void;
  /** Whether applying it removes the credits the user entered that the source lacks (its `kept`). */
  readonly replacing: boolean;
  onReplace(replacing: boolean): void;
}

export function IdentifyProposal({
  proposal,
  name,
  from,
  reasons,
  changes,
  copies,
  ticked,
  disabled,
  onTick,
  replacing,
  onReplace,
}: Props) {
  const kept = Object.entries(proposal.kept ?? {});
  return (
    <li className={proposal.strength}>
      <label className="checkbox proposal-head">
        <input
          type="checkbox"
          className="tick"
          checked={ticked}
          disabled={disabled}
          onChange={(e) => onTick(e.target.checked)}
        />{' '}
        <strong>{name}</strong> ← {from} ·{' '}
        <span className="badge">{proposal.strength === 'strong' ? 'strong' : 'to review'}</span>
      </label>
      {reasons.length > 0 && <div className="hint">{reasons.join('; ')}</div>}
      <DiffTable changes={changes} />
      {kept.length > 0 && (
        <label className="checkbox replace-kept">
          <input
            type="checkbox"
            checked={replacing}
            disabled={disabled}
            onChange={(e) => onReplace(e.target.checked)}
          />{' '}
          Also remove what you entered that the source lacks:{' '}
          {kept.map(([key, values]) => `${key} ${values.join('; ')}`).join(' · ')}
        </label>
      )}
      {copies.length > 0 && (
        <ul className="copies" aria-label={`Other copies of ${name}`}>
          {copies.map((c) => (
            <li key={c.fileId}>
              and its copy <strong>{c.name}</strong>
              <DiffTable changes={c.changes} />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

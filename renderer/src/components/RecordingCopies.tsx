// One recording's copies in the Duplicates view: a row each with what tells them apart, the kept one
// marked, and what the user can do with each (keep it, go back to the suggested copy, split it out, play).
import { useState } from 'react';
import { formatKHz } from '../../../app/shared/fields.ts';
import { formatName } from '../../../app/shared/format-names.ts';
import type { DuplicateGroup } from '../../../app/shared/rpc-contract.ts';
import { copyName, keepDoubt } from '../duplicate-groups.ts';
import { fileName, formatCount, formatDuration } from '../format.ts';

type Member = DuplicateGroup['members'][number];

interface Actions {
  /** Keep this copy (true), or go back to the suggested one (false). */
  onKeep(m: Member, keep: boolean): void;
  onSplit(m: Member): void;
  onPlay(m: Member): void;
}

const COLUMNS = ['keep', 'title', 'format', 'bitrate', 'length', 'match', 'notes', 'play'] as const;

export function RecordingCopies({ group, ...actions }: { group: DuplicateGroup } & Actions) {
  const kept = group.members.find((m) => m.best);
  // Keeping a copy made from another copy of the group, or a part of the recording, is asked again.
  const [asking, setAsking] = useState<Member | null>(null);
  // Read again from the group as it is now: a rescan may have changed either copy meanwhile.
  const now = asking && group.members.find((m) => m.id === asking.id);
  const doubt = now ? keepDoubt(now, group) : undefined;
  const keep = (m: Member, yes: boolean) => {
    if (yes && keepDoubt(m, group)) setAsking(m);
    else actions.onKeep(m, yes);
  };
  return (
    <article className="dup-group" aria-label={`Recording ${group.group}`}>
      <h3>
        {kept?.title ?? 'Untitled'}
        <span className="dim"> · {formatCount(group.members.length, 'copy', 'copies')}</span>
      </h3>
      {kept && (
        <p className="dim dup-why">
          Kept: the {copyName(kept)} copy — {kept.why}
        </p>
      )}
      <table>
        {/* Fixed widths: each group is a table of its own, and their columns line up down the view. */}
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c} className={`dup-col-${c}`} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th>Keep</th>
            <th>Title / path</th>
            <th>Format</th>
            <th>Bitrate</th>
            <th>Length</th>
            <th>Match</th>
            <th>Notes</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {group.members.map((m) => (
            <CopyRow key={m.id} copy={m} group={group} {...actions} onKeep={keep} />
          ))}
        </tbody>
      </table>
      {asking && doubt && (
        <KeepQuestion
          copy={asking}
          doubt={doubt}
          answer={(yes) => {
            setAsking(null);
            if (yes) actions.onKeep(asking, true);
          }}
        />
      )}
    </article>
  );
}

function CopyRow({
  copy: m,
  group,
  onKeep,
  onSplit,
  onPlay,
}: { copy: Member; group: DuplicateGroup } & Actions) {
  return (
    <tr className={m.best ? 'kept' : ''} aria-label={`Copy ${m.id}`}>
      <td>
        <input
          type="radio"
          name={`keep-${group.group}`}
          aria-label={`Keep copy ${m.id}`}
          checked={m.best}
          onChange={() => onKeep(m, true)}
        />
      </td>
      <td className="dup-title">
        <div>
          {m.title ?? fileName(m.path)}
          {m.artist ? <span className="dim"> · {m.artist}</span> : null}
        </div>
        <div className="dim path" title={m.path}>
          {m.path}
        </div>
        {!m.best && <div className="dup-below">Below the kept copy: {m.why}</div>}
      </td>
      <td>
        {m.format === null ? '?' : formatName(m.format, m.codec)}
        {m.lossless ? <span className="badge">lossless</span> : null}
      </td>
      <td>{m.bitrate ? `${Math.round(m.bitrate / 1000)} kbps` : ''}</td>
      <td>{formatDuration(m.duration)}</td>
      <td>{m.best ? '' : `${Math.round(m.score * 100)} %`}</td>
      <td className="notes">
        <CopyBadges copy={m} group={group} />
        {m.preferred && (
          <button type="button" className="link" onClick={() => onKeep(m, false)}>
            use suggested
          </button>
        )}
        <button
          type="button"
          className="link"
          aria-label={`Not this recording: split copy ${m.id} out`}
          onClick={() => onSplit(m)}
        >
          not this recording
        </button>
      </td>
      <td>
        <button type="button" aria-label={`Play copy ${m.id}`} onClick={() => onPlay(m)}>
          ▶
        </button>
      </td>
    </tr>
  );
}

function KeepQuestion({ copy, doubt, answer }: { copy: Member; doubt: string; answer(yes: boolean): void }) {
  return (
    <fieldset className="root-confirm" aria-label={`Keep copy ${copy.id}?`}>
      <span>{doubt} Keep it anyway?</span>
      <button type="button" onClick={() => answer(true)}>
        Keep it anyway
      </button>
      <button type="button" onClick={() => answer(false)}>
        Cancel
      </button>
    </fieldset>
  );
}

/** What is known of a copy beside its format: the user's choice, edits it carries, how it was made. */
function CopyBadges({ copy: m, group }: { copy: Member; group: DuplicateGroup }) {
  return (
    <>
      {m.preferred && <span className="badge choice">your choice</span>}
      {m.suggested && <span className="badge">suggested</span>}
      {m.carriesEdits && <span className="badge edits">carries your edits</span>}
      {m.transcodedFrom !== null && (
        <span className="badge warn" title={`Made from the lossy copy ${m.transcodedFrom}`}>
          transcoded from lossy
        </span>
      )}
      {m.transcodedFrom === null && m.lossyCut !== null && (
        <span
          className="badge warn"
          title={`Its audio stops sharply at ${formatKHz(m.lossyCut)}, as a lossy encoder's low-pass does`}
        >
          looks transcoded from lossy
        </span>
      )}
      {m.partialOffset !== null && (
        <span className="badge">partial, from {formatDuration(m.partialOffset)}</span>
      )}
      {m.identicalTo !== null && (
        <span className="badge">
          same bytes as {fileName(group.members.find((o) => o.id === m.identicalTo)?.path ?? '')}
        </span>
      )}
    </>
  );
}

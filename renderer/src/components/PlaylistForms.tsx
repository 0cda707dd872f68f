// The Playlists view's forms: a new smart playlist's name, query and limit, and the report of an M3U8
// file imported (the entries placed, and each one that was not, with its line and why).
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { formatCount } from '../format.ts';
import { type SmartDraft, smartProblem } from '../playlist-words.ts';
import { checkQuery } from './QueryBar.tsx';

export function SmartPlaylistForm(props: {
  draft: SmartDraft;
  onDraft(draft: SmartDraft): void;
  onCreate(): void;
  onCancel(): void;
}) {
  const { draft, onDraft, onCreate, onCancel } = props;
  // The query checked as typed by the parser the backend uses, as the query bar is.
  const problem = checkQuery(draft.query)?.message ?? smartProblem(draft);
  return (
    <form
      className="smart-form"
      aria-label="New smart playlist"
      onSubmit={(e) => {
        e.preventDefault();
        onCreate();
      }}
    >
      <input
        aria-label="Name"
        placeholder="Name"
        value={draft.name}
        onChange={(e) => onDraft({ ...draft, name: e.target.value })}
      />
      <input
        aria-label="Query"
        placeholder="Query, e.g. genre:ambient date-"
        value={draft.query}
        onChange={(e) => onDraft({ ...draft, query: e.target.value })}
      />
      <input
        aria-label="Most tracks"
        placeholder="Most tracks (empty: all)"
        inputMode="numeric"
        value={draft.limit}
        onChange={(e) => onDraft({ ...draft, limit: e.target.value })}
      />
      <button type="submit" className="primary" disabled={draft.name.trim() === '' || problem !== null}>
        Create
      </button>
      <button type="button" onClick={() => onCancel()}>
        Cancel
      </button>
      {problem && (
        <span className="problem" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}

export function ImportReport({
  report,
  onDismiss,
}: {
  report: Result<'playlists.import'>;
  onDismiss(): void;
}) {
  return (
    <div className="import-report" role="status">
      Imported {formatCount(report.entries - report.skipped.length, 'entry', 'entries')} of {report.entries}{' '}
      into “{report.playlist.name}”.
      {report.skipped.length > 0 && (
        <>
          {' '}
          Not placed:
          <ul aria-label="Entries not imported">
            {report.skipped.map((e) => (
              <li key={e.line}>
                line {e.line}: {e.location} <span className="dim">({e.reason})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="link" onClick={() => onDismiss()}>
        Dismiss
      </button>
    </div>
  );
}

// The Playlists view's forms: a new empty list's name; a smart playlist's name, query and limit (a new
// one's, or an open one's query and limit changed); and the report of an M3U8 file imported (the entries placed, and each one that was
// not, with its line and why).
import { useState } from 'react';
import type { PlaylistInfo, Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { type SmartDraft, smartProblem, typedLimit } from '../playlist-words.ts';
import { NameForm } from './NameForm.tsx';
import { checkQuery } from './QueryBar.tsx';

export function SmartPlaylistForm(props: {
  draft: SmartDraft;
  onDraft(draft: SmartDraft): void;
  onCreate(): void;
  onCancel(): void;
  /** Changing an open smart playlist's query and limit (its name is Rename's): Save, not Create. */
  editing?: boolean;
}) {
  const { draft, onDraft, onCreate, onCancel, editing = false } = props;
  // The query checked as typed by the parser the backend uses, as the query bar is.
  const problem = checkQuery(draft.query)?.message ?? smartProblem(draft);
  return (
    <form
      className="smart-form"
      aria-label={editing ? `Query of ${draft.name}` : 'New smart playlist'}
      onSubmit={(e) => {
        e.preventDefault();
        onCreate();
      }}
    >
      {!editing && (
        <input
          aria-label="Name"
          placeholder="Name"
          value={draft.name}
          onChange={(e) => onDraft({ ...draft, name: e.target.value })}
        />
      )}
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
        {editing ? 'Save' : 'Create'}
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

/** An open smart playlist's "Edit query…": its query and limit changed in place, as `sleeve playlist
 *  query` changes them. */
export function SmartQueryEdit({ playlist }: { playlist: PlaylistInfo }) {
  const { backend, fail } = useApp();
  const [draft, setDraft] = useState<SmartDraft | null>(null);
  if (playlist.query === null) return null;
  if (!draft)
    return (
      <button
        type="button"
        onClick={() =>
          setDraft({
            name: playlist.name,
            query: playlist.query ?? '',
            limit: playlist.limit === null ? '' : String(playlist.limit),
          })
        }
      >
        Edit query…
      </button>
    );
  const save = () =>
    backend.client
      .call('playlists.editSmart', { id: playlist.id, query: draft.query, limit: typedLimit(draft.limit) })
      .then(() => setDraft(null), fail);
  return (
    <SmartPlaylistForm
      draft={draft}
      onDraft={setDraft}
      onCreate={save}
      onCancel={() => setDraft(null)}
      editing
    />
  );
}

/** "New list…": an empty list, named; tracks are added to it from the Tracks view (Add to playlist…, or a
 *  drag onto it). */
export function NewListButton({ onMade }: { onMade(id: number): void }) {
  const { backend, fail, toast } = useApp();
  const [naming, setNaming] = useState(false);
  if (!naming)
    return (
      <button type="button" onClick={() => setNaming(true)}>
        New list…
      </button>
    );
  const make = (name: string) =>
    backend.client.call('playlists.create', { name, from: { kind: 'ids', ids: [] } }).then((made) => {
      setNaming(false);
      onMade(made.id);
      toast(
        'info',
        `Made the list “${made.name}”: add tracks to it from Tracks (Add to playlist…, or a drag).`,
      );
    }, fail);
  return <NameForm label="List name" action="Make list" onSave={make} onCancel={() => setNaming(false)} />;
}

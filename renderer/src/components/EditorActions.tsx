// The buttons atop the editor's pane: hide it, play or queue the selection, more like it, Identify, Tools,
// and save it as or add it to a playlist.
import type { ReactNode } from 'react';
import type { Sort, Target, TrackRow } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { append, playNext, playNow } from '../queue.ts';
import type { SelectionActions } from '../use-selection-actions.ts';
import type { TracksPanels } from '../use-tracks-panels.ts';
import { AddToPlaylistMenu } from './AddToPlaylist.tsx';
import { NameForm } from './NameForm.tsx';

interface Props {
  readonly target: Target;
  readonly sort: Sort | null;
  readonly singleRow: TrackRow | undefined;
  readonly unplayable: string | undefined;
  readonly actions: SelectionActions;
  readonly panels: TracksPanels;
  onHide(): void;
}

export function EditorActions({ target, sort, singleRow, unplayable, actions, panels, onHide }: Props) {
  const { backend, fail, toast } = useApp();
  const { queueSelection, moreLikeThis } = actions;
  const { savingAs, setSavingAs, addingTo, setAddingTo } = panels;
  return (
    <div className="aside-actions">
      <button type="button" onClick={onHide} title="Hide the tag editor: the table takes the room">
        Hide ›
      </button>
      <AudioAction unplayable={unplayable} onClick={() => queueSelection((q, items) => playNow(q, items))}>
        Play
      </AudioAction>
      <AudioAction unplayable={unplayable} onClick={() => queueSelection(playNext)}>
        Play next
      </AudioAction>
      <AudioAction unplayable={unplayable} onClick={() => queueSelection(append)}>
        Add to queue
      </AudioAction>
      <AudioAction unplayable={unplayable} onClick={moreLikeThis} title="Similar-sounding tracks (M)">
        More like this
      </AudioAction>
      <button
        type="button"
        disabled={singleRow?.status === 'error'}
        title={singleRow?.status === 'error' ? unplayable : undefined}
        onClick={() => panels.setIdentifying(true)}
      >
        Identify…
      </button>
      <button type="button" onClick={() => panels.setTooling(true)}>
        Tools…
      </button>
      {savingAs ? (
        <NameForm
          label="Playlist name"
          action="Save playlist"
          onCancel={() => setSavingAs(false)}
          onSave={(name) =>
            backend.client
              .call('playlists.create', { name, from: { kind: 'selection', target, sort } })
              .then((p) => {
                setSavingAs(false);
                toast('info', `Saved ${formatCount(p.tracks, 'track')} as the playlist “${p.name}”.`);
              }, fail)
          }
        />
      ) : (
        <>
          <button type="button" onClick={() => setSavingAs(true)}>
            Save as playlist…
          </button>
          <button
            type="button"
            onClick={(e) => {
              const box = e.currentTarget.getBoundingClientRect();
              setAddingTo({ x: box.left, y: box.bottom });
            }}
          >
            Add to playlist…
          </button>
        </>
      )}
      {addingTo && (
        <AddToPlaylistMenu
          target={target}
          sort={sort}
          at={addingTo}
          onNew={() => setSavingAs(true)}
          onClose={() => setAddingTo(null)}
        />
      )}
    </div>
  );
}

/** A button of the editor's pane that needs the selected track's audio: off, saying why, when it has none. */
function AudioAction({
  unplayable,
  title,
  onClick,
  children,
}: {
  unplayable: string | undefined;
  title?: string;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <button type="button" disabled={unplayable !== undefined} title={unplayable ?? title} onClick={onClick}>
      {children}
    </button>
  );
}

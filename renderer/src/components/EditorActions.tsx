// The buttons atop the editor's pane, one row: hide it, play the selection, Identify, Tools, and a menu of
// the rest (queue it, more like it, save it as or add it to a playlist, its tags as a spreadsheet).
import { type ReactNode, useState } from 'react';
import type { Sort, Target, TrackRow } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { append, playNext, playNow } from '../queue.ts';
import type { SelectionActions } from '../use-selection-actions.ts';
import type { TracksPanels } from '../use-tracks-panels.ts';
import { AddToPlaylistMenu } from './AddToPlaylist.tsx';
import { ContextMenu, type MenuItem } from './ContextMenu.tsx';
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
  // The rest of the selection's actions, in a menu: one row of buttons leaves the editor's fields the
  // height of the window (four rows of them used to push the fields down at 1280×800).
  const [more, setMore] = useState<{ x: number; y: number } | null>(null);
  const audio = (run: () => void) => ({ run, disabled: unplayable !== undefined });
  const moreItems: MenuItem[] = [
    { label: 'Play next', ...audio(() => void queueSelection(playNext)) },
    { label: 'Add to queue', ...audio(() => void queueSelection(append)) },
    { label: 'More like this', ...audio(moreLikeThis) },
    { label: 'Save as playlist…', run: () => setSavingAs(true), separated: true },
    { label: 'Add to playlist…', run: () => more && setAddingTo(more) },
    { label: 'Tags as text…', run: () => panels.setTexting(true), separated: true },
  ];
  return (
    <div className="aside-actions">
      <button
        type="button"
        className="hide-editor"
        onClick={onHide}
        aria-label="Hide the editor"
        title="Hide the tag editor: the table takes the room"
      >
        ›
      </button>
      <AudioAction unplayable={unplayable} onClick={() => queueSelection((q, items) => playNow(q, items))}>
        Play
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
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={more !== null}
        title="Play next, add to the queue, more like this, playlists, tags as text"
        onClick={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          setMore(more ? null : { x: box.left, y: box.bottom });
        }}
      >
        More ▾
      </button>
      {more && (
        <ContextMenu
          x={more.x}
          y={more.y}
          label="More actions"
          items={moreItems}
          onClose={() => setMore(null)}
        />
      )}
      {savingAs && (
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

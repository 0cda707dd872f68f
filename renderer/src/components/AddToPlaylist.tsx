// The selection added to an existing list: from a menu of the lists (beside Save as playlist…), or by
// dragging the selected rows onto one of the lists shown while the drag lasts. Smart playlists are not
// offered: their query chooses their tracks.
import { type DragEvent, useEffect, useState } from 'react';
import type { PlaylistInfo, Sort, Target } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { ContextMenu } from './ContextMenu.tsx';
import { TRACKS_DRAG } from './TrackTable.tsx';

interface Props {
  readonly target: Target;
  readonly sort: Sort | null;
}

/** The lists (not smart playlists), loaded when shown; and how to add the selection to one. */
function useLists({ target, sort }: Props) {
  const { backend, fail, toast } = useApp();
  const [lists, setLists] = useState<PlaylistInfo[] | null>(null);
  useEffect(() => {
    let live = true;
    backend.client
      .call('playlists.list', {})
      .then((r) => live && setLists(r.playlists.filter((p) => p.query === null)), fail);
    return () => {
      live = false;
    };
  }, [backend, fail]);
  const add = (p: PlaylistInfo) =>
    backend.client
      .call('playlists.add', { id: p.id, from: { kind: 'selection', target, sort } })
      .then(
        (after) =>
          toast(
            'info',
            `Added ${formatCount(after.tracks - p.tracks, 'track')} to “${after.name}” (${after.tracks} now)${after.alreadyThere > 0 ? `: ${after.alreadyThere} of them listed already, now twice` : ''}.`,
          ),
        fail,
      );
  return { lists, add };
}

/** "Add to playlist…": a menu of the lists under the button. */
export function AddToPlaylistMenu({
  at,
  onNew,
  onClose,
  ...props
}: Props & {
  at: { x: number; y: number };
  onNew(): void;
  onClose(): void;
}) {
  const { lists, add } = useLists(props);
  if (!lists) return null;
  return (
    <ContextMenu
      x={at.x}
      y={at.y}
      label="Add to playlist"
      onClose={onClose}
      items={[
        ...lists.map((p) => ({ label: `“${p.name}” (${p.tracks})`, run: () => void add(p) })),
        { label: 'New playlist…', run: onNew, separated: lists.length > 0 },
      ]}
    />
  );
}

/** While selected rows are dragged: the lists, each a place to drop them. */
export function PlaylistDropTargets(props: Props) {
  const { lists, add } = useLists(props);
  const [over, setOver] = useState<number | null>(null);
  const accepts = (e: DragEvent) => e.dataTransfer.types.includes(TRACKS_DRAG);
  if (!lists) return null;
  return (
    <ul className="drop-playlists" aria-label="Drop on a playlist">
      {lists.length === 0 && <li className="dim">No lists yet: Save as playlist… makes one.</li>}
      {lists.map((p) => (
        <li
          key={p.id}
          className={over === p.id ? 'over' : ''}
          onDragOver={(e) => {
            if (!accepts(e)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            setOver(p.id);
          }}
          onDragLeave={() => setOver((o) => (o === p.id ? null : o))}
          onDrop={(e) => {
            if (!accepts(e)) return;
            e.preventDefault();
            setOver(null);
            void add(p);
          }}
        >
          {p.name} <span className="dim">({formatCount(p.tracks, 'track')})</span>
        </li>
      ))}
    </ul>
  );
}

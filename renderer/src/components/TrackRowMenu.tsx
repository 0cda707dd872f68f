// The row menu: the selection's actions (the right-clicked row is in it), then the row's own file.
import type { TrackRow } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { desktop } from '../backend.ts';
import { formatCount } from '../format.ts';
import { append, playNext, playNow } from '../queue.ts';
import type { Selection } from '../selection.ts';
import type { SelectionActions } from '../use-selection-actions.ts';
import { ContextMenu, type MenuItem } from './ContextMenu.tsx';

interface Props {
  /** The row it opened on, and where. */
  readonly at: { row: TrackRow; x: number; y: number };
  readonly selection: Selection;
  readonly count: number;
  readonly actions: SelectionActions;
  editTags(): void;
  onIdentify(): void;
  onTools(): void;
  onUndo(batchId: number): void;
  onClose(): void;
}

export function TrackRowMenu({
  at,
  selection,
  count,
  actions,
  editTags,
  onIdentify,
  onTools,
  onUndo,
  onClose,
}: Props) {
  const { backend, fail, toast, saved } = useApp();
  const { client } = backend;
  const { row } = at;
  const { queueSelection, moreLikeThis } = actions;
  const joinSelected = () => {
    const [a, b] = [...selection.ids];
    if (a === undefined || b === undefined) return;
    client
      .call('dup.join', { ids: [a, b] })
      .then((r) => saved(r.batch.description, r.batch.id, onUndo), fail);
  };
  const several = count > 1 ? ` (${formatCount(count, 'track')})` : '';
  const copyPath = () =>
    navigator.clipboard.writeText(row.path).then(
      () => toast('info', `Copied ${row.path}`),
      () => toast('error', 'The browser did not allow copying to the clipboard.'),
    );
  const items: MenuItem[] = [
    { label: `Play${several}`, run: () => void queueSelection((q, items) => playNow(q, items)) },
    { label: 'Play next', run: () => void queueSelection(playNext) },
    { label: 'Add to queue', run: () => void queueSelection(append) },
    { label: 'Edit tags', run: editTags, separated: true },
    { label: 'More like this', run: moreLikeThis },
    { label: 'Identify…', run: onIdentify },
    { label: 'Tools…', run: onTools },
    // Two tracks the fingerprints did not group: the user says they are one recording.
    ...(count === 2 && !selection.all ? [{ label: 'Same recording', run: joinSelected }] : []),
    {
      label: 'Show in folder',
      separated: true,
      run: () => {
        if (desktop) desktop.revealInFolder(row.path).catch(fail);
        else
          client.call('track.reveal', { id: row.id }).then((r) => {
            // Said either way: the file manager may open behind the browser, or on another screen.
            if (r.opened) toast('info', `Asked the file manager to open ${r.folder}.`);
            else
              toast('error', `No file manager could be started for ${r.folder}.`, {
                label: 'Copy path',
                run: copyPath,
              });
          }, fail);
      },
    },
    { label: 'Copy path', run: copyPath },
  ];
  return <ContextMenu x={at.x} y={at.y} label="Track actions" items={items} onClose={onClose} />;
}

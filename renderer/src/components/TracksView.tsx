// The Tracks view: the table area, the editor's pane beside it for a selection, and Identify over both.
import type { Sort } from '../../../app/shared/rpc-contract.ts';
import type { EditorLayout } from '../use-editor-layout.ts';
import type { TrackSelection } from '../use-selection.ts';
import type { SelectionActions } from '../use-selection-actions.ts';
import type { TrackList } from '../use-track-list.ts';
import type { TracksPanels } from '../use-tracks-panels.ts';
import { EditorPane } from './EditorPane.tsx';
import { IdentifyView } from './IdentifyView.tsx';
import { TrackListArea } from './TrackListArea.tsx';

interface Props {
  readonly query: string;
  readonly sort: Sort | null;
  readonly queryCurrent: boolean;
  readonly list: TrackList;
  readonly selected: TrackSelection;
  readonly actions: SelectionActions;
  readonly panels: TracksPanels;
  readonly editor: EditorLayout;
  readonly playingId: number | null;
  onSort(sort: Sort | null): void;
  onAddFolder(): void;
  onUndo(batchId?: number): void;
}

export function TracksView(props: Props) {
  const { sort, selected, actions, panels, editor, onUndo } = props;
  const { target } = selected;
  return (
    <div className="tracks-view">
      <TrackListArea {...props} editTags={editor.editTags} />
      {target && (
        <EditorPane
          target={target}
          sort={sort}
          selected={selected}
          actions={actions}
          panels={panels}
          editor={editor}
          onUndo={onUndo}
        />
      )}
      {target && panels.identifying && (
        <IdentifyView
          target={target}
          targetKey={selected.targetKey}
          onClose={() => panels.setIdentifying(false)}
          onUndo={onUndo}
        />
      )}
    </div>
  );
}

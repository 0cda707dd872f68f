// The Tracks view: the table area, the editor's pane beside it for a selection, and Identify over both.
import type { EditorLayout } from '../use-editor-layout.ts';
import { EditorPane } from './EditorPane.tsx';
import { IdentifyView } from './IdentifyView.tsx';
import { TrackListArea, type TrackListAreaProps } from './TrackListArea.tsx';

/** The table area's, and the editor's layout for the pane (its edit-tags action the table's too). */
interface Props extends Omit<TrackListAreaProps, 'editTags'> {
  readonly editor: EditorLayout;
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

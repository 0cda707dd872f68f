// The pane beside the track table for a selection: its actions, the Tools panel, tags as text and the tag editor; a
// narrow strip to bring it back when hidden.
import type { Sort, Target } from '../../../app/shared/rpc-contract.ts';
import type { EditorLayout } from '../use-editor-layout.ts';
import type { TrackSelection } from '../use-selection.ts';
import type { SelectionActions } from '../use-selection-actions.ts';
import type { TracksPanels } from '../use-tracks-panels.ts';
import { PlaylistDropTargets } from './AddToPlaylist.tsx';
import { EditorActions } from './EditorActions.tsx';
import { TagEditor } from './TagEditor.tsx';
import { TagsTextPanel } from './TagsTextPanel.tsx';
import { ToolsPanel } from './ToolsPanel.tsx';

interface Props {
  readonly target: Target;
  readonly sort: Sort | null;
  readonly selected: TrackSelection;
  readonly actions: SelectionActions;
  readonly panels: TracksPanels;
  readonly editor: EditorLayout;
  onUndo(batchId?: number): void;
}

export function EditorPane({ target, sort, selected, actions, panels, editor, onUndo }: Props) {
  const { targetKey, singleRow, unplayable, title, nextTrack } = selected;
  if (editor.hidden)
    return (
      <aside className="editor-area collapsed">
        <button type="button" onClick={() => editor.setHidden(false)} title="Show the tag editor">
          ‹ Editor
        </button>
      </aside>
    );
  return (
    <aside className="editor-area" style={{ width: editor.width }}>
      <hr
        className="editor-resize"
        aria-orientation="vertical"
        aria-label="Resize the editor"
        onPointerDown={editor.resize}
      />
      <EditorActions
        target={target}
        sort={sort}
        singleRow={singleRow}
        unplayable={unplayable}
        actions={actions}
        panels={panels}
        onHide={() => editor.setHidden(true)}
      />
      {panels.draggingRows && <PlaylistDropTargets target={target} sort={sort} />}
      {panels.tooling && (
        <ToolsPanel
          target={target}
          targetKey={targetKey}
          sort={sort}
          onClose={() => panels.setTooling(false)}
          onUndo={onUndo}
        />
      )}
      {panels.texting && (
        <TagsTextPanel
          target={target}
          targetKey={targetKey}
          sort={sort}
          onClose={() => panels.setTexting(false)}
          onUndo={onUndo}
        />
      )}
      <TagEditor
        target={target}
        targetKey={targetKey}
        title={title}
        onUndo={onUndo}
        onNext={nextTrack}
        unreadableId={singleRow?.status === 'error' ? singleRow.id : undefined}
      />
    </aside>
  );
}

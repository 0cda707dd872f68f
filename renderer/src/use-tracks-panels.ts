// What the Tracks view has open besides the table: the column chooser, Identify, Tools, tags as text, the playlist
// forms and menus, the drop targets of a drag. Held by the app, not the view: another view and back finds
// them as they were.
import { useCallback, useState } from 'react';
import type { Sort, Target } from '../../app/shared/rpc-contract.ts';

/** What a panel opened on the selection (Tools, Tags as text) is given. */
export interface SelectionPanelProps {
  readonly target: Target;
  readonly targetKey: string;
  readonly sort: Sort | null;
  onClose(): void;
  onUndo(batchId: number): void;
}

export function useTracksPanels() {
  const [choosingColumns, setChoosingColumns] = useState(false);
  const closeChooser = useCallback(() => setChoosingColumns(false), []);
  /** Where "Add to playlist…" opened its menu of lists. */
  const [addingTo, setAddingTo] = useState<{ x: number; y: number } | null>(null);
  /** Selected rows are being dragged: the lists to drop them on are shown. */
  const [draggingRows, setDraggingRows] = useState(false);
  const [savingAs, setSavingAs] = useState(false);
  const [identifying, setIdentifying] = useState(false);
  const [tooling, setTooling] = useState(false);
  /** Tags as text: a spreadsheet exported or imported. */
  const [texting, setTexting] = useState(false);
  return {
    choosingColumns,
    setChoosingColumns,
    closeChooser,
    addingTo,
    setAddingTo,
    draggingRows,
    setDraggingRows,
    savingAs,
    setSavingAs,
    identifying,
    setIdentifying,
    tooling,
    setTooling,
    texting,
    setTexting,
  };
}

export type TracksPanels = ReturnType<typeof useTracksPanels>;

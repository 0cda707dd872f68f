// Undo and redo of saved edits (history.undo/redo): each says what it did, with the other as its action
// (an undo's notice offers Redo, a redo's Undo), and takes away the notices of the batch it overrides, so
// undoing and redoing one edit leaves one notice, the last. Ctrl+Z takes back the window's own last action
// first (undo-stack.ts).
import { useCallback, useRef } from 'react';
import { useApp } from './app-context.tsx';
import { undoNotice } from './undo-notice.ts';

export interface UndoRedo {
  /** The given batch, else the newest active one. */
  undo(batchId?: number): Promise<void>;
  /** The given batch, else the one undone last. */
  redo(batchId?: number): Promise<void>;
  /** Ctrl+Z: what this window did last that a notice offers Undo for (an edit saved, a playlist
   *  removed), else the library's newest edit. */
  undoLast(): Promise<void>;
}

export function useUndoRedo(): UndoRedo {
  const { backend, toast, retire, fail, noteOwnChange, undoNewest } = useApp();
  const { client } = backend;
  // A redo's notice undoes; the undo is made after it (each names the other).
  const undoing = useRef<(batchId: number) => void>(() => {});
  const redo = useCallback(
    (batchId?: number) => {
      noteOwnChange();
      return client.call('history.redo', batchId === undefined ? {} : { batchId }).then((r) => {
        const id = r.batch.id;
        retire(`undone:${id}`);
        toast(
          'info',
          undoNotice(r, false),
          { label: 'Undo', run: () => undoing.current(id) },
          `redone:${id}`,
        );
      }, fail);
    },
    [client, toast, retire, fail, noteOwnChange],
  );
  const undo = useCallback(
    (batchId?: number) => {
      noteOwnChange();
      return client.call('history.undo', batchId === undefined ? {} : { batchId }).then((r) => {
        const id = r.batch.id;
        retire(`saved:${id}`);
        retire(`redone:${id}`);
        toast('info', undoNotice(r, true), { label: 'Redo', run: () => redo(id) }, `undone:${id}`);
      }, fail);
    },
    [client, toast, retire, fail, redo, noteOwnChange],
  );
  undoing.current = (id) => void undo(id);
  const undoLast = useCallback(() => (undoNewest() ? Promise.resolve() : undo()), [undoNewest, undo]);
  return { undo, redo, undoLast };
}

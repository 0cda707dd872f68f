// Undo and redo of saved edits (history.undo/redo): each says what it did, and an undo's notice offers Redo.
import { useCallback } from 'react';
import { useApp } from './app-context.tsx';

export interface UndoRedo {
  /** The given batch, else the newest active one. */
  undo(batchId?: number): Promise<void>;
  /** The given batch, else the one undone last. */
  redo(batchId?: number): Promise<void>;
}

export function useUndoRedo(): UndoRedo {
  const { backend, toast, retire, fail, noteOwnChange } = useApp();
  const { client } = backend;
  const redo = useCallback(
    (batchId?: number) => {
      noteOwnChange();
      return client.call('history.redo', batchId === undefined ? {} : { batchId }).then((r) => {
        retire(`undone:${r.batch.id}`);
        toast('info', `Redid edit ${r.batch.id}: ${r.batch.description}`);
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
        toast(
          'info',
          `Undid edit ${id}: ${r.batch.description}`,
          { label: 'Redo', run: () => redo(id) },
          `undone:${id}`,
        );
      }, fail);
    },
    [client, toast, retire, fail, redo, noteOwnChange],
  );
  return { undo, redo };
}

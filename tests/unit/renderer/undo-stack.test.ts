// The window's own undoable actions (renderer/src/undo-stack.ts): Ctrl+Z takes back the newest still
// standing; one used from its notice or undone elsewhere is gone.
import { expect, it } from 'vitest';
import { UndoStack } from '../../../renderer/src/undo-stack.ts';

it('takes back the newest action standing, then the one before, then says none is left', () => {
  const stack = new UndoStack();
  const done: string[] = [];
  for (const about of ['saved:1', 'notice:2', 'saved:3']) stack.push(about, () => done.push(about));
  stack.drop('saved:3'); // undone from History
  expect(stack.undoNewest()).toBe(true);
  expect(stack.undoNewest()).toBe(true);
  expect(stack.undoNewest()).toBe(false);
  expect(done).toEqual(['notice:2', 'saved:1']);
  // The same action again (a redo's notice) is one entry, the newest.
  stack.push('redone:4', () => done.push('first'));
  stack.push('saved:5', () => done.push('saved:5'));
  stack.push('redone:4', () => done.push('again'));
  expect(stack.undoNewest()).toBe(true);
  expect(done.at(-1)).toBe('again');
});

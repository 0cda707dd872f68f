// The editor beside the track table: hidden or shown, and how wide (both remembered).
import { type PointerEvent as ReactPointerEvent, useCallback, useRef, useState } from 'react';
import { dragHorizontally } from './drag.ts';
import { focusWhenShown } from './focus-when-shown.ts';
import { readStored } from './stored.ts';
import { useStoredFlag } from './use-stored-flag.ts';

const EDITOR_HIDDEN_KEY = 'sleeve.editor.hidden';
const EDITOR_WIDTH_KEY = 'sleeve.editor.width';
const EDITOR_MIN = 260;
const EDITOR_MAX = 720;

const isEditorWidth = (v: unknown): v is number =>
  typeof v === 'number' && v >= EDITOR_MIN && v <= EDITOR_MAX;

export function useEditorLayout() {
  const [hidden, setHidden] = useStoredFlag(EDITOR_HIDDEN_KEY, false);
  const [width, setWidth] = useState(() => readStored(EDITOR_WIDTH_KEY, isEditorWidth, 340));
  const resize = (e: ReactPointerEvent) => {
    const startWidth = width;
    // Its left edge: dragging left widens it.
    const widthAt = (dx: number) => Math.min(EDITOR_MAX, Math.max(EDITOR_MIN, Math.round(startWidth - dx)));
    dragHorizontally(
      e,
      (dx) => setWidth(widthAt(dx)),
      (dx) => localStorage.setItem(EDITOR_WIDTH_KEY, String(widthAt(dx))),
    );
  };
  /** The tag editor's first field, the editor shown first (E, the row menu's Edit tags); a wait for the
   *  field replaces the one before. */
  const stopWaiting = useRef<() => void>(() => {});
  const editTags = useCallback(() => {
    setHidden(false);
    stopWaiting.current();
    // After the frame that shows the editor: a hidden field takes no focus.
    requestAnimationFrame(() => {
      stopWaiting.current = focusWhenShown(document, '.tag-editor .fields :is(input, textarea)');
    });
  }, [setHidden]);
  return { hidden, setHidden, width, resize, editTags };
}

export type EditorLayout = ReturnType<typeof useEditorLayout>;

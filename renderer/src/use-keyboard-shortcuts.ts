// The app's keys (HelpDialog lists them): none while typing in a field, none with Alt.
import { type RefObject, useEffect, useRef } from 'react';
import type { PlayerControls } from './components/Player.tsx';
import { VIEWS, type View } from './views.ts';

interface Shortcuts {
  readonly queryInput: RefObject<HTMLInputElement | null>;
  readonly player: RefObject<PlayerControls | null>;
  setView(view: View): void;
  showHelp(): void;
  undo(): void;
  redo(): void;
  editTags(): void;
  moreLikeThis(): void;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function useKeyboardShortcuts({
  queryInput,
  player,
  setView,
  showHelp,
  undo,
  redo,
  editTags,
  moreLikeThis,
}: Shortcuts): void {
  // M acts on the selection of the moment, and a view's key as its tab does (back from an album opened
  // there), without a new listener on every render.
  const moreLikeThisRef = useRef(moreLikeThis);
  moreLikeThisRef.current = moreLikeThis;
  const setViewRef = useRef(setView);
  setViewRef.current = setView;
  // biome-ignore lint/correctness/useExhaustiveDependencies: showHelp sets state; the refs are read when a key comes
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A key a view took already (the album grid's arrows) is not also the player's.
      if (isTyping(e.target) || e.altKey || e.defaultPrevented) return;
      const ctrl = e.ctrlKey || e.metaKey;
      if (e.key === '/' && !ctrl) {
        e.preventDefault();
        setView('tracks');
        setTimeout(() => queryInput.current?.focus());
      } else if (e.key === '?') showHelp();
      else if (e.key === ' ' && !ctrl) {
        e.preventDefault();
        player.current?.toggle();
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight')
        player.current?.seekBy(e.key === 'ArrowLeft' ? -5 : 5);
      else if (ctrl && ((e.key.toLowerCase() === 'z' && e.shiftKey) || e.key.toLowerCase() === 'y')) {
        e.preventDefault();
        void redo();
      } else if (ctrl && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        void undo();
      } else if (!ctrl && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        editTags();
      } else if (!ctrl && e.key.toLowerCase() === 'm') moreLikeThisRef.current();
      else if (!ctrl && /^[1-9]$/.test(e.key)) setViewRef.current(VIEWS[Number(e.key) - 1]![0]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, editTags]);
}

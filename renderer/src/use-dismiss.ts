// A popup closed as a user expects one to close: Escape, or a press outside `area` (the popup, or the
// part of the page it belongs to: the queue's is the whole player, whose buttons work on the queue and
// whose ☰ toggles it). Listens only while `open`.
import { type RefObject, useEffect } from 'react';

export function useDismiss(area: RefObject<HTMLElement | null>, onClose: () => void, open = true): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    const onDown = (e: PointerEvent) => {
      if (!area.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown);
    };
  }, [area, onClose, open]);
}

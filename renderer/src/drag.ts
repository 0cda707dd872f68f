// A drag on a handle (a column's or the editor's edge): the pointer captured by the handle, `onMove` told
// how far it has gone on every move and `onEnd` once at the end.
import type { PointerEvent } from 'react';

export function dragHorizontally(
  e: PointerEvent,
  onMove: (dx: number) => void,
  onEnd: (dx: number) => void,
): void {
  e.preventDefault();
  e.stopPropagation();
  const startX = e.clientX;
  const handle = e.currentTarget as HTMLElement;
  handle.setPointerCapture(e.pointerId);
  const move = (ev: globalThis.PointerEvent) => onMove(ev.clientX - startX);
  const up = (ev: globalThis.PointerEvent) => {
    handle.removeEventListener('pointermove', move);
    handle.removeEventListener('pointerup', up);
    onEnd(ev.clientX - startX);
  };
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', up);
}

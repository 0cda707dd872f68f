// Which rows of a long list are on screen: the list renders only those (plus a margin), positioned in a
// spacer as tall as the whole list, so 100k rows cost as much as 40.
import { useEffect, useState } from 'react';

export interface Viewport {
  readonly first: number;
  readonly last: number;
  readonly height: number;
  readonly width: number;
}

/** `el` comes from a callback ref (`ref={setEl}`), so a list rendered after its first render is observed too. */
export function useViewport(
  el: HTMLElement | null,
  rowHeight: number,
  count: number,
  overscan = 8,
): Viewport {
  const [scroll, setScroll] = useState({ top: 0, height: 600, width: 800 });
  useEffect(() => {
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setScroll({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    };
    // One state update per animation frame however many scroll events arrive.
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(onScroll);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [el]);
  const first = Math.max(0, Math.floor(scroll.top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scroll.top + scroll.height) / rowHeight) + overscan);
  return { first, last, height: scroll.height, width: scroll.width };
}

/** Scrolls a list so that row `index` is visible. */
export function scrollIntoView(
  el: HTMLElement | null,
  index: number,
  rowHeight: number,
  headerHeight = 0,
): void {
  if (!el) return;
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  const viewTop = el.scrollTop;
  const viewBottom = viewTop + el.clientHeight - headerHeight;
  if (top < viewTop) el.scrollTop = top;
  else if (bottom > viewBottom) el.scrollTop = bottom - el.clientHeight + headerHeight;
}

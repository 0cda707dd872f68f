// Which rows of a long list are on screen: the list renders only those (plus a margin), positioned in a
// spacer as tall as the whole list, so 100k rows cost as much as 40; its store loads just those.
import { useEffect, useState } from 'react';
import type { WindowStore } from './window-store.ts';

export interface Viewport {
  /** Rows (of `perRow` items each) from `first` to `last` are rendered. */
  readonly first: number;
  readonly last: number;
  readonly perRow: number;
  readonly rowCount: number;
  readonly height: number;
}

interface ViewportOptions {
  /** Items side by side in a row (a grid): as many of this width as fit. */
  readonly itemWidth?: number;
  /** Rows rendered beyond each edge. */
  readonly overscan?: number;
  /** Items fetched beyond each edge (they load before they scroll into view). */
  readonly prefetch?: number;
}

/**
 * The rows of a list backed by `store` that are on screen, which the store is asked to load. `el` comes
 * from a callback ref (`ref={setEl}`), so a list rendered after its first render is observed too.
 */
export function useViewport<T>(
  el: HTMLElement | null,
  rowHeight: number,
  store: WindowStore<T>,
  { itemWidth, overscan = 8, prefetch = 0 }: ViewportOptions = {},
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
  const perRow = itemWidth ? Math.max(1, Math.floor(scroll.width / itemWidth)) : 1;
  const rowCount = Math.ceil((store.total ?? 0) / perRow);
  const first = Math.max(0, Math.floor(scroll.top / rowHeight) - overscan);
  const last = Math.min(rowCount - 1, Math.ceil((scroll.top + scroll.height) / rowHeight) + overscan);
  useEffect(
    () => store.ensure(first * perRow - prefetch, (last + 1) * perRow - 1 + prefetch),
    [store, first, last, perRow, prefetch],
  );
  return { first, last, perRow, rowCount, height: scroll.height };
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

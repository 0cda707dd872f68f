// The view, the query and the header's sort, first as the address bar says (url-state.ts). Each view shown
// is a step of the browser's history (Back had left the app). Opening an
// album or an artist (`openQuery`) shows its tracks as a step of its own: the browser's Back, or that
// view's tab (or key) while the opened query is still the bar's, returns to the view, query and sort it
// was opened from, as the address kept them (the grid had kept the album's query, showing that one album
// alone, and Back had left the app).
import { useEffect, useState } from 'react';
import type { Sort } from '../../app/shared/rpc-contract.ts';
import { readUrlState, type UrlState } from './url-state.ts';
import { type View, viewNamed } from './views.ts';

export function useViewQuerySort(fromUrl: UrlState) {
  const [view, setView] = useState<View>(() => viewNamed(fromUrl.view) ?? 'tracks');
  const [query, setQuery] = useState(fromUrl.query);
  const [sort, setSort] = useState<Sort | null>(fromUrl.sort);
  /** The view an album or artist was opened from, and the query it was opened with. */
  const [openedFrom, setOpenedFrom] = useState<{ readonly view: View; readonly opened: string } | null>(null);
  /** Shows a query's tracks; the address bar's entry stays the place it was opened from. */
  const openQuery = (q: string) => {
    setOpenedFrom({ view, opened: q });
    window.history.pushState(window.history.state, '', window.location.href);
    setView('tracks');
    setQuery(q);
    setSort(null);
  };
  /** A view's tab or key: a step of its own (Back returns to the view before), or Back itself when it is
   *  the view the query in the bar was opened from. */
  const showView = (next: View) => {
    if (openedFrom && next === openedFrom.view && query === openedFrom.opened) window.history.back();
    else if (next !== view) {
      window.history.pushState(window.history.state, '', window.location.href);
      setView(next);
    }
    setOpenedFrom(null);
  };
  useEffect(() => {
    const back = () => {
      const at = readUrlState();
      setView(viewNamed(at.view) ?? 'tracks');
      setQuery(at.query);
      setSort(at.sort);
      setOpenedFrom(null);
    };
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);
  return { view, showView, query, setQuery, sort, setSort, openQuery };
}

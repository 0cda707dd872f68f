// The view, the query and the header's sort, first as the address bar says (url-state.ts). Opening an
// album or an artist (`openQuery`) shows its tracks as a step of its own: the browser's Back, or that
// view's tab while the opened query is still the bar's, returns to the view, query and sort it was
// opened from (the grid had kept the album's query, showing that one album alone).
import { useEffect, useState } from 'react';
import type { Sort } from '../../app/shared/rpc-contract.ts';
import { readUrlState, type UrlState } from './url-state.ts';
import { type View, viewNamed } from './views.ts';

interface Place {
  readonly view: View;
  readonly query: string;
  readonly sort: Sort | null;
}

export function useViewQuerySort(fromUrl: UrlState) {
  const [view, setView] = useState<View>(() => viewNamed(fromUrl.view) ?? 'tracks');
  const [query, setQuery] = useState(fromUrl.query);
  const [sort, setSort] = useState<Sort | null>(fromUrl.sort);
  const [openedFrom, setOpenedFrom] = useState<(Place & { readonly opened: string }) | null>(null);
  const go = (place: Place) => {
    setView(place.view);
    setQuery(place.query);
    setSort(place.sort);
  };
  /** Shows a query's tracks; the address bar's entry stays the place it was opened from. */
  const openQuery = (q: string) => {
    setOpenedFrom({ view, query, sort, opened: q });
    window.history.pushState(window.history.state, '', window.location.href);
    go({ view: 'tracks', query: q, sort: null });
  };
  /** A view's tab: back to where an album or artist was opened from, while its query is still the bar's. */
  const showView = (next: View) => {
    if (openedFrom && next === openedFrom.view && query === openedFrom.opened) go(openedFrom);
    else setView(next);
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
  return { view, setView, showView, query, setQuery, sort, setSort, openQuery };
}

// What the address bar keeps of the app, so a reload, a bookmark or a copied address opens the same view:
// the view, the query, the header's sort and a selection of listed tracks (up to MAX_URL_IDS; a bigger one
// or "everything the query matches" is not kept). Replaced in place (no history entry per keystroke).
import type { Sort } from '../../app/shared/rpc-contract.ts';
import { EMPTY, type Selection } from './selection.ts';

export const MAX_URL_IDS = 200;

export interface UrlState {
  readonly view: string | null;
  readonly query: string;
  readonly sort: Sort | null;
  readonly selection: Selection;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readUrlState(search = window.location.search): UrlState {
  const params = new URLSearchParams(search);
  const sortText = /^([^:]+):(asc|desc)$/.exec(params.get('sort') ?? '');
  const sort =
    sortText && FIELD.test(sortText[1]!) ? { field: sortText[1]!, descending: sortText[2] === 'desc' } : null;
  const ids = (params.get('sel') ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .slice(0, MAX_URL_IDS);
  return {
    view: params.get('view'),
    query: params.get('q') ?? '',
    sort,
    selection: ids.length > 0 ? { ...EMPTY, ids: new Set(ids) } : EMPTY,
  };
}

/** Writes at most one address per WRITE_MS (holding an arrow key changes the selection 30 times a second;
 *  browsers limit replaceState and Safari throws past the limit). */
const WRITE_MS = 300;
let pending: ReturnType<typeof setTimeout> | undefined;
let unwritten: (UrlState & { readonly view: string }) | undefined;

export function writeUrlState(state: UrlState & { readonly view: string }): void {
  clearTimeout(pending);
  unwritten = state;
  pending = setTimeout(flushUrlState, WRITE_MS);
}

/** Writes a state still waiting (also when the page is left: a reload keeps the last change). */
function flushUrlState(): void {
  clearTimeout(pending);
  if (unwritten) replaceUrl(unwritten);
  unwritten = undefined;
}
if (typeof window !== 'undefined') window.addEventListener('pagehide', flushUrlState);

function replaceUrl(state: UrlState & { readonly view: string }): void {
  const params = new URLSearchParams();
  if (state.view !== 'tracks') params.set('view', state.view);
  if (state.query) params.set('q', state.query);
  if (state.sort) params.set('sort', `${state.sort.field}:${state.sort.descending ? 'desc' : 'asc'}`);
  const { selection } = state;
  if (!selection.all && selection.ids.size > 0 && selection.ids.size <= MAX_URL_IDS)
    params.set('sel', [...selection.ids].join(','));
  const search = params.toString();
  const url = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`;
  if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
  try {
    window.history.replaceState(window.history.state, '', url);
  } catch {
    // Over the browser's limit: the next change writes the address.
  }
}

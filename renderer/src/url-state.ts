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

type Written = UrlState & { readonly view: string };

/** A change of view, query or sort is written at once (a reload right after it keeps it); a change of the
 *  selection alone at most once per WRITE_MS, the last one last (holding an arrow key changes it 30 times a
 *  second; browsers limit replaceState, and Safari throws past the limit). */
const WRITE_MS = 300;
let pending: ReturnType<typeof setTimeout> | undefined;
let unwritten: Written | undefined;
let lastWritten: Written | undefined;
let lastWriteAt = 0;

export function writeUrlState(state: Written): void {
  unwritten = state;
  const sameList =
    lastWritten?.view === state.view &&
    lastWritten.query === state.query &&
    JSON.stringify(lastWritten.sort) === JSON.stringify(state.sort);
  const wait = sameList ? lastWriteAt + WRITE_MS - Date.now() : 0;
  if (wait <= 0) flushUrlState();
  else pending ??= setTimeout(flushUrlState, wait);
}

function flushUrlState(): void {
  clearTimeout(pending);
  pending = undefined;
  if (!unwritten) return;
  replaceUrl(unwritten);
  lastWritten = unwritten;
  lastWriteAt = Date.now();
  unwritten = undefined;
}

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

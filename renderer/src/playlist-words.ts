// The Playlists view's small decisions, apart from its components: a playlist's kind in words, the
// request a smart playlist's draft makes, and a list without one of its entries. Pure: no DOM, no React.
import type { Params, PlaylistInfo } from '../../app/shared/rpc-contract.ts';

export interface SmartDraft {
  readonly name: string;
  readonly query: string;
  readonly limit: string;
}

/** "list", or a smart playlist's query and its limit. */
export const kindOf = (p: PlaylistInfo): string =>
  p.query === null ? 'list' : `smart: ${p.query}${p.limit === null ? '' : `, at most ${p.limit}`}`;

/** What creating the draft asks the backend: no limit when the field is left empty. */
export const smartRequest = (draft: SmartDraft): Params<'playlists.create'> => ({
  name: draft.name,
  from: { kind: 'smart', query: draft.query, limit: draft.limit.trim() === '' ? null : Number(draft.limit) },
});

/** A list's track ids without its entry at `index` (a track listed twice keeps its other entry). */
export const withoutEntry = (ids: readonly number[], index: number): number[] =>
  ids.filter((_, j) => j !== index);

// The Playlists view's small decisions, apart from its components: a playlist's kind in words, the
// request a smart playlist's draft makes and why it cannot be made, and a list without one of its
// entries. Pure: no DOM, no React.
import { limitProblem, nameProblem } from '../../app/shared/playlist-rules.ts';
import type { Params, PlaylistInfo } from '../../app/shared/rpc-contract.ts';

export interface SmartDraft {
  readonly name: string;
  readonly query: string;
  readonly limit: string;
}

/** "list", or a smart playlist's query and its limit. */
export const kindOf = (p: PlaylistInfo): string =>
  p.query === null ? 'list' : `smart: ${p.query}${p.limit === null ? '' : `, at most ${p.limit}`}`;

/** The limit as typed: none when left empty, NaN when not a whole number written in digits. */
export const typedLimit = (text: string): number | null =>
  text.trim() === '' ? null : /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;

/** What creating the draft asks the backend: no limit when the field is left empty. */
export const smartRequest = (draft: SmartDraft): Params<'playlists.create'> => ({
  name: draft.name,
  from: { kind: 'smart', query: draft.query, limit: typedLimit(draft.limit) },
});

/** Why the draft cannot be made as it is, in the library's words; null when it can (a name not yet
 *  typed is no problem to say: Create waits for it). */
export const smartProblem = (draft: SmartDraft): string | null =>
  (draft.name.trim() === '' ? null : nameProblem(draft.name)) ?? limitProblem(typedLimit(draft.limit));

/** A list's track ids without its entry at `index` (a track listed twice keeps its other entry). */
export const withoutEntry = (ids: readonly number[], index: number): number[] =>
  ids.filter((_, j) => j !== index);

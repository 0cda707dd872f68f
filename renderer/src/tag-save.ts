// What the tag editor's Save sends and whether it may: only the fields typed in, each with the summary
// it was loaded from (the backend refuses a field changed since, and merges the rest by field), and the
// other copies the user picked. Pure: no DOM, no React.
import type { FieldSummary, Params } from '../../app/shared/rpc-contract.ts';
import { editorKey, labelOf, parseFieldText, problemOf } from './field-text.ts';
import { formatList } from './format.ts';
import { changedSince, type Loaded } from './typed-over.ts';

/** The drafts' state against the fields shown. */
export interface EditorChecks {
  /** Mixed fields the user emptied: saving clears them on every selected track that has them. */
  readonly clears: readonly FieldSummary[];
  /** Values that are not valid for their field, in words. */
  readonly problems: readonly string[];
  /** Drafted fields someone else changed since the user began typing: Save waits for the user's word. */
  readonly conflicts: readonly FieldSummary[];
}

export function editorChecks(
  fields: readonly FieldSummary[],
  drafts: Readonly<Record<string, string>>,
  loaded: Readonly<Record<string, Loaded>>,
): EditorChecks {
  return {
    clears: fields.filter((f) => f.values === null && drafts[editorKey(f)] === ''),
    problems: Object.entries(drafts).flatMap(([k, t]) => problemOf(k, t) ?? []),
    conflicts: fields.filter((f) => editorKey(f) in drafts && changedSince(loaded[editorKey(f)], f)),
  };
}

/** Why the drafts cannot be saved now, as the editor says when asked to (Ctrl+Enter): a field changed
 *  elsewhere waits for the user's word, a value with a problem for a fix; undefined when they can. */
export function whyNotSaved({ problems, conflicts }: EditorChecks): string | undefined {
  if (conflicts.length > 0)
    return `Not saved: ${formatList(conflicts.map((f) => labelOf(editorKey(f))))} changed elsewhere since you began typing — keep yours or take theirs first.`;
  if (problems.length > 0) return `Not saved: ${problems[0]}.`;
  return undefined;
}

/** The save of `drafts` over the summary `preview`: a field with no record of where it was loaded from
 *  counts as loaded from the summary shown. */
export function editRequest(
  preview: string,
  drafts: Readonly<Record<string, string>>,
  loaded: Readonly<Record<string, Loaded>>,
  copies: readonly number[],
): Params<'tags.edit'> {
  return {
    preview,
    changes: Object.entries(drafts).map(([key, text]) => ({
      key,
      values: parseFieldText(key, text),
      loadedFrom: loaded[key]?.from ?? preview,
    })),
    ...(copies.length > 0 ? { copies: [...copies] } : {}),
  };
}

// What each field the user types in the tag editor was typed over: the summary it showed then, so that a
// change made elsewhere since (another window, a `sleeve` command, the mount) is caught, while this window's
// own changes (a save, an undo) are not taken for one.
import type { FieldSummary, Result } from '../../app/shared/rpc-contract.ts';

/** Own changes whose fields are remembered: a field typed over a summary older than these is re-based as
 *  after an undo (the user typed over what this window did). */
const KEPT = 1000;

/** This window's changes to the library, counted as each is asked for (`count`), each with the editor
 *  fields it changed when they are known (a save's; not an undo's, nor a tool's). */
export class OwnChanges {
  count = 0;
  /** The fields of the last KEPT changes, by their number (from 1); older ones count as unknown. */
  readonly #fields = new Map<number, ReadonlySet<string>>();

  /** A change about to be asked for, of `fields` (editor keys) when known. */
  note(fields?: readonly string[]): void {
    this.count++;
    if (fields) this.#fields.set(this.count, new Set(fields));
    this.#fields.delete(this.count - KEPT);
  }

  /** Whether one of the changes after the `after`-th, up to the `upTo`-th, may have changed `key`. */
  touched(key: string, after: number, upTo: number): boolean {
    for (let n = after + 1; n <= upTo; n++) {
      const fields = this.#fields.get(n);
      if (!fields || fields.has(key)) return true;
    }
    return false;
  }
}

/** What the editor showed of a field when the user began typing in it: the summary it came from, and
 *  this window's own changes then (`typedAt`) and when that summary was asked for (`shownAt`). */
export interface Loaded {
  readonly from: string;
  readonly stamp: string | null;
  readonly values: readonly string[] | null;
  readonly typedAt: number;
  readonly shownAt: number;
}

/** A summary, and this window's own-change count when it was asked for. */
export type Shown = Result<'tags.summary'> & { readonly shownAt: number };

const sameShown = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((v, i) => v === b[i]);

/** The base of a field typed over `f` of `summary`, `typedAt` this window's own-change count then. */
export const baseOf = (summary: Shown, f: FieldSummary, typedAt: number): Loaded => ({
  from: summary.preview,
  stamp: f.stamp,
  values: f.values,
  typedAt,
  shownAt: summary.shownAt,
});

/** Field `key` of a summary; one no track has is empty, stamped '' as the backend stamps it (null when the
 *  selection is too large to stamp). */
export function fieldOf(
  summary: Result<'tags.summary'> | null,
  byKey: ReadonlyMap<string, FieldSummary>,
  key: string,
): FieldSummary {
  return (
    byKey.get(key.toLowerCase()) ?? {
      key,
      values: [],
      fileValues: [],
      editedTracks: 0,
      tracks: 0,
      stamp: summary?.fields.some((f) => f.stamp === null) ? null : '',
    }
  );
}

/** A summary's fields by lower-cased key (a crafted file may hold 50,000 keys: looked up, not searched). */
export const byLowerKey = (summary: Result<'tags.summary'> | null) =>
  new Map((summary?.fields ?? []).map((f) => [f.key.toLowerCase(), f]));

/** Fields typed after this window changed them (a save of that field, an undo) but over a summary asked
 *  for before that change, moved to `s` once it shows the change: the user typed over their own change,
 *  not over one made elsewhere. A field this window's changes did not touch keeps its base, so that a
 *  change made elsewhere meanwhile, which `s` shows too, is still caught. */
export function pastOwnChanges(
  loaded: Record<string, Loaded>,
  s: Shown,
  own: OwnChanges,
): Record<string, Loaded> {
  const byKey = byLowerKey(s);
  return Object.fromEntries(
    Object.entries(loaded).map(([key, base]) =>
      base.typedAt > base.shownAt && s.shownAt >= base.typedAt && own.touched(key, base.shownAt, base.typedAt)
        ? [key, baseOf(s, fieldOf(s, byKey, key), base.typedAt)]
        : [key, base],
    ),
  );
}

/** Whether the field changed since `loaded` (its stamp, or the values shown for a selection too large). */
export function changedSince(loaded: Loaded | undefined, now: FieldSummary): boolean {
  if (!loaded) return false;
  return loaded.stamp !== null ? now.stamp !== loaded.stamp : !sameShown(now.values, loaded.values);
}

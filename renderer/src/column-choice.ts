// The column chooser's changes to the shown columns, as plain functions of the keys shown in order:
// which it lists, what a tick, a move or an added tag makes of them, and why a tag cannot be added.
import { isPropertyField } from '../../app/shared/fields.ts';
import { MAX_TAG_COLUMNS } from '../../app/shared/rpc-contract.ts';
import { BUILT_IN_COLUMNS, columnFor, extraTags, TAG_KEY } from './table-columns.ts';

type Keys = readonly string[];

/** The shown columns in their order, then the built-in ones not shown. */
export function listedColumns(keys: Keys): string[] {
  return [...keys, ...BUILT_IN_COLUMNS.map((c) => c.key).filter((k) => !keys.includes(k))];
}

/** A column shown (at the end) or hidden; a table keeps one column at least. */
export function toggled(keys: Keys, key: string, on: boolean): Keys {
  if (on) return keys.includes(key) ? keys : [...keys, key];
  return keys.length === 1 ? keys : keys.filter((k) => k !== key);
}

/** A shown column moved one place left (-1) or right (1); the same keys at either end. */
export function moved(keys: Keys, key: string, by: -1 | 1): Keys {
  const i = keys.indexOf(key);
  const j = i + by;
  if (i < 0 || j < 0 || j >= keys.length) return keys;
  const next = [...keys];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** A tag added as a column, at the end (addProblem says first whether it can be). */
export function added(keys: Keys, key: string): Keys {
  return [...keys, key];
}

/** Why the tag `key` (as typed, trimmed and lower-cased) cannot be added as a column; null when it can. */
export function addProblem(keys: Keys, key: string): string | null {
  if (!TAG_KEY.test(key)) return 'A tag name is letters, digits and underscores, as in the query language.';
  if (keys.includes(key)) return `${columnFor(key).label} is already shown.`;
  if (isPropertyField(key) && !BUILT_IN_COLUMNS.some((c) => c.key === key))
    return `${key} is a file property, not a tag.`;
  if (extraTags([...keys, key]).length > MAX_TAG_COLUMNS)
    return `At most ${MAX_TAG_COLUMNS} tag columns beyond the built-in ones.`;
  return null;
}

/** Where the table scrolls to show the column shown last (ticked or added: it goes at the end, often past
 *  the right edge with the editor open), as its new scrollLeft; undefined when no column came or it is
 *  in view already. `widths`: each shown column's width, in `after`'s order. */
export function scrollToShown(
  before: Keys,
  after: Keys,
  widths: readonly number[],
  view: { readonly left: number; readonly width: number },
): number | undefined {
  const i = after.findIndex((k) => !before.includes(k));
  if (i < 0) return undefined;
  const left = widths.slice(0, i).reduce((sum, w) => sum + w, 0);
  const right = left + (widths[i] ?? 0);
  if (left >= view.left && right <= view.left + view.width) return undefined;
  return right - view.width > left ? left : Math.max(0, right - view.width);
}

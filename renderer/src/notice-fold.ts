// Notices pile up as the user works (a save, an undo, a discarded draft), up to five: shown whole, they
// took up to a fifth of an 800 px window from the editor. The newest two are shown; the older ones fold
// into one line that says how many there are, and whether one is an error, and opens them.

/** Notices always shown: the newest. */
export const SHOWN_NOTICES = 2;

/** What the fold reads of a notice (app-context.tsx's Toast). */
interface Notice {
  readonly kind: 'info' | 'error';
}

export interface FoldedNotices<T extends Notice> {
  /** The notices shown, oldest first. */
  readonly shown: readonly T[];
  /** How many older ones are folded away, and how many of those are errors. */
  readonly folded: number;
  readonly foldedErrors: number;
}

/** The notices to show: all when `open`, else the newest SHOWN_NOTICES. */
export function foldNotices<T extends Notice>(toasts: readonly T[], open: boolean): FoldedNotices<T> {
  const cut = open ? 0 : Math.max(0, toasts.length - SHOWN_NOTICES);
  const older = toasts.slice(0, cut);
  return {
    shown: toasts.slice(cut),
    folded: older.length,
    foldedErrors: older.filter((t) => t.kind === 'error').length,
  };
}

/** The fold's line: how many notices it holds, and how many of them are errors. */
export function foldLine(folded: number, errors: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(folded, 'earlier notice')}${errors > 0 ? ` (${plural(errors, 'error')})` : ''}`;
}

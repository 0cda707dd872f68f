// What a query's results are kept under, where they depend on the clock: a query of dates from now
// (`added:-1w..`) matches other files as time passes while the library's version stays, so the app's
// caches key its results by the minute too, and the mount renders such a smart playlist again each minute.
import { parseQuery, type Query } from './query.ts';

/** Whether a query's matches change with the clock: a date of it is given from now (`added:-1w..`). */
export const readsClock = (query: Query): boolean =>
  query.groups.some((terms) => terms.some((t) => t.op.kind === 'date' && t.op.relative));

export const MINUTE_MS = 60_000;
/** The minute a result of a query that reads the clock is of: it is kept no longer. */
export const clockMinute = (now = Date.now()): number => Math.floor(now / MINUTE_MS);

/** Whether a query's text reads the clock; false when it does not parse (it is refused where it runs). */
export function textReadsClock(text: string): boolean {
  try {
    return readsClock(parseQuery(text));
  } catch {
    return false;
  }
}

/** What a query's results are kept under: its text, and the minute for one that reads the clock (its
 *  matches of a minute ago are not those of now). */
export const queryKey = (text: string, now = Date.now()): string =>
  textReadsClock(text) ? `${text}\u0000${clockMinute(now)}` : text;

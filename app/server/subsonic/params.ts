// A request's parameters, from the query string and (formPost) an application/x-www-form-urlencoded
// body, read with the protocol's rules: a parameter missing is error 10, a malformed number error 0
// with the parameter named (a whole number as clients write it: "600.0", "05"); repeated parameters
// (songId, id) are lists, bounded.
import { ERROR, SubsonicError } from './errors.ts';

/** Most values of one repeated parameter (a playlist's songs: Sleeve's playlists hold 100,000). */
export const MAX_VALUES = 100_000;

/** A whole number as clients write it: with leading zeros ("05", a padded id), or a zero fraction ("600.0",
 *  held as a float); undefined when `text` is none. */
export function wholeNumber(text: string): number | undefined {
  return /^-?\d+(?:\.0+)?$/.test(text) ? Number(text) : undefined;
}

export class Params {
  readonly #values: URLSearchParams;
  constructor(values: URLSearchParams) {
    this.#values = values;
  }

  get(name: string): string | undefined {
    return this.#values.get(name) ?? undefined;
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  required(name: string): string {
    const value = this.#values.get(name);
    if (value === null || value === '')
      throw new SubsonicError(ERROR.missing, `required parameter "${name}" is missing`);
    return value;
  }

  all(name: string): string[] {
    const values = this.#values.getAll(name);
    if (values.length > MAX_VALUES)
      throw new SubsonicError(ERROR.generic, `at most ${MAX_VALUES} "${name}" parameters`);
    return values;
  }

  /** A whole number from `min` to `max` (Infinity: no most); `fallback` when absent. Written with a zero
   *  fraction too ("600.0": a client that holds it as a float sends it so), or leading zeros ("05"). */
  int(name: string, fallback: number, min: number, max: number): number;
  int(name: string, fallback: undefined, min: number, max: number): number | undefined;
  int(name: string, fallback: number | undefined, min: number, max: number): number | undefined {
    const text = this.#values.get(name);
    if (text === null || text === '') return fallback;
    const n = wholeNumber(text);
    if (n === undefined || n < min || n > max)
      throw new SubsonicError(
        ERROR.generic,
        `"${name}" must be a whole number ${max === Number.POSITIVE_INFINITY ? `of at least ${min}` : `from ${min} to ${max}`}`,
      );
    return n;
  }

  /** How many items a list gives at once: more than `max` is `max`, as Subsonic's own server caps it (a
   *  client asking for 1,000 gets a full page, not an error). */
  pageSize(name: string, fallback: number, max: number): number {
    return Math.min(this.int(name, fallback, 0, Number.POSITIVE_INFINITY), max);
  }

  /** A number of seconds or the like (timeOffset): decimals allowed. */
  decimal(name: string, min: number, max: number): number | undefined {
    const text = this.#values.get(name);
    if (text === null || text === '') return undefined;
    const n = Number(text);
    if (!/^\d{1,9}(\.\d{1,6})?$/.test(text) || n < min || n > max)
      throw new SubsonicError(ERROR.generic, `"${name}" must be a number from ${min} to ${max}`);
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const text = this.#values.get(name);
    if (text === null || text === '') return fallback;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw new SubsonicError(ERROR.generic, `"${name}" must be true or false`);
  }
}

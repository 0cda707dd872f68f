// What TaggerScript's functions take from Python, where JavaScript differs: int() and float() of text,
// str() and round() of a float, floor division and modulo, slices with negative and missing ends, str.strip of given characters and
// datetime's strftime (its regular expressions: py-regex.ts).
import { cStrftime, type Moment } from '../c-strftime.ts';

/** Python's int(text): digits (underscores between them), a sign, spaces around; else undefined. */
export function pyInt(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return undefined;
  return Number(t.replaceAll('_', ''));
}

/** Python's float(text); else undefined. */
export function pyFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase().replaceAll('_', '');
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** Python's str() of a float: one that is whole keeps its ".0" ("96.0"), as $min and $max return it. */
export const pyFloatText = (n: number): string =>
  Number.isInteger(n) && Math.abs(n) < 1e16 ? `${n}.0` : String(n);

/** Python's round() of a float to a whole number: a half to the even one (2.5 → 2, 3.5 → 4). */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  if (x - floor !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

export const floorDiv = (a: number, b: number): number | undefined =>
  b === 0 ? undefined : Math.floor(a / b);
export const pyMod = (a: number, b: number): number | undefined => (b === 0 ? undefined : ((a % b) + b) % b);

/** Python's sequence[start:end] (undefined: the end of that side). */
export function pySlice<T>(items: readonly T[], start?: number, end?: number): T[] {
  const n = items.length;
  const at = (i: number | undefined, fallback: number) =>
    i === undefined ? fallback : i < 0 ? Math.max(0, n + i) : Math.min(n, i);
  return items.slice(at(start, 0), at(end, n));
}

export const strSlice = (text: string, start?: number, end?: number): string =>
  pySlice([...text], start, end).join('');

/** Python's str.strip(chars): any of `chars` from both ends. */
export function stripChars(text: string, chars: string): string {
  const set = new Set(chars);
  const cs = [...text];
  let a = 0;
  let b = cs.length;
  while (a < b && set.has(cs[a]!)) a++;
  while (b > a && set.has(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

/** A moment as Python's datetime holds it: its fields, its microseconds, and its zone if it is aware of one
 *  (a date is not). */
export interface PyDateTime {
  readonly moment: Moment;
  readonly micro?: number;
  readonly zone?: { readonly offsetMinutes: number; readonly name: string };
}

const two = (n: number) => String(n).padStart(2, '0');

/** datetime's strftime on Linux: %f, %z and %Z written by Python (a naive time's %z and %Z empty), the rest
 *  by glibc (cStrftime), as CPython hands it the format. */
export function pyStrftime(t: PyDateTime, format: string): string {
  const { zone } = t;
  const offset = (minutes: number) =>
    `${minutes < 0 ? '-' : '+'}${two(Math.floor(Math.abs(minutes) / 60))}${two(Math.abs(minutes) % 60)}`;
  const own = format.replace(/%([\s\S])/g, (whole, c: string) => {
    if (c === 'f') return String(t.micro ?? 0).padStart(6, '0');
    if (c === 'z') return zone ? offset(zone.offsetMinutes) : '';
    if (c === 'Z') return zone ? zone.name.replaceAll('%', '%%') : '';
    return whole;
  });
  return cStrftime(t.moment, own);
}

// What TaggerScript's functions take from Python, where JavaScript differs: int() and float() of text,
// floor division and modulo, slices with negative and missing ends, str.strip of given characters,
// Python's regular expressions (named groups, `\1` in a replacement) and strftime's common codes.
import { DAYS, MONTHS } from '../c-locale.ts';

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

/** A Python regular expression as JavaScript's (named groups `(?P<n>…)`, `(?P=n)`); undefined when it
 *  does not compile. */
export function pyRegex(pattern: string, flags = 'u'): RegExp | undefined {
  try {
    return new RegExp(pattern.replaceAll('(?P<', '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), flags);
  } catch {
    return undefined;
  }
}

/** re.sub's replacement: `\1`, `\g<1>`, `\g<name>` for groups, `\n` and `\\`; `$` taken as it is. */
export function pyReplacement(template: string): (match: RegExpExecArray) => string {
  return (m) =>
    template.replace(
      /\\(?:g<(\w+)>|(\d{1,2})|(.))/gs,
      (_, name: string | undefined, num: string | undefined, ch: string | undefined) => {
        if (name !== undefined) return (/^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name]) ?? '';
        if (num !== undefined) return m[Number(num)] ?? '';
        return ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === '\\' ? '\\' : `\\${ch}`;
      },
    );
}

/** re.sub(pattern, replacement, text). */
export function pySub(pattern: RegExp, replacement: string, text: string): string {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const replace = pyReplacement(replacement);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += text.slice(last, m.index) + replace(m as RegExpExecArray);
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

const two = (n: number) => String(n).padStart(2, '0');

/** strftime's common codes for a date (C locale); undefined for a code it does not know. */
export function strftime(
  date: { year: number; month: number; day: number },
  format: string,
): string | undefined {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day));
  d.setUTCFullYear(date.year);
  const dayOfYear = Math.floor((d.getTime() - Date.UTC(date.year, 0, 1)) / 86_400_000) + 1;
  const codes: Record<string, string> = {
    Y: String(date.year).padStart(4, '0'),
    y: two(date.year % 100),
    m: two(date.month),
    d: two(date.day),
    B: MONTHS[date.month - 1]!,
    b: MONTHS[date.month - 1]!.slice(0, 3),
    A: DAYS[d.getUTCDay()]!,
    a: DAYS[d.getUTCDay()]!.slice(0, 3),
    j: String(dayOfYear).padStart(3, '0'),
    w: String(d.getUTCDay()),
    H: '00',
    M: '00',
    S: '00',
    '%': '%',
  };
  let unknown = false;
  const out = format.replace(/%(.)/g, (_, c: string) => {
    const v = codes[c];
    if (v === undefined) unknown = true;
    return v ?? '';
  });
  return unknown ? undefined : out;
}

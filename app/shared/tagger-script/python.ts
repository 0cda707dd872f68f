// What TaggerScript's functions take from Python, where JavaScript differs: int() and float() of text,
// floor division and modulo, slices with negative and missing ends, str.strip of given characters,
// Python's regular expressions (named groups, `\1` in a replacement) and datetime's strftime.
import { cStrftime } from '../c-strftime.ts';

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

/** Python's word characters in a text pattern (str.isalnum(), and "_"): every letter and number, where
 *  JavaScript's `\w` knows ASCII's. */
const WORD = '\\p{L}\\p{N}_';
/** Python's classes of Unicode text, as JavaScript writes them: outside a set, and inside one (`[\w-]`). */
const CLASSES: Record<string, readonly [outside: string, inside?: string]> = {
  w: [`[${WORD}]`, WORD],
  W: [`[^${WORD}]`],
  d: ['\\p{Nd}', '\\p{Nd}'],
  D: ['\\P{Nd}'],
  b: [`(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`],
  B: [`(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`],
  A: ['(?<![\\s\\S])'],
  Z: ['(?![\\s\\S])'],
};

/** A Python regular expression as JavaScript's: named groups `(?P<n>…)` and `(?P=n)`; `\w`, `\W`, `\d`, `\D`,
 *  `\b` and `\B` of every script, as Python's are (in a set, `\W` and `\D` stay ASCII's); `\A` and `\Z`.
 *  Undefined when it does not compile. */
export function pyRegex(pattern: string, flags = 'u'): RegExp | undefined {
  let out = '';
  /** Where the set being read began (after its `[` and any `^`), or -1 outside one. */
  let set = -1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      out += CLASSES[next]?.[set < 0 ? 0 : 1] ?? `\\${next}`;
      continue;
    }
    if (ch === ']' && set === out.length)
      out += '\\]'; // first in a set, Python's "]" is one of it
    else {
      out += ch;
      if (ch === '[' && set < 0) set = out.length + (pattern[i + 1] === '^' ? 1 : 0);
      else if (ch === ']' && set >= 0) set = -1;
    }
  }
  try {
    return new RegExp(out.replaceAll('(?P<', '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), flags);
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

/** A moment as Python's datetime holds it: its fields (a local Date's), its microseconds, and its zone if it
 *  is aware of one (a date is not). */
export interface PyDateTime {
  readonly local: Date;
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
  return cStrftime(t.local, own);
}

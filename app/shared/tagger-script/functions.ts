// TaggerScript's functions, as Picard's picard/script/functions.py defines them (its tests, ported in
// tests/unit/tagger-script.test.ts, are the specification). Those given their arguments evaluated are
// here; those that evaluate their own ($if, the loops, the multi-value ones) in multi-functions.ts.
// $matchedtracks and $is_complete answer as Picard does for a file matched to no album in its window, which
// a library's track is; $countryname's translation is Picard's in English (Sleeve has no other language);
// $datetime is refused in a naming script (picard-naming.ts: a name made from the clock).
import { type Evaluator, tagName } from './context.ts';
import { countryName } from './country-names.ts';
import { dateFormat, type LazyFunction, MULTI_FUNCTIONS, splitDate } from './multi-functions.ts';
import { pyRegex, pySub } from './py-regex.ts';
import { floorDiv, pyFloat, pyFloatText, pyInt, pyMod, pyStrftime, stripChars, strSlice } from './python.ts';

export interface EagerFunction {
  readonly lazy?: false;
  readonly min: number;
  readonly max?: number;
  run(ev: Evaluator, args: readonly string[]): string;
}

export type ScriptFunction = EagerFunction | LazyFunction;

const eager = (min: number, max: number | undefined, run: EagerFunction['run']): EagerFunction => ({
  min,
  max,
  run,
});
const yes = (b: boolean) => (b ? '1' : '');
const chars = (text: string) => [...text];

/** $add and the like: every argument an integer, else ''. */
function integers(args: readonly string[], op: (a: number, b: number) => number | undefined): string {
  const numbers = args.map(pyInt);
  if (numbers.some((n) => n === undefined)) return '';
  let acc: number | undefined = numbers[0]!;
  for (const n of numbers.slice(1)) acc = acc === undefined ? undefined : op(acc, n!);
  return acc === undefined ? '' : String(acc);
}

/** $lt and the like: compared as integers, decimals or text (auto: what both read as), or ignoring case. */
function compare(
  x: string,
  y: string,
  type: string | undefined,
  op: (a: number | string, b: number | string) => boolean,
): string {
  let kind = type || 'auto';
  if (kind === 'auto')
    kind =
      pyInt(x) !== undefined && pyInt(y) !== undefined
        ? 'int'
        : pyFloat(x) !== undefined && pyFloat(y) !== undefined
          ? 'float'
          : 'text';
  if (kind === 'text') return yes(op(x, y));
  if (kind === 'nocase') return yes(op(x.toLowerCase(), y.toLowerCase()));
  const read = kind === 'int' ? pyInt : kind === 'float' ? pyFloat : undefined;
  if (!read) return '';
  const [a, b] = [read(x), read(y)];
  return a === undefined || b === undefined ? '' : yes(op(a, b));
}

/** $min and $max: over every value of every argument (split on "; "), typed as $lt types them. */
function extreme(type: string, args: readonly string[], most: boolean): string {
  const haystack = [...new Set(args.flatMap((a) => a.split('; ')))];
  let kind = type || 'auto';
  if (kind === 'auto')
    kind = haystack.every((v) => pyInt(v) !== undefined)
      ? 'int'
      : haystack.every((v) => pyFloat(v) !== undefined)
        ? 'float'
        : 'text';
  if (kind === 'int' || kind === 'float') {
    const numbers = haystack.map(kind === 'int' ? pyInt : pyFloat);
    if (numbers.some((n) => n === undefined)) return '';
    const n = most ? Math.max(...(numbers as number[])) : Math.min(...(numbers as number[]));
    return kind === 'float' ? pyFloatText(n) : String(n);
  }
  if (kind !== 'text' && kind !== 'nocase') return '';
  const key = (v: string) => (kind === 'nocase' ? v.toLowerCase() : v);
  let best: string | undefined;
  for (const v of haystack)
    if (best === undefined || (most ? key(v) > key(best) : key(v) < key(best))) best = v;
  return best ?? '';
}

/** Picard's titlecase: each word's first letter upper-cased, the rest kept; a letter after an
 *  apostrophe inside a word is not a word's start. */
function titleCase(text: string): string {
  const cs = chars(text);
  if (cs.length === 0) return text;
  let out = cs[0]!.toUpperCase();
  let capital = false;
  for (let i = 1; i < cs.length; i++) {
    let t = cs[i]!;
    if ("’'".includes(t) && /\p{L}/u.test(cs[i - 1]!)) capital = false;
    else if (!/[\p{L}\p{N}\p{M}]/u.test(t)) capital = true;
    else if (capital && /\p{L}/u.test(t)) {
      capital = false;
      t = t.toUpperCase();
    } else capital = false;
    out += t;
  }
  return out;
}

/** $delprefix and $swapprefix: the text without its leading prefix (A, The unless named), and it. */
function withoutPrefix(text: string, prefixes: readonly string[]): [string, string] {
  const t = text.trim();
  const names = prefixes.length > 0 ? prefixes : ['A', 'The'];
  const m = new RegExp(
    `^(?:${names.map((p) => `(${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+)`).join('|')})`,
    'u',
  ).exec(t);
  return m ? [t.slice(m[0].length), m[0].trim()] : [t, ''];
}

/** $performer: the values of performer:ROLE fields whose role matches (text, or /regex/flags). */
function performers(ev: Evaluator, pattern: string, join: string): string {
  const plain = pattern.replace(/[im]+$/, '');
  let re: RegExp | undefined;
  if (plain.length > 2 && plain.startsWith('/') && plain.endsWith('/'))
    re = pyRegex(
      plain.slice(1, -1),
      `u${pattern.slice(plain.length).includes('i') ? 'i' : ''}${pattern.slice(plain.length).includes('m') ? 'm' : ''}`,
    );
  else re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'u');
  if (!re) return '';
  const values: string[] = [];
  for (const [name, vals] of ev.context.entries())
    if (name.startsWith('performer:') && re.test(name.slice('performer:'.length))) values.push(...vals);
  return values.join(join);
}

const UNSET_ALL = new Set(['performer:*', 'comment:*', 'lyrics:*']);

function unset(ev: Evaluator, name: string): string {
  const key = tagName(name);
  if (UNSET_ALL.has(key)) {
    for (const k of ev.context.keys()) if (k.startsWith(key.slice(0, -1))) ev.context.unset(k);
  } else ev.context.unset(key);
  return '';
}

function set(ev: Evaluator, name: string, value: string | readonly string[]): string {
  if (value.length > 0) ev.context.set(tagName(name), value);
  else unset(ev, name);
  return '';
}

function rsearch(text: string, pattern: string, group: string | undefined): string {
  const re = pyRegex(pattern);
  const m = re?.exec(text);
  if (!m) return '';
  if (group) {
    const i = pyInt(group);
    const value = i !== undefined ? m[i] : m.groups?.[group.trim()];
    return value ?? '';
  }
  return m.slice(1).find((g) => g !== undefined) ?? m[0];
}

const EAGER: Record<string, EagerFunction> = {
  left: eager(2, 2, (_, [text, n]) => (pyInt(n!) === undefined ? '' : strSlice(text!, undefined, pyInt(n!)))),
  right: eager(2, 2, (_, [text, n]) => (pyInt(n!) === undefined ? '' : strSlice(text!, -pyInt(n!)!))),
  lower: eager(1, 1, (_, [text]) => text!.toLowerCase()),
  upper: eager(1, 1, (_, [text]) => text!.toUpperCase()),
  pad: eager(3, 3, (_, [text, length, char]) => {
    const n = pyInt(length!);
    return n === undefined ? '' : char!.repeat(Math.max(0, n - chars(text!).length)) + text;
  }),
  strip: eager(1, 1, (_, [text]) => text!.replace(/\s+/gu, ' ').trim()),
  replace: eager(3, 3, (_, [text, old, now]) =>
    old === '' ? chars(text!).join(now!).replace(/^/, now!).concat(now!) : text!.split(old!).join(now!),
  ),
  in: eager(2, 2, (_, [text, needle]) => yes(text!.includes(needle!))),
  rreplace: eager(3, 3, (_, [text, pattern, now]) => {
    const re = pyRegex(pattern!);
    return re ? pySub(re, now!, text!) : text!;
  }),
  rsearch: eager(2, 3, (_, [text, pattern, group]) => rsearch(text!, pattern!, group)),
  num: eager(2, 2, (_, [text, length]) => {
    const width = pyInt(length!);
    if (width === undefined) return '';
    const n = pyInt(text!) ?? 0;
    const digits = String(Math.abs(n)).padStart(Math.max(0, Math.min(width, 20)) - (n < 0 ? 1 : 0), '0');
    return n < 0 ? `-${digits}` : digits;
  }),
  unset: eager(1, 1, (ev, [name]) => unset(ev, name!)),
  delete: eager(1, 1, (ev, [name]) => {
    ev.context.delete(tagName(name!));
    return '';
  }),
  set: eager(2, 2, (ev, [name, value]) => set(ev, name!, value!)),
  setmulti: eager(2, 3, (ev, [name, value, separator = '; ']) =>
    set(ev, name!, value && separator ? value.split(separator) : value!),
  ),
  get: eager(1, 1, (ev, [name]) => ev.context.get(tagName(name!))),
  get_new: eager(1, 1, (ev, [name]) => ev.context.get(tagName(name!))),
  get_original: eager(1, 1, (ev, [name]) => ev.context.get(tagName(name!))),
  copy: eager(2, 2, (ev, [to, from]) => {
    ev.context.set(tagName(to!), [...ev.context.getall(tagName(from!))]);
    return '';
  }),
  copymerge: eager(2, 3, (ev, [to, from, keep]) => {
    const all = [...ev.context.getall(tagName(to!)), ...ev.context.getall(tagName(from!))];
    ev.context.set(tagName(to!), keep ? all : [...new Set(all)]);
    return '';
  }),
  trim: eager(1, 2, (_, [text, char]) => (char ? stripChars(text!, char) : text!.trim())),
  add: eager(2, undefined, (_, args) => integers(args, (a, b) => a + b)),
  sub: eager(2, undefined, (_, args) => integers(args, (a, b) => a - b)),
  div: eager(2, undefined, (_, args) => integers(args, floorDiv)),
  mod: eager(2, undefined, (_, args) => integers(args, pyMod)),
  mul: eager(2, undefined, (_, args) => integers(args, (a, b) => a * b)),
  or: eager(2, undefined, (_, args) => yes(args.some((a) => a))),
  and: eager(2, undefined, (_, args) => yes(args.every((a) => a))),
  not: eager(1, 1, (_, [x]) => yes(!x)),
  eq: eager(2, 2, (_, [x, y]) => yes(x === y)),
  ne: eager(2, 2, (_, [x, y]) => yes(x !== y)),
  lt: eager(2, 3, (_, [x, y, t]) => compare(x!, y!, t, (a, b) => a < b)),
  lte: eager(2, 3, (_, [x, y, t]) => compare(x!, y!, t, (a, b) => a <= b)),
  gt: eager(2, 3, (_, [x, y, t]) => compare(x!, y!, t, (a, b) => a > b)),
  gte: eager(2, 3, (_, [x, y, t]) => compare(x!, y!, t, (a, b) => a >= b)),
  len: eager(0, 1, (_, [text = '']) => String(chars(text).length)),
  performer: eager(0, 2, (ev, [pattern = '', join = ', ']) => performers(ev, pattern, join)),
  firstalphachar: eager(0, 2, (_, [text = '', other = '#']) => {
    const first = chars(text)[0];
    return first !== undefined && /\p{L}/u.test(first) ? first.toUpperCase() : other;
  }),
  initials: eager(0, 1, (_, [text = '']) =>
    text
      .split(' ')
      .map((w) => chars(w)[0] ?? '')
      .filter((c) => /\p{L}/u.test(c))
      .join(''),
  ),
  firstwords: eager(2, 2, (_, [text, length]) => {
    const n = pyInt(length!) ?? 0;
    const cs = chars(text!);
    if (cs.length <= n) return text!;
    const at = n < 0 ? cs.length + n : n;
    if (at < 0) return '';
    if (cs[at] === ' ') return cs.slice(0, at).join('');
    const head = strSlice(text!, undefined, n);
    const cut = head.lastIndexOf(' ');
    return cut < 0 ? head : head.slice(0, cut);
  }),
  startswith: eager(2, 2, (_, [text, prefix]) => yes(text!.startsWith(prefix!))),
  endswith: eager(2, 2, (_, [text, suffix]) => yes(text!.endsWith(suffix!))),
  truncate: eager(2, 2, (_, [text, length]) => strSlice(text!, undefined, pyInt(length!)).trimEnd()),
  swapprefix: eager(0, undefined, (_, [text = '', ...prefixes]) => {
    const [rest, prefix] = withoutPrefix(text, prefixes);
    return prefix ? `${rest}, ${prefix}` : rest;
  }),
  delprefix: eager(0, undefined, (_, [text = '', ...prefixes]) => withoutPrefix(text, prefixes)[0]),
  eq_any: eager(0, undefined, (_, [x, ...args]) => yes(args.includes(x!))),
  ne_all: eager(0, undefined, (_, [x, ...args]) => yes(!args.includes(x!))),
  eq_all: eager(0, undefined, (_, [x, ...args]) => yes(args.every((a) => a === x))),
  ne_any: eager(0, undefined, (_, [x, ...args]) => yes(!args.every((a) => a === x))),
  title: eager(1, 1, (_, [text]) => titleCase(text!)),
  countryname: eager(1, 2, (_, [code]) => countryName(code!)),
  datetime: eager(0, 1, (ev, [format]) => pyStrftime(ev.now(), format || '%Y-%m-%d %H:%M:%S')),
  matchedtracks: eager(0, 0, () => '0'),
  is_complete: eager(0, 0, () => ''),
  is_video: eager(0, 0, (ev) => yes(ev.context.get('~video') !== '' && ev.context.get('~video') !== '0')),
  is_audio: eager(0, 0, (ev) => yes(!(ev.context.get('~video') !== '' && ev.context.get('~video') !== '0'))),
  find: eager(2, 2, (_, [haystack, needle]) => {
    const i = haystack!.indexOf(needle!);
    return i < 0 ? '' : String(chars(haystack!.slice(0, i)).length);
  }),
  reverse: eager(1, 1, (_, [text]) => chars(text!).reverse().join('')),
  substr: eager(2, 3, (_, [text, start, end]) =>
    strSlice(text!, start ? pyInt(start) : undefined, end ? pyInt(end) : undefined),
  ),
  year: eager(1, 2, (_, [date, order]) => splitDate(date!, order).year),
  month: eager(1, 2, (_, [date, order]) => splitDate(date!, order).month),
  day: eager(1, 2, (_, [date, order]) => splitDate(date!, order).day),
  dateformat: eager(1, 3, (_, [date, format, order]) => dateFormat(date!, format, order)),
  cleanmulti: eager(1, 1, (ev, [name]) => {
    const key = tagName(name!);
    ev.context.set(
      key,
      ev.context.getall(key).filter((v) => v),
    );
    return '';
  }),
  min: eager(2, undefined, (_, [type, ...args]) => extreme(type!, args, false)),
  max: eager(2, undefined, (_, [type, ...args]) => extreme(type!, args, true)),
};

/** Every function a script may call, by name. */
export const FUNCTIONS: ReadonlyMap<string, ScriptFunction> = new Map<string, ScriptFunction>([
  ...Object.entries(EAGER),
  ...Object.entries(MULTI_FUNCTIONS),
]);

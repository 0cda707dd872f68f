// TaggerScript's functions over multi-valued fields, its loops and its dates (picard/script/functions.py):
// a multi-value argument written as one variable is the field's values; anything else is evaluated and
// split on the separator given ("; " unless said).

import { fieldsMoment } from '../c-strftime.ts';
import { type Evaluator, MULTI_JOINER, tagName } from './context.ts';
import type { ScriptExpression } from './parser.ts';
import { pyInt, pySlice, pyStrftime } from './python.ts';

export interface LazyFunction {
  readonly lazy: true;
  readonly min: number;
  readonly max?: number;
  run(ev: Evaluator, args: readonly ScriptExpression[]): string;
}

/** Picard's MultiValue: the values of a multi-value argument, and its separator. */
export function multiValue(
  ev: Evaluator,
  multi: ScriptExpression | undefined,
  separator?: ScriptExpression,
): { values: string[]; separator: string } {
  const sep = separator === undefined ? MULTI_JOINER : ev.expression(separator);
  const only = multi?.length === 1 ? multi[0] : undefined;
  if (sep === MULTI_JOINER && only?.kind === 'variable')
    return { values: ev.context.getall(tagName(only.name)), separator: sep };
  const text = multi ? ev.expression(multi) : '';
  return { values: !text ? [] : sep ? text.split(sep) : [text], separator: sep };
}

/** A MultiValue as text: its non-empty values joined. */
const joined = (m: { values: readonly string[]; separator: string }) =>
  m.values.filter((v) => v).join(m.separator);

/** An argument read as an integer, when written and one. */
const intArg = (ev: Evaluator, arg: ScriptExpression | undefined): number | undefined =>
  arg && arg.length > 0 ? pyInt(ev.expression(arg)) : undefined;

/** Runs `code` once a value, with `_loop_count` and `_loop_value` set; returns each run's result. */
function loop(ev: Evaluator, values: readonly string[], code: ScriptExpression | undefined): string[] {
  const out = values.map((value, i) => {
    ev.context.set('~loop_count', String(i + 1));
    ev.context.set('~loop_value', value);
    return code ? ev.expression(code) : '';
  });
  ev.context.unset('~loop_count');
  ev.context.unset('~loop_value');
  return out;
}

const lazy = (min: number, max: number | undefined, run: LazyFunction['run']): LazyFunction => ({
  lazy: true,
  min,
  max,
  run,
});

export const MULTI_FUNCTIONS: Record<string, LazyFunction> = {
  if: lazy(2, 3, (ev, [cond, then, otherwise]) =>
    ev.expression(cond!)
      ? ev.expression(then!)
      : otherwise && otherwise.length > 0
        ? ev.expression(otherwise)
        : '',
  ),
  if2: lazy(0, undefined, (ev, args) => {
    for (const arg of args) {
      const value = ev.expression(arg);
      if (value) return value;
    }
    return '';
  }),
  noop: lazy(0, undefined, () => ''),
  replacemulti: lazy(3, 4, (ev, [multi, search, replace, separator]) => {
    if (!multi?.length || !search?.length || (separator && separator.length === 0))
      return ev.expression(multi ?? []);
    const s = ev.expression(search);
    const r = ev.expression(replace!);
    const m = multiValue(ev, multi, separator);
    m.values = m.values.map((v) => (v === s ? r : v));
    return joined(m);
  }),
  inmulti: lazy(2, 3, (ev, [haystack, needle, separator]) => {
    const n = ev.expression(needle!);
    return multiValue(ev, haystack, separator).values.includes(n) ? '1' : '';
  }),
  lenmulti: lazy(1, 2, (ev, [multi, separator]) => String(multiValue(ev, multi, separator).values.length)),
  getmulti: lazy(2, 3, (ev, [multi, index, separator]) => {
    if (!index?.length) return '';
    const i = pyInt(ev.expression(index));
    if (i === undefined) return '';
    const { values } = multiValue(ev, multi, separator);
    const value = values[i < 0 ? values.length + i : i];
    return value ?? '';
  }),
  foreach: lazy(2, 3, (ev, [multi, code, separator]) => {
    loop(ev, multiValue(ev, multi, separator).values, code);
    return '';
  }),
  while: lazy(2, 2, (ev, [condition, code]) => {
    if (!condition?.length || !code?.length) return '';
    for (let count = 1; count <= 1000 && ev.expression(condition); count++) {
      ev.context.set('~loop_count', String(count));
      ev.expression(code);
    }
    ev.context.unset('~loop_count');
    return '';
  }),
  map: lazy(2, 3, (ev, [multi, code, separator]) => {
    const m = multiValue(ev, multi, separator);
    m.values = loop(ev, m.values, code);
    return joined(m);
  }),
  join: lazy(2, 3, (ev, [multi, phrase, separator]) => {
    const p = ev.expression(phrase!);
    return multiValue(ev, multi, separator).values.join(p);
  }),
  slice: lazy(2, 4, (ev, [multi, start, end, separator]) => {
    const [a, b] = [intArg(ev, start), intArg(ev, end)];
    const m = multiValue(ev, multi, separator);
    return pySlice(m.values, a, b).join(m.separator);
  }),
  sortmulti: lazy(1, 2, (ev, [multi, separator]) => {
    const m = multiValue(ev, multi, separator);
    return [...m.values].sort(byCodePoint).join(m.separator);
  }),
  reversemulti: lazy(1, 2, (ev, [multi, separator]) => {
    const m = multiValue(ev, multi, separator);
    return [...m.values].reverse().join(m.separator);
  }),
  unique: lazy(1, 3, (ev, [multi, caseSensitive, separator]) => {
    const m = multiValue(ev, multi, separator);
    let values = m.values;
    // Picard tests the argument as written, not its value: anything written is case-sensitive.
    if (!caseSensitive?.length) {
      const byLower = new Map<string, string>();
      for (const v of values) byLower.set(v.toLowerCase(), v);
      values = [...byLower.values()];
    }
    return [...new Set(values)].sort(byCodePoint).join(m.separator);
  }),
  is_multi: lazy(1, 1, (ev, [multi]) => (multiValue(ev, multi).values.length < 2 ? '' : '1')),
};

/** Python's order of strings: by code point. */
function byCodePoint(a: string, b: string): number {
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** A date's parts in the order given (ymd, dmy, mdy), split on anything not a digit. */
export function splitDate(text: string, order = 'ymd'): { year: string; month: string; day: string } {
  const parts = [...text.trim().split(/\D+/), '', '', ''];
  switch (order.toLowerCase()) {
    case 'dmy':
      return { year: parts[2]!, month: parts[1]!, day: parts[0]! };
    case 'mdy':
      return { year: parts[2]!, month: parts[0]!, day: parts[1]! };
    default:
      return { year: parts[0]!, month: parts[1]!, day: parts[2]! };
  }
}

/** $dateformat: a real date (as Python's datetime.date checks it) in strftime's format; '' otherwise. */
export function dateFormat(text: string, format: string | undefined, order: string | undefined): string {
  const p = splitDate(text, order);
  const [year, month, day] = [pyInt(p.year), pyInt(p.month), pyInt(p.day)];
  if (year === undefined || month === undefined || day === undefined) return '';
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return '';
  if (day > [31, leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!) return '';
  return pyStrftime({ moment: fieldsMoment(year, month, day) }, format || '%Y-%m-%d');
}

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

// The library query language (beets-like). Pure: the CLI, backend and renderer's query bar share it.
//
//   word            any field or the path (below its library folder) contains "word" (case-insensitive);
//                   a colon in it escaped, test\:val, as in beets
//   field:value     field contains value            field:=value   field equals value exactly
//                   (field:=~value: in any case, as in beets)
//   num:5, num:2.5  a numeric field (id, tracknumber, year, bitrate, …) equals the number to the precision
//                   given: 5 ≤ num < 6, 2.5 ≤ num < 2.6 (never a substring: id:1 is not id 12)
//   field:/re/i     field matches a regular expression
//   field::re       beets' form of the same: the rest of the term is the pattern, case-sensitive as in beets
//                   (`(?i)` in the pattern ignores case); `:re` alone looks in any field or the path below
//                   its library folder
//   field:1990..1999, field:..60, field:120..   numeric range (inclusive)
//   added:2026-11   a file date (added, mtime: fields.ts) in that year, month, day or time, local time;
//                   added:2026-01..2026-06 from the first's start to the end of the second (either open);
//                   added:-2w.. from now as beets reads it (d, w, m = 30 d, y = 365 d; no sign: the future)
//   comp:true       a flag (compilation) is set; comp:false, not set (1/0, yes/no, as beets reads them);
//                   singleton:true a track on no album, singleton:false one on an album
//   field:"a; b"    field contains a and b: several values as the table shows them (joined by "; ")
//   field:          field has a non-empty value
//   ^term           negates a term (-term too, as in beets)   field+ / field-   sort ascending / descending
//   a , b   a, b   a OR b  either query (beets' comma): every term of one of them matches
// Values with spaces are quoted: artist:"pink floyd" or 'pink floyd'. bitrate is in kbps, as shown.

import { UserError } from '../../kit/user-error.ts';
import { controlCharacter } from './control-characters.ts';
import {
  flagValue,
  isDateField,
  isFlagField,
  isNumericField,
  type PropertyField,
  sleeveFieldName,
} from './fields.ts';
import { compileRegex } from './regex.ts';
import { MULTI_SEPARATOR } from './track-table.ts';

export type MatchOp =
  | { readonly kind: 'contains'; readonly value: string }
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string }
  | { readonly kind: 'range'; readonly min: number | null; readonly max: number | null }
  /** from ≤ value < below: a number typed for a numeric field, to the precision it was typed with. */
  | { readonly kind: 'number'; readonly from: number; readonly below: number }
  /** A file date (ms since the epoch) from ≤ value < below, either end open (null); `relative` when an end
   *  was given from now (`added:-1w..`), so that the match changes with the clock. */
  | {
      readonly kind: 'date';
      readonly from: number | null;
      readonly below: number | null;
      readonly relative?: true;
    }
  | { readonly kind: 'present' };

export interface QueryTerm {
  /** Lower-case field name, or null for "any field or the path below its library folder". */
  readonly field: string | null;
  readonly negate: boolean;
  readonly op: MatchOp;
}

export interface QuerySort {
  readonly field: string;
  readonly descending: boolean;
}

export interface Query {
  /** Alternatives: a file matches when it matches every term of one of them (one group: no OR). */
  readonly groups: readonly (readonly QueryTerm[])[];
  readonly sorts: readonly QuerySort[];
}

export class QuerySyntaxError extends UserError {
  override name = 'QuerySyntaxError';
  readonly position: number;
  readonly length: number;
  constructor(message: string, position: number, length = 1, replacements?: readonly string[]) {
    super('bad_request', `${message} (at column ${position + 1})`, {
      start: position,
      length: Math.max(1, length),
      ...(replacements && replacements.length > 0 && { replacements }),
    });
    this.position = position;
    this.length = Math.max(1, length);
  }
}

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Whether any part of the token was quoted: a quoted token is never a sort key. */
  readonly quoted: boolean;
  /** Where in `text` the first quoted part begins (text.length when none is). */
  readonly quotedFrom: number;
}

export const FIELD_RE = /^([A-Za-z_][A-Za-z0-9_]*):/;
export const SORT_RE = /^([A-Za-z_][A-Za-z0-9_]*)([+-])$/;
const NUMBER_RE = /^-?\d+(\.\d+)?$/;

/** Whether a quote character at this point of a token opens a quote: a double quote always; an apostrophe
 *  where a value begins (a token's start, after `field:`, `=` or a negation), not inside a word, where it
 *  is the word's ("l'hymne", "don't", "N'"). */
const opensQuote = (ch: string, before: string): boolean =>
  ch === '"' || (ch === "'" && (before === '' || /[:=^!-]$/.test(before)));

/** Splits on unquoted whitespace; quotes group, and a `/…/` after `field:` or at the start may hold spaces. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    const start = i;
    let text = '';
    let quoted = false;
    let quotedFrom = -1;
    let plainEnd = false;
    while (i < input.length && !/\s/.test(input[i]!)) {
      const ch = input[i]!;
      plainEnd = false;
      if (opensQuote(ch, text)) {
        const close = input.indexOf(ch, i + 1);
        if (close < 0) throw new QuerySyntaxError(`unclosed ${ch} quote`, i, input.length - i);
        if (!quoted) quotedFrom = text.length;
        text += input.slice(i + 1, close);
        quoted = true;
        i = close + 1;
        continue;
      }
      if (ch === '/' && isRegexStart(text)) {
        const close = findRegexEnd(input, i + 1);
        if (close < 0)
          throw new QuerySyntaxError(
            `unclosed regular expression${quoteHint(text, input.slice(i).split(/\s/)[0]!)}`,
            i,
            input.length - i,
          );
        text += input.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      text += ch;
      i++;
      plainEnd = true;
    }
    // beets' "a, b": a comma closing a word, unquoted, separates alternatives as a standalone one does.
    if (plainEnd && text.length > 1 && text.endsWith(',')) {
      text = text.slice(0, -1);
      tokens.push({ text, start, end: i - 1, quoted, quotedFrom: quoted ? quotedFrom : text.length });
      tokens.push({ text: ',', start: i - 1, end: i, quoted: false, quotedFrom: 1 });
      continue;
    }
    tokens.push({ text, start, end: i, quoted, quotedFrom: quoted ? quotedFrom : text.length });
  }
  return tokens;
}

/** What to type instead when a value that begins with "/" was meant as text (a path): it quoted. */
const quoteHint = (prefix: string, value: string): string =>
  `; to match text that begins with "/", quote it: ${prefix}"${value}"`;

function isRegexStart(prefix: string): boolean {
  const rest = prefix.startsWith('^') ? prefix.slice(1) : prefix;
  return rest === '' || /^[A-Za-z_][A-Za-z0-9_]*:$/.test(rest);
}

function findRegexEnd(input: string, from: number): number {
  for (let i = from; i < input.length; i++) {
    if (input[i] === '\\') i++;
    else if (input[i] === '/') return i;
  }
  return -1;
}

function parseRange(value: string): MatchOp | undefined {
  const dots = value.indexOf('..');
  if (dots < 0) return undefined;
  const lo = value.slice(0, dots);
  const hi = value.slice(dots + 2);
  if ((lo === '' && hi === '') || (lo !== '' && !NUMBER_RE.test(lo)) || (hi !== '' && !NUMBER_RE.test(hi))) {
    return undefined;
  }
  return { kind: 'range', min: lo === '' ? null : Number(lo), max: hi === '' ? null : Number(hi) };
}

/** The pattern of beets' `field::pattern` (and `:pattern` for any field), checked as a `/…/` one is. */
function beetsRegex(pattern: string, field: string | null, valueOffset: number): MatchOp {
  // Only a field's can be empty: a lone `:` is a word.
  if (pattern === '')
    throw new QuerySyntaxError(
      `${field}:: needs a pattern after the double colon (beets' regular expression form)`,
      valueOffset,
    );
  checkRegex(pattern, '', valueOffset + 1, pattern.length);
  return { kind: 'regex', source: pattern, flags: '' };
}

function checkRegex(source: string, flags: string, offset: number, length: number): void {
  try {
    compileRegex(source, flags);
  } catch (err) {
    throw new QuerySyntaxError(`invalid regular expression: ${(err as Error).message}`, offset, length);
  }
}

/** The field of a file's length, in seconds (beets' `length`). */
const DURATION: PropertyField = 'duration';
/** A time as a player shows it, M:SS or H:MM:SS (beets' `length:..4:30`). */
const CLOCK_RE = /^(?:(\d+):([0-5]\d)|(\d+)):([0-5]\d)$/;

/** `text` as seconds when it is a clock time (4:30 → 270, 1:02:03 → 3723), else as it is. */
function clockSeconds(text: string): string {
  const m = CLOCK_RE.exec(text);
  if (!m) return text;
  const [, hours, minutesOfHour, minutes, seconds] = m;
  const total = hours === undefined ? Number(minutes) : Number(hours) * 60 + Number(minutesOfHour);
  return String(total * 60 + Number(seconds));
}

/** A duration's value with its clock times in seconds, the unit it compares in (each end of a range);
 *  as typed when it is no number or range so (a pattern, exact text, a mistake its error quotes). */
function inSeconds(value: string): string {
  const dots = value.indexOf('..');
  const seconds =
    dots < 0
      ? clockSeconds(value)
      : `${clockSeconds(value.slice(0, dots))}..${clockSeconds(value.slice(dots + 2))}`;
  return NUMBER_RE.test(seconds) || parseRange(seconds) ? seconds : value;
}

function parseValue(
  value: string,
  token: Token,
  valueOffset: number,
  field: string | null,
  now: number,
): MatchOp {
  if (field !== null && isDateField(field)) return dateOp(field, value, token, valueOffset, now);
  if (field === DURATION) value = inSeconds(value);
  // beets' `field::pattern`: the colon that makes it a regular expression is typed, not quoted
  // (title::"^the end" holds a space; title:":x" is text).
  const valueAt = valueOffset - token.start;
  if (value.startsWith(':') && token.quotedFrom > valueAt && (field !== null || value.length > 1))
    return beetsRegex(value.slice(1), field, valueOffset);
  // A quoted value is literal text: path:"/music/a" is a path, not a regular expression.
  if (!token.quoted && value.startsWith('/') && value.length >= 2) {
    const close = value.lastIndexOf('/');
    const flags = value.slice(close + 1);
    const source = value.slice(1, close);
    if (close === 0 || !/^[imsu]*$/.test(flags)) {
      throw new QuerySyntaxError(
        `a regular expression is written /pattern/ with flags i, m, s or u${quoteHint(field === null ? '' : `${field}:`, value)}`,
        valueOffset,
      );
    }
    checkRegex(source, flags, valueOffset, value.length);
    return { kind: 'regex', source, flags };
  }
  // beets' `=~`: the value exactly, in any case (a regular expression of it, whole and escaped).
  // An unquoted `~` only: field:="~x" is the exact value ~x, as it was before beets' `=~` was read.
  if (field !== null && value.startsWith('=~') && token.quotedFrom > valueOffset - token.start + 1)
    return {
      kind: 'regex',
      source: `^${value.slice(2).replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}$`,
      flags: 'i',
    };
  if (field !== null && value.startsWith('=')) return { kind: 'exact', value: value.slice(1) };
  // Outside quotes only: the quote may begin after a negation (^"=rock" is the text =rock, negated).
  if (
    field === null &&
    value.length > 1 &&
    value.startsWith('=') &&
    token.quotedFrom > valueOffset - token.start
  )
    throw new QuerySyntaxError(
      `an exact match names its field: write title:${value}, genre:${value}…`,
      valueOffset,
      value.length,
    );
  if (field !== null && value === '' && !token.quoted) return { kind: 'present' };
  const range = field !== null ? parseRange(value) : undefined;
  if (range) return range;
  if (field !== null && isNumericField(field)) return numberOp(field, value, valueOffset);
  return { kind: 'contains', value };
}

const DATE_RE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[Tt ](\d{1,2})(?::(\d{2})(?::(\d{2}))?)?)?)?)?$/;

/** beets' relative date (dbcore's Period): a sign (none is the future), a number and a unit of days, a
 *  month 30 and a year 365 of them, as beets counts. */
const RELATIVE_RE = /^([+-]?)(\d{1,6})([ymwd])$/;
const UNIT_DAYS: Record<string, number> = { y: 365, m: 30, w: 7, d: 1 };
const DAY_MS = 86_400_000;

/** The span of local time a date typed to some precision covers, [start, end) in ms: 2026 is the year,
 *  2026-11 the month, 2026-11-05 the day, 2026-11-05T14 or T14:30 or T14:30:05 that hour, minute, second
 *  (a `t` or, quoted, a space in place of the T, as beets reads them); -1w the second a week before `now`. */
function dateSpan(text: string, now: number): [number, number] | undefined {
  const relative = RELATIVE_RE.exec(text);
  if (relative) {
    const [, sign, count, unit] = relative as unknown as [string, string, string, string];
    const at = now + (sign === '-' ? -1 : 1) * Number(count) * UNIT_DAYS[unit]! * DAY_MS;
    return [at, at + 1000];
  }
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((p) => (p === undefined ? undefined : Number(p)));
  const parts = [y!, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, sec ?? 0];
  const at = (p: number[]) => new Date(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!);
  const start = at(parts);
  // A part out of its range (month 13, 31 November, 25 o'clock) rolls the date over: refused.
  if (start.getFullYear() !== y || start.getMonth() !== parts[1] || start.getDate() !== parts[2])
    return undefined;
  if ((h ?? 0) > 23 || (mi ?? 0) > 59 || (sec ?? 0) > 59) return undefined;
  const given = m.slice(1).filter((p) => p !== undefined).length; // 1 (year) … 6 (second)
  const next = [...parts];
  next[given - 1] = next[given - 1]! + 1;
  return [start.getTime(), at(next).getTime()];
}

/** `added:2026-11`, `mtime:2026-01..2026-06` (from the start of the first to the end of the second; the
 *  other way round, the same), `added:2026..` or `added:..2025-12-31`, `added:-1w..` (since a week ago);
 *  `added:` or `added:..` for any (every file has both dates), as beets' tests (test_datequery.py) read
 *  them. */
function dateOp(field: string, value: string, token: Token, valueOffset: number, now: number): MatchOp {
  if (value === '' && !token.quoted) return { kind: 'present' };
  const wrong = () =>
    new QuerySyntaxError(
      `${field} is a date: write ${field}:2026, ${field}:2026-11, ${field}:2026-11-05 (or with a time, ${field}:2026-11-05T14:30), a range ${field}:2026-01..2026-06 (open on either side: ${field}:2026-01..), or one from now, ${field}:-2w.. (d, w, m or y: days, weeks, months of 30 days, years of 365)`,
      valueOffset,
      Math.max(1, value.length),
    );
  const dots = value.indexOf('..');
  const ends = dots < 0 ? [value] : [value.slice(0, dots), value.slice(dots + 2)];
  const relative = ends.some((end) => RELATIVE_RE.test(end)) ? { relative: true as const } : {};
  if (dots < 0) {
    const span = dateSpan(value, now);
    if (!span) throw wrong();
    return { kind: 'date', from: span[0], below: span[1], ...relative };
  }
  const [lo, hi] = ends as [string, string];
  let from = lo === '' ? null : dateSpan(lo, now);
  let to = hi === '' ? null : dateSpan(hi, now);
  if (from === undefined || to === undefined) throw wrong();
  if (from === null && to === null) return { kind: 'present' };
  // A range given back to front is the forward one (2026-06..2026-01, +4d..-4d).
  if (from && to && to[1] <= from[0]) [from, to] = [to, from];
  return { kind: 'date', from: from ? from[0] : null, below: to ? to[1] : null, ...relative };
}

/** `comp:true`, `compilation:0` as beets reads a flag: set (1), or not set (0, or none at all). */
function flagTerm(field: string, negate: boolean, value: string, valueOffset: number): QueryTerm {
  const flag = flagValue(value);
  if (flag === undefined)
    throw new QuerySyntaxError(
      `${field} is a flag: write ${field}:true (or 1, yes) or ${field}:false (0, no)`,
      valueOffset,
      value.length,
    );
  return { field, negate: flag === '1' ? negate : !negate, op: { kind: 'exact', value: '1' } };
}

/** beets' `singleton:true`, a track on no album (one with no album name, here), `singleton:false` one on an
 *  album: no field of its own, but whether the album is named. */
function singletonTerm(negate: boolean, value: string, valueOffset: number): QueryTerm {
  const flag = flagValue(value);
  if (flag === undefined)
    throw new QuerySyntaxError(
      'singleton is true (a track on no album) or false (on one): write singleton:true or singleton:false',
      valueOffset,
      Math.max(1, value.length),
    );
  return { field: 'album', negate: flag === '1' ? !negate : negate, op: { kind: 'present' } };
}

/** `field:5` for a numeric field: the number to the precision typed (5 → [5, 6), 2.5 → [2.5, 2.6)). */
function numberOp(field: string, value: string, valueOffset: number): MatchOp {
  const compare = /^([<>]=?|=<|=>)\s*(-?\d+(?:\.\d+)?)$/.exec(value);
  if (compare) {
    const [, op, n] = compare;
    const range = op!.includes('>') ? `${field}:${n}..` : `${field}:..${n}`;
    throw new QuerySyntaxError(
      `"${op}" is not an operator here: ${op!.includes('>') ? 'at least' : 'at most'} ${n} is written ${range} (a range includes its ends)`,
      valueOffset,
      value.length,
    );
  }
  const [lo, hi] = field === DURATION ? ['3:00', '4:30'] : ['1990', '1999'];
  if (value.includes('..'))
    throw new QuerySyntaxError(
      `"${value}" is not a range of numbers: write ${field}:${lo}..${hi}, ${field}:${lo}.. or ${field}:..${hi}`,
      valueOffset,
      value.length,
    );
  if (!NUMBER_RE.test(value)) {
    throw new QuerySyntaxError(
      `${field} is a number${field === DURATION ? ' of seconds, or a time as 4:30' : ''}: write ${field}:5, a range ${field}:1..9, or ${field}:=text for exact text`,
      valueOffset,
      Math.max(1, value.length),
    );
  }
  const decimals = value.split('.')[1]?.length ?? 0;
  const from = Number(value);
  return { kind: 'number', from, below: Number((from + 10 ** -decimals).toFixed(decimals)) };
}

/**
 * Terms and sorts a query may have: each term nests one level deeper in the SQL it becomes, and SQLite
 * refuses an expression over 1,000 levels deep (at about 350 terms). No query typed or saved comes near.
 */
export const MAX_QUERY_TERMS = 256;

/** `now`: the time a date given from now (`added:-1w..`) counts from. */
export function parseQuery(input: string, now = Date.now()): Query {
  const control = controlCharacter(input, { tab: true });
  if (control)
    throw new QuerySyntaxError(`a query cannot contain control characters (${control.code})`, control.index);
  const groups: QueryTerm[][] = [[]];
  const sorts: QuerySort[] = [];
  let separator: Token | undefined;
  let count = 0;
  for (const token of tokenize(input)) {
    let text = token.text;
    let offset = token.start;
    if (!token.quoted && (text === ',' || text === 'OR')) {
      if (groups.at(-1)!.length === 0)
        throw new QuerySyntaxError(`${text} needs a query on each side`, token.start, text.length);
      groups.push([]);
      separator = token;
      continue;
    }
    if (++count > MAX_QUERY_TERMS)
      throw new QuerySyntaxError(
        `a query can have at most ${MAX_QUERY_TERMS} terms and sorts; this one has more`,
        token.start,
        token.text.length,
      );
    const terms = groups.at(-1)!;
    const sort = token.quoted ? null : SORT_RE.exec(text);
    if (sort) {
      sorts.push({ field: fieldName(sort[1]!), descending: sort[2] === '-' });
      continue;
    }
    let negate = false;
    // beets' dash negates too (`-live`, `-genre:pop`); a quoted one is text ("-live").
    if (text.startsWith('^') || (text.startsWith('-') && text.length > 1 && token.quotedFrom > 0)) {
      negate = true;
      text = text.slice(1);
      offset++;
      if (text === '') throw new QuerySyntaxError('^ must be followed by a term', token.start);
    }
    const fieldMatch = FIELD_RE.exec(text);
    if (fieldMatch) {
      const field = fieldName(fieldMatch[1]!);
      const value = text.slice(fieldMatch[0].length);
      const op = unescaped(parseValue(value, token, offset + fieldMatch[0].length, field, now), token);
      terms.push(
        field === 'singleton'
          ? singletonTerm(negate, value, offset + fieldMatch[0].length)
          : isFlagField(field) && op.kind === 'contains'
            ? flagTerm(field, negate, value, offset + fieldMatch[0].length)
            : { field, negate, op },
      );
    } else {
      terms.push({ field: null, negate, op: unescaped(parseValue(text, token, offset, null, now), token) });
    }
    terms.push(...shownValues(terms.pop()!));
  }
  if (separator && groups.at(-1)!.length === 0)
    throw new QuerySyntaxError(
      `${separator.text} needs a query on each side`,
      separator.start,
      separator.text.length,
    );
  return { groups, sorts };
}

/** A value as the table shows several (`genre:"Rock; Indie"`, joined by MULTI_SEPARATOR): each part
 *  contained, so that a value copied from a row finds that row. Only where it cannot narrow the match (what
 *  contains the whole contains each part); an exact or negated term stays whole. */
function shownValues(term: QueryTerm): QueryTerm[] {
  const { op } = term;
  if (term.negate || op.kind !== 'contains' || !op.value.includes(MULTI_SEPARATOR)) return [term];
  const parts = op.value
    .split(MULTI_SEPARATOR)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.length === 0 ? [term] : parts.map((value) => ({ ...term, op: { kind: 'contains', value } }));
}

/** beets' escaped colon, `test\:val` (a word holding a colon, not a field's term), `title:a\:b`: the
 *  text's own colon, in a value typed unquoted (a regular expression reads `\:` as a colon itself). */
const unescaped = (op: MatchOp, token: Token): MatchOp =>
  (op.kind === 'contains' || op.kind === 'exact') && !token.quoted
    ? { ...op, value: op.value.replaceAll('\\:', ':') }
    : op;

/** A typed field's name: lower case, beets' names (`track`, `length`) read as Sleeve's. */
const fieldName = (typed: string): string => sleeveFieldName(typed.toLowerCase());

/** A bitrate term as compared, in kbps as shown: a number of 10,000 or more is beets' bits per second
 *  (`bitrate:..192000`), read as kbps too (the library's SQL and a layout's per-track match alike). */
export function bitrateInKbps(op: MatchOp): MatchOp {
  const kbps = (n: number | null) => (n !== null && n >= 10_000 ? n / 1000 : n);
  if (op.kind === 'range') return { ...op, min: kbps(op.min), max: kbps(op.max) };
  if (op.kind === 'exact' && Number(op.value) >= 10_000)
    return { ...op, value: String(Number(op.value) / 1000) };
  if (op.kind !== 'number') return op;
  const from = kbps(op.from)!;
  const below = op.from >= 10_000 ? op.below / 1000 : op.below;
  // A whole number means what the table shows, rounded: bitrate:245 is 244.5 ≤ kbps < 245.5.
  return below - from === 1
    ? { kind: 'number', from: from - 0.5, below: below - 0.5 }
    : { kind: 'number', from, below };
}

/** A term matching `field` exactly equal to `value`, quoted so that any value (quotes included) survives. */
export function exactTerm(field: string, value: string): string {
  return `${field}:=${quotedValue(value)}`;
}

/** A value quoted as a query reads it as text, whatever it holds (quotes included). */
export function quotedValue(value: string): string {
  return `"${value.replaceAll('"', `"'"'"`)}"`;
}

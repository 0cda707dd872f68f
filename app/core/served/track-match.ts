// Whether a track matches a library query, judged from what its path is made of (its effective tags and
// its file's facts) rather than in SQL: a beets user's path formats pick each track's layout by the first
// query it matches (beets-paths.ts), as the mount builds or patches its tree. The answers are the
// library's (query-sql.ts) for every term a layout may ask — tests/unit/track-match.test.ts compares the
// two over one library; the rest are refused by name: a free word (a path reads only the fields it names),
// a field Sleeve does not know, and what a path is not made of (file dates, measured sources and gains,
// album-level values, the scan's findings).
import {
  isAlbumField,
  isDateField,
  isKnownField,
  isNumericField,
  isPropertyField,
  isSourceField,
  type PropertyField,
} from '../../shared/fields.ts';
import { bitrateInKbps, type MatchOp, type Query, type QueryTerm } from '../../shared/query.ts';
import { compileRegex } from '../../shared/regex.ts';
import { fold } from '../db/fold.ts';
import type { PathSource } from './path-source.ts';

type Matchable = Exclude<PropertyField, 'status' | 'error' | 'warning' | 'year'>;

/** A property's value as the library's SQL compares it (bitrate in kbps; null: none). */
function propertyValue(name: Matchable, track: PathSource): string | number | null {
  const f = track.facts;
  switch (name) {
    case 'bitrate':
      return f.bitrate === null ? null : f.bitrate / 1000;
    case 'samplerate':
      return f.sampleRate;
    case 'bitdepth':
      return f.bitDepth;
    default:
      return f[name];
  }
}

/** Why a layout cannot ask this query, or undefined when it can. */
export function unsupportedTerm(query: Query): string | undefined {
  for (const term of query.groups.flat()) {
    const f = term.field;
    if (f === null) return 'a word in any field: name the field it is in (genre:jazz)';
    if (isDateField(f)) return `${f}: is a date of the file, which a path is not made of`;
    if (isSourceField(f)) return `${f}: is measured from the copies, which a path is not made of`;
    if (isAlbumField(f)) return `${f}: is derived from other tracks, which a path's query cannot ask`;
    if (/^replaygain_/.test(f)) return `${f}: may be a measured gain, which a path's query cannot ask`;
    if (f === 'status' || f === 'error' || f === 'warning')
      return `${f}: is the scan's, which a path's query cannot ask (the mount serves readable files)`;
    if (!isKnownField(f)) return `${f}: is no field Sleeve knows`;
  }
  return undefined;
}

/** Text as SQLite's CAST(… AS REAL) reads it: its longest leading number, else 0 ("A1" is 0, "12b" 12). */
function sqliteReal(value: string | number): number {
  if (typeof value === 'number') return value;
  const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(value);
  return n ? Number(n[0]) : 0;
}

/** Compiled patterns, bounded: a layout has few, each asked of every track. */
const PATTERNS = new Map<string, ReturnType<typeof compileRegex>>();
function pattern(source: string, flags: string): ReturnType<typeof compileRegex> {
  const key = `${flags}/${source}`;
  let re = PATTERNS.get(key);
  if (!re) {
    if (PATTERNS.size >= 64) PATTERNS.clear();
    re = compileRegex(source, flags);
    PATTERNS.set(key, re);
  }
  return re;
}

/** One value against one operation, as query-sql.ts's condition() judges it. */
function matchValue(op: MatchOp, value: string | number | null, numeric: boolean): boolean {
  if (value === null) return false;
  const text = String(value);
  switch (op.kind) {
    case 'contains':
      return fold(text).includes(fold(op.value));
    case 'exact':
      return numeric ? sqliteReal(value) === sqliteReal(op.value) : text === op.value;
    case 'regex':
      return pattern(op.source, op.flags).test(text);
    case 'present':
      return text !== '';
    case 'number': {
      const n = sqliteReal(value);
      return n >= op.from && n < op.below;
    }
    case 'range': {
      const n = sqliteReal(value);
      return (op.min === null || n >= op.min) && (op.max === null || n <= op.max);
    }
    case 'date':
      return false; // refused by unsupportedTerm
  }
}

function matchTerm(term: QueryTerm, track: PathSource): boolean {
  const { field, op } = term;
  if (field === null) return false; // refused by unsupportedTerm
  if (isPropertyField(field) && field !== 'year') {
    const effective = field === 'bitrate' ? bitrateInKbps(op) : op;
    return matchValue(effective, propertyValue(field as Matchable, track), isNumericField(field));
  }
  const values =
    field === 'year' ? (track.tags.get('date') ?? []).map((d) => d.slice(0, 4)) : track.tags.get(field);
  return (values ?? []).some((v) => matchValue(op, v, isNumericField(field)));
}

/** Whether the track matches: every term of one of the query's groups (a negated term must not match). */
export function matchesQuery(query: Query, track: PathSource): boolean {
  return query.groups.some((terms) => terms.every((t) => matchTerm(t, track) !== t.negate));
}

/** The tag keys a query reads (a path needs these of a file's tags too). */
export function queryTagKeys(query: Query): string[] {
  const keys = new Set<string>();
  for (const t of query.groups.flat()) {
    if (t.field === 'year') keys.add('date');
    else if (t.field !== null && !isPropertyField(t.field)) keys.add(t.field);
  }
  return [...keys];
}

// Whether a track matches a library query, judged from what its path is made of (its effective tags and
// its file's facts) rather than in SQL: a beets user's path formats pick each track's layout by the first
// query it matches (beets-paths.ts), as the mount builds or patches its tree. The answers are the
// library's (query-sql.ts) for every term a layout may ask — tests/unit/track-match.test.ts compares the
// two over one library; terms on what a path is not made of (file dates, measured sources and gains,
// album-level values) are refused by name.
import {
  isAlbumField,
  isDateField,
  isNumericField,
  isPropertyField,
  isSourceField,
  type PropertyField,
} from '../../shared/fields.ts';
import type { MatchOp, Query, QueryTerm } from '../../shared/query.ts';
import { compileRegex } from '../../shared/regex.ts';
import { fold } from '../db/fold.ts';
import type { PathSource } from './path-source.ts';

/** A property's value as the library's SQL compares it (bitrate in kbps; null: none). */
function propertyValue(name: PropertyField, track: PathSource): string | number | null {
  const f = track.facts;
  switch (name) {
    case 'id':
      return f.id;
    case 'path':
      return f.path;
    case 'format':
      return f.format;
    case 'codec':
      return f.codec;
    case 'status':
    case 'error':
    case 'warning':
      return name === 'status' ? f.status : f[name];
    case 'duration':
      return f.duration;
    case 'bitrate':
      return f.bitrate === null ? null : f.bitrate / 1000;
    case 'samplerate':
      return f.sampleRate;
    case 'channels':
      return f.channels;
    case 'bitdepth':
      return f.bitDepth;
    case 'size':
      return f.size;
    case 'year':
      return null; // a tag's (the date's first four characters): never reached
  }
}

/** Why a layout cannot ask this query, or undefined when it can. */
export function unsupportedTerm(query: Query): string | undefined {
  for (const term of query.groups.flat()) {
    const f = term.field;
    if (f === null) continue;
    if (isDateField(f)) return `${f}: is a date of the file, which a path is not made of`;
    if (isSourceField(f)) return `${f}: is measured from the copies, which a path is not made of`;
    if (isAlbumField(f)) return `${f}: is derived for the album, which a path's query cannot ask`;
    if (/^replaygain_/.test(f)) return `${f}: may be a measured gain, which a path's query cannot ask`;
    if (f === 'status' || f === 'error' || f === 'warning')
      return `${f}: is the scan's, which a path's query cannot ask (the mount serves readable files)`;
  }
  return undefined;
}

/** Bitrates compare in kbps; a number of 10,000 or more is beets' bits per second (query-sql.ts: inKbps). */
function inKbps(op: MatchOp): MatchOp {
  const kbps = (n: number | null) => (n !== null && n >= 10_000 ? n / 1000 : n);
  if (op.kind === 'range') return { ...op, min: kbps(op.min), max: kbps(op.max) };
  if (op.kind === 'exact' && Number(op.value) >= 10_000)
    return { ...op, value: String(Number(op.value) / 1000) };
  if (op.kind !== 'number') return op;
  const from = kbps(op.from)!;
  const below = op.from >= 10_000 ? op.below / 1000 : op.below;
  return below - from === 1
    ? { kind: 'number', from: from - 0.5, below: below - 0.5 }
    : { kind: 'number', from, below };
}

/** One value against one operation, as query-sql.ts's condition() judges it. */
function matchValue(op: MatchOp, value: string | number | null, numeric: boolean): boolean {
  if (value === null) return false;
  const text = String(value);
  switch (op.kind) {
    case 'contains':
      return fold(text).includes(fold(op.value));
    case 'exact':
      return numeric ? Number(text) === Number(op.value) : text === op.value;
    case 'regex':
      return compileRegex(op.source, op.flags).test(text);
    case 'present':
      return text !== '';
    case 'number': {
      const n = Number(text);
      return text.trim() !== '' && n >= op.from && n < op.below;
    }
    case 'range': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) return false;
      return (op.min === null || n >= op.min) && (op.max === null || n <= op.max);
    }
    case 'date':
      return false; // refused by unsupportedTerm
  }
}

function matchTerm(term: QueryTerm, track: PathSource): boolean {
  const { field, op } = term;
  if (field === null) {
    const values = [...track.tags.values()].flat();
    return matchValue(op, track.facts.path, false) || values.some((v) => matchValue(op, v, false));
  }
  if (isPropertyField(field) && field !== 'year') {
    const effective = field === 'bitrate' ? inKbps(op) : op;
    return matchValue(effective, propertyValue(field, track), isNumericField(field));
  }
  const values =
    field === 'year' ? (track.tags.get('date') ?? []).map((d) => d.slice(0, 4)) : track.tags.get(field);
  return (values ?? []).some((v) => matchValue(op, v, isNumericField(field)));
}

/** Whether the track matches: every term of one of the query's groups (a negated term must not match). */
export function matchesQuery(query: Query, track: PathSource): boolean {
  return query.groups.some((terms) => terms.every((t) => matchTerm(t, track) !== t.negate));
}

/** The tag keys a query reads (a path needs these of a file's tags too); `null`: any (a free word). */
export function queryTagKeys(query: Query): string[] | null {
  const keys = new Set<string>();
  for (const t of query.groups.flat()) {
    if (t.field === null) return null;
    if (t.field === 'year') keys.add('date');
    else if (!isPropertyField(t.field)) keys.add(t.field);
  }
  return [...keys];
}

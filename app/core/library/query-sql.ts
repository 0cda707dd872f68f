// Compiles a parsed library query into SQL over `files f` and the effective `tags`.

import { STATUS_SQL } from '../../shared/damage.ts';
import {
  type AlbumField,
  type DateField,
  isAlbumField,
  isDateField,
  isNumericField,
  isPropertyField,
  isSourceField,
  type PropertyField,
  type SourceField,
} from '../../shared/fields.ts';
import {
  bitrateInKbps,
  type MatchOp,
  type Query,
  type QuerySort,
  type QueryTerm,
} from '../../shared/query.ts';
import { lossyCutSql } from '../audio/lossy-cut.ts';
import { bothForms } from '../db/canonical-name.ts';
import { fold } from '../db/fold.ts';
import { searchedPathSql } from '../db/searched-path.ts';
import { LOSSY_SOURCE } from '../fingerprint/copy-rank.ts';
import {
  ALBUM_YEAR_VALUE,
  DERIVED_ALBUM_UNIQUE,
  DERIVED_SINGLETON_UNIQUE,
  MULTI_DISC_VALUE,
} from './album-tile.ts';
import { MEASURED_VALUE_SQL, measuredFrom, measuredWinsSql, ownGainSql } from './served-tags.ts';

export interface CompiledQuery {
  readonly where: string;
  readonly whereParams: readonly unknown[];
  readonly orderBy: string;
  readonly orderParams: readonly unknown[];
  /** Conditions left for after the ordering (CompileOptions.deferTextChecks): applied to the files in
   *  order until a window is full. */
  readonly afterOrder?: { readonly where: string; readonly params: readonly unknown[] };
}

/** Which files a listing covers: the library (ok and missing), one file per recording of it (the
 *  best-placed matching copy: `readyScope` must have run on the connection), or the files recorded with
 *  errors. */
export type Scope = 'library' | 'recordings' | 'errors' | 'all';

/** What the library's views list and count: every file, or one per recording. */
export type ListScope = Extract<Scope, 'library' | 'recordings'>;

const COLUMNS: Partial<Record<PropertyField, string>> = {
  id: 'f.id',
  path: 'f.path',
  format: 'f.format',
  codec: 'f.codec',
  status: `(${STATUS_SQL})`,
  error: 'f.error',
  warning: 'f.warning',
  duration: 'f.duration',
  // In kbps, as the table shows it (stored in bits per second).
  bitrate: '(f.bitrate / 1000.0)',
  samplerate: 'f.sample_rate',
  channels: 'f.channels',
  bitdepth: 'f.bit_depth',
  size: 'f.size',
};

/** Album-level fields: the value the library derived for the file's album (album-tile.ts). */
const ALBUM_COLUMNS: Record<AlbumField, string> = {
  albumyear: ALBUM_YEAR_VALUE,
  albumunique: `nullif(${DERIVED_ALBUM_UNIQUE}, '')`,
  singletonunique: `nullif(${DERIVED_SINGLETON_UNIQUE}, '')`,
  multidisc: MULTI_DISC_VALUE,
};

/** A file's dates (fields.ts: DATE_FIELDS), in ms since the epoch: when the library first found it (a
 *  file's row is kept through moves and rescans), and its modification time as last scanned. */
const DATE_COLUMNS: Record<DateField, string> = { added: 'f.added_at', mtime: 'f.mtime_ms' };

/** Where a file's audio came from (fields.ts: SOURCE_FIELDS): from its recording's other copies, and from
 *  where its own audio stops (in kHz, as shown). */
const SOURCE_COLUMNS: Record<SourceField, string> = {
  transcodedfrom: `(SELECT ${LOSSY_SOURCE} FROM recording_members m WHERE m.file_id = f.id)`,
  lossycut: `(${lossyCutSql('f')} / 1000.0)`,
};

/** The files column for a property or album field; undefined for tags and for year (derived from the date
 *  tag). */
function column(field: string): string | undefined {
  if (isDateField(field)) return DATE_COLUMNS[field];
  if (isSourceField(field)) return SOURCE_COLUMNS[field];
  if (isAlbumField(field)) return ALBUM_COLUMNS[field];
  return isPropertyField(field) ? COLUMNS[field] : undefined;
}

/** Condition on one value expression; `folded` is its case-folded form. */
function condition(op: MatchOp, value: string, folded: string, numeric: boolean, params: unknown[]): string {
  switch (op.kind) {
    case 'contains':
      params.push(fold(op.value));
      return `instr(${folded}, ?) > 0`;
    case 'exact':
      if (numeric) {
        params.push(op.value);
        return `CAST(${value} AS REAL) = CAST(? AS REAL)`;
      }
      // The folded comparison narrows by index first; the exact one decides, in either canonical form
      // (a tag written on macOS holds "ö" as o and a combining mark, the same text as one typed here).
      params.push(fold(op.value), ...bothForms(op.value));
      return `${folded} = ? AND ${value} IN (?, ?)`;
    case 'regex':
      params.push(op.source, op.flags);
      return `re_match(?, ?, ${value})`;
    case 'present':
      // The folded form is empty exactly when the value is, and (for tags) the key index holds it.
      return `(${folded} IS NOT NULL AND ${folded} <> '')`;
    case 'number':
      params.push(op.from, op.below);
      return `(${value} IS NOT NULL AND CAST(${value} AS REAL) >= ? AND CAST(${value} AS REAL) < ?)`;
    case 'date': {
      const parts: string[] = [];
      if (op.from !== null) {
        parts.push(`${value} >= ?`);
        params.push(op.from);
      }
      if (op.below !== null) {
        parts.push(`${value} < ?`);
        params.push(op.below);
      }
      return `(${value} IS NOT NULL AND ${parts.join(' AND ')})`;
    }
    case 'range': {
      const parts: string[] = [];
      const n = `CAST(${value} AS REAL)`;
      if (op.min !== null) {
        parts.push(`${n} >= ?`);
        params.push(op.min);
      }
      if (op.max !== null) {
        parts.push(`${n} <= ?`);
        params.push(op.max);
      }
      return `(${value} IS NOT NULL AND ${parts.join(' AND ')})`;
    }
  }
}

/** An id or a range of ids on the file's row itself (no CAST), which SQLite looks up instead of reading
 *  every row. */
function idCondition(op: Extract<MatchOp, { kind: 'number' | 'range' }>, params: unknown[]): string {
  const [from, through] = op.kind === 'number' ? [op.from, op.below - 1e-9] : [op.min, op.max];
  const parts = ['f.id IS NOT NULL'];
  if (from !== null) {
    parts.push('f.id >= ?');
    params.push(Math.ceil(from));
  }
  if (through !== null) {
    parts.push('f.id <= ?');
    params.push(Math.floor(through));
  }
  return parts.join(' AND ');
}

/** A free word's characters as the index and the folded text hold them (fold.ts: "é" is one, "e" + an
 *  accent two, both folding to "e"). */
const foldedChars = (t: QueryTerm): string[] => [...fold((t.op as { value: string }).value)];

/**
 * A word as the full-text index can match it: each of its folded trigrams (the index keeps which files
 * hold a trigram, not where: detail=none, a quarter of the size), all of them. A superset of the files
 * holding the word when it has more than one (`needsTextCheck`): the caller checks those in the folded text.
 */
export function ftsTrigrams(word: string): string {
  const chars = [...fold(word)];
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(chars.slice(i, i + 3).join(''));
  return [...trigrams].map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
}

/** Whether the index's answer for a trigram word is a superset, its files then checked for the word: a
 *  word of more than one trigram. */
const needsTextCheck = (t: QueryTerm) => foldedChars(t).length > 3;

/** The word in the file's folded text. coalesce: a file with no folded text (one that could not be read)
 *  holds no word, so that `^word` keeps it, as the set's NOT IN does. */
function textCheckSql(word: string, params: unknown[]): string {
  params.push(fold(word));
  return 'coalesce(instr((SELECT text FROM search_folded WHERE file_id = f.id), ?), 0) > 0';
}

/**
 * How a term's set of files is joined to `files`: an exact value (an album, an artist: a few files of a
 * million) by looking each file up, then sorting them (0.1 ms at 1M); a broader one by walking the files in
 * path order against the set (`+f.id` keeps SQLite off the row lookups), which stops early for a window
 * (64 ms where looking up 100,000 files and sorting them took 117). Without statistics SQLite cannot tell
 * the two apart; the query's own words can.
 */
const setLookup = (op: MatchOp) => (op.kind === 'exact' ? 'f.id' : '+f.id');

/** A word of free text long enough for the trigram index. */
export const isTrigramWord = (t: QueryTerm): boolean =>
  t.field === null && t.op.kind === 'contains' && foldedChars(t).length >= 3;

/**
 * How a trigram word is matched: `set`, its files collected from the index and the library walked in path
 * order against them; `lookup`, its few files looked up and sorted (a word the index holds for few files:
 * the query's driver); `check`, each file's folded text searched (a word most files hold, after a driver,
 * or in a window's walk, where it lets nearly every file through and the walk stops early — collecting
 * its set of a million files took 0.3 s a key).
 */
type WordPlan = 'set' | 'lookup' | 'check';

/** Each trigram word's plan in a group, given the words the index holds for many files (`broad`). */
function wordPlans(
  group: readonly QueryTerm[],
  broad: ReadonlySet<string>,
  perRow: boolean,
): Map<QueryTerm, WordPlan> {
  const words = group.filter(isTrigramWord);
  const value = (t: QueryTerm) => (t.op as { value: string }).value;
  const driver = words.find((t) => !t.negate && !broad.has(value(t)));
  const broadWords = words.filter((t) => broad.has(value(t)));
  // Two broad words and no driver: the first stays a set, so a rare pair is not a walk of every file.
  const kept = !driver && broadWords.length > 1 ? broadWords.find((t) => !t.negate) : undefined;
  const plans = new Map<QueryTerm, WordPlan>();
  for (const t of words) {
    if (t === driver) plans.set(t, 'lookup');
    else if (broad.has(value(t)) && t !== kept && (driver || perRow)) plans.set(t, 'check');
    else plans.set(t, 'set');
  }
  return plans;
}

/**
 * SQL for one term. The first term is a set (`+f.id IN (…)`: one scan of its own index); a later one, when
 * a per-file check is cheaper than its whole set, checks only the files the earlier terms let through.
 */
function termSql(
  term: QueryTerm,
  params: unknown[],
  narrowed: boolean,
  word: WordPlan = 'set',
  verified = true,
): string {
  const { field, op } = term;
  if (field === null) {
    if (op.kind === 'contains') {
      if (isTrigramWord(term) && word !== 'check') {
        params.push(ftsTrigrams(op.value));
        const set = `${word === 'lookup' ? 'f.id' : '+f.id'} IN (SELECT rowid FROM search WHERE search MATCH ?)`;
        if (!verified || !needsTextCheck(term)) return set;
        // The files holding each of its trigrams, then the word itself in each one's folded text.
        return `(${set} AND ${textCheckSql(op.value, params)})`;
      }
      // Too short for trigrams, or a broad word checked per file: each file's folded text, not every tag
      // row (the folded text holds what the index does, folded as the index folds ASCII).
      if (narrowed) return textCheckSql(op.value, params);
      params.push(fold(op.value));
      return '+f.id IN (SELECT file_id FROM search_folded WHERE instr(text, ?) > 0)';
    }
    const pathParams: unknown[] = [];
    // The path as a free word sees it: within its library folder (searched-path.ts).
    const path = searchedPathSql('f');
    const onPath = condition(op, path, `fold(${path})`, false, pathParams);
    const tagParams: unknown[] = [];
    const onTag = condition(op, 't.value', 't.fold', false, tagParams);
    params.push(...pathParams, ...tagParams);
    return `(${onPath} OR EXISTS (SELECT 1 FROM tags t WHERE t.file_id = f.id AND ${onTag}))`;
  }
  if (field === 'id' && (op.kind === 'number' || op.kind === 'range')) return idCondition(op, params);
  const col = column(field);
  if (col)
    return condition(
      field === 'bitrate' ? bitrateInKbps(op) : op,
      col,
      `fold(${col})`,
      isNumericField(field),
      params,
    );
  // Tags (and year, the first four digits of the date tag).
  const key = field === 'year' ? 'date' : field;
  const value = field === 'year' ? 'substr(t.value, 1, 4)' : 't.value';
  const folded = field === 'year' ? value : 't.fold';
  const inner: unknown[] = [key];
  const cond = condition(op, value, folded, isNumericField(field), inner);
  params.push(...inner);
  const tagged = narrowed
    ? `EXISTS (SELECT 1 FROM tags t WHERE t.file_id = f.id AND t.key = ? AND ${cond})`
    : `${setLookup(op)} IN (SELECT t.file_id FROM tags t WHERE t.key = ? AND ${cond})`;
  const measured = MEASURED_VALUE_SQL[field];
  if (!measured) return tagged;
  // A file's own gain matches unless the measured figures replace it (its choice).
  return `((${tagged} AND NOT ${measuredWinsSql('f')}) OR ${measuredSql(op, measured, params, narrowed)})`;
}

/** A ReplayGain term over the measured value of the files whose own gain is not served. */
function measuredSql(op: MatchOp, value: string, params: unknown[], narrowed: boolean): string {
  const cond = `NOT ${ownGainSql('m.id')} AND ${condition(op, value, `fold(${value})`, false, params)}`;
  return narrowed
    ? `EXISTS (SELECT 1 FROM ${measuredFrom('m')} WHERE m.id = f.id AND ${cond})`
    : `+f.id IN (SELECT m.id FROM ${measuredFrom('m')} WHERE ${cond})`;
}

/** Likely selectivity, most selective first: trigram words, field matches, properties, short words and
 *  broad words (checked per file), the rest. */
function termRank(term: QueryTerm, plan: WordPlan | undefined): number {
  const { field, op, negate } = term;
  if (negate) return 5;
  if (plan === 'check') return 3;
  if (field === null) return op.kind === 'contains' ? ([...op.value].length >= 3 ? 0 : 3) : 4;
  if (column(field)) return 2;
  return op.kind === 'present' ? 4 : 1;
}

/** The tag a sort orders by its folded first value, which the tags_by_key index holds in order; null for a
 *  property, a number, a year, or a measured figure (sorted by an expression). */
export function textTagSort(sort: QuerySort): string | null {
  const { field } = sort;
  return column(field) || MEASURED_VALUE_SQL[field] || isNumericField(field) || field === 'year'
    ? null
    : field;
}

function sortSql(sort: QuerySort, params: unknown[]): string {
  const dir = sort.descending ? 'DESC' : 'ASC';
  const measured = MEASURED_VALUE_SQL[sort.field];
  const numeric = isNumericField(sort.field);
  let expr = column(sort.field);
  if (measured) {
    // ReplayGain by its number ("-5.12 dB"): the one served, as listings show it.
    params.push(sort.field);
    expr = `coalesce((SELECT CAST(nullif(t.value, '') AS REAL) FROM tags t WHERE t.file_id = f.id AND t.key = ?
        AND NOT ${measuredWinsSql('f')} ORDER BY t.idx LIMIT 1),
      (SELECT CAST(${measured} AS REAL) FROM ${measuredFrom('m')} WHERE m.id = f.id AND NOT ${ownGainSql('m.id')}))`;
  } else if (!expr) {
    params.push(sort.field === 'year' ? 'date' : sort.field);
    const v = sort.field === 'year' ? 'substr(t.value, 1, 4)' : numeric ? 't.value' : 't.fold';
    expr = `(SELECT ${numeric ? `CAST(${v} AS REAL)` : v} FROM tags t WHERE t.file_id = f.id AND t.key = ? ORDER BY t.idx LIMIT 1)`;
  }
  // Files without the field sort last either way (a track number's, within its disc).
  const byValue = `${expr} IS NULL, ${expr} ${dir}`;
  return sort.field === 'tracknumber' ? `${DISC_ORDER} ${dir}, ${byValue}` : byValue;
}

/** A track number's order is play order: its disc first (a file naming none, or none a number, on disc
 *  1), as the album view and a player list them; disc 2's first track after disc 1's last. */
const DISC_ORDER = `coalesce((SELECT nullif(CAST(t.value AS REAL), 0) FROM tags t
  WHERE t.file_id = f.id AND t.key = 'discnumber' ORDER BY t.idx LIMIT 1), 1)`;

/** Files read, but with a problem: a warning, or audio that does not decode at all. */
export const READ_WITH_PROBLEMS =
  "(f.status = 'ok' AND (f.warning IS NOT NULL OR f.undecodable IS NOT NULL))";

/** The statuses no library list shows (its files are 'ok' and 'missing'). */
const NOT_LISTED = "('error', 'removed')";

const SCOPES: Record<Scope, string> = {
  // NOT IN, not IN ('ok', 'missing'): with IN, SQLite stops walking the path index in order for a
  // window and a 100k-track page costs ~50 ms instead of ~1 ms (npm run bench -- ui).
  library: `f.status NOT IN ${NOT_LISTED}`,
  recordings: `f.status NOT IN ${NOT_LISTED}`,
  // Unreadable files, and those read with a problem (truncated, a value ignored, no audio that decodes).
  errors: `(f.status = 'error' OR ${READ_WITH_PROBLEMS})`,
  // A removed folder's files are in no list (see library-folders.ts).
  all: "f.status <> 'removed'",
};

/** Each copy (c) beside each better-placed copy of its recording (b), by temp.copy_place (readyScope). */
const BETTER_PLACED = 'temp.copy_place c JOIN temp.copy_place b ON b.grp = c.grp AND b.place < c.place';

/** Whether the file `id` has a better-placed copy of its recording that `matches` (given that copy's id):
 *  then the recordings scope leaves the file out. A lookup per file: for a window's few rows. */
const betterCopyMatching = (id: string, matches: (copy: string) => string) =>
  `EXISTS (SELECT 1 FROM ${BETTER_PLACED} WHERE c.id = ${id} AND ${matches('b.id')})`;

/** The files betterCopyMatching holds for, as one set: for a pass over every file, where a lookup per
 *  file cost more than the set (a count of "a" at 1M: 250 against 188 ms). */
const withBetterCopyMatching = (matches: (copy: string) => string) =>
  `SELECT c.id FROM ${BETTER_PLACED} WHERE ${matches('b.id')}`;

/** Whether the file `id` has a present copy of its recording. */
const hasPresentCopy = (id: string) =>
  `EXISTS (SELECT 1 FROM recording_members m JOIN recording_members o ON o.group_id = m.group_id
    JOIN files g ON g.id = o.file_id AND g.status = 'ok' WHERE m.file_id = ${id})`;

/** The files no list shows, by the status index. */
const UNLISTED = `SELECT id FROM files WHERE status IN ${NOT_LISTED}`;

/** The missing copies of recordings that have a present copy: the recordings scope leaves them out. */
const MISSING_BESIDE_PRESENT = `SELECT f.id FROM files f WHERE f.status = 'missing' AND ${hasPresentCopy('f.id')}`;

/** The ids of the files a list scope leaves out of the whole library, as one set (a query of no terms,
 *  compileQuery's checks of each file): the statuses no list shows; in the recordings scope also each copy
 *  with a better-placed listed copy, and each missing copy of a recording with a present one. */
export function leftOutSql(scope: ListScope): string {
  if (scope === 'library') return UNLISTED;
  return `${UNLISTED}
    UNION ${withBetterCopyMatching((b) => `EXISTS (SELECT 1 FROM files f WHERE f.id = ${b} AND ${SCOPES.recordings})`)}
    UNION ${MISSING_BESIDE_PRESENT}`;
}

/** Whether a group has a positive status term that can match "error" (the files lists leave out). */
function asksForErrors(group: readonly QueryTerm[]): boolean {
  return group.some((t) => {
    if (t.field !== 'status' || t.negate) return false;
    const { op } = t;
    if (op.kind === 'contains') return op.value !== '' && 'error'.includes(op.value.toLowerCase());
    if (op.kind === 'exact') return op.value.toLowerCase() === 'error';
    return op.kind === 'regex';
  });
}

export interface CompileOptions {
  /** Every term checked per file (no sets, except trigram words): best for a LIMIT query in index order,
   *  which stops after its window instead of first collecting each term's matches in the library. */
  readonly perRow?: boolean;
  /** The trigram words the index holds for many files (word-breadth.ts), planned by wordPlans; without
   *  it every word is a set. */
  readonly broadWords?: ReadonlySet<string>;
  /** For a window in path order: when a rare word drives (its few files looked up and sorted), the
   *  per-file text checks are left to `afterOrder`, made on the sorted files until the window is full,
   *  not on every file the word holds (each a row of search_folded read: at 1M tracks, "Album 500" read
   *  4,724 pages, 2,588 so). */
  readonly deferTextChecks?: boolean;
}

/** A term checked in each file's folded text (a short word, or a broad one): its SQL names only f.id. */
const isTextCheck = (t: QueryTerm, plan: WordPlan | undefined) =>
  t.field === null && t.op.kind === 'contains' && (plan === 'check' || !isTrigramWord(t));

export function compileQuery(query: Query, scope: Scope, options: CompileOptions = {}): CompiledQuery {
  const { perRow = false, broadWords = new Set<string>(), deferTextChecks = false } = options;
  const params: unknown[] = [];
  const afterParams: unknown[] = [];
  const after: string[] = [];
  // A group asking for unreadable files (status:error, status:err…) reaches them; every other group, and
  // every other query, keeps the library's lists without them.
  const widened = query.groups.map(asksForErrors);
  const someWidened = (scope === 'library' || scope === 'recordings') && widened.some(Boolean);
  const conds = [someWidened ? SCOPES.all : SCOPES[scope]];
  const groups = query.groups.map((group, g) => {
    // SQLite checks the conditions in this order, so the selective ones go first.
    const plans = wordPlans(group, broadWords, perRow);
    const terms = group
      .map((t, i) => ({ t, i }))
      .sort((a, b) => termRank(a.t, plans.get(a.t)) - termRank(b.t, plans.get(b.t)) || a.i - b.i);
    const defer =
      deferTextChecks &&
      perRow &&
      query.groups.length === 1 &&
      query.sorts.length === 0 &&
      [...plans.values()].includes('lookup');
    const sqls: string[] = [];
    for (const [i, { t }] of terms.entries()) {
      const plan = plans.get(t);
      const later = defer && isTextCheck(t, plan);
      // A word the index answers with a superset: its files from the index now, the word found in their
      // text with the checks after the ordering.
      const split = defer && !t.negate && isTrigramWord(t) && plan !== 'check' && needsTextCheck(t);
      const sql = termSql(t, later ? afterParams : params, perRow || i > 0, plan, !split);
      (later ? after : sqls).push(t.negate ? `NOT (${sql})` : sql);
      if (split) after.push(textCheckSql((t.op as { value: string }).value, afterParams));
    }
    return someWidened && !widened[g] ? [SCOPES.library, ...sqls] : sqls;
  });
  if (groups.length === 1) conds.push(...groups[0]!);
  else conds.push(`(${groups.map((g) => (g.length > 0 ? `(${g.join(' AND ')})` : '1')).join(' OR ')})`);
  let where = conds.join(' AND ');
  if (scope === 'recordings') {
    // Left out: a copy with a better-placed copy of its recording that matches too (checked for that one
    // file: the inner `files f` is the better copy, every condition of the query its own). Last, as most
    // files are no copy and pass with one probe; a window stops early (the whole set of matches, made
    // first, cost 6× more at 100k). With the text checks left for after the ordering, so is this.
    const full = after.length > 0 ? `${where} AND ${after.join(' AND ')}` : where;
    const fullParams = [...params, ...afterParams];
    // A missing copy of a recording that has a present one is not the recording (copy_place ranks only
    // present copies): left out, as the mount leaves it out.
    const copies = `NOT ${betterCopyMatching('f.id', (b) => `EXISTS (SELECT 1 FROM files f WHERE f.id = ${b} AND ${full})`)}
      AND (f.status <> 'missing' OR NOT ${hasPresentCopy('f.id')})`;
    if (after.length > 0) {
      after.push(copies);
      afterParams.push(...fullParams);
    } else {
      where += ` AND ${copies}`;
      params.push(...fullParams);
    }
  }
  // Sort expressions appear twice (IS NULL, value), so their parameters do too.
  const orderParams: unknown[] = [];
  const order = query.sorts.map((s) => {
    const p: unknown[] = [];
    const sql = sortSql(s, p);
    orderParams.push(...p, ...p);
    return sql;
  });
  order.push('f.path');
  const compiled = { where, whereParams: params, orderBy: order.join(', '), orderParams };
  return after.length > 0
    ? { ...compiled, afterOrder: { where: after.join(' AND '), params: afterParams } }
    : compiled;
}

/**
 * A count of the files matching a query of free-text words alone, none rare enough to drive (each broad,
 * or too short for the index): one pass over every file's folded text with each word checked there, not
 * the first word's files collected and each file's text then looked up. At 1M tracks, "Album 50" counted
 * in 0.4 s (2.9 s). Null for any other query. A file without folded text holds no word, as in termSql; the
 * few files no list shows are left out through the status index, and in the recordings scope the copies
 * it leaves out as compileQuery does (a better-placed copy matching; a missing one with a present copy).
 */
export function foldedTextCount(
  query: Query,
  scope: Scope,
  broad: ReadonlySet<string>,
): { sql: string; params: unknown[] } | null {
  const [group, ...others] = query.groups;
  if ((scope !== 'library' && scope !== 'recordings') || !group || group.length === 0 || others.length > 0)
    return null;
  const words: string[] = [];
  for (const t of group) {
    if (t.field !== null || t.op.kind !== 'contains' || t.negate) return null;
    if (isTrigramWord(t) && !broad.has(t.op.value)) return null;
    words.push(fold(t.op.value));
  }
  const holds = (text: string) => words.map(() => `instr(${text}, ?) > 0`).join(' AND ');
  let sql = `SELECT count(*) FROM search_folded s WHERE ${holds('s.text')}
    AND s.file_id NOT IN (${UNLISTED})`;
  if (scope === 'library') return { sql, params: words };
  // A better-placed copy is present (copy_place ranks only those): listed, so its text decides.
  sql += ` AND s.file_id NOT IN (${withBetterCopyMatching((b) => `EXISTS (SELECT 1 FROM search_folded t WHERE t.file_id = ${b} AND ${holds('t.text')})`)})
    AND s.file_id NOT IN (${MISSING_BESIDE_PRESENT})`;
  return { sql, params: [...words, ...words] };
}

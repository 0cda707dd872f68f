// `sleeve similar --where QUERY`: the library query language, limited to the columns the LanceDB table
// keeps, turned into a LanceDB SQL condition so the filter runs inside the vector search (before it, so
// the N nearest matching tracks come back, not the matching few among the N nearest). The table keeps
// values folded, so every match here is case-insensitive, `field:=value` and regular expressions too.

import { UserError } from '../../../kit/user-error.ts';
import type { MatchOp, Query, QueryTerm } from '../../shared/query.ts';
import { fold } from '../db/fold.ts';
import { TEXT_COLUMNS, type TextColumn } from './similarity-table.ts';

export class FilterError extends UserError {
  override name = 'FilterError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

const NUMERIC_COLUMNS = ['year', 'duration'] as const;
const FILTER_FIELDS: readonly string[] = [...TEXT_COLUMNS, ...NUMERIC_COLUMNS];

const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;

function textCondition(column: TextColumn, op: MatchOp): string {
  switch (op.kind) {
    case 'contains':
      return `contains(${column}, ${literal(fold(op.value))})`;
    case 'exact':
      return `array_has(string_to_array(${column}, chr(10)), ${literal(fold(op.value))})`;
    case 'regex':
      // Values are stored folded, one per line: matching is case-insensitive (as for contains and exact
      // here), and (?m) anchors ^ and $ at each value.
      return `regexp_like(${column}, ${literal(`(?mi)${op.source}`)})`;
    case 'present':
      return `${column} != ''`;
    case 'range':
      throw new FilterError(`${column} is text: a range (${column}:A..B) applies to year and duration`);
    case 'number': // only numeric fields parse to numbers, and the text columns are not numeric
      throw new FilterError(`${column} is text: numbers apply to year and duration`);
    case 'date': // only the file dates parse to dates, and the table keeps none
      throw new FilterError(`${column} is text, not a date`);
  }
}

function numberCondition(column: string, op: MatchOp): string {
  switch (op.kind) {
    case 'range': {
      const parts = [];
      if (op.min !== null) parts.push(`${column} >= ${op.min}`);
      if (op.max !== null) parts.push(`${column} <= ${op.max}`);
      return parts.length > 0 ? `(${parts.join(' AND ')})` : `${column} IS NOT NULL`;
    }
    case 'number':
      return `(${column} >= ${op.from} AND ${column} < ${op.below})`;
    case 'exact':
    case 'contains': {
      const n = Number(op.value);
      if (!Number.isFinite(n))
        throw new FilterError(`${column} is a number: ${JSON.stringify(op.value)} is not`);
      return `${column} = ${n}`;
    }
    case 'present':
      return `${column} IS NOT NULL`;
    case 'regex':
      throw new FilterError(`${column} is a number: use a range (${column}:A..B), not a regular expression`);
    case 'date':
      throw new FilterError(`${column} is a number, not a date`);
  }
}

function termCondition(term: QueryTerm): string {
  let condition: string;
  if (term.field === null) {
    condition = `(${TEXT_COLUMNS.map((c) => textCondition(c, term.op)).join(' OR ')})`;
  } else if ((TEXT_COLUMNS as readonly string[]).includes(term.field)) {
    condition = textCondition(term.field as TextColumn, term.op);
  } else if ((NUMERIC_COLUMNS as readonly string[]).includes(term.field)) {
    condition = numberCondition(term.field, term.op);
  } else {
    throw new FilterError(`--where can filter on ${FILTER_FIELDS.join(', ')}; not on ${term.field}`);
  }
  // A missing year is neither inside a range nor outside it for SQL; for the query language, a negated
  // term matches every track the term does not.
  return term.negate ? `NOT coalesce(${condition}, false)` : condition;
}

export function whereFilter(query: Query): string {
  if (query.sorts.length > 0) throw new FilterError('--where cannot sort: results come nearest first');
  const groups = query.groups.map((g) => g.map(termCondition).join(' AND '));
  if (groups.length === 1) return groups[0]!;
  return groups.map((g) => `(${g || 'true'})`).join(' OR ');
}

// A query as the library runs it: parsed (syntax errors with their position), and every field it names
// checked against the fields the library knows — Picard's, the files' properties, and any tag present in
// some file — so a mistyped field is an error that says where and suggests the closest names, instead of
// an empty list.
import { distance } from 'fastest-levenshtein';
import {
  DATE_FIELDS,
  FROM_OTHER_COPIES,
  isDateField,
  isKnownField,
  isSourceField,
  KNOWN_FIELDS,
  SOURCE_FIELDS,
} from '../../shared/fields.ts';
import { parseQuery, type Query, type QuerySort, QuerySyntaxError } from '../../shared/query.ts';
import type { Db } from '../db/database.ts';

/** Up to three of `names` (every field Sleeve knows, unless given) within two edits of `field` (or that
 *  start with it), closest first: the "did you mean" of queries, templates and edits. */
export function closestFields(field: string, names: readonly string[] = KNOWN_FIELDS): string[] {
  return names
    .map((name) => ({ name, d: name.startsWith(field) ? 0.5 : distance(field, name) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((x) => x.name);
}

/** What a query may name without a file having it: every field Sleeve knows, and the file dates. */
const QUERY_FIELDS: readonly string[] = [
  ...KNOWN_FIELDS,
  ...Object.keys(DATE_FIELDS),
  ...Object.keys(SOURCE_FIELDS),
];

export function libraryQuery(db: Db, text: string): Query {
  const query = parseQuery(text);
  const named = [
    ...query.groups.flat().flatMap((t) => (t.field === null ? [] : [t.field])),
    ...query.sorts.map((s) => s.field),
  ];
  const unknown = named.filter((f) => !isKnownField(f) && !isDateField(f) && !isSourceField(f));
  if (unknown.length === 0) return query;
  const present = db.prepare('SELECT 1 FROM tags WHERE key = ? LIMIT 1').pluck();
  for (const field of new Set(unknown)) {
    if (present.get(field)) continue;
    // Where the user typed it: `field:` (a term) or `field+` / `field-` (a sort).
    const at = new RegExp(`(?:^|[\\s^])(${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})[:+-]`, 'i').exec(
      text,
    );
    const start = at ? at.index + at[0].indexOf(at[1]!) : 0;
    const near = closestFields(field, QUERY_FIELDS);
    throw new QuerySyntaxError(
      `unknown field "${field}"${near.length > 0 ? `: did you mean ${near.join(', ')}?` : ''} (no file has it, and it is not one Sleeve knows)`,
      start,
      field.length,
      near,
    );
  }
  return query;
}

/** Whether a query or a sort names a field derived from a recording's other copies (fields.ts:
 *  FROM_OTHER_COPIES): what it matches and its order change with the copies, though no file's place does. */
export function namesCopyField(text: string, sort?: QuerySort | null): boolean {
  const query = parseQuery(text);
  const named = [...query.groups.flat().map((t) => t.field), ...query.sorts.map((s) => s.field), sort?.field];
  return named.some((field) => field != null && FROM_OTHER_COPIES.has(field));
}

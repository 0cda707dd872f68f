// A mount's path template as the library checks it: parsed (syntax errors with their position), and every
// $field it names known — one of Picard's fields, `year`, or a tag some file has — so a mistyped field is an
// error pointing at it instead of an empty folder name in every path.

import { UserError } from '../../../kit/user-error.ts';
import { isKnownTagField } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { PathTemplate } from '../served/path-template.ts';
import { closestFields } from './library-query.ts';

/** Names a path template reads besides tags of their own name (path-template.ts's pathField). */
const DERIVED = new Set(['year']);

export function checkedPathTemplate(db: Db, source?: string): PathTemplate {
  const template = new PathTemplate(source);
  const present = db.prepare('SELECT 1 FROM tags WHERE key = ? LIMIT 1').pluck();
  for (const name of template.fieldNames()) {
    const key = name.toLowerCase();
    if (isKnownTagField(key) || DERIVED.has(key) || present.get(key)) continue;
    const text = template.source;
    const braced = text.indexOf(`\${${name}}`);
    // `$name` not followed by more of a name (`$art` in `$artist/$art` is the second one).
    const bare = new RegExp(`\\$${name}(?![A-Za-z0-9_])`).exec(text)?.index ?? 0;
    const start = braced >= 0 ? braced : bare;
    const near = closestFields(key);
    throw new UserError(
      'bad_request',
      `unknown field $${name} at position ${start + 1} of the template${near.length > 0 ? `: did you mean ${near.map((n) => `$${n}`).join(', ')}?` : ''} (no file has it, and it is not one Sleeve knows)`,
      { start, length: braced >= 0 ? name.length + 3 : name.length + 1 },
    );
  }
  return template;
}

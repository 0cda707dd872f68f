// Templates as the library checks them (a mount's path template, `ls -f`): parsed (syntax errors with their
// position), and every $field they name known — one of the fields Sleeve knows (app/shared/fields.ts:
// Picard's and the file properties, as queries know them) or a tag some file has — so a mistyped field is an
// error pointing at it instead of an empty folder name in every path.

import { UserError } from '../../../kit/user-error.ts';
import { isDateField, isKnownField } from '../../shared/fields.ts';
import { Template } from '../../shared/template.ts';
import type { Db } from '../db/database.ts';
import { PathTemplate } from '../served/path-template.ts';
import { closestFields } from './library-query.ts';

export function checkedPathTemplate(db: Db, source?: string): PathTemplate {
  const template = new PathTemplate(source);
  // A field %ifdef asks about may be on no track: that is what it asks.
  const probed = template.probed();
  checkFields(
    db,
    template.source,
    [...template.fieldNames()].filter((f) => !probed.has(f) && !template.showsItself(f)),
  );
  return template;
}

/** An `ls -f` template, checked the same way. */
export function checkedTemplate(db: Db, source: string): Template {
  const template = new Template(source);
  checkFields(db, source, template.fields());
  return template;
}

function checkFields(db: Db, text: string, names: Iterable<string>): void {
  const present = db.prepare('SELECT 1 FROM tags WHERE key = ? LIMIT 1').pluck();
  for (const name of names) {
    const key = name.toLowerCase();
    if (isKnownField(key) || isDateField(key) || present.get(key)) continue;
    const braced = text.indexOf(`\${${name}}`);
    // `$name` not followed by more of a name (`$art` in `$artist/$art` is the second one).
    const bare = new RegExp(`\\$${name}(?![A-Za-z0-9_])`).exec(text)?.index ?? 0;
    const start = braced >= 0 ? braced : bare;
    const near = closestFields(key).map((n) => (braced >= 0 ? `\${${n}}` : `$${n}`));
    throw new UserError(
      'bad_request',
      `unknown field $${name} at position ${start + 1} of the template${near.length > 0 ? `: did you mean ${near.join(', ')}?` : ''} (no file has it, and it is not one Sleeve knows)`,
      {
        start,
        length: braced >= 0 ? name.length + 3 : name.length + 1,
        ...(near.length > 0 && { replacements: near }),
      },
    );
  }
}

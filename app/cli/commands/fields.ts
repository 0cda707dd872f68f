// `sleeve fields`: every field a query, a template or an edit may name (beets' `fields`): the tags Sleeve
// knows with their labels and beets' names, what Sleeve reads of a file or works out, and the other tags
// this library's files carry.

import type { Db } from '../../core/db/database.ts';
import { libraryTagKeys } from '../../core/library/tag-keys.ts';
import {
  ALBUM_FIELDS,
  BEETS_FIELD_NAMES,
  DATE_FIELDS,
  isKnownTagField,
  PROPERTY_FIELDS,
  SOURCE_FIELDS,
  TAG_FIELDS,
} from '../../shared/fields.ts';
import type { Context } from '../context.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = 'sleeve fields [--json]';

/** beets' name of each field that has one of its own. */
const BEETS_NAME = new Map([...BEETS_FIELD_NAMES].map(([beets, sleeve]) => [sleeve, beets]));

/** A field as `fields` lists it. */
export interface ListedField {
  readonly name: string;
  readonly label?: string;
  readonly beets?: string;
}

/** Every field a query or template may name, in sections, this library's other tags last. */
export function fieldSections(
  db: Db,
): Readonly<
  Record<'tags' | 'properties' | 'album' | 'dates' | 'copies' | 'library', readonly ListedField[]>
> {
  /** A set of fields, each with its label (`labels`: a label by name, where they have one). */
  const named = (fields: object, labels: Readonly<Record<string, string>> = {}) =>
    Object.keys(fields).map((name) => ({ name, label: labels[name], beets: BEETS_NAME.get(name) }));
  return {
    tags: TAG_FIELDS.map((f) => ({ name: f.name, label: f.label, beets: BEETS_NAME.get(f.name) })),
    properties: named(PROPERTY_FIELDS),
    album: named(
      ALBUM_FIELDS,
      Object.fromEntries(Object.entries(ALBUM_FIELDS).map(([name, f]) => [name, f.label])),
    ),
    dates: named(DATE_FIELDS, DATE_FIELDS),
    copies: named(SOURCE_FIELDS, SOURCE_FIELDS),
    // A tag named as beets names a field of Sleeve's (a Vorbis COUNTRY) is read as that field by name.
    library: libraryTagKeys(db)
      .filter((key) => !isKnownTagField(key.toLowerCase()))
      .map((name) => {
        const field = BEETS_FIELD_NAMES.get(name.toLowerCase());
        return { name, label: field && `named as beets names ${field}: queries and templates read ${field}` };
      }),
  };
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const sections = fieldSections(ctx.db);
  if (values.json) {
    ctx.print(JSON.stringify(sections));
    return 0;
  }
  const width = Math.max(...sections.tags.map((t) => t.name.length)) + 2;
  const line = (f: ListedField) =>
    `  ${f.name.padEnd(width)}${f.label ?? ''}${f.beets ? ` (beets: ${f.beets})` : ''}`.trimEnd();
  const section = (title: string, fields: readonly ListedField[]) => {
    ctx.print(title);
    for (const f of fields) ctx.print(line(f));
  };
  section('Tags (set, queries, templates):', sections.tags);
  section('Read of the file (queries, templates):', sections.properties);
  section("Worked out from the album's tracks:", sections.album);
  section('Dates of the file (queries, sorts, templates):', sections.dates);
  section("Worked out from a recording's copies (queries, sorts):", sections.copies);
  section(
    sections.library.length > 0
      ? "Other tags this library's files carry (queries, templates, set):"
      : "Other tags this library's files carry: none",
    sections.library,
  );
  return 0;
}

// Human-readable values for CLI output.
import { UserError } from '../../kit/user-error.ts';
import type { Db } from '../core/db/database.ts';
import { derivedAlbumValues } from '../core/library/album-years.ts';
import { checkedPathTemplate, checkedTemplate } from '../core/library/checked-template.ts';
import type { FileItem } from '../core/library/list.ts';
import { RENDER_HELPERS } from '../core/served/asciify.ts';
import { fileStem } from '../core/served/path-source.ts';
import type { PathTemplate } from '../core/served/path-template.ts';
import { type AlbumValues, fileFieldText, isAlbumField, STANDS_IN } from '../shared/fields.ts';
import { type Template, TemplateError } from '../shared/template.ts';
import { markedUsageError, UsageError } from './errors.ts';

export { formatDuration } from '../shared/fields.ts';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** What formatItem needs to show the album-level fields `template` names ($albumyear, $albumunique). */
export function albumValuesFor(db: Db, template: Template): ((fileId: number) => AlbumValues) | undefined {
  const names = new Set([...template.fields()].map((f) => f.toLowerCase()).filter(isAlbumField));
  return names.size > 0 ? derivedAlbumValues(db, names) : undefined;
}

/** A -f template, checked before anything is listed: its syntax, and its fields as a mount's are. */
export function formatTemplate(db: Db, source: string): Template {
  try {
    return checkedTemplate(db, source);
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(`-f: ${err.message} (write $% for a literal %)`);
    if (err instanceof UserError && err.span) throw markedUsageError('-f', source, err.message, err.span);
    throw err;
  }
}

/** A --template path template (the mount's, Subsonic's folders), checked: a problem is marked under the
 *  template as typed. Undefined: the default. */
export function pathTemplateOption(db: Db, source: string | undefined): PathTemplate {
  try {
    return checkedPathTemplate(db, source);
  } catch (err) {
    if (err instanceof UserError && err.span && source !== undefined)
      throw markedUsageError('--template', source, err.message, err.span);
    throw err;
  }
}

/** Renders a file with `-f` template syntax: tags by name, the file properties and the album-level fields
 *  (fields.ts; `album`: its album's derived values, albumValuesFor). */
export function formatItem(
  template: Template,
  item: FileItem,
  album?: (fileId: number) => AlbumValues,
): string {
  return template.render(
    (field) => {
      const name = field.toLowerCase();
      const onAlbum = item.tags.album?.some((v) => v.trim() !== '') ?? false;
      const own = fileFieldText(
        name,
        item,
        (key) => item.tags[key]?.[0],
        onAlbum,
        () => album?.(item.id) ?? {},
      );
      if (own !== undefined) return own;
      if (name === 'title') return item.tags.title ?? fileStem(item.path);
      const stand = STANDS_IN[name];
      return item.tags[field] ?? item.tags[name] ?? (stand === undefined ? undefined : item.tags[stand]);
    },
    undefined,
    RENDER_HELPERS,
  );
}

export function itemJson(item: FileItem): object {
  return {
    id: item.id,
    path: item.path,
    format: item.format,
    codec: item.codec,
    duration: item.duration,
    bitrate: item.bitrate,
    sampleRate: item.sampleRate,
    status: item.status,
    ...(item.error === null ? {} : { error: item.error }),
    tags: item.tags,
  };
}

/** A field's values as a diff line shows them: quoted (escapes visible), or "(none)". */
export function valuesText(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.map((x) => JSON.stringify(x)).join(', ');
}

/** Characters of a value a list of changes shows (a song's lyrics filled the terminal); --json has all. */
const SHOWN_CHARS = 120;

/** valuesText with each long value cut, its length said: for lists of changes, never to compare. */
export function shownValues(values: readonly string[]): string {
  const shown = (x: string) =>
    x.length <= SHOWN_CHARS
      ? JSON.stringify(x)
      : `${JSON.stringify(x.slice(0, SHOWN_CHARS))}… (${x.length} characters)`;
  return values.length === 0 ? '(none)' : values.map(shown).join(', ');
}

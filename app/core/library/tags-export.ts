// Tags out as text (CSV, TSV, JSON) for a spreadsheet's round trip, and the facts its import shares
// (tags-import.ts): a row a track, keyed by its id and path; a field a column, several values joined by
// "; "; and when the export was read (its `#read_at` column, or `readAt` in JSON), against which an
// import is merged.
import { stringify } from 'csv-stringify/sync';
import { TAG_FIELDS } from '../../shared/fields.ts';
import type { TextFormat } from '../../shared/text-formats.ts';
import { MULTI_SEPARATOR } from '../../shared/track-table.ts';
import type { Db } from '../db/database.ts';
import { filesByIds, type Tags } from './list.ts';

/** The columns that are not fields: a track's id and path, and when the export was read. */
export const ID = 'id';
export const PATH = 'path';
export const READ_AT = '#read_at';

const MULTI = new Set(TAG_FIELDS.filter((f) => f.multi).map((f) => f.name));

/** A field's values as a cell: several joined as Picard and the editor show them. */
export const cellText = (values: readonly string[]): string => values.join(MULTI_SEPARATOR);

/** A cell's values: a multi-valued field's split on ";", another's as it is; empty is none. */
export function cellValues(key: string, text: string): string[] {
  const parts = MULTI.has(key.toLowerCase()) ? text.split(';') : [text];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export interface ExportTrack {
  readonly id: number;
  readonly path: string;
  readonly tags: Tags;
}

/** A track's values of `fields`, by the names asked (keys compare case-insensitively). */
function valuesOf(tags: Tags, fields: readonly string[]): string[][] {
  const lower = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  return fields.map((f) => lower.get(f.toLowerCase()) ?? []);
}

/** Writes an export a piece at a time (its header, each track, its end), so a large one streams. */
export function exportWriter(format: TextFormat, fields: readonly string[], readAt: number) {
  const at = new Date(readAt).toISOString();
  if (format === 'json') {
    let first = true;
    return {
      head: `{"format":"sleeve tags","readAt":${JSON.stringify(at)},"tracks":[`,
      track(t: ExportTrack): string {
        const values = valuesOf(t.tags, fields);
        const tags = Object.fromEntries(fields.map((f, i) => [f, values[i]!]));
        const text = `${first ? '\n' : ',\n'}${JSON.stringify({ id: t.id, path: t.path, tags })}`;
        first = false;
        return text;
      },
      end: () => (first ? ']}\n' : '\n]}\n'),
    };
  }
  const delimiter = format === 'tsv' ? '\t' : ',';
  const row = (cells: string[]) => stringify([cells], { delimiter, record_delimiter: '\n' });
  return {
    head: row([ID, PATH, ...fields, READ_AT]),
    track: (t: ExportTrack) => row([String(t.id), t.path, ...valuesOf(t.tags, fields).map(cellText), at]),
    end: () => '',
  };
}

/** Every field any of `ids` has, in the order the library first meets them (an export of all fields). */
export function fieldsOfTracks(db: Db, ids: readonly number[]): string[] {
  const keys = new Set<string>();
  const distinct = db
    .prepare('SELECT DISTINCT t.key FROM json_each(?) j JOIN tags t ON t.file_id = j.value')
    .pluck();
  for (let i = 0; i < ids.length; i += 5000)
    for (const key of distinct.all(JSON.stringify(ids.slice(i, i + 5000))) as string[]) keys.add(key);
  return [...keys];
}

/** Tracks read for an export at a time. */
const EXPORT_CHUNK = 500;

/** The export of `ids`, in their order, a piece of text at a time (read a chunk of tracks at a time). */
export function* exportText(
  db: Db,
  ids: readonly number[],
  writer: ReturnType<typeof exportWriter>,
): Generator<string> {
  yield writer.head;
  for (let i = 0; i < ids.length; i += EXPORT_CHUNK) {
    const tracks = filesByIds(db, ids.slice(i, i + EXPORT_CHUNK));
    yield tracks.map((t) => writer.track(t)).join('');
  }
  yield writer.end();
}

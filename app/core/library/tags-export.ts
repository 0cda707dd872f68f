// Tags out as text (CSV, TSV, JSON) for a spreadsheet's round trip, and the facts its import shares
// (tags-import.ts): a row a track, keyed by its id and path; a field a column, several values joined by
// "; "; and when the export was read (its `#read_at` column, or `readAt` in JSON), against which an
// import is merged.
import { stringify } from 'csv-stringify/sync';
import { TAG_FIELDS } from '../../shared/fields.ts';
import { MULTI_SEPARATOR } from '../../shared/track-table.ts';
import type { Tags } from './list.ts';

export type TextFormat = 'csv' | 'tsv' | 'json';
export const FORMATS: readonly TextFormat[] = ['csv', 'tsv', 'json'];

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

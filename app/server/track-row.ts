import type { Db } from '../core/db/database.ts';
import { editedFields } from '../core/library/edits.ts';
import { type FileItem, filesByIds } from '../core/library/list.ts';
import type { TrackRow } from '../shared/rpc-contract.ts';
import { MULTI_SEPARATOR, TABLE_TAGS } from '../shared/track-table.ts';

/** A file as the track table shows it: properties and the tags asked for, multi-values joined. */
export function trackRow(
  item: FileItem,
  keys: readonly string[] = TABLE_TAGS,
  edited: string[] = [],
): TrackRow {
  // Tag names are kept as the file wrote them (ASIN, CATALOGNUMBER): matched without case, as queries do.
  const byLower = new Map(Object.entries(item.tags).map(([k, v]) => [k.toLowerCase(), v]));
  const tags: TrackRow['tags'] = {};
  for (const key of keys) {
    const values = byLower.get(key);
    if (values) tags[key] = values.join(MULTI_SEPARATOR);
  }
  const { id, path, format, codec, duration, bitrate, sampleRate, size, status, error, warning } = item;
  return {
    id,
    path,
    format,
    codec,
    duration,
    bitrate,
    sampleRate,
    size,
    status,
    error,
    warning,
    tags,
    edited,
  };
}

/**
 * Table rows of these files, in the order given (ids that no longer exist are left out), with the table's
 * tags and `columns` (more tag keys), and which fields active edits set to other than the file says.
 */
export function trackRows(db: Db, ids: readonly number[], columns: readonly string[] = []): TrackRow[] {
  const keys = [...new Set([...TABLE_TAGS, ...columns.map((c) => c.toLowerCase())])];
  const edited = editedFields(db, ids, { differing: true });
  return filesByIds(db, ids, keys).map((item) => trackRow(item, keys, edited.get(item.id)));
}

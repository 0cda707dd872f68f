import type { Db } from '../core/db/database.ts';
import { placesOfFiles } from '../core/library/copy-places.ts';
import { editedFields } from '../core/library/edits.ts';
import { type FileItem, filesByIds } from '../core/library/list.ts';
import type { TrackRow } from '../shared/rpc-contract.ts';
import { MULTI_SEPARATOR, TABLE_TAGS } from '../shared/track-table.ts';

/** A file as the track table shows it: properties and the tags asked for, multi-values joined. */
export function trackRow(
  item: FileItem,
  keys: readonly string[] = TABLE_TAGS,
  edited: string[] = [],
  place?: number,
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
    copy: place === undefined ? null : place === 1 ? 'kept' : 'other',
  };
}

/**
 * Table rows of these files, in the order given (ids that no longer exist are left out), with the table's
 * tags and `columns` (more tag keys), which fields active edits set to other than the file says, and
 * which are copies of a recording held more than once (ranked for the page's recordings alone).
 */
export function trackRows(db: Db, ids: readonly number[], columns: readonly string[] = []): TrackRow[] {
  const keys = [...new Set([...TABLE_TAGS, ...columns.map((c) => c.toLowerCase())])];
  const edited = editedFields(db, ids, { differing: true });
  const places = placesOfFiles(db, ids);
  return filesByIds(db, ids, keys).map((item) =>
    trackRow(item, keys, edited.get(item.id), places.get(item.id)),
  );
}

import type { Db } from '../core/db/database.ts';
import { type FileItem, filesByIds } from '../core/library/list.ts';
import { MULTI_SEPARATOR, TABLE_TAGS, type TrackRow } from '../shared/rpc-contract.ts';

/** A file as the track table shows it: properties and the table's tags, multi-values joined. */
export function trackRow(item: FileItem): TrackRow {
  const tags: TrackRow['tags'] = {};
  for (const key of TABLE_TAGS) {
    const values = item.tags[key];
    if (values) tags[key] = values.join(MULTI_SEPARATOR);
  }
  const { id, path, format, codec, duration, bitrate, sampleRate, size, status } = item;
  return { id, path, format, codec, duration, bitrate, sampleRate, size, status, tags };
}

/** Table rows of these files, in the order given (ids that no longer exist are left out). */
export function trackRows(db: Db, ids: readonly number[]): TrackRow[] {
  return filesByIds(db, ids, TABLE_TAGS).map(trackRow);
}

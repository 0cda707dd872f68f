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
  copy?: { readonly place: number; readonly kept: TrackRow['keptCopy'] },
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
    copy: copy === undefined ? null : copy.place === 1 ? 'kept' : 'other',
    keptCopy: copy?.kept ?? null,
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
  const copies = copiesOf(db, ids);
  return filesByIds(db, ids, keys).map((item) =>
    trackRow(item, keys, edited.get(item.id), copies.get(item.id)),
  );
}

/** Where these files stand among their recordings' copies, and for another copy, the one kept (its path
 *  and format: one read for the page). */
export function copiesOf(db: Db, ids: readonly number[]) {
  const places = placesOfFiles(db, ids);
  const keptIds = [...new Set([...places.values()].filter((p) => p.place !== 1).map((p) => p.kept))];
  const kept = new Map(
    keptIds.length === 0
      ? []
      : (
          db
            .prepare('SELECT f.id, f.path, f.format FROM json_each(?) j JOIN files f ON f.id = j.value')
            .all(JSON.stringify(keptIds)) as Array<{ id: number; path: string; format: string | null }>
        ).map(({ id, ...file }) => [id, file]),
  );
  return new Map(
    [...places].map(([id, p]) => [
      id,
      { place: p.place, kept: p.place === 1 ? null : (kept.get(p.kept) ?? null) },
    ]),
  );
}

// A file version's served size and default path, worked out from its row, effective tags and pictures:
// the pure part of served-recorder.ts, which the scan's reader threads also run for new files (it loads
// none of the library's queries, so a reader thread starts as fast as it did without it).
import type { FileFacts } from '../../shared/fields.ts';
import type { FlacKept } from '../media/fast-readers.ts';
import type { TrackRecord } from '../media/read-track.ts';
import { type AlbumValues, pathSource } from '../served/path-source.ts';
import { DEFAULT_TEMPLATE, PathTemplate } from '../served/path-template.ts';
import { planServed, serveKind } from '../served/served-plan.ts';
import type { TagList } from '../tags/normalize.ts';
import type { PictureInfo } from './art.ts';
import { trackColumns } from './track-columns.ts';

/** What ServedRecorder.record reads of a file's row. */
export interface FactsRow extends FileFacts, AlbumValues {
  audioStart: number | null;
  audioEnd: number | null;
  keptBytes: number | null;
  vendor: string | null;
  headerKept: string | null;
}

/** A version's served size and default path; null where it cannot be known (see ServedRecorder.record). */
export interface Served {
  readonly size: number | null;
  readonly path: string | null;
}

export const UNKNOWN: Served = { size: null, path: null };

/** A version's served size and default path, from its row, its effective tags (the path's), the tags
 *  served (with any measured gain: the size's) and its pictures (asked for only when it gets a header). */
export function servedOf(
  template: PathTemplate,
  row: FactsRow,
  effective: TagList,
  served: TagList,
  pictures: () => readonly PictureInfo[],
): Served {
  const facts = {
    kind: serveKind(row),
    size: row.size,
    audioStart: row.audioStart ?? 0,
    audioEnd: row.audioEnd ?? row.size,
    flacKept:
      row.keptBytes === null ? null : ({ bytes: row.keptBytes, vendor: row.vendor ?? '' } as FlacKept),
    headerKept: row.headerKept,
  };
  // Components never hold a `/` (sanitized): joined with one, they split back as they were.
  const path = template.components(pathSource(row, effective, row)).join('/');
  try {
    const plan = planServed(facts, served, facts.kind === 'whole' ? [] : pictures());
    return { size: plan?.size ?? null, path };
  } catch (err) {
    // Tags no tagger could write to the format: the daemon says so when it sizes the file.
    if (!(err instanceof RangeError)) throw err;
    return { size: null, path };
  }
}

const readTemplate = new PathTemplate(DEFAULT_TEMPLATE);

/**
 * ServedRecorder.record's figures for a file new to the library (no edits, nothing measured yet, its own pictures),
 * from what reading it gave: the scan's reader threads work them out beside its tags, off the writer's
 * thread. The id is not known yet, and the template names no property; no album year is derived for it
 * yet, so its path has its own (album-years.ts moves it if its album's differs).
 */
export function servedOfRead(path: string, size: number, track: TrackRecord): Served {
  const row = { ...trackColumns(track), id: 0, path, size, status: 'ok', error: null };
  // The order of the tags changes neither the path nor the size.
  return servedOf(readTemplate, row, track.tags, track.tags, () => track.pictures);
}

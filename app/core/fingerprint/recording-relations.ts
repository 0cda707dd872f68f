// Recordings that hold part of another (recording_relations, found by grouping): an extended mix and the
// track inside it, a suite and one movement copied alone. Both are listed everywhere; this says how they
// relate, for `sleeve dup` and the app's Duplicates view.
import type { Db } from '../db/database.ts';
import { otherCopies } from './duplicates.ts';

export interface RelatedFile {
  readonly id: number;
  readonly path: string;
  readonly duration: number | null;
}

export interface RecordingRelation {
  /** The recording holding part of the other. */
  readonly longer: RelatedFile;
  readonly shorter: RelatedFile;
  /** Seconds into `longer` where the shared audio starts, and how many seconds it lasts. */
  readonly start: number;
  readonly overlap: number;
}

/** Relations between present files that are not copies of one recording (a join by the user makes them
 *  one), with each side's recording (its group, else the file alone). */
const PRESENT = `SELECT l.id AS lid, l.path AS lpath, l.duration AS ldur, s.id AS sid, s.path AS spath,
    s.duration AS sdur, r.start, r.overlap,
    coalesce((SELECT group_id FROM recording_members WHERE file_id = l.id), -l.id) AS lrec,
    coalesce((SELECT group_id FROM recording_members WHERE file_id = s.id), -s.id) AS srec
  FROM recording_relations r
  JOIN files l ON l.id = r.longer_id AND l.status = 'ok'
  JOIN files s ON s.id = r.shorter_id AND s.status = 'ok'
  WHERE lrec IS NOT srec ORDER BY r.longer_id, r.shorter_id`;

interface Row {
  lid: number;
  lpath: string;
  ldur: number | null;
  sid: number;
  spath: string;
  sdur: number | null;
  start: number;
  overlap: number;
  lrec: number;
  srec: number;
}

/**
 * Every pair of related recordings once, named by their kept copies: each copy of an extended mix holds
 * each copy of the track inside it, and the user wants to hear of the two recordings, not every pair.
 * Relations are rare (a few per thousand tracks), so they are read whole.
 */
export function recordingRelations(db: Db): RecordingRelation[] {
  const rows = db.prepare(PRESENT).all() as Row[];
  const hidden = otherCopies(db, [...new Set(rows.flatMap((r) => [r.lid, r.sid]))]);
  const shown = (r: Row) => Number(!hidden.has(r.lid)) + Number(!hidden.has(r.sid));
  const best = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.lrec} ${r.srec}`;
    const seen = best.get(key);
    if (seen === undefined || shown(r) > shown(seen)) best.set(key, r);
  }
  return [...best.values()].map((r) => ({
    longer: { id: r.lid, path: r.lpath, duration: r.ldur },
    shorter: { id: r.sid, path: r.spath, duration: r.sdur },
    start: r.start,
    overlap: r.overlap,
  }));
}

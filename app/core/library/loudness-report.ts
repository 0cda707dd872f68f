// What Sleeve knows of files' loudness, for `sleeve loudness`, `sleeve info` and the app: what was
// measured, the album figures, and which ReplayGain players are served — the file's own (it carries
// some and does not prefer the measured) or the measured — and the source it follows.

import type { Db } from '../db/database.ts';
import {
  carriesGainSql,
  defaultSourceSql,
  type GainSource,
  REPLAYGAIN_REFERENCE,
  sourceSql,
} from './served-tags.ts';

export interface LoudnessFacts {
  readonly id: number;
  readonly path: string;
  /** null: not measured yet (or the file changed since). */
  readonly status: 'ok' | 'silent' | 'too_short' | 'error' | null;
  /** LUFS, LU, linear. */
  readonly integrated: number | null;
  readonly range: number | null;
  readonly truePeak: number | null;
  readonly samplePeak: number | null;
  /** Why it was not measured, or measured from part of the file. */
  readonly note: string | null;
  /** What the scan found damaged in the file (the figures are of what decodes). */
  readonly warning: string | null;
  /** ReplayGain 2.0 gains (dB toward -18 LUFS). */
  readonly trackGain: number | null;
  readonly album: {
    readonly name: string;
    readonly artist: string;
    readonly tracks: number;
    readonly gain: number;
    readonly peak: number;
  } | null;
  /** Whose ReplayGain the mount serves: the file's own tags, the measured figures, or none. */
  readonly served: 'file' | 'measured' | 'none';
  /** Whether it carries ReplayGain of its own (its tags or an edit's). */
  readonly ownGain: boolean;
  /** Whose ReplayGain it is served when it carries its own and is measured, and whether the file chose
   *  that (else it follows the library's default). */
  readonly source: GainSource;
  readonly chosen: boolean;
  /** The library's default, which it follows unless chosen. */
  readonly defaultSource: GainSource;
}

interface Row {
  id: number;
  path: string;
  status: LoudnessFacts['status'];
  integrated: number | null;
  range: number | null;
  truePeak: number | null;
  samplePeak: number | null;
  note: string | null;
  warning: string | null;
  albumName: string | null;
  albumArtist: string | null;
  albumIntegrated: number | null;
  albumPeak: number | null;
  albumTracks: number | null;
  own: number;
  source: GainSource;
  chosen: number;
  defaultSource: GainSource;
}

const gain = (loudness: number | null) => (loudness === null ? null : REPLAYGAIN_REFERENCE - loudness);

/** The facts of `ids`, in their order, in one query. */
export function loudnessFacts(db: Db, ids: readonly number[]): LoudnessFacts[] {
  const rows = db
    .prepare(
      `SELECT f.id, f.path, l.status, l.integrated, l.range, l.true_peak AS truePeak, l.sample_peak AS samplePeak,
         l.note, f.warning, a.album AS albumName, a.artist AS albumArtist, a.integrated AS albumIntegrated,
         a.peak AS albumPeak, a.tracks AS albumTracks, ${carriesGainSql('f.id')} AS own,
         ${sourceSql('f.id')} AS source, ${defaultSourceSql('f.id')} AS defaultSource, EXISTS (SELECT 1 FROM gain_choices c WHERE c.file_id = f.id) AS chosen
       FROM json_each(?) j JOIN files f ON f.id = j.value
       LEFT JOIN loudness l ON l.file_id = f.id AND l.size = f.size AND l.mtime_ms = f.mtime_ms
       LEFT JOIN album_loudness a ON a.file_id = f.id AND l.status = 'ok'
       ORDER BY j.key`,
    )
    .all(JSON.stringify(ids)) as Row[];
  return rows.map((r) => ({
    id: r.id,
    path: r.path,
    status: r.status,
    integrated: r.integrated,
    range: r.range,
    truePeak: r.truePeak,
    samplePeak: r.samplePeak,
    note: r.note,
    warning: r.warning,
    trackGain: gain(r.integrated),
    album:
      r.albumIntegrated === null
        ? null
        : {
            name: r.albumName!,
            artist: r.albumArtist!,
            tracks: r.albumTracks!,
            gain: gain(r.albumIntegrated)!,
            peak: r.albumPeak!,
          },
    served:
      r.own && !(r.source === 'measured' && r.status === 'ok')
        ? 'file'
        : r.status === 'ok'
          ? 'measured'
          : 'none',
    ownGain: r.own === 1,
    source: r.source,
    chosen: r.chosen === 1,
    defaultSource: r.defaultSource,
  }));
}

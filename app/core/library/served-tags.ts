// The tags the mount serves a file with: its effective tags, and — when they carry no ReplayGain of
// their own — the loudness Sleeve measured, as ReplayGain 2.0 (REPLAYGAIN_* in every format's
// convention, the tag writers name them) or, in Opus, as RFC 7845's R128_*_GAIN. The served size is
// computed from the same tags (served-recorder), so the daemon and the recorder read them here.
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import type { TagList } from '../tags/normalize.ts';

/** ReplayGain 2.0's reference, and Opus's (RFC 7845: R128 gains are relative to -23 LUFS). */
export const REPLAYGAIN_REFERENCE = -18;
const OPUS_REFERENCE = -23;

/** What was measured of a file whose content has not changed since. */
export interface MeasuredGain {
  readonly format: string;
  readonly integrated: number;
  readonly truePeak: number;
  /** Its album's figures (over the album's measured tracks), when it is on an album. */
  readonly albumIntegrated: number | null;
  readonly albumPeak: number | null;
}

/** Whether a file's tags carry loudness of their own (theirs win over what Sleeve measured); a value
 *  cleared by an edit (`replaygain_track_gain=`) is none. */
export function carriesGain(tags: TagList): boolean {
  return tags.some(([key, values]) => GAIN_KEY.test(key) && values.some((v) => v !== ''));
}

const GAIN_KEY = /^(replaygain|r128)_/i;

/** carriesGain in SQL, over the effective tags of the file whose id `file` is. */
export const carriesGainSql = (file: string): string =>
  `EXISTS (SELECT 1 FROM tags WHERE file_id = ${file} AND value <> ''
     AND (key LIKE 'replaygain\\_%' ESCAPE '\\' OR key LIKE 'r128\\_%' ESCAPE '\\'))`;

/** "-7.23 dB": two decimals as ReplayGain taggers write them, the sign always shown. */
export function formatGain(db: number): string {
  const r = Math.round(db * 100) / 100 || 0;
  return `${r >= 0 ? '+' : ''}${r.toFixed(2)} dB`;
}

export const formatPeak = (peak: number): string => peak.toFixed(6);

/** RFC 7845's Q7.8 gain toward -23 LUFS, as the decimal integer R128_*_GAIN holds. */
const q78 = (loudness: number): string =>
  String(Math.max(-32768, Math.min(32767, Math.round((OPUS_REFERENCE - loudness) * 256))));

/** The tags measured loudness adds to a file's in the mount: Opus's own R128 gains in Opus. */
export function measuredTags(m: MeasuredGain): TagList {
  if (m.format !== 'opus') return replayGainTags(m);
  return [
    ['r128_track_gain', [q78(m.integrated)]],
    ...(m.albumIntegrated !== null ? ([['r128_album_gain', [q78(m.albumIntegrated)]]] as TagList) : []),
  ];
}

/** Measured loudness as ReplayGain 2.0 tags (what listings and queries show for every format). */
export function replayGainTags(m: MeasuredGain): TagList {
  const album = m.albumIntegrated !== null && m.albumPeak !== null;
  const gain = (loudness: number) => formatGain(REPLAYGAIN_REFERENCE - loudness);
  return [
    ['replaygain_track_gain', [gain(m.integrated)]],
    ['replaygain_track_peak', [formatPeak(m.truePeak)]],
    ...(album
      ? ([
          ['replaygain_album_gain', [gain(m.albumIntegrated!)]],
          ['replaygain_album_peak', [formatPeak(m.albumPeak!)]],
        ] as TagList)
      : []),
  ];
}

export function servedTags(tags: TagList, measured: MeasuredGain | undefined): TagList {
  if (!measured || carriesGain(tags)) return tags;
  // Gain fields an edit cleared give way to the measured ones.
  return [...tags.filter(([key]) => !GAIN_KEY.test(key)), ...measuredTags(measured)];
}

/** Files (named `f`) with what was measured of them (`l`), if their content is as measured (a file changed
 *  since has nothing measured), and their album's figures (`a`). */
export const measuredFrom = (f: string): string =>
  `files ${f} JOIN loudness l ON l.file_id = ${f}.id AND l.status = 'ok' AND l.size = ${f}.size
  AND l.mtime_ms = ${f}.mtime_ms LEFT JOIN album_loudness a ON a.file_id = ${f}.id`;

const MEASURED = `SELECT f.id, f.format, l.integrated, l.true_peak AS truePeak,
    a.integrated AS albumIntegrated, a.peak AS albumPeak FROM ${measuredFrom('f')}`;

/** replayGainTags' values in SQL over measuredFrom, for queries (printf rounds as toFixed does but for
 *  exact halves, which measured figures never are). */
export const MEASURED_VALUE_SQL: Readonly<Record<string, string>> = {
  replaygain_track_gain: `printf('%+.2f dB', ${REPLAYGAIN_REFERENCE} - l.integrated)`,
  replaygain_track_peak: `printf('%.6f', l.true_peak)`,
  replaygain_album_gain: `printf('%+.2f dB', ${REPLAYGAIN_REFERENCE} - a.integrated)`,
  replaygain_album_peak: `printf('%.6f', a.peak)`,
};

/** The ReplayGain a listing shows of each file: measured, for those that carry none of their own. */
export function measuredGains(db: Db, ids: readonly number[]): Map<number, MeasuredGain> {
  const rows = db
    .prepare(`${MEASURED} WHERE f.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as Array<MeasuredGain & { id: number }>;
  return new Map(rows.map((m) => [m.id, m]));
}

/** Reads served tags, one file or many at once. */
export class ServedTags {
  readonly #rows: Database.Statement;
  readonly #rowsOf: Database.Statement;
  readonly #measured: Database.Statement;
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
    this.#rows = db.prepare('SELECT key, value FROM tags WHERE file_id = ? ORDER BY key, idx').raw();
    this.#rowsOf = db
      .prepare(
        `SELECT t.file_id, t.key, t.value FROM json_each(?) j JOIN tags t ON t.file_id = j.value
         ORDER BY t.file_id, t.key, t.idx`,
      )
      .raw();
    this.#measured = db.prepare(`${MEASURED} WHERE f.id = ?`);
  }

  /** The effective tags alone (what paths are rendered from). */
  effective(fileId: number): TagList {
    return groupedTags(this.#rows.all(fileId) as Array<[string, string]>);
  }

  of(fileId: number): TagList {
    return servedTags(this.effective(fileId), this.#measured.get(fileId) as MeasuredGain | undefined);
  }

  /** The served tags of many files, read in two queries (files with no tags at all are left out). */
  ofMany(fileIds: readonly number[]): Map<number, TagList> {
    const ids = JSON.stringify(fileIds);
    const measured = measuredGains(this.#db, fileIds);
    const out = new Map<number, TagList>();
    const take = (id: number, rows: Array<[string, string]>) => {
      if (rows.length > 0) out.set(id, servedTags(groupedTags(rows), measured.get(id)));
    };
    let rows: Array<[string, string]> = [];
    let current = -1;
    for (const [fileId, key, value] of this.#rowsOf.iterate(ids) as Iterable<[number, string, string]>) {
      if (fileId !== current) {
        take(current, rows);
        rows = [];
        current = fileId;
      }
      rows.push([key, value]);
    }
    take(current, rows);
    return out;
  }
}

/** Tag rows in key order as a TagList: one entry per key (keys compare without case), values in order. */
export function groupedTags(rows: ReadonlyArray<[string, string]>): TagList {
  const out: TagList = [];
  for (const [key, value] of rows) {
    const last = out[out.length - 1];
    if (last && last[0].toLowerCase() === key.toLowerCase()) last[1].push(value);
    else out.push([key, [value]]);
  }
  return out;
}

// The tags the mount serves a file with: its effective tags, and — when they carry no ReplayGain of
// their own, or the file prefers the measured figures (gain-source.ts) — the loudness Sleeve measured, as ReplayGain 2.0 (REPLAYGAIN_* in every format's
// convention, the tag writers name them) or, in Opus, as RFC 7845's R128_*_GAIN. The served size is
// computed from the same tags (served-recorder), so the daemon and the recorder read them here.
import type Database from 'better-sqlite3';
import { formatGain } from '../../shared/gain.ts';
import type { Db } from '../db/database.ts';
import { perConnection } from '../db/per-connection.ts';
import type { TagList } from '../tags/normalize.ts';
import { sourceCounts } from './edit-counts.ts';

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

/**
 * Whether a file carries loudness of its own, in SQL over the file whose id `file` is: its tags carry
 * ReplayGain or R128 (the file's own or an edit's), or an edit in force cleared or removed such a field (a
 * tagger removing them through the mount: while the file follows its own, none is then served). An
 * edit is in force for a file as derived: a large batch's (or its undo's) files change when they are
 * derived, as their tags and served sizes do — its active state flipped while the file is still queued.
 */
export const carriesGainSql = (file: string): string =>
  `(EXISTS (SELECT 1 FROM tags WHERE file_id = ${file} AND ${GAIN_KEY_SQL})
    OR EXISTS (SELECT 1 FROM edits e JOIN edit_batches b ON b.id = e.batch_id
      WHERE e.file_id = ${file} AND ${GAIN_KEY_SQL} AND ${activeAsDerived('b', 'e')}
        AND ${sourceCounts('e', (s) => activeAsDerived(s, 'e'))}))`;

/** Whether batch `b` is active for the file of edit row `row` as derived: flipped while the file waits in
 *  the derivation of it (a large batch, its undo or redo; a carried row's file waits in its source's). */
const activeAsDerived = (b: string, row: string): string =>
  `((${b}.undone_at IS NULL) <> EXISTS (SELECT 1 FROM derive_batches d
     WHERE d.batch_id = ${b}.id AND ${row}.file_id > d.next_file))`;

/** Whether the row's `key` is a ReplayGain or R128 field (isGainKey, in SQL). */
export const GAIN_KEY_SQL = "(key LIKE 'replaygain\\_%' ESCAPE '\\' OR key LIKE 'r128\\_%' ESCAPE '\\')";

/** A ReplayGain or R128 field (either kind of gain a file may carry), as GAIN_KEY_SQL says in SQL. */
export const isGainKey = (key: string) => /^(replaygain|r128)_/i.test(key);

/** Whose ReplayGain a file that carries its own is served (gain-source.ts chooses it). */
export type GainSource = 'own' | 'measured';

/** The library's default for the file whose id `file` is, a new one's chunk not reached yet included. */
export const defaultSourceSql = (file: string): string =>
  `(SELECT CASE WHEN next_file IS NOT NULL AND ${file} > next_file THEN previous ELSE source END FROM gain_default)`;

/** The source the file whose id `file` is follows: its choice, else the library's default. */
export const sourceSql = (file: string): string =>
  `coalesce((SELECT source FROM gain_choices WHERE file_id = ${file}), ${defaultSourceSql(file)})`;

/** Of a file with a current measurement, whether its own ReplayGain is served rather than the measured: it
 *  carries some and does not prefer the measured. (Without a measurement, a file carrying some serves it.) */
export const ownGainSql = (file: string): string =>
  `(${carriesGainSql(file)} AND ${sourceSql(file)} = 'own')`;

/** Whether the file row `f` (an alias of files) has a measurement of its content as it is now. */
export const measuredNowSql = (f: string): string =>
  `EXISTS (SELECT 1 FROM loudness l WHERE l.file_id = ${f}.id AND l.status = 'ok' AND l.size = ${f}.size
    AND l.mtime_ms = ${f}.mtime_ms)`;

/** Whether measured figures replace the own gain of the file row `f`: it prefers them and is measured. */
export const measuredWinsSql = (f: string): string =>
  `(${sourceSql(`${f}.id`)} = 'measured' AND ${measuredNowSql(f)})`;

const formatPeak = (peak: number): string => peak.toFixed(6);

/** RFC 7845's Q7.8 gain toward -23 LUFS, as the decimal integer R128_*_GAIN holds. */
const q78 = (loudness: number): string =>
  String(Math.max(-32768, Math.min(32767, Math.round((OPUS_REFERENCE - loudness) * 256))));

/** The tags measured loudness adds to a file's in the mount: Opus's own R128 gains in Opus. */
function measuredTags(m: MeasuredGain): TagList {
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

/** A file's served tags: its measured loudness is there only if it is Sleeve's to say (measuredGains), in
 *  place of any gain of its own (a file that prefers the measured figures). */
function servedTags(tags: TagList, measured: MeasuredGain | undefined): TagList {
  return measured ? [...tags.filter(([key]) => !isGainKey(key)), ...measuredTags(measured)] : tags;
}

/** Files (named `f`) with what was measured of them (`l`), if their content is as measured (a file changed
 *  since has nothing measured), and their album's figures (`a`). */
export const measuredFrom = (f: string): string =>
  `files ${f} JOIN loudness l ON l.file_id = ${f}.id AND l.status = 'ok' AND l.size = ${f}.size
  AND l.mtime_ms = ${f}.mtime_ms LEFT JOIN album_loudness a ON a.file_id = ${f}.id`;

/** The measured figures of files whose loudness is Sleeve's to say. */
const MEASURED = `SELECT f.id, f.format, l.integrated, l.true_peak AS truePeak,
    a.integrated AS albumIntegrated, a.peak AS albumPeak FROM ${measuredFrom('f')}
  WHERE NOT ${ownGainSql('f.id')}`;

/** replayGainTags' values in SQL over measuredFrom, for queries (printf rounds as toFixed does, but for
 *  exact halves, which measured figures never are, and a gain between -0.005 and 0 dB, "-0.00 dB"). */
export const MEASURED_VALUE_SQL: Readonly<Record<string, string>> = {
  replaygain_track_gain: `printf('%+.2f dB', ${REPLAYGAIN_REFERENCE} - l.integrated)`,
  replaygain_track_peak: `printf('%.6f', l.true_peak)`,
  // A file on no album has no album figures (printf would make NULL "+0.00 dB").
  replaygain_album_gain: `CASE WHEN a.integrated IS NOT NULL THEN printf('%+.2f dB', ${REPLAYGAIN_REFERENCE} - a.integrated) END`,
  replaygain_album_peak: `CASE WHEN a.peak IS NOT NULL THEN printf('%.6f', a.peak) END`,
};

/** The connection's statement measuredGains reads with (asked for every page of rows shown; 0.15 ms to
 *  prepare, kept: per-connection.ts). */
const measuredOf = perConnection((db) =>
  db.prepare(`${MEASURED} AND f.id IN (SELECT value FROM json_each(?))`),
);

/** The measured ReplayGain of those of `ids` whose loudness is Sleeve's to say. */
export function measuredGains(db: Db, ids: readonly number[]): Map<number, MeasuredGain> {
  const rows = measuredOf(db).all(JSON.stringify(ids)) as Array<MeasuredGain & { id: number }>;
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
    this.#measured = db.prepare(`${MEASURED} AND f.id = ?`);
  }

  /** The effective tags alone (what paths are rendered from). */
  effective(fileId: number): TagList {
    return groupedTags(this.#rows.all(fileId) as Array<[string, string]>);
  }

  of(fileId: number): TagList {
    return this.withMeasured(fileId, this.effective(fileId));
  }

  /** `of`, given the file's effective tags (read once by a caller that needs both). */
  withMeasured(fileId: number, effective: TagList): TagList {
    return servedTags(effective, this.#measured.get(fileId) as MeasuredGain | undefined);
  }

  /** The served tags of many files, read in two queries (a file without tags may still get measured ones). */
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
    for (const [id, m] of measured) if (!out.has(id)) out.set(id, servedTags([], m));
    return out;
  }
}

/** Tag rows in key order as a TagList: one entry per key (keys compare without case), values in order. */
function groupedTags(rows: ReadonlyArray<[string, string]>): TagList {
  const out: TagList = [];
  for (const [key, value] of rows) {
    const last = out[out.length - 1];
    if (last && last[0].toLowerCase() === key.toLowerCase()) last[1].push(value);
    else out.push([key, [value]]);
  }
  return out;
}

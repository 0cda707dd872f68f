// Measured loudness in the library database: an analysis fact of a file's content (like its
// fingerprint), never an edit. Rows carry the measuring algorithm's version, so a better one measures
// every file again.
import type { Db } from '../../db/database.ts';
import { mayShowCut } from '../lossy-cut.ts';
import { SHORTEST_SECONDS } from './loudness-meter.ts';
import type { TrackMeasures } from './meter-sink.ts';

/** Raised when a change to the meter changes any figure: every file is measured again. */
export const LOUDNESS_VERSION = 4;
/** Versions whose figures stand but whose edge (bandwidth-meter.ts) does not: version 2 measured none, 3
 *  took music's level for the noise floor when a cut left few bands above it (at 20 kHz). Of their files,
 *  only those a lossy encoder's cut would be said of are measured again (lossless ones, 256 kbps and up)
 *  — not a whole library for their sake. */
export const OLDER_EDGE_VERSIONS = [2, 3] as const;

/** What an analysis made of a file, as it crosses from the worker thread. */
export type LoudnessOutcome =
  | {
      readonly status: 'ok' | 'silent' | 'too_short';
      readonly integrated: number | null;
      readonly range: number;
      readonly truePeak: number;
      readonly samplePeak: number;
      readonly seconds: number;
      /** The block histogram, encoded (BlockHistogram.encode); null unless 'ok'. */
      readonly histogram: Uint8Array | null;
      /** The highest frequency the audio reaches (Hz); null when silent. */
      readonly bandwidth: number | null;
      /** Its edge clear of the noise floor (Hz), and how far the audio falls there (dB; null when the
       *  edge is too near the rate's limit): bandwidth-meter.ts. */
      readonly edge: number | null;
      readonly cliff: number | null;
      /** Why the figure is from part of the file (it did not decode to the end). */
      readonly note?: string;
    }
  | { readonly status: 'error'; readonly note: string };

/** A meter's result as an outcome; `note` when it measured only what decoded before a failure. */
export function loudnessOutcome(measured: TrackMeasures, note?: string): LoudnessOutcome {
  const status =
    measured.seconds < SHORTEST_SECONDS ? 'too_short' : measured.integrated === null ? 'silent' : 'ok';
  return {
    status,
    integrated: status === 'ok' ? measured.integrated : null,
    range: measured.range,
    truePeak: measured.truePeak,
    samplePeak: measured.samplePeak,
    seconds: measured.seconds,
    histogram: status === 'ok' ? measured.histogram.encode() : null,
    bandwidth: measured.bandwidth,
    edge: measured.edge,
    cliff: measured.cliff,
    ...(note ? { note } : {}),
  };
}

/** The SQL that is true for a file `f` whose row in `loudness l` (LEFT JOINed) is missing or stale. */
export const LOUDNESS_STALE = `(l.file_id IS NULL OR l.size != f.size OR l.mtime_ms != f.mtime_ms
  OR (l.version != ${LOUDNESS_VERSION}
    AND (l.version NOT IN (${OLDER_EDGE_VERSIONS.join(', ')}) OR ${mayShowCut('f')})))`;

interface MeasuredFile {
  readonly id: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export type SaveLoudness = (results: ReadonlyArray<{ file: MeasuredFile; outcome: LoudnessOutcome }>) => void;

/** Saves measurements (inside the caller's transaction); the statement prepared once. */
export function loudnessSaver(db: Db): SaveLoudness {
  const put = db.prepare(
    `INSERT OR REPLACE INTO loudness (file_id, size, mtime_ms, version, status, integrated, range, true_peak,
       sample_peak, seconds, histogram, bandwidth, edge, cliff, note, computed_at)
     VALUES (@id, @size, @mtimeMs, ${LOUDNESS_VERSION}, @status, @integrated, @range, @truePeak, @samplePeak,
       @seconds, @histogram, @bandwidth, @edge, @cliff, @note, @now)`,
  );
  return (results) => {
    const now = Date.now();
    for (const { file, outcome: o } of results) {
      const figures =
        o.status === 'error'
          ? {
              integrated: null,
              range: null,
              truePeak: null,
              samplePeak: null,
              seconds: null,
              histogram: null,
              bandwidth: null,
              edge: null,
              cliff: null,
            }
          : o;
      put.run({
        id: file.id,
        size: file.size,
        mtimeMs: file.mtimeMs,
        status: o.status,
        integrated: figures.integrated,
        range: figures.range,
        truePeak: figures.truePeak,
        samplePeak: figures.samplePeak,
        seconds: figures.seconds,
        histogram: figures.histogram,
        bandwidth: figures.bandwidth,
        edge: figures.edge,
        cliff: figures.cliff,
        note: o.note ?? null,
        now,
      });
    }
  };
}

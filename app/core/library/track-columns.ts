// What a read file records in its `files` row besides its place: the writers' named parameters, declared
// once for the scan's writer and for working out a new file's served facts beside its reading; and the
// columns that read its facts back.
import type { TrackRecord } from '../media/read-track.ts';

/** A file's facts (FileFacts) as columns of `files f`. */
export const FACT_COLUMNS = `f.id, f.path, f.format, f.codec, f.duration, f.bitrate, f.sample_rate AS sampleRate,
  f.channels, f.bit_depth AS bitDepth, f.size, f.status, f.error, f.warning, f.added_at AS addedAt,
  f.mtime_ms AS mtimeMs`;

export function trackColumns(t: TrackRecord) {
  return {
    format: t.format,
    codec: t.codec,
    lossless: t.lossless === null ? null : Number(t.lossless),
    sampleRate: t.sampleRate,
    channels: t.channels,
    bitDepth: t.bitDepth,
    duration: t.duration,
    bitrate: t.bitrate,
    audioStart: t.audioStart,
    audioEnd: t.audioEnd,
    keptBytes: t.flacKept?.bytes ?? null,
    vendor: t.flacKept?.vendor ?? null,
    headerKept: t.headerKept ? JSON.stringify(t.headerKept) : null,
    warning: t.warnings.length > 0 ? t.warnings.join('; ') : null,
  };
}

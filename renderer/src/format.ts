// Display formatting shared by the views.

import { formatCount, formatNumber } from '../../app/shared/count-words.ts';
import { formatGain as formatReplayGain } from '../../app/shared/gain.ts';
import type { TrackRow } from '../../app/shared/rpc-contract.ts';
import { readNumber } from '../../app/shared/track-numbers.ts';

export { formatCount, formatList, formatNumber } from '../../app/shared/count-words.ts';
export { formatDuration } from '../../app/shared/fields.ts';

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  return seconds < 60
    ? `${Math.ceil(seconds)} s left`
    : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s left`;
}

/** How long a whole library plays, as the status bar says it: "4 min" under an hour (a new or small
 *  library, which "0 h" told nothing of), else whole hours, "1,234 h". */
export function formatPlayingTime(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${formatNumber(Math.round(seconds / 3600))} h`;
}

/** "10 tracks", or "10 tracks · 20 files" when copies of a recording (sleeve dup) make more files. */
export function withFiles(tracks: number, files: number): string {
  return files === tracks
    ? formatCount(tracks, 'track')
    : `${formatCount(tracks, 'track')} · ${formatCount(files, 'file')}`;
}

/** A value quoted in a sentence, its first `max` characters: a long comment must not push the rest away. */
export const quoteShort = (text: string, max = 120): string =>
  `“${text.length > max ? `${text.slice(0, max)}…` : text}”`;

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString();
}

/** A track's title, else its file name: what every view calls it. */
/** The last part of a path: a file's name. */
export const fileName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export function trackTitle(row: Pick<TrackRow, 'tags' | 'path'>): string {
  return row.tags.title ?? fileName(row.path);
}

/** A track number as the number it is: "07" and "7/12" are 7, "0" is no number; text that is not a
 *  number is shown as typed. */
export function trackNumber(value: string | undefined): string {
  if (value === undefined) return '';
  const reading = readNumber(value);
  if (!reading) return value;
  return reading.number !== undefined && reading.number !== '0' ? reading.number : '';
}

/** A gain in dB as the app shows it: "+1.50 dB", "−4.68 dB" (a true minus sign), two decimals. */
export const formatGain = (db: number): string => formatReplayGain(db, '−');

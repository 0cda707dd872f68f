// What the Scan view shows of a scan, from the backend's answers and events (use-scan.ts applies them),
// and its figures in words. Pure: no DOM, no React.
import type { ScanProgress, ScanResult, ScanState } from '../../app/shared/rpc-contract.ts';
import { formatCount, formatEta, formatNumber } from './format.ts';

const PHASES: Record<ScanProgress['phase'], string> = {
  walk: 'Looking for files',
  read: 'Reading tags',
  analyse: 'Fingerprinting, measuring loudness and analysing audio',
  group: 'Grouping recordings',
  merge: 'Merging the fingerprint index',
  index: 'Updating the similarity index',
};

/** Asked to scan `folders`: shown at once as running (checking the folders may wait: a network share
 *  that does not answer says so), with the last scan's result kept until this one ends. */
export const scanStarted = (s: ScanState | null, folders: string[]): ScanState => ({
  progress: null,
  last: null,
  ...s,
  running: true,
  folders,
  waiting: null,
});

/** Progress told by the backend; before the first status is known there is nothing to update. */
export const scanProgressed = (s: ScanState | null, progress: ScanProgress): ScanState | null =>
  s && { ...s, running: true, waiting: null, progress };

/** The scan waits, for a reason said in words. */
export const scanWaiting = (s: ScanState | null, message: string): ScanState | null =>
  s && { ...s, running: true, waiting: message };

export const scanFinished = (s: ScanState | null, last: ScanResult): ScanState => ({
  running: false,
  folders: s?.folders ?? last.folders,
  waiting: null,
  progress: null,
  last,
});

/** What the scan does now, in words. */
export const scanPhaseWords = (s: ScanState): string =>
  s.waiting ?? (s.progress ? PHASES[s.progress.phase] : 'Starting…');

/** How far it is, for a progress bar: null while the total is not known. */
export const scanFraction = (p: ScanProgress | null): number | null =>
  p && p.total > 0 ? p.done / p.total : null;

/** Its figures: files found while walking; files done, rate and time left while reading them. */
export function scanNumbers(p: ScanProgress | null): string {
  if (!p || p.phase === 'index' || p.phase === 'merge') return '';
  if (p.phase === 'walk') return `${formatCount(p.found, 'file')} found`;
  return `${formatNumber(p.done)} / ${formatNumber(p.total)} files · ${Math.round(p.filesPerSecond)} files/s · ${formatEta(p.etaSeconds)}`;
}

/** The last scan's counts in one sentence. */
export function lastScanWords(last: ScanResult): string {
  const fresh = last.unreadable > last.errors ? ` (${last.errors} new)` : '';
  return [
    `${last.added} added, ${last.updated} updated, ${last.moved > 0 ? `${last.moved} moved, ` : ''}`,
    `${last.unchanged} unchanged, ${last.missing} missing, ${last.unreadable} could not be read${fresh} · `,
    `${last.totalSeconds.toFixed(1)} s in all${last.interrupted ? ' · cancelled: what was read is kept' : ''}`,
  ].join('');
}

// What the Scan view shows of a scan (renderer/src/scan-state.ts), from the backend's answers and events.
import { describe, expect, it } from 'vitest';
import type { ScanProgress, ScanResult, ScanState } from '../../app/shared/rpc-contract.ts';
import {
  lastScanWords,
  scanFinished,
  scanFraction,
  scanNumbers,
  scanPhaseWords,
  scanProgressed,
  scanStarted,
  scanWaiting,
} from '../../renderer/src/scan-state.ts';

const result = (over: Partial<ScanResult> = {}): ScanResult => ({
  folders: ['/music'],
  ...{ added: 3, updated: 1, moved: 0, unchanged: 10, missing: 2, errors: 1, unreadable: 1 },
  ...{ folderErrors: [], skipped: [], interrupted: false, seconds: 1, totalSeconds: 2.34, empty: [] },
  ...{ failure: null, groupingWaits: null, carried: null },
  ...over,
});
const progress = (over: Partial<ScanProgress>): ScanProgress => ({
  ...{ phase: 'read', found: 0, total: 200, done: 50, filesPerSecond: 12.4, etaSeconds: 75 },
  ...over,
});
const idle: ScanState = { running: false, folders: [], waiting: null, progress: null, last: result() };

describe('a scan as the Scan view shows it', () => {
  it('runs at once when asked, keeping the last result until it ends', () => {
    const s = scanStarted(idle, ['/new']);
    expect(s).toEqual({ running: true, folders: ['/new'], waiting: null, progress: null, last: idle.last });
    expect(scanPhaseWords(s)).toBe('Starting…');
    expect(scanStarted(null, ['/new'])).toMatchObject({ running: true, last: null, progress: null });
  });

  it('says what it waits for until progress comes, and ends with its result', () => {
    let s = scanWaiting(scanStarted(idle, ['/share']), 'the share /share does not answer');
    expect(scanPhaseWords(s!)).toBe('the share /share does not answer');
    s = scanProgressed(s, progress({ phase: 'walk', found: 1234 }));
    expect(scanPhaseWords(s!)).toBe('Looking for files');
    expect(scanNumbers(s!.progress)).toBe('1,234 files found');
    const last = result({ folders: ['/share'] });
    expect(scanFinished(s, last)).toEqual({
      running: false,
      folders: ['/share'],
      waiting: null,
      progress: null,
      last,
    });
  });

  it('changes nothing before the first status is known, but takes a result', () => {
    expect(scanProgressed(null, progress({}))).toBeNull();
    expect(scanWaiting(null, 'x')).toBeNull();
    expect(scanFinished(null, result({ folders: ['/m'] })).folders).toEqual(['/m']);
  });

  it('gives the files done, the rate and the time left while reading, and a fraction once counted', () => {
    const p = progress({});
    expect(scanNumbers(p)).toBe('50 / 200 files · 12 files/s · 1 min 15 s left');
    expect(scanFraction(p)).toBe(0.25);
    expect(scanFraction(progress({ total: 0 }))).toBeNull();
    expect(scanNumbers(progress({ phase: 'index' }))).toBe('');
  });

  it('says when its end waits for the fingerprint index to merge, without file counts', () => {
    const s = scanProgressed(scanStarted(idle, ['/m']), progress({ phase: 'merge', total: 0, done: 0 }));
    expect(scanPhaseWords(s!)).toBe('Merging the fingerprint index');
    expect(scanNumbers(s!.progress)).toBe('');
  });

  it("says the last scan's counts in a sentence, with the new unreadable files and a cancel", () => {
    expect(lastScanWords(result())).toBe(
      '3 added, 1 updated, 10 unchanged, 2 missing, 1 could not be read · 2.3 s in all',
    );
    expect(lastScanWords(result({ moved: 4, unreadable: 5, errors: 2, interrupted: true }))).toBe(
      '3 added, 1 updated, 4 moved, 10 unchanged, 2 missing, 5 could not be read (2 new) · 2.3 s in all · cancelled: what was read is kept',
    );
  });
});

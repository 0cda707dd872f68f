// Which files a run analyses: a scan every file that needs it; a watcher's look what it took in (what its
// scan wrote since it began); what a run stopped part-way left — marked before a look reads and while an
// analysis runs — finished by the next whole look; a scan that skips a kind leaves the mark alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunAnalysis } from '../../app/core/scan/analysis-scope.ts';
import { tempDir } from '../helpers.ts';

const mark = (home: string) => join(home, 'analysis-unfinished');
const look = { look: true, whole: true, everyKind: true };
const scan = { look: false, whole: true, everyKind: true };

describe('what a run analyses', () => {
  it('a scan: every file; a look: what its scan wrote since it began, else nothing', () => {
    const home = tempDir();
    expect(new RunAnalysis(home, scan).scope(false)).toBe('all');
    const before = Date.now();
    const run = new RunAnalysis(home, look);
    const since = (run.scope(true) as { scannedSince: number }).scannedSince;
    expect(since).toBeGreaterThanOrEqual(before);
    expect(since).toBeLessThanOrEqual(Date.now());
    expect(run.scope(false)).toBeNull();
  });

  it('marks what a look will read before it reads, and clears it once its analysis is done', () => {
    const home = tempDir();
    const run = new RunAnalysis(home, look);
    run.start();
    const since = (run.scope(true) as { scannedSince: number }).scannedSince;
    expect(readFileSync(mark(home), 'utf8')).toBe(String(since)); // a look stopped while reading
    run.begin(run.scope(true)!);
    run.finish();
    expect(existsSync(mark(home))).toBe(false);
  });

  it('a whole look finishes what was left with what it took in; an empty mark (an older Sleeve) is all', () => {
    const home = tempDir();
    writeFileSync(mark(home), '20');
    expect(new RunAnalysis(home, look).scope(true)).toEqual({ scannedSince: 20 });
    expect(new RunAnalysis(home, look).scope(false)).toEqual({ scannedSince: 20 });
    writeFileSync(mark(home), '');
    expect(new RunAnalysis(home, look).scope(true)).toBe('all');
  });

  it('a look at some places analyses only its own, and leaves the mark it found for a whole look', () => {
    const home = tempDir();
    writeFileSync(mark(home), '20');
    const run = new RunAnalysis(home, { ...look, whole: false });
    run.start();
    expect(readFileSync(mark(home), 'utf8')).toBe('20'); // the earlier mark, which holds its own
    const own = run.scope(true) as { scannedSince: number };
    expect(own.scannedSince).toBeGreaterThan(20);
    run.begin(own);
    run.finish();
    expect(readFileSync(mark(home), 'utf8')).toBe('20');
  });

  it('a scan that skips a kind (--no-fingerprint) marks nothing and clears nothing', () => {
    const home = tempDir();
    writeFileSync(mark(home), '20');
    const run = new RunAnalysis(home, { ...scan, everyKind: false });
    run.start();
    run.begin('all');
    run.finish();
    expect(readFileSync(mark(home), 'utf8')).toBe('20');
    const full = new RunAnalysis(home, scan);
    full.begin('all');
    expect(readFileSync(mark(home), 'utf8')).toBe('');
    full.finish();
    expect(existsSync(mark(home))).toBe(false);
  });
});

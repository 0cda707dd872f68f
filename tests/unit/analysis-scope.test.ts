// Which files a run analyses: a scan every file that needs it; a watcher's look what it took in; an
// analysis stopped part-way finished by the next whole look, whatever it covered.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisScope, type ScopeQuestion } from '../../app/core/scan/analysis-scope.ts';
import { tempDir } from '../helpers.ts';

const look: ScopeQuestion = { changesOnly: true, whole: true, took: true, began: 50 };
const mark = (home: string) => join(home, 'analysis-unfinished');

describe('what a run analyses', () => {
  it('a scan: every file; a look: what it took in, else nothing', () => {
    const home = tempDir();
    expect(analysisScope(home, { ...look, changesOnly: false, took: false }).scope).toBe('all');
    expect(analysisScope(home, look).scope).toEqual({ changedAfter: 50 });
    expect(analysisScope(home, { ...look, took: false }).scope).toBeNull();
  });

  it('marks an analysis while it runs, with what it covers, and clears the mark at its end', () => {
    const home = tempDir();
    const run = analysisScope(home, look);
    run.begin();
    expect(readFileSync(mark(home), 'utf8')).toBe('50');
    run.end();
    expect(existsSync(mark(home))).toBe(false);
  });

  it('a whole look finishes what was left, with what it took in; an empty mark (an older Sleeve) is all', () => {
    const home = tempDir();
    writeFileSync(mark(home), '20');
    expect(analysisScope(home, look).scope).toEqual({ changedAfter: 20 });
    expect(analysisScope(home, { ...look, took: false, began: 10 }).scope).toEqual({ changedAfter: 20 });
    expect(analysisScope(home, { ...look, began: 10 }).scope).toEqual({ changedAfter: 10 });
    writeFileSync(mark(home), '');
    expect(analysisScope(home, look).scope).toBe('all');
  });

  it('a look at some places analyses only its own and leaves the mark for the next whole look', () => {
    const home = tempDir();
    writeFileSync(mark(home), '');
    const run = analysisScope(home, { ...look, whole: false });
    expect(run.scope).toEqual({ changedAfter: 50 });
    run.begin();
    run.end();
    expect(readFileSync(mark(home), 'utf8')).toBe('');
  });
});

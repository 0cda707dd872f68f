// A problem the mount daemon meets again and again (a full disk refusing its report four times a second, a
// player retrying a broken file) is said once with a count, in its log and in its report; the report's own
// failure to be written is said in the log, never thrown from its timer (it was an "internal error"
// logged every 250 ms, each one scheduling the next).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemLog } from '../../../app/core/mounted/problem-log.ts';
import { readMountReport } from '../../../app/core/mounts/mount-registry.ts';
import { MountReporter } from '../../../fuse/mount-reporter.ts';
import { tempDir } from '../../helpers.ts';

const NO_REQUESTS = () => ({
  ...{ lookup: 0, getattr: 0, open: 0, read: 0, readdir: 0, release: 0 },
  ...{ startStoredEarly: 0, startStoredLate: 0, nothingStored: 0, startLeftOut: 0, openedInJs: 0 },
  keptPagesFiles: 0,
  treesBuilt: 0,
  arraysInFreshMemory: 0,
  pagesCopied: 0,
  sparesReadied: 0,
  treesSpliced: 0,
  nodesCompared: 0,
});

describe("the daemon's log", () => {
  it('writes a problem once, then how often it repeated', () => {
    const lines: string[] = [];
    const log = new ProblemLog((line) => lines.push(line));
    for (let i = 0; i < 40; i++) log.say('ENOSPC: no space left on device, write');
    log.say('EIO /music/a.flac: short read');
    log.say('ENOSPC: no space left on device, write');
    expect(lines).toEqual(['ENOSPC: no space left on device, write', 'EIO /music/a.flac: short read']);
    log.flush(); // a minute on, or as the daemon stops
    expect(lines.slice(2)).toEqual(['repeated 40 more times: ENOSPC: no space left on device, write']);
    // Still going: only its count, a minute later.
    log.say('ENOSPC: no space left on device, write');
    log.flush();
    expect(lines.slice(3)).toEqual(['repeated 1 more time: ENOSPC: no space left on device, write']);
    // Gone quiet for a minute: forgotten, and said in full if it comes back.
    log.flush();
    log.say('ENOSPC: no space left on device, write');
    expect(lines.slice(4)).toEqual(['ENOSPC: no space left on device, write']);
    log.flush();
  });

  it('writes one line of a kind of problem (refused moves of many files for one reason), then how many like it', () => {
    const lines: string[] = [];
    const log = new ProblemLog((line) => lines.push(line));
    for (let i = 0; i < 30; i++)
      log.say(`refused moving ${i}.flac to x: read-only`, 'refused moving: read-only');
    log.say('refused moving 1.flac to 2.flac: that name is taken', 'refused moving: taken');
    expect(lines).toEqual([
      'refused moving 0.flac to x: read-only',
      'refused moving 1.flac to 2.flac: that name is taken',
    ]);
    log.flush();
    expect(lines.slice(2)).toEqual(['like it 29 more times: refused moving 0.flac to x: read-only']);
    log.flush();
  });
});

describe("the daemon's report", () => {
  it('holds a repeated problem once, with its count', () => {
    const home = tempDir();
    const reporter = new MountReporter(home, '/mnt/r', NO_REQUESTS, (err) => {
      throw err;
    });
    for (let i = 0; i < 30; i++) reporter.problem('cannot write: ENOSPC');
    reporter.problem('EIO /music/a.flac');
    reporter.flush();
    const { problems } = readMountReport(home, '/mnt/r')!;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/ cannot write: ENOSPC \(30 times since \d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
    expect(problems[1]).toMatch(/ EIO \/music\/a\.flac$/);
  });

  it('says it cannot be written to its caller, once a write, and throws nothing', () => {
    const home = tempDir();
    writeFileSync(join(home, 'mounts'), ''); // where its folder would go: every write fails
    const failures: Error[] = [];
    const reporter = new MountReporter(home, '/mnt/r', NO_REQUESTS, (err) => failures.push(err));
    reporter.problem('EIO /music/a.flac');
    reporter.flush();
    reporter.flush();
    expect(failures).toHaveLength(2);
    expect(failures[0]!.message).toMatch(/EEXIST|ENOTDIR/);
  });
});

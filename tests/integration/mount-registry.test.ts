// The mount registry under concurrent writers and readers: an entry is replaced atomically (a reader
// never sees half of one), and an entry that cannot be read is reported and kept, never deleted.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMounts, readMountReport, unregisterMount } from '../../app/core/mounts/mount-registry.ts';
import { MountReporter } from '../../fuse/mount-reporter.ts';
import { tempDir } from '../helpers.ts';

const REGISTRY = join(import.meta.dirname, '../../app/core/mounts/mount-registry.ts');

describe('the mount registry', () => {
  it('never shows a reader half an entry while writers replace it', async () => {
    const home = tempDir();
    const writer = (n: number) => `const { registerMount } = await import(${JSON.stringify(REGISTRY)});
      const template = 'x'.repeat(200_000); // large, so a torn write would show
      for (let i = 0; i < 60; i++)
        registerMount(${JSON.stringify(home)}, { mountpoint: '/mnt/a', pid: ${n}, template, log: null, startedAt: i });`;
    const writers = [1, 2].map((n) => spawn(process.execPath, ['--input-type=module', '-e', writer(n)]));
    const done = Promise.all(writers.map((w) => once(w, 'exit')));
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    const dir = join(home, 'mounts');
    let reads = 0;
    while (!finished) {
      for (const name of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')) : []) {
        const text = readFileSync(join(dir, name), 'utf8');
        expect(() => JSON.parse(text)).not.toThrow();
        reads++;
      }
      await new Promise((r) => setImmediate(r));
    }
    const codes = (await done).map(([code]) => code);
    expect(codes).toEqual([0, 0]);
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps and reports an entry it cannot read, and drops entries of daemons that are gone', () => {
    const home = tempDir();
    const dir = join(home, 'mounts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.json'), '{"mountpoint": "/mnt/b", "pid": ');
    writeFileSync(
      join(dir, 'gone.json'),
      JSON.stringify({ mountpoint: '/mnt/gone', pid: 2 ** 22 + 1, template: 't', log: null, startedAt: 0 }),
    );
    const list = listMounts(home);
    expect(list.mounts).toEqual([]);
    expect(list.unreadable).toHaveLength(1);
    expect(list.unreadable[0]).toMatch(/broken\.json: .*JSON/);
    expect(existsSync(join(dir, 'broken.json'))).toBe(true);
    expect(existsSync(join(dir, 'gone.json'))).toBe(false);
  });

  it("keeps the daemon's report apart from the entries: its latest 20 problems, written on flush", () => {
    const home = tempDir();
    const counts = {
      ...{ lookup: 1, getattr: 2, open: 3, read: 4, readdir: 5, release: 6 },
      ...{ startStoredEarly: 7, startStoredLate: 0, nothingStored: 2, startLeftOut: 0, openedInJs: 1 },
      keptPagesFiles: 10,
      treesBuilt: 3,
      arraysInFreshMemory: 2,
      pagesCopied: 0,
      sparesReadied: 4,
      treesSpliced: 4,
      nodesCompared: 40,
    };
    const reporter = new MountReporter(
      home,
      '/mnt/r',
      () => counts,
      (err) => {
        throw err;
      },
    );
    reporter.serving(12);
    for (let i = 1; i <= 25; i++) reporter.problem(`EIO file ${i}`);
    reporter.flush();
    const report = readMountReport(home, '/mnt/r')!;
    expect(report.files).toBe(12);
    expect(report.requests).toEqual(counts);
    expect(report.problems).toHaveLength(20);
    expect(report.problems[0]).toMatch(/ EIO file 6$/);
    expect(report.problems.at(-1)).toMatch(/ EIO file 25$/);
    expect(listMounts(home)).toEqual({ mounts: [], unreadable: [] }); // a report is not an entry
    unregisterMount(home, '/mnt/r');
    expect(readMountReport(home, '/mnt/r')).toBeUndefined();
  });
});

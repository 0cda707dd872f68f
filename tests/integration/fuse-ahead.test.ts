// Layouts built ahead: a folder listed through the mount has its files' layouts built on the daemon's
// worker and handed to the binding, which then answers their first opens itself. What it serves so must
// be byte for byte what an open answered by the daemon's main thread serves.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { copyFixtures, hashTree, sleeveHere, tempDir } from '../helpers.ts';
import { BUILD_AHEAD, sha256, unmountChecked, waitFor } from '../mount-helpers.ts';

/** Every served file's path under `mnt`, each folder listed on the way. */
function listAll(mnt: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [relative(mnt, join(dir, e.name))],
    );
  return walk(mnt).sort();
}

/** Each thread of a process: its name and niceness (/proc's stat: the name in parentheses, nice the 19th). */
function niceness(pid: number): Map<number, { name: string; nice: number }> {
  return new Map(
    readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      return [Number(tid), { name, nice }];
    }),
  );
}

describe('layouts built ahead while a player lists the mount', () => {
  let music: string;
  let originals: Map<string, string>;
  let home: string;
  let mnt: string;
  let paths: string[];

  beforeAll(() => {
    music = copyFixtures();
    originals = hashTree(music);
    home = join(tempDir(), 'home');
    mnt = join(tempDir(), 'mnt');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
  }, 120_000);

  afterAll(() => unmountChecked(home, mnt, music, originals));

  it('serves the same bytes from a layout built ahead as from a first open in the daemon', async () => {
    writeFileSync(join(home, 'config.json'), JSON.stringify(BUILD_AHEAD));
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    paths = listAll(mnt);
    expect(paths.length).toBeGreaterThan(5);
    // Listing every folder handed their files to the worker: wait until it built all of them (none of
    // these needs its Ogg pages renumbered, which only the main thread serves).
    await waitFor('every layout built ahead', () =>
      readMountReport(home, mnt)?.builtAhead === paths.length ? true : undefined,
    );
    const [listed] = JSON.parse(sleeveHere(home, ['mounts', '--json']).stdout) as Array<{
      builtAhead: number;
      pid: number;
    }>;
    expect(listed!.builtAhead).toBe(paths.length);
    // The worker that built them runs below the daemon's other threads: a player's requests come first.
    const threads = niceness(listed!.pid);
    expect(threads.get(listed!.pid)?.nice).toBe(0);
    const lowered = [...threads.values()].filter((t) => t.nice !== 0);
    expect(lowered.length).toBeGreaterThan(0);
    for (const t of lowered) expect(t).toEqual({ name: 'WorkerThread', nice: 10 });
    const ahead = new Map(paths.map((p) => [p, sha256(readFileSync(join(mnt, p)))]));
    expect(sleeveHere(home, ['umount', mnt]).status).toBe(0);

    // A new daemon, each file opened by its path with no folder listed: every first open is the main
    // thread's.
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    const direct = new Map(paths.map((p) => [p, sha256(readFileSync(join(mnt, p)))]));
    expect(readMountReport(home, mnt)?.builtAhead ?? 0).toBe(0);
    expect(direct).toEqual(ahead);
  }, 120_000);

  it('builds the folder after a listed one too, where a player walks next', async () => {
    // Folders holding files, by parent; the first two of a parent in listing order (UTF-8 bytes).
    const files = new Map<string, number>();
    for (const p of paths) files.set(dirname(p), (files.get(dirname(p)) ?? 0) + 1);
    const byParent = Map.groupBy(files.keys(), (dir) => dirname(dir));
    const [first, next] = [...byParent.values()]
      .find((dirs) => dirs.length >= 2)!
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(sleeveHere(home, ['umount', mnt]).status).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    readdirSync(join(mnt, first!)); // its parents looked up, not listed
    const both = files.get(first!)! + files.get(next!)!;
    await waitFor('the listed folder and the next built ahead', () =>
      (readMountReport(home, mnt)?.builtAhead ?? 0) >= both ? true : undefined,
    );
    expect(readMountReport(home, mnt)?.builtAhead).toBe(both);
  }, 60_000);

  it('builds none ahead, and starts no thread for it, when it serves fewer files than config.json says', () => {
    expect(sleeveHere(home, ['umount', mnt]).status).toBe(0);
    const minFiles = paths.length + 1;
    writeFileSync(join(home, 'config.json'), JSON.stringify({ mount: { buildAheadMinFiles: minFiles } }));
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    // A player's walk: every folder listed, every file read whole; each first open is the main thread's.
    const walked = new Map(listAll(mnt).map((p) => [p, sha256(readFileSync(join(mnt, p)))]));
    expect(walked.size).toBe(paths.length);
    const [listed] = JSON.parse(sleeveHere(home, ['mounts', '--json']).stdout) as Array<{
      builtAhead: number;
      pid: number;
      log: string | null;
    }>;
    expect(readFileSync(listed!.log!, 'utf8')).toContain(
      `each file's layout is built at its first open: none ahead below mount.buildAheadMinFiles (${minFiles} files)`,
    );
    expect(listed!.builtAhead).toBe(0);
    expect([...niceness(listed!.pid).values()].filter((t) => t.nice !== 0)).toEqual([]);
  }, 60_000);
});

// One writer per store: the fingerprint index directory is one process's at a time (a second opener waits
// or is told who holds it), and a CLI scan beside the app's backend scan keeps every store consistent.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexEngine, lockFile } from '../../index-engine/engine-client.ts';
import { IndexError } from '../../index-engine/errors.ts';
import { startBackend } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { copyFixtures, sleeveAsync, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

const LOCK_MODULE = join(import.meta.dirname, '../../kit/exclusive-lock.ts');

/** Another process holding a lock file until killed. */
async function holdLock(path: string): Promise<ChildProcess> {
  const code = `const { ExclusiveLock } = await import(${JSON.stringify(LOCK_MODULE)});
    globalThis.lock = ExclusiveLock.tryAcquire(${JSON.stringify(path)}); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout!, 'data');
  return child;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('the fingerprint index directory', () => {
  it('is refused while another process holds it, with who that is', async () => {
    const dir = tempDir();
    const holder = await holdLock(lockFile(dir));
    children.push(holder);
    const err = await IndexEngine.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexError);
    expect((err as IndexError).code).toBe('DirectoryLocked');
    expect((err as IndexError).message).toMatch(new RegExp(`is in use by .*\\(pid ${holder.pid}, since `));
  });

  it('is waited for when the opener asks to wait, and opened once it is free (even after kill -9)', async () => {
    const dir = tempDir();
    const holder = await holdLock(lockFile(dir));
    children.push(holder);
    const heard: (number | undefined)[] = [];
    const opening = IndexEngine.open(dir, { onWait: (h) => heard.push(h?.pid) });
    await waitFor('the opener to say it waits', () => (heard.length > 0 ? true : undefined));
    expect(heard).toEqual([holder.pid]);
    holder.kill('SIGKILL');
    const engine = await opening;
    expect(heard).toEqual([holder.pid]); // heard once, however long it waited
    try {
      expect(await engine.createIndex('main')).toBeDefined();
      // While this process has it, another opener is refused.
      await expect(IndexEngine.open(dir)).rejects.toThrow(/is in use by/);
    } finally {
      await engine.close();
    }
    const again = await IndexEngine.open(dir);
    await again.close();
  });
});

interface Group {
  members: Array<{ path: string }>;
}

/** Duplicate groups as sets of paths relative to `root`, in a stable order. */
function groupsOf(home: string, root: string): string[][] {
  return sleeveHereJson<Group[]>(home, ['dup', '--json'])
    .map((g) => g.members.map((m) => relative(root, m.path)).sort())
    .sort((a, b) => a.join().localeCompare(b.join()));
}

describe('a CLI scan beside the backend scan of the same home', () => {
  it('keeps the database, the index and the similarity table consistent and every edit', async () => {
    const root = tempDir();
    const a = copyFixtures();
    const b = copyFixtures();
    // Fixture tracks are 1 s long; these are long enough for embeddings, so the similarity table has rows.
    for (const [dir, base] of [
      [a, 220],
      [b, 330],
    ] as const)
      for (let i = 0; i < 3; i++) makeWav(join(dir, `long ${i}.wav`), base + 110 * i, 10);
    const home = join(root, 'home');
    const backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const client = backend.connect();
    try {
      const finished = new Promise((resolve) => {
        const off = client.on('scan.finished', (r) => {
          off();
          resolve(r);
        });
      });
      await client.call('scan.start', { folders: [a] });
      const cli = spawn(
        process.execPath,
        [join(import.meta.dirname, '../../app/cli/sleeve.js'), '--home', home, 'scan', b],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      cli.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const [code] = (await once(cli, 'exit')) as [number];
      expect([code, stderr]).toEqual([0, expect.any(String)]);
      expect(await finished).toMatchObject({ failure: null, interrupted: false });
      const edit = sleeveHere(home, ['set', `path:"${b}"`, 'comment=kept', '-y']);
      expect([edit.status, edit.stderr]).toEqual([0, '']);
      // Both scans analysed; a last one (nothing new) brings groups and table up to date from either side.
      // Not spawnSync: the backend in this process may hold the scan lock (its watcher looking at the
      // new folder) and could not let go of it while this process waits.
      const rescan = await sleeveAsync(home, ['scan', a, b]);
      expect(rescan.status).toBe(0);
      // It may wait for the backend's watcher, and names the fixture's circle link it does not follow.
      const said = rescan.stderr.split('\n').filter(Boolean);
      for (const line of said)
        expect(line).toMatch(
          /^(sleeve: waiting for another scan of this library: in use by |skipped .*circle)/,
        );
    } finally {
      client.close();
      await backend.close();
    }
    const db = new Database(join(home, 'library.db'), { readonly: true });
    let ok: unknown;
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      ok = db.prepare("SELECT count(*) FROM embeddings WHERE status = 'ok'").pluck().get();
      const rows = db.prepare('SELECT count(*) FROM similarity_rows').pluck().get();
      expect(rows).toBe(ok);
    } finally {
      db.close();
    }
    expect(sleeveHereJson<unknown[]>(home, ['ls', 'comment:kept', '--json']).length).toBeGreaterThan(0);
    expect(Number(ok)).toBe(6);
    const [long] = sleeveHereJson<Array<{ id: number }>>(home, ['ls', 'path:"long 0"', '--json']);
    const similar = sleeveHere(home, ['similar', String(long!.id), '--json']);
    expect(similar.status).toBe(0);
    expect(JSON.parse(similar.stdout)).toHaveLength(5);
    // The same groups as one process scanning both folders.
    const alone = join(root, 'alone');
    expect(sleeveHere(alone, ['scan', a, b]).status).toBe(0);
    expect(groupsOf(home, root)).toEqual(groupsOf(alone, root));
  }, 240_000);
});

// A library folder with one folder on a share that stops answering (a FUSE folder whose server the test
// stops with SIGSTOP, mounted inside the library): the backend's watcher and a scan it runs walk the
// library, and while the share stalls the backend still answers RPCs; the scan's summary and the watcher's
// status name the folder and why, and nothing on the share is marked missing. Once the share answers, the
// watcher watches it again and the notice goes. The scan is checked with the watcher off too: each one
// alone held the backend's thread before.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { type StallingShare, stallingShare } from '../fixtures/stalling-share.ts';
import { makeTranscodable } from '../fixtures/transcodable.ts';
import { sleeve, tempDir } from '../helpers.ts';

/** How long the backend waits for a folder: short, as the share's folder waits for it once. */
const DEADLINE_MS = 2000;
const NO_ANSWER = /has not answered for \d+ s \(a network share or disk that stopped answering\?\)/;

describe.each([
  { watch: true, what: 'watched and scanned' },
  { watch: false, what: 'scanned, the watcher off' },
])('a library folder with a folder on a share that stops answering, $what', ({ watch }) => {
  let lib: string;
  let share: string;
  let serving: StallingShare | undefined;
  let backend: TestBackend | undefined;
  let client: RpcClient | undefined;

  /** The share's server is stopped (SIGSTOP), not merely slow. */
  const stalled = () => {
    const stat = readFileSync(`/proc/${serving!.server.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  };
  const statusOf = (path: string) =>
    backend!.db.prepare('SELECT status FROM files WHERE path LIKE ?').pluck().all(`${path}/%`) as string[];

  beforeAll(async () => {
    const dir = tempDir();
    lib = join(dir, 'lib');
    share = join(lib, 'share');
    makeTranscodable(join(lib, 'local'), 2, 2);
    const source = join(dir, 'source');
    makeTranscodable(source, 2);
    mkdirSync(share);
    serving = await stallingShare(source, share);
    const home = join(dir, 'home');
    // Every phase done: the backend's scans find nothing of the share's to read or analyse.
    const scan = sleeve(home, ['scan', lib]);
    expect(scan.status).toBe(0);
    if (!watch) writeFileSync(join(home, 'config.json'), JSON.stringify({ watch: { enabled: false } }));
    await serving.stall();
    backend = await startBackend(home, tempDir(), { watchMs: 1000, fileDeadlineMs: DEADLINE_MS });
    client = backend.connect();
  });

  afterAll(async () => {
    serving?.stop(); // resumed first: whatever waits on it ends
    client?.close();
    await backend?.close();
  });

  it('keeps answering, names the folder, and marks nothing missing', async () => {
    // Should a regression block the backend's thread (this test's own), the share comes back by itself,
    // and the checks below that it still stalled fail.
    const guard: ChildProcess = spawn('sh', ['-c', `sleep 40; kill -CONT ${serving!.server.pid}`], {
      stdio: 'ignore',
    });
    const rpc = client!;
    const notice = async () => (await rpc.call('watch.status', {})).folders[0]?.notice ?? null;
    try {
      expect((await rpc.call('library.stats', {})).tracks).toBe(10);
      expect(stalled()).toBe(true);
      if (watch) {
        // The watcher lists the library (and its first look walks it): the share's folder is named.
        await expect.poll(notice, { timeout: 30_000 }).toContain(`${share} (`);
        expect(await notice()).toMatch(NO_ANSWER);
        expect(stalled()).toBe(true);
      }

      await rpc.call('scan.start', { folders: [lib] });
      // While it runs, and once it ends, the backend answers.
      expect((await rpc.call('library.stats', {})).tracks).toBe(10);
      await expect
        .poll(async () => (await rpc.call('scan.status', {})).running, { timeout: 30_000 })
        .toBe(false);
      const result = (await rpc.call('scan.status', {})).last!;
      expect(result.failure).toBeNull();
      expect(result.folderErrors).toEqual([{ path: share, reason: expect.stringMatching(NO_ANSWER) }]);
      expect(result).toMatchObject({ missing: 0, unchanged: 5 });
      expect(statusOf(share)).toEqual(Array(5).fill('ok'));
      expect(statusOf(join(lib, 'local'))).toEqual(Array(5).fill('ok'));
      expect(stalled()).toBe(true);
    } finally {
      guard.kill();
      serving!.resume();
    }
    if (watch) {
      // Back: watched again, the notice gone, its files as they were.
      await expect.poll(notice, { timeout: 30_000 }).toBeNull();
      expect(statusOf(share)).toEqual(Array(5).fill('ok'));
    }
  }, 90_000);
});

// A library folder on a share that stops answering (a FUSE folder whose server the test stops with
// SIGSTOP): while it stalls, the backend still answers RPCs and plays local tracks, as they are and
// transcoded, and the share's own tracks fail after the media deadline with the reason; asked again, they
// are refused at once; once the share answers, they play again, and the opens that came back late are
// closed.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { type StallingShare, stallingShare } from '../fixtures/stalling-share.ts';
import { makeTranscodable, type Transcodable } from '../fixtures/transcodable.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

/** The file deadline: short, as the share's tracks wait for it once. */
const DEADLINE_MS = 2000;

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

describe('media from a share that stops answering', () => {
  let share: string;
  let serving: StallingShare | undefined;
  let local: Transcodable;
  let shared: Transcodable;
  let backend: TestBackend;
  let client: RpcClient;
  const ids = new Map<string, number>();

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: backend.server.port,
          path,
          headers: { Authorization: `Bearer ${backend.server.token}`, ...headers },
        },
        async (res) => {
          const chunks: Buffer[] = [];
          for await (const chunk of res) chunks.push(chunk as Buffer);
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const media = (file: string) => `/media/${ids.get(file)}`;
  /** The share's server is stopped (SIGSTOP), not merely slow. */
  const stalled = () => {
    const stat = readFileSync(`/proc/${serving!.server.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  };

  beforeAll(async () => {
    const dir = tempDir();
    const source = join(dir, 'source');
    share = join(dir, 'share');
    mkdirSync(share);
    shared = makeTranscodable(source, 4);
    local = makeTranscodable(join(dir, 'music'), 4, 2);
    serving = await stallingShare(source, share);
    const home = join(dir, 'home');
    const scan = sleeveHere(home, ['scan', join(dir, 'music'), share, '--no-fingerprint', '--no-embeddings']);
    expect(scan.status).toBe(0);
    backend = await startBackend(home, tempDir(), { watchMs: 1000, fileDeadlineMs: DEADLINE_MS });
    client = backend.connect();
    for (const r of backend.db.prepare('SELECT id, path FROM files').all() as Array<{
      id: number;
      path: string;
    }>)
      ids.set(r.path, r.id);
    const path = (p: string) => p.replace(source, share);
    shared = Object.fromEntries(
      Object.entries(shared).map(([k, v]) => [k, path(v)]),
    ) as unknown as Transcodable;
  });

  afterAll(async () => {
    serving?.stop(); // resumed first: whatever waits on it ends
    client?.close();
    await backend?.close();
  });

  it('answers everything else while it stalls, and fails its tracks with the reason', async () => {
    expect((await get(media(shared.flac), { Range: 'bytes=0-9' })).status).toBe(206);
    // Should a regression block the backend's thread (and with it this test's timers), the share comes
    // back by itself, and the checks below that it still stalled fail.
    const guard: ChildProcess = spawn('sh', ['-c', `sleep 40; kill -CONT ${serving!.server.pid}`], {
      stdio: 'ignore',
    });
    await serving!.stall();
    try {
      // Five tracks played as they are and one transcoded, all waiting on the stalled share.
      const onShare = [...Array.from({ length: 5 }, () => get(media(shared.flac))), get(media(shared.aiff))];
      const stats = await client.call('library.stats', {});
      expect(stats.tracks).toBe(10);
      expect(stalled()).toBe(true);

      // The local track as the mount serves it: its last bytes are the original's audio.
      const whole = (await get(media(local.flac))).body;
      expect(whole.subarray(-1024).equals(readFileSync(local.flac).subarray(-1024))).toBe(true);
      const part = await get(media(local.flac), { Range: 'bytes=100-199' });
      expect(part.status).toBe(206);
      expect(part.body.equals(whole.subarray(100, 200))).toBe(true);
      const transcoded = await get(media(local.aiff));
      expect(transcoded.status).toBe(200);
      expect(transcoded.headers['content-type']).toBe('audio/flac');
      expect(transcoded.body.length).toBeGreaterThan(0);
      expect(stalled()).toBe(true);

      const reason = (file: string) =>
        new RegExp(
          `^the file does not answer: ${share} has not answered for \\d+ s \\(a network share or disk that stopped responding\\): ${file}\\n$`,
        );
      const failed = await Promise.all(onShare);
      expect(failed.map((r) => r.status)).toEqual(Array(6).fill(504));
      for (const r of failed.slice(0, 5)) expect(r.body.toString()).toMatch(reason(shared.flac));
      expect(failed[5]!.body.toString()).toMatch(reason(shared.aiff));
      // Asked again while it still stalls: refused with the same reason (no other thread waits on it).
      const again = await get(media(shared.wavpack));
      expect(again.status).toBe(504);
      expect(again.body.toString()).toMatch(reason(shared.wavpack));
      expect(stalled()).toBe(true);
    } finally {
      guard.kill();
      serving!.resume();
    }
    // Back: its tracks play again.
    await expect.poll(async () => (await get(media(shared.flac), { Range: 'bytes=0-9' })).status).toBe(206);
    expect((await get(media(shared.aiff))).status).toBe(200);
    // The opens that returned after their requests were answered were closed: no descriptor stays.
    await expect
      .poll(() =>
        readdirSync('/proc/self/fd').filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${share}/`);
          } catch {
            return false; // the listing's own descriptor
          }
        }),
      )
      .toEqual([]);
  }, 60_000);
});

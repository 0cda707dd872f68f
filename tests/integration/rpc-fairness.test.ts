// The backend under hostile RPC load: a client flooding requests, or one that sends requests and never reads
// the replies, must not keep another client waiting or make the backend buffer without bound. Ordering and
// the backend's own account are asserted, never timings (bench/flood.ts measures those), so these run
// beside other tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../../app/server/connection-flow.ts';
import { serveProcess, startBackend, type TestBackend } from '../fixtures/backend.ts';
import { connect, nextReply, onReplies, page, type Reply } from '../fixtures/rpc-socket.ts';
import { syntheticHome } from '../fixtures/synthetic-library.ts';
import { copyFixtures, sleeveHere, tempDir } from '../helpers.ts';

/** Resolves once `ws` has handed everything it was given to the kernel; fails after 10 s (the caller
 *  then continues the backend it stopped). */
async function sent(ws: WebSocket): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (ws.bufferedAmount > 0) {
    if (Date.now() > deadline) throw new Error(`${ws.bufferedAmount} bytes never left the socket`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Sends `count` requests as fast as the client's own socket takes them. */
async function burst(ws: WebSocket, count: number): Promise<void> {
  for (let id = 1; id <= count && ws.readyState === ws.OPEN; id++) {
    ws.send(page(id));
    while (ws.bufferedAmount > 1 << 20) await new Promise((r) => setTimeout(r, 1));
  }
}

describe('RPC under load', () => {
  let backend: TestBackend;
  const logged: string[] = [];

  beforeAll(async () => {
    const homeDir = join(tempDir(), 'home');
    expect(
      sleeveHere(homeDir, ['scan', copyFixtures(), '--no-fingerprint', '--no-embeddings', '--no-loudness'])
        .status,
    ).toBe(0);
    const rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
    backend = await startBackend(homeDir, rendererDir, {
      watchMs: 1000,
      log: (line) => logged.push(line),
      // A short stall, so that the test need not wait the default 15 s for the non-reader to be dropped.
      rpcLimits: { ...DEFAULT_LIMITS, stallMs: 1500 },
    });
  });

  afterAll(async () => {
    await backend?.close();
  });

  it('disconnects a client that never reads its replies, and serves the others meanwhile', async () => {
    const { port, token } = backend.server;
    const reader = await connect(port, token);
    const nonReader = await connect(port, token);
    nonReader.pause(); // reads nothing: every reply stays on the backend's side of the socket
    nonReader.on('error', () => {});
    const sending = burst(nonReader, 20_000);
    // Another client keeps asking, one request at a time, while the non-reader piles up replies: each is
    // answered, until the backend says it dropped the non-reader.
    const dropped = () => logged.find((l) => l.includes('disconnected a client'));
    let answered = 0;
    for (let id = 1; !dropped(); id++) {
      const reply = nextReply(reader);
      reader.send(page(id));
      expect(await reply).toMatchObject({ id, ok: true });
      answered++;
    }
    expect(answered).toBeGreaterThan(0);
    // What the backend held for it is bounded by the limits, not by what it sent (~20,000 pages): it
    // stopped serving it past the soft bound, so it held that and the replies already under way, and
    // dropped it for staying there.
    const held = /it left ([\d.]+) MB of replies unread/.exec(dropped()!);
    expect(held, dropped()).not.toBeNull();
    expect(Number(held![1]) * 2 ** 20).toBeLessThan(DEFAULT_LIMITS.sendSoft * 2);
    nonReader.terminate();
    await sending.catch(() => {});
    reader.close();
  }, 120_000);
});

describe('RPC under a flood, the backend in its own process', () => {
  let served: Awaited<ReturnType<typeof serveProcess>>;

  beforeAll(async () => {
    // The synthetic library large-edit.test.ts edits: made once, kept in .cache.
    served = await serveProcess(await syntheticHome(3000));
  });

  afterAll(() => served?.stop());

  it('serves a quiet client in turn, not after every request a flooding client sent first', async () => {
    const { port, token, pid } = served;
    const flooder = await connect(port, token);
    const quiet = await connect(port, token);
    const total = 120;
    let flooderAnswered = 0;
    const flooderFailed: Reply[] = [];
    const flooderDone = new Promise<void>((resolve) =>
      onReplies(flooder, (reply) => {
        if (!reply.ok) flooderFailed.push(reply);
        if (++flooderAnswered === total) resolve();
      }),
    );
    // How many of the flooder's requests were answered when the quiet client's was: counted as it comes.
    let before = -1;
    const quietReply = nextReply(quiet, () => {
      before = flooderAnswered;
    });
    // The flood and then the quiet client's request wait in the kernel's socket buffers while the backend
    // is stopped; continued, it finds both. However busy the machine, the quiet request came last.
    process.kill(pid, 'SIGSTOP');
    try {
      for (let id = 1; id <= total; id++) flooder.send(page(id));
      quiet.send(page(1));
      await Promise.all([sent(flooder), sent(quiet)]);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Served in turn: after a few of the flooder's requests at most, not after all it had sent. (Counted
    // as this process reads the two sockets, which on a loaded machine counts some replies the backend
    // sent after the quiet one: 12 of 120 was seen; an unfair backend gives all 120.)
    expect(await quietReply).toMatchObject({ ok: true });
    expect(before).toBeLessThan(total / 4);
    await flooderDone; // and the flood is answered in full, nothing dropped
    expect(flooderFailed).toEqual([]);
    flooder.close();
    quiet.close();
  }, 60_000);
});

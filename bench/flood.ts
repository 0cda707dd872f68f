// npm run bench -- flood [--tracks N] [--seconds S] [--baseline REF | --no-baseline]
// The backend under hostile RPC load, measured from outside: a quiet client's latency and the backend's
// memory while another client floods requests (and reads the replies), while a client sends requests and
// never reads a reply, and after both have gone (is the memory given back?). The baseline in the same run
// is the backend of an earlier commit (default: the last one before fair scheduling), checked out into a
// temporary git worktree and run over the same synthetic library, written by that commit's own code (its
// schema may be older than this checkout's).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../app/server/connection-flow.ts';
import { serveProcess } from '../tests/fixtures/backend.ts';
import { syntheticLibrary } from '../tests/fixtures/synthetic-library.ts';
import { baselineCheckout } from './baseline-checkout.ts';
import { machine, percentile } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

/** The last commit whose backend answered every message as it came, with no limits. */
const UNBOUNDED_BACKEND = '0d2ff7d';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

type Reply = { id: number; ok: boolean; error?: { code: string; message: string } };

function connect(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`, {
    origin: `http://127.0.0.1:${port}`,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A client that asks for one small page, waits for the answer, rests 100 ms, and again: a user's app. */
class QuietClient {
  readonly latencies: number[] = [];
  #stopped = false;
  #done: Promise<void>;

  constructor(ws: WebSocket, tracks: number) {
    let id = 0;
    const pending = new Map<number, () => void>();
    ws.on('message', (data) => {
      const reply = JSON.parse(String(data)) as Reply;
      pending.get(reply.id)?.();
    });
    this.#done = (async () => {
      while (!this.#stopped) {
        const offset = Math.floor(Math.random() * (tracks - 50));
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          pending.set(++id, resolve);
          ws.send(
            JSON.stringify({
              id,
              method: 'library.page',
              params: { query: '', sort: { field: 'title', descending: false }, offset, limit: 50 },
            }),
          );
        });
        pending.delete(id);
        this.latencies.push(performance.now() - t0);
        await sleep(100);
      }
    })();
  }

  /** Stops after the answer it is waiting for (however late it comes). */
  stop(): Promise<void> {
    this.#stopped = true;
    return this.#done;
  }
}

/** Big pages (500 rows, about 100 KB a reply) sent as fast as the socket takes them. */
function flood(
  ws: WebSocket,
  tracks: number,
  until: number,
  read: boolean,
): { sent: number; answered: number } {
  const counts = { sent: 0, answered: 0 };
  if (read) ws.on('message', () => counts.answered++);
  else ws.pause(); // never reads: the replies pile up on the backend's side of the socket
  const pump = () => {
    while (performance.now() < until && ws.readyState === ws.OPEN && ws.bufferedAmount < 1 << 20) {
      const offset = Math.floor(Math.random() * (tracks - 500));
      ws.send(
        JSON.stringify({
          id: ++counts.sent,
          method: 'library.page',
          params: { query: '', sort: { field: 'title', descending: false }, offset, limit: 500 },
        }),
      );
    }
    if (performance.now() < until && ws.readyState === ws.OPEN) setTimeout(pump, 1);
  };
  pump();
  return counts;
}

interface PhaseResult {
  readonly label: string;
  readonly latencies: number[];
  readonly peakRss: number;
  readonly endRss: number;
  readonly note: string;
}

async function phase(
  label: string,
  backend: { port: number; token: string; pid: number },
  tracks: number,
  seconds: number,
  load: 'none' | 'flood' | 'non-reader',
): Promise<PhaseResult> {
  const quiet = new QuietClient(await connect(backend.port, backend.token), tracks);
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(backend.pid));
  }, 50);
  const until = performance.now() + seconds * 1000;
  let loader: WebSocket | undefined;
  let counts = { sent: 0, answered: 0 };
  let closedBy = '';
  if (load !== 'none') {
    loader = await connect(backend.port, backend.token);
    loader.on('close', (code, reason) => {
      // The benchmark's own terminate at the end of the phase is not the backend's doing.
      if (performance.now() < until)
        closedBy = `closed by the backend after ${((performance.now() - (until - seconds * 1000)) / 1000).toFixed(1)} s (${code} ${reason})`;
    });
    loader.on('error', () => {});
    counts = flood(loader, tracks, until, load === 'flood');
  }
  await sleep(Math.max(0, until - performance.now()));
  loader?.terminate();
  // The quiet client's request in flight may still be queued behind the load: wait for it (bounded).
  await Promise.race([quiet.stop(), sleep(180_000)]);
  clearInterval(sampler);
  const note =
    load === 'flood'
      ? `flooder sent ${counts.sent}, got ${counts.answered} replies`
      : load === 'non-reader'
        ? `non-reader sent ${counts.sent}; ${closedBy || 'never closed by the backend'}`
        : '';
  return { label, latencies: quiet.latencies, peakRss, endRss: rssMb(backend.pid), note };
}

async function run(
  name: string,
  sleeveJs: string,
  home: string,
  tracks: number,
  seconds: number,
): Promise<PhaseResult[]> {
  // The baseline is an older checkout that has no --no-ui: both are started as a user would.
  const backend = await serveProcess(home, { sleeveJs, ui: true });
  try {
    await sleep(500);
    const results: PhaseResult[] = [];
    results.push(await phase('quiet client alone', backend, tracks, seconds, 'none'));
    results.push(await phase('beside a flooding client', backend, tracks, seconds, 'flood'));
    // Longer: the backend gives a client that stops reading 10 s (DEFAULT_LIMITS.stallMs) before dropping it.
    results.push(
      await phase(
        'beside a client that never reads',
        backend,
        tracks,
        seconds + DEFAULT_LIMITS.stallMs / 1000,
        'non-reader',
      ),
    );
    await sleep(10_000);
    results.push({
      label: '10 s after the load ended',
      latencies: [],
      peakRss: rssMb(backend.pid),
      endRss: rssMb(backend.pid),
      note: '',
    });
    console.log(`\n${name}:`);
    console.log(
      `  ${'phase'.padEnd(34)} ${'quiet client: answers, p50 / p99 / max ms'.padEnd(44)} backend RSS peak / end`,
    );
    for (const r of results) {
      const t = [...r.latencies].sort((a, b) => a - b);
      const lat =
        t.length === 0
          ? ''
          : `${String(t.length).padStart(4)}, ${percentile(t, 50).toFixed(1)} / ${percentile(t, 99).toFixed(1)} / ${t.at(-1)!.toFixed(0)}`;
      console.log(
        `  ${r.label.padEnd(34)} ${lat.padEnd(44)} ${r.peakRss.toFixed(0)} / ${r.endRss.toFixed(0)} MB  ${r.note}`,
      );
    }
    return results;
  } finally {
    backend.stop();
  }
}

export async function main(args: string[]): Promise<void> {
  const arg = (flag: string, fallback: string) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const tracks = Number(arg('--tracks', '20000'));
  const seconds = Number(arg('--seconds', '15'));
  const ref = args.includes('--no-baseline') ? undefined : arg('--baseline', UNBOUNDED_BACKEND);
  console.log(`flood benchmark on ${machine()}, ${new Date().toISOString()}`);
  console.log(
    `${tracks} tracks; each phase ${seconds} s (the non-reader's ${seconds + DEFAULT_LIMITS.stallMs / 1000} s). The quiet client asks for 50 rows at a random offset, waits ` +
      'for them and rests 100 ms; the load asks for 500-row pages (about 100 KB each) as fast as its socket ' +
      'takes them. RSS is the backend process, sampled every 50 ms.',
  );
  const home = benchTempDir('sleeve-bench-flood-');
  syntheticLibrary(home, tracks);
  await run(
    'this checkout',
    new URL('../app/cli/sleeve.js', import.meta.url).pathname,
    home,
    tracks,
    seconds,
  );
  if (ref === undefined) return;
  const baseline = baselineCheckout(ref, 'sleeve-bench-flood-');
  try {
    const own = benchTempDir('sleeve-bench-flood-');
    baseline.library(own, tracks);
    await run(`baseline: the backend at ${ref}`, baseline.sleeveJs, own, tracks, seconds);
  } finally {
    baseline.remove();
  }
}

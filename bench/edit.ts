// npm run bench -- edit [--tracks N] [--baseline REF | --no-baseline]
// Retagging the whole library in the app (one field on every track), against the write path before
// derivation (an edit refreshing every file in its own transaction, on the backend's event loop) in the
// same run, each backend over a synthetic library its own code wrote. Measured from outside, as a user and
// the other writers see it: how long until the edit is saved and until every track shows it; how long a
// second writer (a one-row transaction every 10 ms) waits for the library meanwhile; how long a tagger's
// saves through the mount take meanwhile, and whether each lands; how long the app takes to answer a small
// request meanwhile; then one-track edits, until a query and the mount show them; and the database's size.
// The processes it starts log each hold of the write lock over 60 ms and where it was taken
// (SLEEVE_HOLD_LOG, write-lock.ts): the longest are named, for whoever asks who kept a writer waiting.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RpcClient } from '../renderer/src/rpc-client.ts';
import { serveProcess } from '../tests/fixtures/backend.ts';
import { syntheticLibrary } from '../tests/fixtures/synthetic-library.ts';
import { baselineCheckout } from './baseline-checkout.ts';
import { startBeside } from './beside.ts';
import {
  addRealTracks,
  lastSaves,
  mountLibrary,
  REAL_TRACKS,
  SAVED_ALBUM,
  SAVED_TRACKS,
  startSaver,
  untilShown,
} from './edit-mount.ts';
import { latencies, machine, waitUntil } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

/** The last commit before edits were derived after their commit. */
const BEFORE_DERIVATION = 'cc11c53';
const GENRE = 'Zydeco Drone';
const SLEEVE_JS = new URL('../app/cli/sleeve.js', import.meta.url).pathname;

/** A second writer in a process of its own (write-probe.ts). */
function startProbe(db: string) {
  const probe = new URL('./write-probe.ts', import.meta.url).pathname;
  return startBeside<{ waits: number[]; commits: number[] }>(process.execPath, [probe, db]);
}

/** Asks for the newest history entry, waits for it, rests 20 ms, and again; the answers' times in ms. */
function quietClient(client: RpcClient): () => Promise<number[]> {
  const times: number[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      await client.call('history.list', { limit: 1 });
      times.push(performance.now() - t0);
      await sleep(20);
    }
  })();
  return async () => {
    stopped = true;
    await done;
    return times;
  };
}

async function run(name: string, sleeveJs: string, home: string, tracks: number): Promise<void> {
  // Every track but the ones the tagger saves meanwhile (an edit of those would be refused as changed
  // since its preview, rightly).
  const total = tracks + REAL_TRACKS - SAVED_TRACKS;
  const holdLog = join(benchTempDir('sleeve-bench-edit-'), 'holds.log');
  process.env.SLEEVE_HOLD_LOG = holdLog; // the mount's and the backend's processes inherit it
  const mount = mountLibrary(sleeveJs, home, join(benchTempDir('sleeve-bench-edit-'), 'mnt'));
  const backend = await serveProcess(home, { sleeveJs }).catch((err: Error) => {
    mount.unmount();
    throw err;
  });
  const client = new RpcClient(`ws://127.0.0.1:${backend.port}/rpc?token=${backend.token}`);
  const shown = async (query: string, n: number) =>
    (await client.call('library.count', { query })).total === n;
  try {
    const all = { kind: 'query' as const, query: `^album:${SAVED_ALBUM}`, except: [] };
    let t0 = performance.now();
    const summary = await client.call('tags.summary', { target: all });
    const summarySeconds = (performance.now() - t0) / 1000;

    const stopProbe = await startProbe(join(home, 'library.db'));
    const stopSaver = await startSaver(mount.saved);
    const stopQuiet = quietClient(client);
    t0 = performance.now();
    const saved = await client.call('tags.edit', {
      preview: summary.preview,
      changes: [{ key: 'genre', values: [GENRE], loadedFrom: summary.preview }],
    });
    const savedSeconds = (performance.now() - t0) / 1000;
    await waitUntil(() => shown(`genre:"${GENRE}"`, total));
    const shownSeconds = (performance.now() - t0) / 1000;
    // The real tracks were scanned last: where derivation goes in file order, they are the last it reaches.
    const genre = mount.watched.map((path) => ({ path, text: `=${GENRE}` }));
    const inMount = await untilShown(genre, 600_000);
    const mountSeconds = (performance.now() - t0) / 1000;
    const answers = await stopQuiet();
    const saves = await stopSaver();
    const { waits, commits } = await stopProbe();
    if (saved.changedTracks !== total) throw new Error(`${saved.changedTracks} tracks changed, not ${total}`);
    t0 = performance.now();
    const last = lastSaves(saves);
    const landed = await untilShown(last, 120_000);
    const landedSeconds = (performance.now() - t0) / 1000;

    // One track at a time, as a user edits in the table: saved, shown by a query, shown in the mount.
    const one: number[] = [];
    const oneShown: number[] = [];
    const oneInMount: number[] = [];
    for (const [i, path] of mount.watched.entries()) {
      const title = basename(path).match(/Watched \d+/)![0];
      const query = { query: `title:"${title}"`, sort: null, offset: 0, limit: 1 };
      const [id] = (await client.call('library.ids', query)).ids;
      const s = await client.call('tags.summary', { target: { kind: 'ids', ids: [id!] } });
      const comment = `one #${i}#`;
      const t = performance.now();
      await client.call('tags.edit', {
        preview: s.preview,
        changes: [{ key: 'comment', values: [comment], loadedFrom: s.preview }],
      });
      one.push(performance.now() - t);
      await waitUntil(() => shown(`comment:"${comment}"`, 1), { everyMs: 1 });
      oneShown.push(performance.now() - t);
      await untilShown([{ path, text: `=${comment}` }], 10_000);
      oneInMount.push(performance.now() - t);
    }
    const bytes = ['library.db', 'library.db-wal'].reduce((n, f) => {
      try {
        return n + statSync(join(home, f)).size;
      } catch {
        return n;
      }
    }, 0);
    const refused = saves.filter((s) => s.error !== null);
    console.log(`\n${name}:`);
    console.log(`  the editor's summary of every track (before the edit)     ${summarySeconds.toFixed(2)} s`);
    console.log(`  retag every track: saved (tags.edit answered)             ${savedSeconds.toFixed(2)} s`);
    console.log(`  retag every track: every track shows it (library.count)   ${shownSeconds.toFixed(2)} s`);
    console.log(
      `  retag every track: the mount shows it (the last files)    ${inMount ? `${mountSeconds.toFixed(2)} s` : 'not within 10 min'}`,
    );
    console.log(`  meanwhile, a second writer waited for the write lock      ${latencies(waits)}`);
    console.log(`  … and its commits took (a commit may checkpoint the WAL)  ${latencies(commits)}`);
    console.log(`  meanwhile, the app answered history.list in               ${latencies(answers)}`);
    console.log(
      `  meanwhile, saves through the mount (mutagen) took         ${latencies(saves.map((s) => s.ms))}`,
    );
    console.log(
      `  … refused: ${refused.length}${refused[0] ? ` (first: ${refused[0].error})` : ''}; every file's last save shown by the mount ${landed ? `${landedSeconds.toFixed(2)} s after` : 'NOT within 2 min'}`,
    );
    console.log(`  one track edited: tags.edit answered                      ${latencies(one)}`);
    console.log(`  one track edited: shown by a query                        ${latencies(oneShown)}`);
    console.log(`  one track edited: shown in the mount                      ${latencies(oneInMount)}`);
    console.log(
      `  library.db and its WAL afterwards                         ${(bytes / total).toFixed(0)} bytes a track`,
    );
    reportHolds(holdLog);
  } finally {
    client.close();
    mount.unmount();
    backend.stop();
  }
}

/** The holds of the write lock over 60 ms the run's processes logged: how many, and the three longest with
 *  where they were taken (a baseline's code logs none). */
function reportHolds(file: string): void {
  const holds = existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { ms: number; at: string[] })
    : [];
  console.log(`  the write lock held over 60 ms                            ${holds.length} times`);
  for (const h of holds.sort((a, b) => b.ms - a.ms).slice(0, 3))
    console.log(
      `    ${String(h.ms).padStart(5)} ms  ${h.at.slice(0, 2).join(' < ').replaceAll(`file://${process.cwd()}/`, '')}`,
    );
}

export async function main(args: string[]): Promise<void> {
  const arg = (flag: string, fallback: string) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const tracks = Number(arg('--tracks', '100000'));
  const ref = args.includes('--no-baseline') ? undefined : arg('--baseline', BEFORE_DERIVATION);
  console.log(`edit benchmark on ${machine()}, ${new Date().toISOString()}`);
  console.log(
    `${tracks} synthetic tracks and ${REAL_TRACKS} real FLACs; each backend is \`sleeve serve\` and \`sleeve mount\` over a ` +
      'library its own code wrote. The edit sets genre on every track (but the real ones a tagger saves meanwhile) ' +
      "through the app's RPC (tags.summary, then tags.edit), as the tag editor does.",
  );
  const home = benchTempDir('sleeve-bench-edit-');
  syntheticLibrary(home, tracks);
  addRealTracks(SLEEVE_JS, home, benchTempDir('sleeve-bench-edit-'));
  await run('this checkout', SLEEVE_JS, home, tracks);
  if (ref === undefined) return;
  const baseline = baselineCheckout(ref, 'sleeve-bench-edit-');
  try {
    const own = benchTempDir('sleeve-bench-edit-');
    baseline.library(own, tracks);
    baseline.buildBinding();
    addRealTracks(baseline.sleeveJs, own, benchTempDir('sleeve-bench-edit-'));
    await run(`baseline: the backend at ${ref}`, baseline.sleeveJs, own, tracks);
  } finally {
    baseline.remove();
  }
}

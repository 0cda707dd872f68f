// npm run bench -- identify [--files N] [--one-by-one M]
// AcoustID lookups for N files (default 10,000) against the local fixture server, which enforces the free
// tier's 3 requests a second as AcoustID does: Sleeve's client (20 fingerprints a request) against the
// peers' way (beets' chroma plugin and Picard ask one file per request), with the same client, limiter
// and server in the same run. One file per request at 3 a second would take about an hour for 10,000
// files, so it runs on the first M files (default 300) and its time is extrapolated, labelled as such.
// Then a rerun of the batched lookup: every answer comes from the library's cache.
import { join } from 'node:path';
import { openDatabase } from '../app/core/db/database.ts';
import { AcoustIdClient, type AcoustIdResult } from '../app/core/identify/acoustid.ts';
import { FIXTURE_KEY, startAcoustIdFixture } from '../tests/fixtures/acoustid-server.ts';
import { machine } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

const argNumber = (args: string[], name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};

export async function main(args: string[]): Promise<void> {
  const files = argNumber(args, '--files', 10_000);
  const oneByOne = Math.min(files, argNumber(args, '--one-by-one', 300));
  console.log(`machine: ${machine()}`);
  const queries = Array.from({ length: files }, (_, i) => ({
    fingerprint: `AQAD${i.toString(36).padStart(6, '0')}_bench`,
    duration: 120 + (i % 300),
  }));
  // What the service knows: nine files in ten, one recording each.
  const known = new Map<string, AcoustIdResult[]>(
    queries.flatMap((q, i) =>
      i % 10 === 9
        ? []
        : [
            [
              q.fingerprint,
              [
                {
                  id: `acoustid-${i}`,
                  score: 0.95,
                  recordings: [{ id: `recording-${i}`, title: `Track ${i}` }],
                },
              ],
            ],
          ],
    ),
  );
  const server = await startAcoustIdFixture(known);
  const run = async (label: string, batchSize: number, count: number, url: string) => {
    const db = openDatabase(join(benchTempDir('sleeve-bench-identify-'), 'library.db'));
    // Each phase its own service URL, so each has its own rate limiter (as a fresh process would).
    const client = new AcoustIdClient(db, { apiKey: FIXTURE_KEY, url, batchSize });
    const before = server.requests.length;
    const t0 = performance.now();
    const answers = await client.lookup(queries.slice(0, count));
    const seconds = (performance.now() - t0) / 1000;
    const refused = server.requests.slice(before).filter((r) => r.refused).length;
    const named = answers.filter((a) => a.length > 0).length;
    console.log(
      `${label}: ${count} files, ${client.stats.requests} requests (${refused} refused by the server's rate limit), ${seconds.toFixed(1)} s, ${named} named, ${client.stats.cached} from the cache`,
    );
    return { db, client, seconds };
  };
  const base = server.url;
  const batched = await run('batched, 20 a request (Sleeve)', 20, files, base);
  await new Promise((r) => setTimeout(r, 1100)); // the server's window: a second without requests
  const single = await run(
    `one file a request (the peers' way), first ${oneByOne} files`,
    1,
    oneByOne,
    `${base}/`,
  );
  const extrapolated = (single.seconds / oneByOne) * files;
  console.log(
    `one file a request, extrapolated to ${files} files: ${files} requests, ${(extrapolated / 60).toFixed(1)} min (${(extrapolated / batched.seconds).toFixed(1)}× the batched time)`,
  );
  // A rerun asks nothing: the same library's cache answers.
  const t0 = performance.now();
  const again = new AcoustIdClient(batched.db, { apiKey: FIXTURE_KEY, url: base });
  const before = server.requests.length;
  await again.lookup(queries);
  console.log(
    `rerun of the batched lookup: ${server.requests.length - before} requests, ${again.stats.cached} from the cache, ${((performance.now() - t0) / 1000).toFixed(2)} s`,
  );
  batched.db.close();
  single.db.close();
  await server.close();
}

// The legacy AcoustID baseline for the index benchmark: fingerprints as int[] rows in PostgreSQL, searched through
// an intarray GIN index with an overlap query. Runs a throwaway cluster on a unix socket in a temp dir.
import { execFile } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';
import { docTerms, queryFor, type Regime, sampleIds } from './index-docs.ts';
import { percentile } from './measure.ts';

export interface PostgresResult {
  ingestDocsPerSec: number;
  bytesPerDoc: number;
  searchP50Ms: number;
  searchP99Ms: number;
  indexBuildSec: number;
}

const BATCH = 1000;
const WARMUP_QUERIES = 20;
const BINARIES = ['initdb', 'pg_ctl', 'postgres'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first directory holding all three binaries: PATH first, then Debian's versioned dirs, newest first. */
function findBinDir(): string | undefined {
  let versioned: string[] = [];
  try {
    versioned = readdirSync('/usr/lib/postgresql')
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {}
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...versioned];
  return dirs.find((dir) => BINARIES.every((bin) => isExecutable(join(dir, bin))));
}

interface RunAs {
  uid: number;
  gid: number;
}

/** postgres refuses to run as root, so under root the cluster belongs to `postgres` (or `nobody`). */
function unprivilegedUser(): RunAs | undefined {
  const users = new Map<string, RunAs>();
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid) users.set(name, { uid: Number(uid), gid: Number(gid) });
  }
  return users.get('postgres') ?? users.get('nobody');
}

function run(cmd: string, args: string[], cwd: string, as: RunAs | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    // Node's uid/gid options setuid in the child (and drop root's supplementary groups), no runuser needed.
    const env = { ...process.env, LC_ALL: 'C' };
    execFile(cmd, args, { cwd, env, ...as }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/** Nearest-rank percentile of an ascending array. */

const SEARCH_SQL =
  'SELECT id, icount(terms & $1::int[]) AS score FROM fp WHERE terms && $1::int[] ORDER BY score DESC, id LIMIT 40';

/** null result + reason when PostgreSQL or intarray is not installed. */
export async function postgresBaseline(opts: {
  regime: Regime;
  count: number;
  queries: number;
  log: (line: string) => void;
}): Promise<PostgresResult | { unavailable: string }> {
  const { regime, count, queries, log } = opts;
  const binDir = findBinDir();
  if (!binDir)
    return { unavailable: `PostgreSQL (${BINARIES.join(', ')}) not found on PATH or /usr/lib/postgresql` };
  const as = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  if (process.getuid?.() === 0 && !as) return { unavailable: 'running as root and no postgres/nobody user' };

  const dir = mkdtempSync(join(tmpdir(), 'sleeve-pg-'));
  const data = join(dir, 'data');
  if (as) chownSync(dir, as.uid, as.gid);
  let started = false;
  const client = new Client({ host: dir, user: 'postgres', database: 'postgres' });
  let connected = false;
  try {
    // --no-sync only skips flushing initdb's files; the server itself keeps fsync and synchronous_commit on.
    await run(
      join(binDir, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '--locale=C', '-E', 'UTF8', '--no-sync'],
      dir,
      as,
    );
    const settings = [
      "listen_addresses=''",
      `unix_socket_directories='${dir}'`,
      'shared_buffers=1GB',
      'maintenance_work_mem=1GB',
      // Fewer forced checkpoints during the bulk load; durability is unchanged.
      'max_wal_size=4GB',
    ];
    const serverOpts = settings.map((s) => `-c ${s}`).join(' ');
    started = true; // a start that times out may still leave a server behind
    await run(
      join(binDir, 'pg_ctl'),
      ['start', '-w', '-D', data, '-l', join(dir, 'log'), '-o', serverOpts],
      dir,
      as,
    );
    await client.connect();
    connected = true;
    const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '?';
    log(`postgres: ${version.split(',')[0]} in ${dir}`);

    const ext = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'intarray'");
    if (ext.rowCount === 0) return { unavailable: 'PostgreSQL intarray extension not installed' };
    await client.query('CREATE EXTENSION intarray');
    await client.query('CREATE TABLE fp (id int PRIMARY KEY, terms int[] NOT NULL)');

    // One autocommitted multi-row INSERT per batch, as an online ingester would; arrays go over as text literals.
    const insert =
      'INSERT INTO fp (id, terms) SELECT id, t::int[] FROM unnest($1::int[], $2::text[]) AS u(id, t)';
    const loadStart = performance.now();
    for (let first = 1; first <= count; first += BATCH) {
      const ids: number[] = [];
      const terms: string[] = [];
      for (let id = first; id < first + BATCH && id <= count; id++) {
        ids.push(id);
        terms.push(`{${docTerms(regime, id).join(',')}}`);
      }
      await client.query(insert, [ids, terms]);
      if ((first - 1) % 100_000 === 0 && first > 1) log(`postgres: loaded ${first - 1} docs`);
    }
    const loadSec = (performance.now() - loadStart) / 1000;
    const ingestDocsPerSec = count / loadSec;
    log(`postgres: loaded ${count} docs in ${loadSec.toFixed(1)} s (${ingestDocsPerSec.toFixed(0)} docs/s)`);

    const indexStart = performance.now();
    await client.query('CREATE INDEX fp_terms_idx ON fp USING gin (terms gin__int_ops)');
    const indexBuildSec = (performance.now() - indexStart) / 1000;
    log(`postgres: GIN index built in ${indexBuildSec.toFixed(1)} s`);
    // Planner statistics, as any production table would have; not counted in either timing.
    await client.query('VACUUM ANALYZE fp');

    const sizes = (
      await client.query<{ total: string; heap: string; gin: string }>(
        "SELECT pg_total_relation_size('fp') AS total, pg_table_size('fp') AS heap," +
          " pg_relation_size('fp_terms_idx') AS gin",
      )
    ).rows[0]!;
    const bytesPerDoc = Number(sizes.total) / count;
    log(
      `postgres: ${(Number(sizes.total) / 2 ** 20).toFixed(0)} MiB total (heap ${(Number(sizes.heap) / 2 ** 20).toFixed(0)}` +
        ` MiB, gin ${(Number(sizes.gin) / 2 ** 20).toFixed(0)} MiB), ${bytesPerDoc.toFixed(0)} bytes/doc`,
    );

    // Without most-common-element stats (uniform terms have none) intarray estimates && at 0.5 % per query term,
    // ~45 % of rows for 120 terms, so the planner seq-scans, sorting every row's array: over 10x slower than
    // the GIN index. An operator would force the index and stop the plans the estimate also triggers: parallel
    // workers (~10 ms to start, for a query that fetches a few rows) and JIT compilation.
    await client.query('SET enable_seqscan = off');
    await client.query('SET max_parallel_workers_per_gather = 0');
    await client.query('SET jit = off');
    const search = (q: number[]) => client.query<{ id: number; score: number }>(SEARCH_SQL, [q]);
    const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${SEARCH_SQL}`, [docTerms(regime, 1)]);
    const planText = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    if (!planText.includes('Bitmap Index Scan on fp_terms_idx'))
      log(`postgres: WARNING, GIN index unused:\n${planText}`);
    // Warm-up on other targets and another noise salt, so the measured queries don't hit pre-touched rows only.
    for (const id of sampleIds(count, WARMUP_QUERIES, 99))
      await search([...new Set(queryFor(regime, id, 2))]);
    const times: number[] = [];
    let hits = 0;
    for (const id of sampleIds(count, queries)) {
      const q = [...new Set(queryFor(regime, id))];
      const t0 = performance.now();
      const res = await search(q);
      times.push(performance.now() - t0);
      if (res.rows[0]?.id === id) hits++;
    }
    times.sort((a, b) => a - b);
    const searchP50Ms = percentile(times, 50);
    const searchP99Ms = percentile(times, 99);
    log(
      `postgres: ${queries} queries p50 ${searchP50Ms.toFixed(2)} ms, p99 ${searchP99Ms.toFixed(2)} ms,` +
        ` top-1 hit rate ${((100 * hits) / queries).toFixed(1)} %`,
    );
    if (hits < 0.9 * queries) log('postgres: WARNING, target is not the top hit for over 10 % of queries');
    return { ingestDocsPerSec, bytesPerDoc, searchP50Ms, searchP99Ms, indexBuildSec };
  } finally {
    if (connected) await client.end().catch(() => {});
    if (started)
      await run(join(binDir, 'pg_ctl'), ['stop', '-m', 'immediate', '-D', data], dir, as).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

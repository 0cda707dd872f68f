// npm run bench -- index-open [--docs 1600000,16000000] [--baseline REV] [--rounds 5]
// A scan's grouping opens the fingerprint index for its own time. From IndexEngine.open until the index
// is ready, as a scan opens it (its engine in a worker thread): a CLI scan's (nothing verified before),
// a long-lived owner's next scan (the app's, a watcher's: the files its scans verified, VerifiedSegments),
// and the baseline commit's open (of its own copy of the index, in its format), in turns, in the same run;
// then the CLI's and the baseline's again with the index's pages dropped from memory; then the first
// `info` (where the live documents are counted now; at open before). An index of N documents, 16
// windows a file (1.6M at 100k fingerprinted tracks), each of 30 terms (grouping's index: about 170 bytes
// a document).
// Then the longest a scan's end waits for the merges its checkpoint calls for (the top level's).
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexEngine } from '../index-engine/engine-client.ts';
import { VerifiedSegments } from '../index-engine/verified-segments.ts';
import { baselineCheckout } from './baseline-checkout.ts';
import { benchTempDir } from './temp-dir.ts';

const TERMS = 30;
const BATCH = 5_000;

/** Writes an index of `docs` documents into `dir`, by this checkout's engine or another's (`engine`: a
 *  baseline's, whose files may be of an earlier format). */
export async function build(dir: string, docs: number, engine_ = IndexEngine): Promise<void> {
  const engine = await engine_.open(dir);
  await engine.createIndex('a');
  let s = 12_345;
  const rand = () => (s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0);
  for (let d = 0; d < docs; d += BATCH) {
    const changes = Array.from({ length: Math.min(BATCH, docs - d) }, (_, i) => ({
      op: 'insert' as const,
      id: d + i + 1,
      hashes: Array.from({ length: TERMS }, rand),
    }));
    await engine.update('a', { changes });
  }
  await engine.close();
}

/**
 * What a scan's end waits for (settleIndex) when its checkpoint makes the tenth segment of the index's
 * top level, the largest merge a scan can meet: `docs` written as ten equal segments (checkpointed by
 * hand), the tenth's flush timed until no merge runs. Milliseconds, and the merged segment's bytes.
 */
async function topMerge(docs: number): Promise<[number, number]> {
  const dir = benchTempDir('sleeve-bench-index-merge-');
  const engine = await IndexEngine.open(dir, {
    checkpointPostings: Number.POSITIVE_INFINITY,
    checkpointAgeMs: 24 * 3600_000,
  });
  await engine.createIndex('a');
  let s = 54_321;
  const rand = () => (s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0);
  const per = docs / 10;
  let ms = 0;
  for (let seg = 0; seg < 10; seg++) {
    for (let d = 0; d < per; d += BATCH) {
      const changes = Array.from({ length: Math.min(BATCH, per - d) }, (_, i) => ({
        op: 'insert' as const,
        id: seg * per + d + i + 1,
        hashes: Array.from({ length: TERMS }, rand),
      }));
      await engine.update('a', { changes });
    }
    const started = performance.now();
    await engine.flush('a');
    await engine.settle('a');
    ms = performance.now() - started;
  }
  const segments = await engine.segments('a');
  await engine.close();
  if (segments.length !== 1) throw new Error(`${segments.length} segments left, not the one merged`);
  const bytes = readdirSync(join(dir, 'a'))
    .filter((f) => f.endsWith('.seg'))
    .reduce((n, f) => n + statSync(join(dir, 'a', f)).size, 0);
  rmSync(dir, { recursive: true, force: true });
  return [ms, bytes];
}

/** Milliseconds from open until the index answers, then for its first `info` (the live documents
 *  counted there now, at open before). */
async function openUntilReady(dir: string, verified?: VerifiedSegments): Promise<[number, number]> {
  const started = performance.now();
  const engine = await IndexEngine.open(dir, { verified });
  while ((await engine.health('a')) === 'loading') await new Promise((r) => setTimeout(r, 2));
  if ((await engine.health('a')) !== 'ready') throw new Error(`the index at ${dir} did not load`);
  const ready = performance.now();
  await engine.info('a');
  const counted = performance.now();
  await engine.close();
  return [ready - started, counted - ready];
}

/** Runs `code` in a process of its own with the baseline's engine (`checkout`) as IndexEngine, `dir` as
 *  process.argv[2]; what it prints. A script file, since `-e` with --input-type would reach the engine's
 *  worker thread and stop it. */
function baselineRun(checkout: string, dir: string, code: string): string {
  const script = join(checkout, 'bench-index-open.mjs');
  const engine = JSON.stringify(join(checkout, 'index-engine/engine-client.ts'));
  writeFileSync(script, `const { IndexEngine } = await import(${engine});\n${code}`);
  return execFileSync(process.execPath, [script, dir], { encoding: 'utf8' });
}

/** The baseline's own copy of the index (built by its engine, in its files' format). */
function baselineBuild(checkout: string, dir: string, docs: number): void {
  const bench = JSON.stringify(new URL(import.meta.url).pathname);
  baselineRun(checkout, dir, `await (await import(${bench})).build(process.argv[2], ${docs}, IndexEngine);`);
}

/** The same as openUntilReady, by the baseline's code (`checkout`) in a process of its own (timed inside
 *  it). */
function baselineOpen(checkout: string, dir: string): [number, number] {
  return JSON.parse(
    baselineRun(
      checkout,
      dir,
      `const t = performance.now();
      const e = await IndexEngine.open(process.argv[2]);
      while ((await e.health('a')) === 'loading') await new Promise((r) => setTimeout(r, 2));
      if ((await e.health('a')) !== 'ready') throw new Error('the index did not load');
      const ready = performance.now(); await e.info('a'); const info = performance.now() - ready;
      await e.close(); console.log(JSON.stringify([ready - t, info]));`,
    ),
  );
}

/** Drops the index's files from the page cache (GNU dd's nocache), so the next open reads them from disk. */
function evict(dir: string): void {
  for (const f of readdirSync(join(dir, 'a')))
    execFileSync('dd', [`if=${join(dir, 'a', f)}`, 'iflag=nocache', 'count=0', 'status=none']);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
const option = (args: string[], name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
};

export async function main(args: string[]): Promise<void> {
  const sizes = option(args, '--docs', '1600000').split(',').map(Number);
  const rounds = Number(option(args, '--rounds', '5'));
  const baseline = baselineCheckout(option(args, '--baseline', '28ab6331'), 'sleeve-bench-index-open-');
  const checkout = join(baseline.sleeveJs, '../../..');
  execFileSync(process.execPath, [join(checkout, 'index-engine/native/build.ts')], { stdio: 'ignore' });
  try {
    for (const docs of sizes) {
      const dir = join(benchTempDir('sleeve-bench-index-open-'), `index-${docs}`);
      await build(dir, docs);
      // The same documents in the baseline's format (the format changed since: the pages' checksums).
      const before = join(benchTempDir('sleeve-bench-index-open-'), `baseline-${docs}`);
      baselineBuild(checkout, before, docs);
      const bytes = readdirSync(join(dir, 'a'))
        .filter((f) => f.endsWith('.seg'))
        .reduce((n, f) => n + statSync(join(dir, 'a', f)).size, 0);
      const kept = new VerifiedSegments();
      await openUntilReady(dir, kept); // the owner's first scan verifies them
      const runs = {
        before: [] as number[][],
        cli: [] as number[][],
        kept: [] as number[][],
        'before, cold': [] as number[][],
        'cli, cold': [] as number[][],
      };
      for (let r = 0; r < rounds; r++) {
        runs.before.push(baselineOpen(checkout, before));
        runs.cli.push(await openUntilReady(dir));
        runs.kept.push(await openUntilReady(dir, kept));
      }
      // The same opens with the index's pages on disk only (a first scan after a restart).
      for (let r = 0; r < rounds; r++) {
        evict(before);
        runs['before, cold'].push(baselineOpen(checkout, before));
        evict(dir);
        runs['cli, cold'].push(await openUntilReady(dir));
      }
      const times = {
        ...Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, xs.map((x) => x[0]!)])),
        'first info, before': runs.before.map((x) => x[1]!),
        'first info, now': runs.cli.map((x) => x[1]!),
      };
      console.log(
        `${docs} documents, ${(bytes / 1e6).toFixed(0)} MB, ${rounds} rounds (ms, median and range):`,
      );
      for (const [name, xs] of Object.entries(times))
        console.log(`  ${name.padEnd(18)} ${String(Math.round(median(xs))).padStart(6)}  (${range(xs)})`);
      const [merge, merged] = await topMerge(docs);
      console.log(
        `  a scan's end, its checkpoint the top level's tenth segment: ${Math.round(merge)} ms (${(merged / 1e6).toFixed(0)} MB merged)`,
      );
    }
  } finally {
    baseline.remove();
  }
}

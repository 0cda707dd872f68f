// npm run bench -- similar [--tracks N] [--rounds N] [--sizes 10000,100000] [--queries N] [--per-style N]
//                          [--alternatives] [--probes 6,20] [--only extraction|queries|styles|sync]
// 1. Extraction cost: the scan's analysis phase with embeddings against the same phase fingerprinting
//    only (2 workers each, same files, same run); per track, one thread, where the time goes.
// 2. Query latency through the product's SimilarityTable at each size: exact scan against the IVF index
//    (p50/p99, recall@10 of the index against exact), index build time. Synthetic clustered vectors.
//    --alternatives also measures LanceDB's IVF-PQ and HNSW-SQ on the same table.
// 3. Precision@5 on the synthesized style library, against chance; rank of transcodes and volume variants.
// 4. "More like this" through the backend's service after an edit, at each size (similar-sync.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type * as LanceDb from '@lancedb/lancedb';
import { openDatabase } from '../app/core/db/database.ts';
import { FingerprintSink } from '../app/core/fingerprint/fingerprint-audio.ts';
import { decodeMono } from '../app/core/fingerprint/mono-decode.ts';
import { embeddingExtractor } from '../app/core/similar/current-extractor.ts';
import { similarTracks } from '../app/core/similar/similar.ts';
import { openSynced } from '../app/core/similar/similarity-sync.ts';
import {
  ANN_MIN_ROWS,
  lance,
  probesFor,
  type SimilarityRow,
  SimilarityTable,
} from '../app/core/similar/similarity-table.ts';
import { prng } from '../tests/fixtures/music.ts';
import { STYLES, styleOf, writeStyleLibrary } from '../tests/fixtures/styles.ts';
import { machine, percentile, scanAnalysis, writeFigures } from './measure.ts';
import { musicLibrary } from './music-library.ts';
import { syncAfterEdits } from './similar-sync.ts';

const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');
const WORK = join(tmpdir(), `sleeve-bench-similar-${process.pid}`);

async function scanSeconds(lib: string, extra: string[]): Promise<{ seconds: number; embedded: number }> {
  const home = join(WORK, `home-${extra.join('') || 'all'}`);
  rmSync(home, { recursive: true, force: true });
  const analysis = await scanAnalysis(home, lib, extra);
  rmSync(home, { recursive: true, force: true });
  return analysis;
}

async function extractionCost(tracks: number, rounds: number): Promise<void> {
  const lib = musicLibrary(tracks);
  console.log(`\n1. extraction cost: ${tracks} real tracks (Ogg Vorbis, FLAC, MP3), first 120 s of each`);
  // This VM's speed drifts by tens of percent within minutes: rounds alternate which scan goes first,
  // and the median round is the result.
  const added: number[] = [];
  console.log('  analysis phase, 2 workers     fingerprints only   + embeddings (shared decode)   added');
  for (let round = 0; round < rounds; round++) {
    // Loudness decodes whole files: left out of both, so the difference is the embeddings' alone.
    const order =
      round % 2 === 0
        ? [['--no-embeddings', '--no-loudness'], ['--no-loudness']]
        : [['--no-loudness'], ['--no-embeddings', '--no-loudness']];
    const [a, b] = [await scanSeconds(lib, order[0]!), await scanSeconds(lib, order[1]!)];
    const [fp, both] = round % 2 === 0 ? [a.seconds, b.seconds] : [b.seconds, a.seconds];
    added.push((both - fp) / fp);
    console.log(
      `  round ${String(round + 1).padEnd(23)} ${fp.toFixed(2).padStart(8)} s   ${both.toFixed(2).padStart(12)} s   ${(added.at(-1)! * 100).toFixed(0).padStart(20)} %`,
    );
  }
  added.sort((x, y) => x - y);
  console.log(`  median: embeddings add ${(percentile(added, 50) * 100).toFixed(0)} % to the analysis phase`);

  const files = readdirSync(lib).map((f) => join(lib, f));
  const totals = { decode: 0, chromaprint: 0, embed: 0, seconds: 0 };
  for (const [i, path] of files.entries()) {
    const ext = path.slice(path.lastIndexOf('.') + 1);
    const source = { path, format: ext === 'ogg' ? 'ogg-vorbis' : ext };
    const sink = new FingerprintSink();
    const session = embeddingExtractor.start();
    const decode = await decodeMono(source, 120, [sink, session]);
    const fp = sink.finish(decode, 0);
    sink.close();
    const t0 = performance.now();
    session.finish();
    const finish = performance.now() - t0;
    session.close();
    if (i === 0) continue; // warm-up
    totals.decode += decode.decodeMs;
    totals.chromaprint += fp.timing.chromaprintMs;
    totals.embed += decode.sinkMs[1]! + finish;
    totals.seconds += decode.seconds;
  }
  const per = (ms: number) => ((ms / totals.seconds) * 120).toFixed(0).padStart(5);
  console.log('  one thread, ms per 120 s of audio: decode and resample   chromaprint   embedding');
  console.log(
    `                                                  ${per(totals.decode)}         ${per(totals.chromaprint)}       ${per(totals.embed)}`,
  );
  const fingerprintMs = totals.decode + totals.chromaprint;
  console.log(
    `  embedding alone adds ${((totals.embed / fingerprintMs) * 100).toFixed(0)} % to one thread's fingerprinting`,
  );
}

/** Unit vectors around 300 centres (musical styles), like real embeddings rather than uniform noise. */
function syntheticVectors(n: number, dim: number): Float32Array[] {
  const r = prng(7);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const unit = (v: Float32Array) => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const centres = Array.from({ length: 300 }, () => unit(Float32Array.from({ length: dim }, gauss)));
  return Array.from({ length: n }, () => {
    const c = centres[Math.floor(r() * centres.length)]!;
    return unit(c.map((x) => x + gauss() * 0.12));
  });
}

/** The vector the i-th query asks about, spread over the table. */
const queryId = (i: number, n: number) => (i * 7919) % n;

type Timed = Awaited<ReturnType<typeof timeQueries>>;

/** "p50 … ms   p99 … ms", and its recall@10 against `truth` when given: each row's figures alike. */
function latencyText(r: Timed, truth?: number[][]): string {
  const recall = truth ? `   recall@10 ${recallAt10(r.results, truth).toFixed(3)}` : '';
  return `p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms${recall}`;
}

/** The benchmark's table on a connection of its own (LanceDB's cache empty). */
async function openTracks(dir: string): Promise<LanceDb.Table> {
  return (await lance().lancedb.connect(dir)).openTable('tracks');
}

async function timeQueries(
  vectors: readonly Float32Array[],
  queries: number,
  search: (v: Float32Array, i: number) => Promise<number[]>,
): Promise<{ p50: number; p99: number; results: number[][] }> {
  const ms: number[] = [];
  const results: number[][] = [];
  for (let i = 0; i < 10; i++) await search(vectors[i]!, i); // warm-up: first reads of the files
  for (let i = 0; i < queries; i++) {
    const id = queryId(i, vectors.length);
    const t0 = performance.now();
    results.push(await search(vectors[id]!, id));
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), results };
}

/** The row ids (file_id: index + 1) of the 10 vectors nearest to vector `id`, leaving it out: by brute
 *  force in JS (unit vectors, so the largest dot products), the truth recall is measured against. */
function nearestTen(vectors: readonly Float32Array[], id: number, keep = (_i: number) => true): number[] {
  const q = vectors[id]!;
  const best: Array<[dot: number, row: number]> = [];
  for (let i = 0; i < vectors.length; i++) {
    if (i === id || !keep(i)) continue;
    const v = vectors[i]!;
    let dot = 0;
    for (let k = 0; k < q.length; k++) dot += q[k]! * v[k]!;
    if (best.length < 10 || dot > best[9]![0]) {
      best.push([dot, i + 1]);
      best.sort((a, b) => b[0] - a[0]);
      best.length = Math.min(best.length, 10);
    }
  }
  return best.map(([, row]) => row);
}

/** A fifth of the rows, as `--where genre:jazz` keeps them (by row, from 0). */
const isJazz = (row: number) => row % 5 === 0;

/** Queries LanceDB's exact scan is timed on: at a million rows each takes seconds. */
const EXACT_QUERIES = 20;

const recallAt10 = (found: number[][], truth: number[][]): number =>
  found.reduce((s, r, i) => s + r.filter((id) => truth[i]!.includes(id)).length, 0) /
  truth.reduce((s, t) => s + t.length, 0);

/** What the queries measured at one size (`--figures` writes them for the million benchmark). */
export interface QueryFigures {
  readonly vectors: number;
  readonly loadSeconds: number;
  readonly buildSeconds: number;
  readonly exactP99: number;
  /** The index's: absent below ANN_MIN_ROWS, where the exact scan answers. */
  readonly p50?: number;
  readonly p99?: number;
  readonly recall?: number;
  /** The same queries asked again, the partitions they probe in LanceDB's cache. */
  readonly warmP50?: number;
  readonly warmP99?: number;
}

async function queryLatency(
  n: number,
  queries: number,
  alternatives: boolean,
  probes: readonly number[],
): Promise<QueryFigures> {
  const dim = embeddingExtractor.dimension;
  const dir = join(WORK, `table-${n}`);
  rmSync(dir, { recursive: true, force: true });
  const vectors = syntheticVectors(n, dim);
  let { table } = await SimilarityTable.open(dir, dim);
  const t0 = performance.now();
  for (let i = 0; i < n; i += 20_000) {
    const rows: SimilarityRow[] = vectors.slice(i, i + 20_000).map((vector, k) => ({
      file_id: i + k + 1,
      vector,
      duration: 200,
      group_id: i + k + 1,
      year: 1990 + ((i + k) % 30),
      title: '',
      artist: '',
      albumartist: '',
      album: '',
      genre: isJazz(i + k) ? 'jazz' : 'rock',
      format: 'flac',
    }));
    await table.upsert(rows);
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  // As `sleeve similar ID` asks: leave out the track and its recording group (here the track alone), on
  // the nearest rows found, one more asked for.
  const filter = (id: number) =>
    `file_id NOT IN (${id + 1}) AND (group_id IS NULL OR group_id NOT IN (${id + 1}))`;
  const ids = (r: Awaited<ReturnType<SimilarityTable['search']>>) => r.slice(0, 10).map((x) => x.fileId);
  const exact = await timeQueries(vectors, Math.min(queries, EXACT_QUERIES), async (v, id) =>
    ids(await table.search(v, { limit: 10, filter: filter(id), exact: true })),
  );
  const truth = Array.from({ length: queries }, (_, i) => nearestTen(vectors, queryId(i, n)));
  const t1 = performance.now();
  const action = await table.maintain();
  const buildSeconds = (performance.now() - t1) / 1000;
  console.log(`\n  ${n.toLocaleString('en')} vectors (${dim} dims), loaded in ${loadSeconds.toFixed(1)} s:`);
  console.log(`    exact scan (${exact.results.length} queries)    ${latencyText(exact)}`);
  const figures = { vectors: n, loadSeconds, buildSeconds, exactP99: exact.p99 };
  if (action === 'none') {
    console.log(`    (below ${ANN_MIN_ROWS} rows the product answers every query with the exact scan)`);
    return figures;
  }
  // Opened anew, as a backend started after the scan opens it: its first queries read each partition
  // they probe into LanceDB's cache; the same queries again find them there.
  table.close();
  ({ table } = await SimilarityTable.open(dir, dim));
  const search = async (v: Float32Array, id: number) =>
    ids(await table.search(v, { limit: 11, filter: filter(id), after: true }));
  const ann = await timeQueries(vectors, queries, search);
  const warm = await timeQueries(vectors, queries, search);
  console.log(
    `    IVF index (product), opened ${latencyText(ann, truth)}   built in ${buildSeconds.toFixed(1)} s   ${(exact.p99 / ann.p99).toFixed(1)}× faster at p99`,
  );
  console.log(`      … the same queries again ${latencyText(warm)}`);
  const filtered = await timeQueries(vectors, queries, async (v, id) =>
    ids(
      await table.search(v, {
        limit: 10,
        filter: `${filter(id)} AND contains(genre, 'jazz')`,
        selective: true,
      }),
    ),
  );
  const jazzTruth = Array.from({ length: queries }, (_, i) => nearestTen(vectors, queryId(i, n), isJazz));
  console.log(`    IVF + --where genre:jazz    ${latencyText(filtered, jazzTruth)}`);
  await prefiltered(dir, vectors, queries, filter, jazzTruth);
  if (alternatives) await otherIndexes(dir, vectors, queries, filter, truth);
  for (const count of probes) await probed(dir, count, vectors, queries, filter, truth);
  table.close();
  return {
    ...figures,
    ...{ p50: ann.p50, p99: ann.p99, warmP50: warm.p50, warmP99: warm.p99 },
    recall: recallAt10(ann.results, truth),
  };
}

/** A query straight to LanceDB, cosine, as `tune` sets it: the first ten rows' file ids. */
async function nearestIds(
  table: LanceDb.Table,
  v: Float32Array,
  tune: (q: LanceDb.VectorQuery) => LanceDb.VectorQuery,
): Promise<number[]> {
  const query = tune(table.vectorSearch(v).distanceType('cosine').select(['file_id', '_distance']));
  const rows = (await query.toArray()) as Array<{ file_id: number }>;
  return rows.slice(0, 10).map((x) => x.file_id);
}

/** The baseline for `--where`: the filter applied to every row before the search, as many partitions
 *  probed as needed (what the product did before it tried the nearest rows first). */
async function prefiltered(
  dir: string,
  vectors: readonly Float32Array[],
  queries: number,
  filter: (id: number) => string,
  truth: number[][],
): Promise<void> {
  const table = await openTracks(dir);
  const partitions = Math.round(Math.sqrt(vectors.length));
  const search = (v: Float32Array, id: number) =>
    nearestIds(table, v, (q) =>
      q
        .limit(10)
        .nprobes(probesFor(vectors.length))
        .maximumNprobes(partitions)
        .where(`${filter(id)} AND contains(genre, 'jazz')`),
    );
  const r = await timeQueries(vectors, queries, search);
  console.log(`      … the filter on every row first (before) ${latencyText(r, truth)}`);
  table.close();
}

/** The product's query (as `search` with `after` asks it) probing exactly `probes` partitions of its
 *  index, on a connection of its own (its cache empty) and then again: how latency and recall trade at
 *  this size (`--probes`). */
async function probed(
  dir: string,
  probes: number,
  vectors: readonly Float32Array[],
  queries: number,
  filter: (id: number) => string,
  truth: number[][],
): Promise<void> {
  const table = await openTracks(dir);
  const search = (v: Float32Array, id: number) =>
    nearestIds(table, v, (q) => q.limit(11).nprobes(probes).where(filter(id)).postfilter());
  const r = await timeQueries(vectors, queries, search);
  const warm = await timeQueries(vectors, queries, search);
  console.log(
    `    IVF, ${String(probes).padStart(3)} partitions probed ${latencyText(r, truth)}; again p50 ${warm.p50.toFixed(2)} ms   p99 ${warm.p99.toFixed(2)} ms`,
  );
  table.close();
}

/** LanceDB's other index types on the same table, for the record (the product builds IVF_FLAT). */
async function otherIndexes(
  dir: string,
  vectors: readonly Float32Array[],
  queries: number,
  filter: (id: number) => string,
  truth: number[][],
): Promise<void> {
  const { lancedb } = lance();
  const table = await openTracks(dir);
  const configs: Array<[string, LanceDb.Index, (q: LanceDb.VectorQuery) => LanceDb.VectorQuery]> = [
    [
      'IVF_PQ (16 sub-vectors, refine ×10)',
      lancedb.Index.ivfPq({
        distanceType: 'cosine',
        numPartitions: Math.round(Math.sqrt(vectors.length)),
        numSubVectors: 16,
      }),
      (q) => q.nprobes(20).refineFactor(10),
    ],
    ['IVF_HNSW_SQ', lancedb.Index.hnswSq({ distanceType: 'cosine' }), (q) => q.ef(64)],
  ];
  for (const [name, config, tune] of configs) {
    const t0 = performance.now();
    await table.createIndex('vector', { config, replace: true, name: `alt_${name.length}` });
    const build = (performance.now() - t0) / 1000;
    for (const idx of await table.listIndices())
      if (idx.name !== `alt_${name.length}` && idx.columns.includes('vector'))
        await table.dropIndex(idx.name);
    const r = await timeQueries(vectors, queries, (v, id) =>
      nearestIds(table, v, (q) => tune(q.where(filter(id)).limit(10))),
    );
    console.log(`    ${name.padEnd(27)} ${latencyText(r, truth)}   built in ${build.toFixed(1)} s`);
  }
}

async function styleSet(perStyle: number): Promise<void> {
  const dir = join(WORK, 'styles');
  const paths = writeStyleLibrary(dir, perStyle, 30);
  // Variants of the first piece of each style: an MP3 transcode and a copy 6 dB quieter.
  const variants: string[] = [];
  for (const style of STYLES) {
    const flac = join(dir, `${style.name}-0.flac`);
    const mp3 = join(dir, `${style.name}-0-transcode.mp3`);
    const quiet = join(dir, `${style.name}-0-quiet.flac`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', flac, '-c:a', 'libmp3lame', '-b:a', '192k', mp3]);
    execFileSync('sox', [flac, quiet, 'vol', '-6dB']);
    variants.push(mp3, quiet);
  }
  const home = join(WORK, 'home-styles');
  execFileSync(process.execPath, [CLI, '--home', home, 'scan', dir], { stdio: 'ignore' });
  const db = openDatabase(join(home, 'library.db'));
  const { table } = await openSynced(join(home, 'similarity'), db, embeddingExtractor, {
    onWait: console.warn,
  });
  const files = db.prepare('SELECT id, path FROM files ORDER BY id').all() as Array<{
    id: number;
    path: string;
  }>;
  const pathOf = new Map(files.map((f) => [f.id, f.path]));
  const originals = files.filter((f) => paths.includes(f.path));
  let hits = 0;
  for (const f of originals) {
    // Among the originals only: variants would be easy hits of the same style.
    const found = await similarTracks(db, table, embeddingExtractor, [f.id], {
      limit: 5,
      includeDuplicates: true,
      filter: `NOT contains(format, 'mp3') AND file_id NOT IN (${files
        .filter((x) => variants.includes(x.path))
        .map((x) => x.id)
        .join(',')})`,
    });
    hits += found.filter((n) => styleOf(pathOf.get(n.fileId)!) === styleOf(f.path)).length;
  }
  const total = originals.length;
  const chance = (perStyle - 1) / (total - 1);
  console.log(
    `\n3. style set: ${STYLES.length} styles × ${perStyle} synthesized pieces of 30 s: precision@5 ${(hits / (total * 5)).toFixed(3)} (chance ${chance.toFixed(3)}, ${(hits / (total * 5) / chance).toFixed(1)}× chance)`,
  );
  const ranks: string[] = [];
  for (const style of STYLES) {
    const seed = files.find((f) => f.path === join(dir, `${style.name}-0.flac`))!;
    const found = await similarTracks(db, table, embeddingExtractor, [seed.id], {
      limit: 10,
      includeDuplicates: true,
    });
    for (const kind of ['transcode.mp3', 'quiet.flac']) {
      const rank = found.findIndex((n) => pathOf.get(n.fileId)!.endsWith(`${style.name}-0-${kind}`));
      ranks.push(`${style.name} ${kind.replace(/\..*/, '')}: ${rank < 0 ? '>10' : rank + 1}`);
    }
  }
  console.log(`   rank of each variant among the original's neighbours (1 = nearest): ${ranks.join(', ')}`);
  table.close();
  db.close();
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      tracks: { type: 'string', default: '30' },
      sizes: { type: 'string', default: '10000,100000' },
      queries: { type: 'string', default: '200' },
      'per-style': { type: 'string', default: '8' },
      alternatives: { type: 'boolean', default: false },
      /** Partitions to probe, a comma-separated list: each timed apart, beside the product's choice. */
      probes: { type: 'string', default: '' },
      rounds: { type: 'string', default: '5' },
      only: { type: 'string' },
      /** Where to write the queries' figures, a list by size, as JSON (the million benchmark's analysis). */
      figures: { type: 'string' },
    },
  });
  const run = (part: string) => values.only === undefined || values.only === part;
  console.log(`similarity benchmark — ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
  mkdirSync(WORK, { recursive: true });
  try {
    if (run('extraction')) await extractionCost(Number(values.tracks), Number(values.rounds));
    if (run('queries')) {
      console.log('\n2. queries (10 nearest, leaving out the track and its recording group):');
      const figures: QueryFigures[] = [];
      for (const n of values.sizes.split(',').map(Number))
        figures.push(
          await queryLatency(
            n,
            Number(values.queries),
            values.alternatives,
            values.probes.split(',').filter(Boolean).map(Number),
          ),
        );
      if (values.figures) writeFigures(values.figures, figures);
    }
    if (run('styles')) await styleSet(Number(values['per-style']));
    if (run('sync')) for (const n of values.sizes.split(',').map(Number)) await syncAfterEdits(WORK, n);
  } finally {
    rmSync(WORK, { recursive: true, force: true });
  }
}

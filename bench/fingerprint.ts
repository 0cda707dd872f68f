// npm run bench -- fingerprint [--tracks N] [--group-files N]
// 1. Fingerprint throughput of `sleeve scan` against `fpcalc` on the same files with the same parallelism
//    (2 processes), in the same run; where the time goes, per format, single-threaded.
// 2. Grouping time for N files whose fingerprints already exist (synthetic, realistic-looking items),
//    then ranking every recording's copies (copyPlaces: what `ls` of recordings works out after each
//    change to the kept copies) with the tags the ranking reads.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../app/core/db/database.ts';
import { copyPlaces } from '../app/core/fingerprint/duplicates.ts';
import { fingerprintAudio } from '../app/core/fingerprint/fingerprint-audio.ts';
import { compressFingerprint } from '../app/core/fingerprint/fingerprint-codec.ts';
import { updateRecordingGroups } from '../app/core/fingerprint/recording-groups.ts';
import { IndexEngine } from '../index-engine/engine-client.ts';
import { dirBytes, fpcalcAll, machine, privatePeakMeter, scanAnalysis, writeFigures } from './measure.ts';
import { musicLibrary } from './music-library.ts';

function audioSeconds(file: string): number {
  const d = Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]),
  );
  return Math.min(d, 120);
}

async function throughput(tracks: number): Promise<void> {
  const lib = musicLibrary(tracks);
  const files = readdirSync(lib).map((f) => join(lib, f));
  const seconds = files.reduce((s, f) => s + audioSeconds(f), 0);
  const mb = files.reduce((s, f) => s + statSync(f).size, 0) / 1e6;
  console.log(
    `\n${files.length} real tracks (Ogg Vorbis, FLAC, MP3 thirds; ${mb.toFixed(0)} MB), ${seconds.toFixed(0)} s of audio in their first 120 s, 2 workers each:`,
  );
  const home = join(tmpdir(), `sleeve-bench-fp-${process.pid}`);
  rmSync(home, { recursive: true, force: true });
  const fpcalcSeconds = await fpcalcAll(files, 2);
  const summary = await scanAnalysis(home, lib, ['--no-embeddings', '--no-loudness']);
  if (summary.fingerprinted !== files.length) throw new Error(`fingerprinted ${JSON.stringify(summary)}`);
  const ours = summary.seconds;
  const line = (name: string, s: number) =>
    console.log(
      `  ${name.padEnd(30)} ${s.toFixed(2)} s  ${(files.length / s).toFixed(2)} files/s  ${(seconds / s).toFixed(0)} audio-s/s`,
    );
  line('fpcalc, 2 processes', fpcalcSeconds);
  line('sleeve scan fingerprint phase', ours);
  console.log(`  ratio sleeve / fpcalc           ${(fpcalcSeconds / ours).toFixed(2)}×`);
  rmSync(home, { recursive: true, force: true });

  console.log('\nwhere the time goes, one file per format, one thread (after warm-up):');
  for (const ext of ['flac', 'mp3', 'ogg']) {
    const file = files.find((f) => f.endsWith(`.${ext}`))!;
    const format = ext === 'ogg' ? 'ogg-vorbis' : ext;
    const source = { path: file, format };
    await fingerprintAudio(source);
    const t0 = performance.now();
    const fp = await fingerprintAudio(source);
    const total = performance.now() - t0;
    const t1 = performance.now();
    execFileSync('sh', ['-c', `fpcalc "${file}" >/dev/null; true`]);
    const ref = performance.now() - t1;
    const { decodeMs, chromaprintMs } = fp.timing;
    console.log(
      `  ${ext.padEnd(5)} total ${total.toFixed(0)} ms = decode and resample ${decodeMs.toFixed(0)} + chromaprint ${chromaprintMs.toFixed(0)}; fpcalc process ${ref.toFixed(0)} ms (${(ref / total).toFixed(2)}×)`,
    );
  }
}

/** Chromaprint-like items: consecutive items share most bits; copies flip a few percent of bits. Made a
 *  recording at a time, so a million files' fingerprints never sit in memory at once. */
function* syntheticFingerprints(
  files: number,
  copies: number,
): Generator<{ raw: Uint32Array; duration: number }> {
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
  for (let made = 0; made < files; ) {
    const base = new Uint32Array(950);
    let x = rand();
    for (let i = 0; i < base.length; i++) {
      for (let k = 0; k < 6; k++) x ^= 1 << (rand() & 31);
      base[i] = x >>> 0;
    }
    const duration = 120 + (rand() % 240);
    for (let c = 0; c < copies && made < files; c++, made++) {
      const raw = base.map((v) => {
        let y = v;
        for (let k = 0; k < 2; k++) if (rand() % 100 < 40) y ^= 1 << (rand() & 31);
        return y >>> 0;
      });
      yield { raw, duration: duration + (c % 2) };
    }
  }
}

/** What grouping measured (`--figures` writes it for the million benchmark). */
export interface GroupingFigures {
  readonly files: number;
  readonly seconds: number;
  readonly groups: number;
  /** The process's peak resident set until grouping ended: the files were stored a transaction at a
   *  time, so it is grouping's. It counts the index's pages the process has mapped (the page cache's). */
  readonly peakMb: number;
  /** Its peak private memory while grouping (anonymous pages, sampled). */
  readonly privatePeakMb: number;
  /** The fingerprint index's files when grouping ended. */
  readonly indexMb: number;
  readonly rankMs: number;
}

async function grouping(n: number): Promise<GroupingFigures> {
  const dir = join(tmpdir(), `sleeve-bench-group-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = openDatabase(join(dir, 'library.db'));
  const copies = 4;
  db.prepare("INSERT INTO roots (id, path, added_at) VALUES (1, '/bench', 0)").run();
  const file = db.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, format, duration, status, scanned_at, added_at)
     VALUES (?, 1, ?, 1, 0, ?, 'flac', ?, 'ok', 0, 0)`,
  );
  const fp = db.prepare(
    `INSERT INTO fingerprints (file_id, size, mtime_ms, status, seconds, data, computed_at) VALUES (?, 1, 0, 'ok', 120, ?, 1)`,
  );
  const store = db.transaction(
    (tracks: ReadonlyArray<{ raw: Uint32Array; duration: number }>, first: number) =>
      tracks.forEach((t, i) => {
        file.run(first + i, `/bench/${first + i}.flac`, first + i, t.duration);
        fp.run(first + i, compressFingerprint(t.raw));
      }),
  );
  let pending: Array<{ raw: Uint32Array; duration: number }> = [];
  let stored = 0;
  for (const t of syntheticFingerprints(n, copies)) {
    pending.push(t);
    if (pending.length === 10_000) {
      store(pending, stored + 1);
      stored += pending.length;
      pending = [];
    }
  }
  store(pending, stored + 1);
  const engine = await IndexEngine.open(join(dir, 'indexes'));
  const t0 = performance.now();
  const privatePeak = privatePeakMeter();
  const summary = await updateRecordingGroups(db, engine);
  const privatePeakMb = privatePeak();
  const indexMb = dirBytes(join(dir, 'indexes')) / 2 ** 20;
  // Before ranking the copies below (every copy's row in memory at once): grouping's peak, and the
  // fingerprints' storing before it.
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const seconds = (performance.now() - t0) / 1000;
  const groups = db.prepare('SELECT count(DISTINCT group_id) FROM recording_members').pluck().get() as number;
  const tag = db.prepare('INSERT INTO tags (file_id, key, idx, value, fold) VALUES (?, ?, 0, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= n; i++)
      for (const [key, value] of [
        ['title', `Track ${i}`],
        ['artist', 'Artist'],
        ['album', i % 2 ? 'Album' : 'non'],
        ['tracknumber', String(i % 13)],
        ['genre', 'Genre'],
        ['date', '2001'],
      ] as const)
        tag.run(i, key, value, value.toLowerCase());
  })();
  const r0 = performance.now();
  const ranked = copyPlaces(db).length;
  const rankMs = performance.now() - r0;
  await engine.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const figures = {
    files: summary.grouped,
    seconds,
    groups,
    peakMb,
    privatePeakMb,
    indexMb,
    rankMs,
  };
  console.log(
    `\ngrouping ${summary.grouped} files (${n / copies} recordings × ${copies} copies) whose fingerprints exist:`,
  );
  console.log(
    `  updateRecordingGroups          ${seconds.toFixed(2)} s  ${(n / seconds).toFixed(0)} files/s  → ${groups} groups (expected ${n / copies})`,
  );
  console.log(`  copyPlaces (rank copies)       ${rankMs.toFixed(0)} ms for ${ranked} copies`);
  console.log(
    `  the process's peak memory      ${figures.peakMb.toFixed(0)} MB resident (the index's mapped pages counted), ${privatePeakMb.toFixed(0)} MB private; the index ${indexMb.toFixed(0)} MB on disk`,
  );
  if (n === 10000) console.log(`  goal ≤ 10 s for 10,000 files: ${seconds <= 10 ? 'met' : 'NOT met'}`);
  return figures;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tracks: { type: 'string', default: '30' },
      'group-files': { type: 'string', default: '10000' },
      /** Where to write grouping's figures as JSON (the million benchmark's analysis part). */
      figures: { type: 'string' },
    },
  });
  console.log(`fingerprint benchmark on ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
  if (Number(values.tracks) > 0) await throughput(Number(values.tracks));
  const figures = await grouping(Number(values['group-files']));
  if (values.figures) writeFigures(values.figures, figures);
}

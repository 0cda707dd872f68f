// npm run bench -- loudness [--tracks 12] [--workers 2]
// Loudness (ReplayGain 2.0: EBU R128 integrated loudness, true peak) against loudgain (libebur128), in one
// run, on the same real music in every common format Sleeve reads (music-library.ts's formatLibrary: the
// same tracks in each format, one album folder per format):
// - read: `sleeve scan --no-fingerprint --no-embeddings --no-loudness` into a new library, so that the next
//   scan has nothing left but loudness (not set against the peer);
// - Sleeve: `sleeve scan --workers N --no-fingerprint --no-embeddings`, the scan's analysis measuring
//   loudness alone: files/s over the analysis phase's own seconds, the command's wall time, peak RSS;
// - loudgain: the same files split among N `loudgain -O -q` processes run at once (balanced by duration):
//   files/s over the wall time until the last ends, each process's peak RSS;
// - accuracy: each file's track gain and true peak from those loudgain runs, each folder's album gain and
//   peak from separate `loudgain -a` runs (untimed), against library.db's loudness and album_loudness.
//   Any difference over 0.1 dB fails the benchmark (exit status 1).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openReader } from '../app/core/db/database.ts';
import { loadMeter, loadText, type Measured, machine, measure, warm } from './measure.ts';
import { ALBUM_ARTIST, albumOf, FORMATS, type Format, formatLibrary } from './music-library.ts';
import { benchTempDir } from './temp-dir.ts';

const CLI = new URL('../app/cli/sleeve.js', import.meta.url).pathname;
/** The issue's bound for every difference, in dB. */
const LIMIT_DB = 0.1;
const FORMAT_NAMES = Object.keys(FORMATS) as Format[];

/** One line of `loudgain -O` output: a file's, or the album's. */
interface LoudgainLine {
  readonly loudness: number;
  /** The reference the gain is toward: −18 LUFS, or −23 for Opus (as R128_* tags). */
  readonly reference: number;
  readonly gain: number;
  /** Linear. */
  readonly truePeak: number;
}

/** `loudgain -O` output by its first column (a path, or 'Album'); its header names the columns. */
function parseLoudgain(stdout: string): Map<string, LoudgainLine> {
  const [header, ...lines] = stdout.trim().split('\n');
  const column = new Map(header!.split('\t').map((name, i) => [name, i]));
  const field = (cells: string[], name: string) => Number.parseFloat(cells[column.get(name)!]!);
  return new Map(
    lines.map((line) => {
      const cells = line.split('\t');
      const figures: LoudgainLine = {
        loudness: field(cells, 'Loudness'),
        reference: field(cells, 'Reference'),
        gain: field(cells, 'Gain'),
        truePeak: field(cells, 'True_Peak'),
      };
      return [cells[0]!, figures];
    }),
  );
}

interface SleeveFile {
  readonly path: string;
  readonly duration: number;
  readonly status: string | null;
  readonly integrated: number | null;
  readonly truePeak: number | null;
  readonly albumArtist: string | null;
  readonly album: string | null;
  readonly albumIntegrated: number | null;
  readonly albumPeak: number | null;
  readonly albumTracks: number | null;
}

function sleeveFiles(home: string): Map<string, SleeveFile> {
  const db = openReader(join(home, 'library.db'));
  try {
    const rows = db
      .prepare(
        `SELECT f.path, f.duration, l.status, l.integrated, l.true_peak AS truePeak, a.artist AS albumArtist,
           a.album, a.integrated AS albumIntegrated, a.peak AS albumPeak, a.tracks AS albumTracks
         FROM files f LEFT JOIN loudness l ON l.file_id = f.id LEFT JOIN album_loudness a ON a.file_id = f.id`,
      )
      .all() as SleeveFile[];
    return new Map(rows.map((r) => [r.path, r]));
  } finally {
    db.close();
  }
}

/** The files in `n` lists of about equal audio, longest first each to the shortest list: loudgain's
 *  processes get static shares, where Sleeve's workers take the next file as they finish one. */
function balanced(files: readonly string[], duration: (file: string) => number, n: number): string[][] {
  const lists = Array.from({ length: n }, () => ({ seconds: 0, files: [] as string[] }));
  for (const f of [...files].sort((a, b) => duration(b) - duration(a))) {
    const least = lists.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    least.files.push(f);
    least.seconds += duration(f);
  }
  return lists.map((l) => l.files);
}

/** `items` through `run`, `n` at a time. */
async function inParallel<T, R>(items: readonly T[], n: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: n }, lane));
  return out;
}

// Output: one row per measure, as bench/scan.ts prints them.
const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const mb = (v: number) => `${v.toFixed(0)} MB`;
function row(label: string, time: string, perSecond = '', rss = '', note = ''): void {
  console.log(
    `  ${label.padEnd(66)} ${time.padStart(9)}  ${perSecond.padEnd(14)} ${rss.padStart(7)}  ${note}`.trimEnd(),
  );
}

const dbDiff = (a: number, b: number) => Math.abs(20 * Math.log10(a / b));

/** Per format, the largest differences; what exceeds LIMIT_DB, said file by file. The failures. */
function accuracy(
  root: string,
  ours: ReadonlyMap<string, SleeveFile>,
  tracks: ReadonlyMap<string, LoudgainLine>,
  albums: ReadonlyMap<Format, LoudgainLine>,
): string[] {
  const failures: string[] = [];
  const check = (what: string, diff: number, detail: string) => {
    if (!(diff <= LIMIT_DB)) failures.push(`${what}: ${diff.toFixed(3)} dB (${detail})`);
    return diff;
  };
  const f3 = (v: number) => v.toFixed(3);
  console.log(
    `\n  ${'format'.padEnd(7)} ${'files'.padStart(5)}  ${'track gain'.padStart(11)}  ${'true peak'.padStart(10)}  ${'album gain'.padStart(11)}  ${'album peak'.padStart(11)}  largest |Δ| against loudgain, dB`,
  );
  for (const format of FORMAT_NAMES) {
    const folder = join(root, format);
    const files = readdirSync(folder).map((name) => join(folder, name));
    let gainMax = 0;
    let peakMax = 0;
    for (const path of files) {
      const o = ours.get(path);
      const l = tracks.get(path);
      if (o?.status !== 'ok' || o.integrated === null || o.truePeak === null || !l) {
        failures.push(
          `${path}: not measured (Sleeve: ${o?.status ?? 'no row'}; loudgain: ${l ? 'ok' : 'no line'})`,
        );
        continue;
      }
      // Sleeve's gain toward loudgain's reference: for Opus (−23 LUFS) the difference is the loudness's.
      const gain = l.reference - o.integrated;
      gainMax = Math.max(
        gainMax,
        check(`${path} track gain`, Math.abs(gain - l.gain), `Sleeve ${f3(gain)}, loudgain ${l.gain}`),
      );
      peakMax = Math.max(
        peakMax,
        check(
          `${path} true peak`,
          dbDiff(o.truePeak, l.truePeak),
          `Sleeve ${o.truePeak.toFixed(6)}, loudgain ${l.truePeak}`,
        ),
      );
    }
    // Every file of the folder on one album, the folder's, with all of them counted.
    const album = albums.get(format)!;
    const first = ours.get(files[0]!);
    const one = files.every((p) => {
      const o = ours.get(p);
      return (
        o?.album === albumOf(format) &&
        o.albumArtist === ALBUM_ARTIST &&
        o.albumTracks === files.length &&
        o.albumIntegrated === first?.albumIntegrated &&
        o.albumPeak === first?.albumPeak
      );
    });
    let albumGain = Number.NaN;
    let albumPeak = Number.NaN;
    if (!one || first?.albumIntegrated == null || first.albumPeak == null)
      failures.push(`${folder}: Sleeve's album figures are not one album of its ${files.length} files`);
    else {
      const gain = album.reference - first.albumIntegrated;
      albumGain = check(
        `${folder} album gain`,
        Math.abs(gain - album.gain),
        `Sleeve ${f3(gain)}, loudgain ${album.gain}`,
      );
      albumPeak = check(
        `${folder} album peak`,
        dbDiff(first.albumPeak, album.truePeak),
        `Sleeve ${first.albumPeak.toFixed(6)}, loudgain ${album.truePeak}`,
      );
    }
    console.log(
      `  ${format.padEnd(7)} ${String(files.length).padStart(5)}  ${f3(gainMax).padStart(11)}  ${f3(peakMax).padStart(10)}  ${f3(albumGain).padStart(11)}  ${f3(albumPeak).padStart(11)}`,
    );
  }
  return failures;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      /** Tracks per format (the package has 41). */
      tracks: { type: 'string', default: '12' },
      /** Sleeve's workers, and loudgain's processes. */
      workers: { type: 'string', default: '2' },
    },
  });
  const n = Number(values.workers);
  const root = formatLibrary(Number(values.tracks));
  const folders = FORMAT_NAMES.map((format) => join(root, format));
  const files = folders.flatMap((folder) => readdirSync(folder).map((name) => join(folder, name)));
  const peer = execFileSync('loudgain', ['--version']).toString().split('\n').slice(0, 2).join(' ');
  console.log(`loudness benchmark on ${machine()}, ${new Date().toISOString()}`);
  console.log(`peer: ${peer.replace(/\s+/g, ' ').replace(' - using:', ',')}`);

  const home = join(benchTempDir('sleeve-bench-loudness-'), 'home');
  const scan = (extra: readonly string[]) =>
    measure(process.execPath, [
      CLI,
      '--home',
      home,
      'scan',
      '--json',
      '--workers',
      String(n),
      ...extra,
      ...folders,
    ]);
  warm(root);
  const read = await scan(['--no-fingerprint', '--no-embeddings', '--no-loudness']);
  const duration = new Map([...sleeveFiles(home)].map(([path, f]) => [path, f.duration]));
  if (duration.size !== files.length)
    throw new Error(`the scan read ${duration.size} of ${files.length} files`);
  const audio = [...duration.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${files.length} files: ${values.tracks} tracks of Wesnoth's music (Debian's wesnoth-1.16-music) in each of ${FORMAT_NAMES.join(', ')}, one album folder each; ${(audio / 3600).toFixed(1)} h of audio; page cache warmed before each run`,
  );
  console.log(
    `\n  ${'phase'.padEnd(66)} ${'wall'.padStart(9)}  ${'files/s'.padEnd(14)} ${'peak RSS'.padStart(7)}`,
  );
  row(
    'read: sleeve scan --no-fingerprint --no-embeddings --no-loudness',
    s(read.seconds),
    '',
    mb(read.peakRssMb),
    'a new library; not set against the peer',
  );

  warm(root);
  const ours = await scan(['--no-fingerprint', '--no-embeddings']);
  const analysis = (
    JSON.parse(ours.stdout) as { analysis: { measured: number; errors: number; seconds: number } }
  ).analysis;
  row(
    `Sleeve: the scan's analysis, loudness only, ${n} workers`,
    s(analysis.seconds),
    `${(files.length / analysis.seconds).toFixed(2)} files/s`,
    mb(ours.phaseRssMb.analyse ?? 0),
    `${analysis.measured} measured, ${analysis.errors} failed`,
  );
  row(
    '  the whole command (start-up, album figures, exit too)',
    s(ours.seconds),
    `${(files.length / ours.seconds).toFixed(2)} files/s`,
    mb(ours.peakRssMb),
    `${loadText(ours.load)}; memory with its worker processes'`,
  );

  warm(root);
  const meter = loadMeter();
  const started = performance.now();
  const shares = balanced(files, (f) => duration.get(f)!, n);
  const runs: Measured[] = await Promise.all(
    shares.map((share) => measure('loudgain', ['-O', '-q', ...share])),
  );
  const peerSeconds = (performance.now() - started) / 1000;
  row(
    `loudgain -O -q, ${n} processes at once (shares of equal audio)`,
    s(peerSeconds),
    `${(files.length / peerSeconds).toFixed(2)} files/s`,
    mb(Math.max(...runs.map((r) => r.peakRssMb))),
    `${loadText(meter())}; each: ${runs.map((r) => `${s(r.seconds)}, ${mb(r.peakRssMb)}`).join('; ')}`,
  );
  const ratio = peerSeconds / analysis.seconds;
  row(
    "Sleeve's analysis / loudgain",
    `${ratio.toFixed(2)}×`,
    'the speed',
    '',
    `goal ≥ 1.0×: ${ratio >= 1 ? 'met' : 'NOT met'}; whole command ${(peerSeconds / ours.seconds).toFixed(2)}×`,
  );

  // Album figures need each folder in one loudgain process (-a); untimed, the timed runs have no -a.
  const tracks = new Map(runs.flatMap((r) => [...parseLoudgain(r.stdout)]));
  const albumRuns = await inParallel(folders, n, (folder) =>
    measure('loudgain', ['-a', '-O', '-q', ...readdirSync(folder).map((name) => join(folder, name))]),
  );
  const albums = new Map(
    FORMAT_NAMES.map((format, i) => [format, parseLoudgain(albumRuns[i]!.stdout).get('Album')!]),
  );
  console.log(
    `\nAccuracy (limit ${LIMIT_DB} dB): track gain and true peak per file from the timed loudgain runs above; album gain and peak per folder from separate \`loudgain -a -O -q FOLDER/*\` runs (untimed). Gains at loudgain's reference: −18 LUFS, −23 for Opus; loudgain prints them to 0.01 dB.`,
  );
  const failures = accuracy(root, sleeveFiles(home), tracks, albums);
  if (failures.length > 0) {
    console.error(
      `\nFAILED: ${failures.length} difference(s) over ${LIMIT_DB} dB:\n  ${failures.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else console.log(`\nEvery difference within ${LIMIT_DB} dB.`);
}

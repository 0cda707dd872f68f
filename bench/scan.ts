// Scan benchmark: every phase of `sleeve scan` with its own wall time and peak memory, labelled for what
// it runs, and each comparison against a peer doing the same work in the same run:
// - process start-up: `sleeve --version`, and a scan of an empty folder into a new library;
// - reading tags (walk, read, write the library): `sleeve scan --no-fingerprint --no-embeddings
//   --no-loudness` against beets' `beet import -A`, which reads tags and nothing more, on albums of
//   real-length files (10 a folder, 3 minutes each), cold (page cache dropped, when root) and warm (the
//   best of 3 runs each), with the bytes each read from disk;
// - fingerprinting (the analysis phase of `sleeve scan --no-embeddings --no-loudness`) against fpcalc over
//   the same files at the same parallelism (2 workers, 2 processes);
// - the whole default pipeline phase by phase (reading tags, one decode for fingerprints, embeddings and
//   loudness, grouping by recording, the similarity table), and each phase's peak memory at 100k files.
//   (Loudness against loudgain: `npm run bench -- loudness`.)
// Sleeve runs as the installed `sleeve` command does (the script through its #! line), beets as `beet`.
// Beside each run: how busy the rest of the machine was (other processes, the hypervisor's steal).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeWav } from '../tests/fixtures/library.ts';
import { albumLibrary, PER_ALBUM, primerFolder, ROOT, run, TRACK_SECONDS } from './album-library.ts';
import {
  diskReadBytes,
  dropCaches,
  fpcalcAll,
  loadMeter,
  loadText,
  type Measured,
  machine,
  measure,
  warm,
} from './measure.ts';
import { musicLibrary } from './music-library.ts';

const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');
/** `sleeve` run as the installed command runs: the script itself through its #! line (which gives Node the
 *  scan's flags), with this Node first on PATH. */
const SLEEVE_ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
const sleeve = (args: readonly string[]) => measure(CLI, args, SLEEVE_ENV);
const MUSIC_TRACKS = 41;
const RSS_GOAL_MB = 300; // the foundation's goal for a scan of 100k files
const TAGS_ONLY = ['--no-fingerprint', '--no-embeddings', '--no-loudness'];

/** N copies of one tiny MP3 in folders of 100 (a stress test for walking and memory, not for tags). */
function tinyLibrary(n: number): string {
  const dir = join(ROOT, `tiny-${n}`);
  if (existsSync(dir)) return dir;
  const work = join(ROOT, 'work');
  mkdirSync(work, { recursive: true });
  makeWav(join(work, 'tiny.wav'), 660, 0.1, 8000, 1);
  run('lame', ['--quiet', '-b', '8', '--tt', 'Tiny', join(work, 'tiny.wav'), join(work, 'tiny.mp3')]);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  console.log(`generating ${n} tiny files…`);
  for (let i = 0; i < n; i++) {
    const folder = join(tmp, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    copyFileSync(join(work, 'tiny.mp3'), join(folder, `${i}.mp3`));
  }
  renameSync(tmp, dir);
  return dir;
}

interface ScanJson {
  added: number;
  unchanged: number;
  errors: number;
  /** What reading the files took of them, per file read. */
  bytesReadPerFile: number;
  /** The scan phase: walk, read tags, write the library. */
  seconds: number;
  analysis?: { fingerprinted: number; embedded: number; errors: number; seconds: number };
  grouping?: { grouped: number; seconds: number };
  similarity?: { rows: number; seconds: number };
}

type ScanRun = Measured & { summary: ScanJson };

async function sleeveScan(home: string, dir: string, extra: readonly string[] = []): Promise<ScanRun> {
  const m = await sleeve(['--home', home, 'scan', '--workers', '2', ...extra, dir, '--json']);
  return { ...m, summary: JSON.parse(m.stdout) as ScanJson };
}

/** A fresh library folder for one scan (removed first, and again by `cleanUp`). */
const homes: string[] = [];
function freshHome(name: string): string {
  const path = join(tmpdir(), `sleeve-bench-${name}-${process.pid}`);
  rmSync(path, { recursive: true, force: true });
  homes.push(path);
  return path;
}
const cleanUp = () => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
};

/** The fastest of three runs: the start-up every command pays, or a warm run, without machine noise. */
async function bestOf3<M extends Measured>(once: () => Promise<M>): Promise<M> {
  let best: M | undefined;
  for (let i = 0; i < 3; i++) {
    const m = await once();
    if (!best || m.seconds < best.seconds) best = m;
  }
  return best!;
}

/** A new beets library (config and database) in a folder of its own: its environment, and the folder. */
function beetsLibrary(): { env: NodeJS.ProcessEnv; beetsDir: string } {
  const beetsDir = join(tmpdir(), `sleeve-bench-beets-${process.pid}`);
  rmSync(beetsDir, { recursive: true, force: true });
  mkdirSync(beetsDir, { recursive: true });
  // Offline: no plugins, autotag off (no MusicBrainz lookups), no copy or write.
  writeFileSync(
    join(beetsDir, 'config.yaml'),
    `directory: ${join(beetsDir, 'lib')}\nlibrary: ${join(beetsDir, 'library.db')}\nplugins: []\nimport:\n  copy: no\n  write: no\n  autotag: no\n  log: null\n`,
  );
  return { env: { ...process.env, BEETSDIR: beetsDir }, beetsDir };
}

/** Each tool once over two files of another folder: what a cold run needs of its own code (its readers,
 *  its threads' modules) comes back into the cache, the library measured does not. */
function primeTools(primer: string, withBeets: boolean): void {
  execFileSync(CLI, ['--home', freshHome('prime'), 'scan', ...TAGS_ONLY, primer], {
    stdio: 'ignore',
    env: SLEEVE_ENV,
  });
  if (!withBeets) return;
  const { env, beetsDir } = beetsLibrary();
  execFileSync('beet', ['import', '-A', '-q', primer], { env, stdio: 'ignore' });
  rmSync(beetsDir, { recursive: true, force: true });
}

async function beetsImport(dir: string) {
  const { env, beetsDir } = beetsLibrary();
  const m = await measure('beet', ['import', '-A', '-q', dir], env);
  const count = execFileSync('beet', ['ls', '-f', '$id'], { env }).toString().trim().split('\n').length;
  const version = /beets version (\S+)/.exec(execFileSync('beet', ['version'], { env }).toString())?.[1];
  rmSync(beetsDir, { recursive: true, force: true });
  return { ...m, count, version };
}

// Output: one row per measure, with time, rate, peak RSS and the other load on the machine.
const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const rate = (n: number, seconds: number) => `${(n / seconds).toFixed(0)} files/s`;
const mb = (v: number | undefined) => (v === undefined ? '' : `${v.toFixed(0)} MB`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
function row(label: string, time: string, perSecond = '', rss = '', note = ''): void {
  console.log(
    `  ${label.padEnd(50)} ${time.padStart(9)}  ${perSecond.padEnd(13)} ${rss.padStart(7)}  ${note}`.trimEnd(),
  );
}
const maxOf = (...v: Array<number | undefined>) => {
  const known = v.filter((x) => x !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
};

/**
 * Every phase of one `sleeve scan` process, with its own time and sampled peak RSS; what is outside the
 * phases (start-up, opening the library, taking the scan lock, exit) is the whole run less the phases.
 * A phase's RSS includes what earlier phases of the process left resident (freed memory is not always
 * returned), so a later phase's figure is an upper bound of its own need.
 */
function phases(m: ScanRun, files: number, analysisLabel: string, goal = false): void {
  const { summary: j, phaseRssMb: rss } = m;
  const verdict = (v: number | undefined) =>
    !goal || v === undefined ? '' : v <= RSS_GOAL_MB ? 'goal met' : 'goal NOT met';
  const inPhases =
    j.seconds + (j.analysis?.seconds ?? 0) + (j.grouping?.seconds ?? 0) + (j.similarity?.seconds ?? 0);
  const start = rss['start-up'];
  row(
    'outside the phases: start-up, open library, exit',
    s(m.seconds - inPhases),
    '',
    mb(start),
    [verdict(start), 'RSS: until the first progress line'].filter(Boolean).join('; '),
  );
  const scanRss = maxOf(rss.walk, rss.read);
  if (j.unchanged === files)
    row('rescan: walk, nothing changed', s(j.seconds), '', mb(scanRss), verdict(scanRss));
  else
    row(
      'reading tags: walk, read, write',
      s(j.seconds),
      rate(files, j.seconds),
      mb(scanRss),
      verdict(scanRss),
    );
  if (j.analysis) {
    const { fingerprinted, embedded, errors } = j.analysis;
    const done = Math.max(fingerprinted, embedded);
    const note = `${fingerprinted} fingerprinted, ${embedded} embedded, ${errors} failed`;
    const v = verdict(rss.analyse);
    row(
      analysisLabel,
      s(j.analysis.seconds),
      done > 0 ? rate(done, j.analysis.seconds) : '',
      mb(rss.analyse),
      v ? `${v}; ${note}` : note,
    );
  }
  if (j.grouping) row('grouping by recording', s(j.grouping.seconds), '', mb(rss.group), verdict(rss.group));
  else if (j.analysis && j.analysis.fingerprinted > 0)
    row('grouping by recording', '–', '', '', 'not needed');
  if (j.similarity) {
    const v = verdict(rss.index);
    const note = `${j.similarity.rows} rows`;
    row('similarity table (LanceDB)', s(j.similarity.seconds), '', mb(rss.index), v ? `${v}; ${note}` : note);
  }
  const v = verdict(m.peakRssMb);
  const note = `peak = the kernel's high-water mark, or higher with the worker processes' memory; ${loadText(m.load)}`;
  row('whole process', s(m.seconds), '', mb(m.peakRssMb), v ? `${v}; ${note}` : note);
}

/** Sections 1–4: start-up, tags against beets, fingerprints against fpcalc, the whole pipeline. */
async function comparisons(n: number, withBeets: boolean): Promise<void> {
  // 1. What every scan pays before any file: the process, and a new library.
  console.log('\nProcess start-up (best of 3):');
  const version = await bestOf3(() => sleeve(['--version']));
  row('sleeve --version', s(version.seconds), '', mb(version.peakRssMb));
  const empty = join(tmpdir(), `sleeve-bench-empty-${process.pid}`);
  mkdirSync(empty, { recursive: true });
  homes.push(empty);
  const emptyScan = await bestOf3(() => sleeveScan(freshHome('empty-home'), empty, TAGS_ONLY));
  row(
    'sleeve scan --no-fingerprint --no-embeddings --no-loudness EMPTY',
    s(emptyScan.seconds),
    '',
    mb(emptyScan.peakRssMb),
    'an empty folder into a new library',
  );

  // 2. Tags only, the same work as beets, on albums of real-length files: cold, then warm.
  const dir = albumLibrary(n);
  const primer = primerFolder();
  const gb = Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0]) / 1e9;
  console.log(
    `\nTags only: ${n} tagged files in albums of ${PER_ALBUM} (FLAC and MP3 albums, ${TRACK_SECONDS / 60} min each, ${gb.toFixed(1)} GB); the same work as beets:`,
  );
  for (const cache of ['cold', 'warm'] as const) {
    // Each tool starts from the same page cache: emptied (its own code read back by a run on nothing),
    // or holding the whole library.
    const ready = () => {
      if (cache === 'cold') return dropCaches(() => primeTools(primer, withBeets));
      warm(dir);
      return true;
    };
    if (!ready()) {
      console.log('  cold: not measured (emptying the page cache needs root)');
      continue;
    }
    // Cold once (each run needs the cache emptied), warm the best of 3, each into a new library.
    const runs = cache === 'cold' ? 1 : 3;
    const when = cache === 'cold' ? 'cold' : 'warm, best of 3';
    const before = diskReadBytes();
    const intoNewHome = async () => {
      const home = freshHome(`tags-${cache}`);
      return { ...(await sleeveScan(home, dir, TAGS_ONLY)), home };
    };
    const tags = cache === 'cold' ? await intoNewHome() : await bestOf3(intoNewHome);
    const ours = (diskReadBytes() - before) / (n * runs);
    if (tags.summary.added !== n) throw new Error(`unexpected scan results: ${tags.stdout}`);
    console.log(`sleeve scan --no-fingerprint --no-embeddings --no-loudness, empty library, ${when}:`);
    row(
      'whole process',
      s(tags.seconds),
      rate(n, tags.seconds),
      mb(tags.peakRssMb),
      `${kib(ours)} from disk a file (its reads: ${kib(tags.summary.bytesReadPerFile)})`,
    );
    phases(tags, n, '');
    if (cache === 'warm') {
      const rescan = await sleeveScan(tags.home, dir, TAGS_ONLY);
      if (rescan.summary.unchanged !== n) throw new Error(`unexpected rescan: ${rescan.stdout}`);
      console.log('the same again, nothing changed:');
      phases(rescan, n, '');
    }
    if (!withBeets || !ready()) continue;
    const beforeBeets = diskReadBytes();
    const beets = cache === 'cold' ? await beetsImport(dir) : await bestOf3(() => beetsImport(dir));
    const theirs = (diskReadBytes() - beforeBeets) / (n * runs);
    if (beets.count !== n) throw new Error(`beets imported ${beets.count} of ${n} files`);
    row(
      `beet import -A -q (beets ${beets.version}), ${when}`,
      s(beets.seconds),
      rate(n, beets.seconds),
      mb(beets.peakRssMb),
      `${kib(theirs)} from disk a file; ${loadText(beets.load)}`,
    );
    row(
      `Sleeve / beets, whole processes, ${cache}`,
      `${(beets.seconds / tags.seconds).toFixed(2)}× faster`,
      '',
      '',
      cache === 'cold' ? `from disk: ${(ours / theirs).toFixed(2)}× beets' bytes` : '',
    );
  }

  // 3. Fingerprints need real music: 1 s files are too short to fingerprint or embed.
  const music = musicLibrary(MUSIC_TRACKS);
  warm(music);
  const tracks = readdirSync(music).map((name) => join(music, name));
  console.log(
    `\nFingerprints: ${tracks.length} real tracks (Wesnoth's music: Ogg Vorbis, FLAC and MP3 transcodes, 2–6 min each; both tools fingerprint the first 120 s):`,
  );
  console.log('sleeve scan --no-embeddings --no-loudness, empty library:');
  const fp = await sleeveScan(freshHome('fp'), music, ['--no-embeddings', '--no-loudness']);
  const fpAnalysis = fp.summary.analysis!;
  if (fpAnalysis.fingerprinted !== tracks.length) throw new Error(`fingerprinted ${fp.stdout}`);
  phases(fp, tracks.length, 'fingerprinting: decode, Chromaprint');
  const meter = loadMeter();
  const fpcalc = await fpcalcAll(tracks, 2);
  const fpcalcLoad = meter();
  row(
    'fpcalc, 2 processes at a time (each start-up in)',
    s(fpcalc),
    rate(tracks.length, fpcalc),
    '',
    loadText(fpcalcLoad),
  );
  row("Sleeve's fingerprinting phase / fpcalc", `${(fpcalc / fpAnalysis.seconds).toFixed(2)}× the speed`);

  // 4. The default pipeline, phase by phase.
  console.log(
    `\nThe whole default pipeline (\`sleeve scan\`), the same ${tracks.length} tracks, empty library:`,
  );
  const full = await sleeveScan(freshHome('full'), music);
  phases(full, tracks.length, 'one decode: fingerprints, embeddings and loudness');
  cleanUp();
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '400' },
      tiny: { type: 'string', default: '100000' },
      'no-beets': { type: 'boolean', default: false },
      /** Only the memory at scale (section 5): the tiny files' three scans. */
      'memory-only': { type: 'boolean', default: false },
    },
  });
  const n = Number(values.files);
  const tiny = Number(values.tiny);
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  console.log(`scan benchmark on ${machine()}, Linux ${kernel}, ${new Date().toISOString()}`);
  console.log(
    "Sleeve runs with 2 workers; times are wall-clock; peak memory sampled every 20 ms from /proc: the process's resident set plus its worker processes' own (anonymous) memory, never less than its high-water RSS.",
  );
  try {
    if (!values['memory-only']) await comparisons(n, !values['no-beets']);
    // 5. Memory at scale: each phase's peak against the foundation's goal.
    if (tiny > 0) {
      const tinyDir = tinyLibrary(tiny);
      warm(tinyDir);
      const big = freshHome('tiny');
      console.log(
        `\n${tiny} tiny MP3 files (0.1 s each, folders of 100), peak RSS of each phase (goal ≤ ${RSS_GOAL_MB} MB):`,
      );
      console.log(
        'reading tags (sleeve scan --no-fingerprint --no-embeddings --no-loudness, empty library):',
      );
      const t = await sleeveScan(big, tinyDir, TAGS_ONLY);
      if (t.summary.added !== tiny) throw new Error(`unexpected large scan: ${t.stdout}`);
      phases(t, tiny, '', true);
      console.log('rescan, nothing changed:');
      phases(await sleeveScan(big, tinyDir, TAGS_ONLY), tiny, '', true);
      console.log('the default scan over that library (analysis with loudness, grouping, similarity table):');
      phases(await sleeveScan(big, tinyDir), tiny, 'one decode: fingerprints, embeddings and loudness', true);
    }
  } finally {
    cleanUp();
  }
}

// Scan benchmark, each phase timed on its own and compared like with like in the same run: reading tags
// (`sleeve scan --no-fingerprint --no-embeddings`) against beets' `beet import -A`, which reads tags and
// nothing more; fingerprinting against fpcalc at the same parallelism; then the whole default pipeline
// phase by phase, and the peak memory of each phase on a large library of tiny files.
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
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeWav } from '../tests/fixtures/library.ts';
import { fpcalcAll, machine, measure } from './measure.ts';
import { musicLibrary } from './music-library.ts';

const ROOT = join(process.cwd(), '.cache', 'bench');
const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');
const TAGGED_COPIES = new URL('./fixtures/tagged-copies.py', import.meta.url).pathname;
const MUSIC_TRACKS = 41;

function run(cmd: string, args: readonly string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** N tagged files (half FLAC, half MP3), generated once and cached. */
function taggedLibrary(n: number): string {
  const dir = join(ROOT, `tagged-${n}`);
  if (existsSync(dir)) return dir;
  const work = join(ROOT, 'work');
  mkdirSync(work, { recursive: true });
  makeWav(join(work, 'base.wav'), 440, 1);
  run('flac', ['-s', '-f', '-o', join(work, 'base.flac'), join(work, 'base.wav')]);
  run('lame', ['--quiet', '-b', '128', join(work, 'base.wav'), join(work, 'base.mp3')]);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  console.log(`generating ${n} tagged files…`);
  run('/usr/bin/python3', [TAGGED_COPIES, join(work, 'base.flac'), join(work, 'base.mp3'), tmp, String(n)]);
  renameSync(tmp, dir);
  return dir;
}

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

/** Reads every file once so both tools start from a warm page cache. */
function warm(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) readFileSync(join(e.parentPath, e.name));
  }
}

interface ScanJson {
  added: number;
  unchanged: number;
  errors: number;
  seconds: number;
  analysis?: { fingerprinted: number; embedded: number; seconds: number };
  grouping?: { grouped: number; seconds: number };
  similarity?: { rows: number; seconds: number };
}

async function sleeveScan(home: string, dir: string, extra: readonly string[] = []) {
  const m = await measure(process.execPath, [
    CLI,
    '--home',
    home,
    'scan',
    '--workers',
    '2',
    ...extra,
    dir,
    '--json',
  ]);
  return { ...m, summary: JSON.parse(m.stdout) as ScanJson };
}

/** The fastest of three `sleeve --version` runs: what every CLI command pays before any work. */
async function startUp(): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++)
    best = Math.min(best, (await measure(process.execPath, [CLI, '--version'])).seconds);
  return best;
}

async function beetsImport(dir: string) {
  const beetsDir = join(tmpdir(), `sleeve-bench-beets-${process.pid}`);
  rmSync(beetsDir, { recursive: true, force: true });
  mkdirSync(beetsDir, { recursive: true });
  writeFileSync(
    join(beetsDir, 'config.yaml'),
    `directory: ${join(beetsDir, 'lib')}\nlibrary: ${join(beetsDir, 'library.db')}\nplugins: []\nimport:\n  copy: no\n  write: no\n  autotag: no\n  log: null\n`,
  );
  const m = await measure('beet', ['import', '-A', '-q', dir], { ...process.env, BEETSDIR: beetsDir });
  const count = execFileSync('beet', ['ls', '-f', '$id'], { env: { ...process.env, BEETSDIR: beetsDir } })
    .toString()
    .trim()
    .split('\n').length;
  rmSync(beetsDir, { recursive: true, force: true });
  return { ...m, count };
}

const row = (label: string, text: string) => console.log(`  ${label.padEnd(44)} ${text}`);
const rate = (n: number, seconds: number) => `${(n / seconds).toFixed(0)} files/s`;
const mb = (m: { peakRssMb: number }) => `peak RSS ${m.peakRssMb.toFixed(0)} MB`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '2000' },
      tiny: { type: 'string', default: '100000' },
      'no-beets': { type: 'boolean', default: false },
    },
  });
  const n = Number(values.files);
  const tiny = Number(values.tiny);
  console.log(`scan benchmark on ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
  const dir = taggedLibrary(n);
  warm(dir);
  const home = (name: string) => {
    const path = join(tmpdir(), `sleeve-bench-${name}-${process.pid}`);
    rmSync(path, { recursive: true, force: true });
    return path;
  };
  const start = await startUp();
  console.log(`\n${n} small tagged files (half FLAC, half MP3, 1 s each), warm page cache; 2 workers:`);
  row('process start-up (sleeve --version)', `${start.toFixed(2)} s`);

  console.log('\nTags only — the same work as beets (walk, read tags, write the library):');
  const tagsHome = home('tags');
  const tags = await sleeveScan(tagsHome, dir, ['--no-fingerprint', '--no-embeddings']);
  if (tags.summary.added !== n) throw new Error(`unexpected scan results: ${tags.stdout}`);
  row(
    'sleeve scan --no-fingerprint --no-embeddings',
    `${tags.seconds.toFixed(2)} s  ${rate(n, tags.seconds)}  ${mb(tags)}`,
  );
  row(
    '  of which reading tags (the scan phase)',
    `${tags.summary.seconds.toFixed(2)} s  ${rate(n, tags.summary.seconds)}`,
  );
  const rescan = await sleeveScan(tagsHome, dir, ['--no-fingerprint', '--no-embeddings']);
  if (rescan.summary.unchanged !== n) throw new Error(`unexpected rescan: ${rescan.stdout}`);
  row('  the same again, nothing changed', `${rescan.seconds.toFixed(3)} s  ${mb(rescan)}`);
  if (!values['no-beets']) {
    const beets = await beetsImport(dir);
    if (beets.count !== n) throw new Error(`beets imported ${beets.count} of ${n} files`);
    row('beet import -A -q', `${beets.seconds.toFixed(2)} s  ${rate(n, beets.seconds)}  ${mb(beets)}`);
    row('sleeve / beets (wall time, tags only)', `${(beets.seconds / tags.seconds).toFixed(1)}× faster`);
  }

  // Fingerprints and embeddings need real music: 1 s files are too short for either.
  const music = musicLibrary(MUSIC_TRACKS);
  warm(music);
  console.log(
    `\n${MUSIC_TRACKS} real tracks (Wesnoth's music: Ogg Vorbis, FLAC and MP3 transcodes, 2–6 min each):`,
  );
  console.log("Fingerprints — Sleeve's decode + Chromaprint against fpcalc, 2 at a time:");
  const fp = await sleeveScan(home('fp'), music, ['--no-embeddings']);
  const fpAnalysis = fp.summary.analysis!;
  row('sleeve scan --no-embeddings, whole run', `${fp.seconds.toFixed(2)} s  ${mb(fp)}`);
  row(
    '  fingerprinting (the analysis phase)',
    `${fpAnalysis.seconds.toFixed(2)} s  ${rate(fpAnalysis.fingerprinted, fpAnalysis.seconds)}`,
  );
  row('  grouping by recording', `${fp.summary.grouping?.seconds.toFixed(2) ?? '– (nothing to group)'} s`);
  const tracks = readdirSync(music).map((name) => join(music, name));
  const fpcalc = await fpcalcAll(tracks, 2);
  row('fpcalc, 2 processes', `${fpcalc.toFixed(2)} s  ${rate(tracks.length, fpcalc)}`);
  row('sleeve fingerprinting / fpcalc', `${(fpcalc / fpAnalysis.seconds).toFixed(2)}× the speed`);

  console.log('\nThe whole pipeline (what `sleeve scan` does by default), every phase on its own:');
  const full = await sleeveScan(home('full'), music);
  const f = full.summary;
  row('sleeve scan, whole run', `${full.seconds.toFixed(2)} s  ${mb(full)}`);
  row('  process start-up', `${start.toFixed(2)} s`);
  row('  reading tags', `${f.seconds.toFixed(2)} s`);
  row(
    '  decoding once: fingerprints + embeddings',
    `${f.analysis!.seconds.toFixed(2)} s  (${f.analysis!.fingerprinted} fingerprinted, ${f.analysis!.embedded} embedded)`,
  );
  row('  grouping by recording', `${f.grouping?.seconds.toFixed(2) ?? '–'} s`);
  row('  similarity table', `${f.similarity?.seconds.toFixed(2) ?? '–'} s`);
  for (const name of ['tags', 'fp', 'full'])
    rmSync(join(tmpdir(), `sleeve-bench-${name}-${process.pid}`), { recursive: true, force: true });

  if (tiny > 0) {
    const tinyDir = tinyLibrary(tiny);
    warm(tinyDir);
    const big = home('tiny');
    console.log(`\n${tiny} tiny MP3 files (0.1 s each), peak RSS of each phase (goal: ≤ 300 MB):`);
    const t = await sleeveScan(big, tinyDir, ['--no-fingerprint', '--no-embeddings']);
    if (t.summary.added !== tiny) throw new Error(`unexpected large scan: ${t.stdout}`);
    row('reading tags (empty library)', `${t.seconds.toFixed(1)} s  ${rate(tiny, t.seconds)}  ${mb(t)}`);
    const again = await sleeveScan(big, tinyDir, ['--no-fingerprint', '--no-embeddings']);
    row('rescan, nothing changed', `${again.seconds.toFixed(2)} s  ${mb(again)}`);
    const analysed = await sleeveScan(big, tinyDir);
    const a = analysed.summary;
    row('fingerprints, grouping, similarity table', `${analysed.seconds.toFixed(1)} s  ${mb(analysed)}`);
    row('  decoding once: fingerprints + embeddings', `${a.analysis?.seconds.toFixed(1) ?? '–'} s`);
    row('  grouping by recording', `${a.grouping?.seconds.toFixed(1) ?? '–'} s`);
    row('  similarity table', `${a.similarity?.seconds.toFixed(1) ?? '–'} s`);
    rmSync(big, { recursive: true, force: true });
  }
}

// npm run bench -- watch [--landings N] [--folders F] [--files-per-folder K] [--idle-seconds S]
// 1. Landing → listed, grouped, mounted: real music (Debian's game music) lands complete (renamed in from a
//    staging folder on the same disk) in a library folder that is mounted. Measured three ways in the
//    same run, on the same files: `sleeve watch` told by inotify (settle time 1 s, the default); `sleeve
//    watch --poll` looking every 5 s (the fallback on NFS/SMB); and the user running `sleeve scan` the
//    moment the file lands (what Sleeve offered before watching). Each time is from the rename to the file
//    being listed in the database, grouped by recording (its recording_members row), and served by the
//    mount (its path there exists).
// 2. Idle: a library of F folders × K files (tiny WAVs, scanned first), watched with nothing changing.
//    CPU and resident memory of `sleeve watch` over S seconds after it settled, against Node's own
//    recursive fs.watch on the same tree (which on Linux watches every file) and an idle Node process.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { cpuSecondsOf, machine, percentile } from './measure.ts';
import { musicLibrary } from './music-library.ts';
import { benchTempDir } from './temp-dir.ts';

const CLI = new URL('../app/cli/sleeve.js', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sleeve(home: string, args: string[]): string {
  return execFileSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8', stdio: 'pipe' });
}

/** A `sleeve …` that keeps running (watch), stopped with SIGINT. */
function background(home: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, '--home', home, ...args], { stdio: 'ignore' });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

interface Landing {
  listed: number;
  grouped: number;
  mounted: number;
}

/** Polls the library (read-only) and the mount every 10 ms until the file is listed, grouped and served. */
async function follow(
  home: string,
  mnt: string,
  path: string,
  landed: number,
  timeoutMs: number,
): Promise<Landing> {
  const db = new Database(join(home, 'library.db'), { readonly: true, fileMustExist: true });
  const row = db.prepare("SELECT id, served_path AS served FROM files WHERE path = ? AND status = 'ok'");
  const grouped = db.prepare('SELECT 1 FROM recording_members WHERE file_id = ?');
  const out: Partial<Landing> = {};
  try {
    while (out.listed === undefined || out.grouped === undefined || out.mounted === undefined) {
      const now = performance.now();
      if (now - landed > timeoutMs) throw new Error(`${path}: not taken in after ${timeoutMs / 1000} s`);
      const r = row.get(path) as { id: number; served: string | null } | undefined;
      if (r) {
        out.listed ??= now - landed;
        if (out.grouped === undefined && grouped.get(r.id)) out.grouped = now - landed;
        if (out.mounted === undefined && r.served && existsSync(join(mnt, r.served)))
          out.mounted = now - landed;
      }
      await sleep(10);
    }
  } finally {
    db.close();
  }
  return out as Landing;
}

type Way = 'watch' | 'poll' | 'scan';

async function landings(ways: readonly Way[], count: number): Promise<void> {
  const lib = musicLibrary(12);
  const tracks = readdirSync(lib).sort();
  const existing = tracks.slice(0, 12 - count);
  const landing = tracks.slice(12 - count);
  console.log(
    `\n# Landing → listed / grouped / mounted: ${count} files of real music, one at a time, into a mounted library of ${existing.length}`,
  );
  for (const way of ways) {
    const dir = benchTempDir('sleeve-bench-watch-');
    const music = join(dir, 'music');
    const staging = join(dir, 'staging');
    const home = join(dir, 'home');
    const mnt = join(dir, 'mnt');
    mkdirSync(join(music, 'Existing'), { recursive: true });
    mkdirSync(staging);
    mkdirSync(home);
    for (const t of existing) copyFileSync(join(lib, t), join(music, 'Existing', t));
    if (way === 'poll')
      writeFileSync(join(home, 'config.json'), JSON.stringify({ watch: { pollSeconds: 5 } }));
    sleeve(home, ['scan', music]);
    sleeve(home, ['mount', mnt]);
    const watcher =
      way === 'scan' ? undefined : background(home, way === 'poll' ? ['watch', '--poll'] : ['watch']);
    try {
      await sleep(3000); // the watcher's first look at the folder (nothing changed) is over
      const results: Landing[] = [];
      for (const [i, t] of landing.entries()) {
        const folder = join(music, `Incoming ${i}`);
        mkdirSync(folder);
        copyFileSync(join(lib, t), join(staging, t));
        // Complete when it lands: a rename on the same disk.
        renameSync(join(staging, t), join(folder, t));
        const landed = performance.now();
        const scanning =
          way === 'scan'
            ? new Promise<void>((resolve, reject) => {
                const c = spawn(process.execPath, [CLI, '--home', home, 'scan', music], { stdio: 'ignore' });
                c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scan exited ${code}`))));
              })
            : undefined;
        results.push(await follow(home, mnt, join(folder, t), landed, 60_000));
        await scanning;
      }
      const row = (what: keyof Landing) => {
        const ms = results.map((r) => r[what]).sort((a, b) => a - b);
        return `${(percentile(ms, 50) / 1000).toFixed(2)} s (max ${(ms.at(-1)! / 1000).toFixed(2)})`;
      };
      const label = {
        watch: '`sleeve watch`, inotify, settle 1 s',
        poll: '`sleeve watch --poll`, every 5 s',
        scan: '`sleeve scan` run as the file lands',
      }[way];
      console.log(
        `${label.padEnd(40)} listed ${row('listed')} · grouped ${row('grouped')} · mounted ${row('mounted')}`,
      );
    } finally {
      if (watcher) await stop(watcher);
      sleeve(home, ['umount', mnt]);
    }
  }
}

const cpuSeconds = (pid: number) => cpuSecondsOf(pid).own;

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** inotify watches the process holds (fdinfo lists one line per watch). */
function inotifyWatches(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      n += readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').match(/^inotify wd:/gm)?.length ?? 0;
    } catch {}
  }
  return n;
}

async function idle(folders: number, perFolder: number, idleSeconds: number): Promise<void> {
  const dir = benchTempDir('sleeve-bench-watch-idle-');
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  mkdirSync(home);
  // The smallest valid WAV: a header and 100 samples of silence.
  const wav = Buffer.alloc(44 + 200);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + 200, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(44100, 24);
  wav.writeUInt32LE(88200, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(200, 40);
  for (let f = 0; f < folders; f++) {
    const folder = join(music, `Artist ${Math.floor(f / 20)}`, `Album ${f % 20}`);
    mkdirSync(folder, { recursive: true });
    for (let k = 0; k < perFolder; k++)
      writeFileSync(join(folder, `${String(k).padStart(2, '0')} Track.wav`), wav);
  }
  const files = folders * perFolder;
  const started = performance.now();
  sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]);
  console.log(
    `\n# Idle: ${files.toLocaleString('en')} files in ${folders.toLocaleString('en')} album folders (scanned in ${((performance.now() - started) / 1000).toFixed(0)} s), ${idleSeconds} s with nothing changing`,
  );
  const candidates: Array<[string, () => ChildProcess]> = [
    ['`sleeve watch` (a watch per folder)', () => background(home, ['watch'])],
    [
      "Node's recursive fs.watch (baseline)",
      () =>
        spawn(
          process.execPath,
          [
            '-e',
            `require('fs').watch(${JSON.stringify(music)}, { recursive: true }, () => {}); setInterval(() => {}, 1e9);`,
          ],
          { stdio: 'ignore' },
        ),
    ],
    [
      'an idle Node process (floor)',
      () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' }),
    ],
  ];
  for (const [label, start] of candidates) {
    const child = start();
    const pid = child.pid!;
    // Settled: the first look at the library (sleeve) or the recursive watcher's start (Node) is over when
    // a whole second passes with under 20 ms of CPU.
    const t0 = performance.now();
    let last = cpuSeconds(pid);
    for (;;) {
      await sleep(1000);
      const now = cpuSeconds(pid);
      if (now - last < 0.02 && performance.now() - t0 > 3000) break;
      last = now;
    }
    const settleSeconds = (performance.now() - t0) / 1000;
    const startCpu = cpuSeconds(pid);
    await sleep(idleSeconds * 1000);
    const cpu = cpuSeconds(pid) - startCpu;
    console.log(
      `${label.padEnd(40)} start ${startCpu.toFixed(1)} s CPU (settled in ${settleSeconds.toFixed(0)} s) · idle ${((cpu / idleSeconds) * 100).toFixed(2)} % of a core · RSS ${rssMb(pid).toFixed(0)} MB · ${inotifyWatches(pid).toLocaleString('en')} inotify watches`,
    );
    if (label.startsWith('`sleeve')) await stop(child);
    else child.kill();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      landings: { type: 'string', default: '4' },
      folders: { type: 'string', default: '5000' },
      'files-per-folder': { type: 'string', default: '20' },
      'idle-seconds': { type: 'string', default: '30' },
    },
  });
  console.log(`watch benchmark · ${machine()} · ${new Date().toISOString().slice(0, 10)}`);
  await landings(['watch', 'poll', 'scan'], Number(values.landings));
  await idle(Number(values.folders), Number(values['files-per-folder']), Number(values['idle-seconds']));
}

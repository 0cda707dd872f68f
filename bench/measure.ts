// Runs a command and measures wall time, peak memory (the process's VmHWM, or, with worker processes, its
// resident set with theirs, sampled from /proc) and, for a `sleeve scan --json`, the peak memory of each
// phase; and how busy the machine was with other work.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  readonly seconds: number;
  readonly peakRssMb: number;
  /**
   * With `sleeve scan --json`: the highest resident set sampled (every 20 ms) in each phase, keyed by the
   * progress lines' `phase` ('walk', 'read', 'analyse', 'group', 'index'), plus 'start-up' before the
   * first line. A sample counts for the phase of the next progress line, the work it led up to: the
   * gap after the last tag is read and before the first analysed file is the analysis starting its
   * workers. After the last line, samples count for that line's phase. Each sample is the process's
   * resident set plus its descendants' own memory (anonymous and shared-memory pages: the scan's analysis
   * runs in worker processes), not their file pages, which are mostly the Node binary the process has
   * resident already. (Proportional sets would be exact, but reading smaps every 20 ms walks each
   * process's mappings under its memory lock: a warm tags-only scan measured that way took 1.29 s
   * against 0.92–1.16 s.) Sampling can miss
   * a spike shorter than 20 ms; `peakRssMb` is at least the process's own high-water mark, which cannot.
   */
  readonly phaseRssMb: Readonly<Record<string, number>>;
  /** Other work on the machine while this ran: see `loadMeter`. */
  readonly load: Load;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Load {
  /** Cores busy on average with processes other than this benchmark and its children. */
  readonly otherCores: number;
  /** Cores' time taken by the hypervisor for other guests, on average (steal). */
  readonly stealCores: number;
}

function cpuTicks(): { busy: number; steal: number; total: number } {
  // cpu user nice system idle iowait irq softirq steal (guest time is already in user)
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    busy: user + nice + system + irq + softirq,
    steal,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

/** Clock ticks a second in /proc (USER_HZ). */
const TICKS = 100;

/** CPU seconds of a process (`self`: this one), from /proc: its own (utime + stime) and its children's
 *  that have exited and been waited for (cutime + cstime). */
export function cpuSecondsOf(pid: number | 'self'): { readonly own: number; readonly children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return { own: (f[11]! + f[12]!) / TICKS, children: (f[13]! + f[14]!) / TICKS };
}

/** CPU ticks of this process and of its children that have exited. */
function ownTicks(): number {
  const { own, children } = cpuSecondsOf('self');
  return Math.round((own + children) * TICKS);
}

/**
 * Starts measuring the machine's other load; the returned function stops. Everything this process and
 * its waited-for children ran is its own; the rest of the machine's busy time is someone else's.
 */
export function loadMeter(): () => Load {
  const cores = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 1;
  const cpu0 = cpuTicks();
  const own0 = ownTicks();
  return () => {
    const cpu1 = cpuTicks();
    const total = Math.max(cpu1.total - cpu0.total, 1);
    const other = Math.max(0, cpu1.busy - cpu0.busy - (ownTicks() - own0));
    return { otherCores: (other / total) * cores, stealCores: ((cpu1.steal - cpu0.steal) / total) * cores };
  };
}

/** "other load 0.0 cores" (and steal when there is any): printed beside each measured run. */
export function loadText(load: Load): string {
  const steal = load.stealCores >= 0.05 ? `, steal ${load.stealCores.toFixed(1)}` : '';
  return `other load ${load.otherCores.toFixed(1)} cores${steal}`;
}

function procKb(pid: number, field: 'VmHWM' | 'VmRSS' | 'RssAnon' | 'RssShmem'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The bytes of the files under `dir`. */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

/** Starts sampling this process's private resident memory (anonymous pages: what the kernel cannot give
 *  back by dropping file pages) every 100 ms; the returned function stops and gives its peak in MB. Beside
 *  VmHWM, which also counts the pages of files it maps (the fingerprint index's segments). */
export function privatePeakMeter(): () => number {
  let peakKb = procKb(process.pid, 'RssAnon');
  const timer = setInterval(() => {
    peakKb = Math.max(peakKb, procKb(process.pid, 'RssAnon'));
  }, 100);
  return () => {
    clearInterval(timer);
    return Math.max(peakKb, procKb(process.pid, 'RssAnon')) / 1024;
  };
}

/** The processes below `pid`: those its main thread started (Node starts processes from there), and
 *  theirs. One small read a process: walking every thread's list each sample slowed the scans measured. */
function descendants(pid: number): number[] {
  let children = '';
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  } catch {
    return []; // gone meanwhile
  }
  return children
    .split(' ')
    .filter(Boolean)
    .flatMap((child) => [Number(child), ...descendants(Number(child))]);
}

/** The resident set of `pid` with its descendants' own memory, in kB (see Measured.phaseRssMb). */
function treeKb(pid: number): number {
  const own = (child: number) => procKb(child, 'RssAnon') + procKb(child, 'RssShmem');
  return procKb(pid, 'VmRSS') + descendants(pid).reduce((kb, child) => kb + own(child), 0);
}

export function measure(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const load = loadMeter();
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let partial = '';
    let pendingKb = 0; // highest sample since the last progress line
    let lastPhase = 'start-up';
    const phaseKb: Record<string, number> = {};
    const credit = (phase: string, kb: number) => {
      if (kb > 0) phaseKb[phase] = Math.max(phaseKb[phase] ?? 0, kb);
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{"event":"progress"')) continue;
        const { phase } = JSON.parse(line) as { phase: string };
        // Before the first line: start-up (the first walk line comes with the first folder listed).
        credit(lastPhase === 'start-up' ? 'start-up' : phase, pendingKb);
        pendingKb = 0;
        lastPhase = phase;
      }
    });
    const timer = setInterval(() => {
      const tree = treeKb(child.pid!);
      peak = Math.max(peak, procKb(child.pid!, 'VmHWM'), tree);
      pendingKb = Math.max(pendingKb, tree);
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      credit(lastPhase, pendingKb);
      const phaseRssMb = Object.fromEntries(Object.entries(phaseKb).map(([k, v]) => [k, v / 1024]));
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ seconds, peakRssMb: peak / 1024, phaseRssMb, load: load(), stdout, stderr });
    });
  });
}

/** Whether this process may empty the page cache (root). */
export function canDropCaches(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Empties the page cache (root only; false otherwise), then runs `prime` — each tool once on nothing — so
 * that a cold run after it reads the library from disk, not the tools' own code.
 */
export function dropCaches(prime: () => void): boolean {
  if (!canDropCaches()) return false;
  execFileSync('sync');
  writeFileSync('/proc/sys/vm/drop_caches', '3');
  prime();
  return true;
}

/** Bytes read from the machine's disks so far (/proc/diskstats: whole disks, not their partitions). */
export function diskReadBytes(): number {
  const disks = new Set(readdirSync('/sys/block').filter((d) => !/^(loop|ram|zram)/.test(d)));
  let sectors = 0;
  for (const line of readFileSync('/proc/diskstats', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length > 5 && disks.has(f[2]!)) sectors += Number(f[5]);
  }
  return sectors * 512;
}

/** Reads every file under `dir` once so the tools compared start from a warm page cache. */
export function warm(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) readFileSync(join(e.parentPath, e.name));
  }
}

export function machine(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const cores = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
  const memGb =
    Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024;
  return `${cpu}, ${cores} cores, ${memGb.toFixed(0)} GiB, Node ${process.version}`;
}

/** `sleeve scan --json` of `folder` into `home` with 2 workers: the analysis phase's own summary. */
/** A new library's tags read, nothing analysed: the set-up of benches that time something else. */
export function scanTagsOnly(home: string, folder: string): void {
  const cli = join(process.cwd(), 'app', 'cli', 'sleeve.js');
  execFileSync(process.execPath, [
    cli,
    '--home',
    home,
    'scan',
    '--no-fingerprint',
    '--no-embeddings',
    '--no-loudness',
    folder,
  ]);
}

export async function scanAnalysis(
  home: string,
  folder: string,
  extra: readonly string[] = [],
): Promise<{ fingerprinted: number; embedded: number; seconds: number }> {
  const cli = join(process.cwd(), 'app', 'cli', 'sleeve.js');
  const run = await measure(process.execPath, [
    cli,
    '--home',
    home,
    'scan',
    '--json',
    '--workers',
    '2',
    ...extra,
    folder,
  ]);
  const summary = JSON.parse(run.stdout) as {
    analysis: { fingerprinted: number; embedded: number; seconds: number };
  };
  return summary.analysis;
}

/** The best of `passes` runs (the least `cost`): this VM's noise only ever slows a pass down. */
export function bestOf<T>(passes: number, run: () => T, cost: (t: T) => number): T {
  const runs = Array.from({ length: passes }, run);
  return runs.reduce((a, b) => (cost(b) < cost(a) ? b : a));
}

/** The p-th percentile (0–100) of ascending `sorted`, by nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** Times in ms as the benchmarks print them: how many, p50, p99 and the longest. */
export function latencies(xs: readonly number[]): string {
  const t = [...xs].sort((a, b) => a - b);
  return t.length === 0
    ? 'none'
    : `${t.length} · p50 ${percentile(t, 50).toFixed(1)} · p99 ${percentile(t, 99).toFixed(1)} · max ${t.at(-1)!.toFixed(0)} ms`;
}

/** Polls `check` every `everyMs` until it holds; the seconds it took. Throws, naming `what`, after
 *  `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  { what = 'the condition', timeoutMs = Number.POSITIVE_INFINITY, everyMs = 50 } = {},
): Promise<number> {
  const t0 = performance.now();
  while (!(await check())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return (performance.now() - t0) / 1000;
}

/** Writes a benchmark's figures where `--figures` said, for the benchmark that ran it (`figuresOf`). */
export function writeFigures(path: string, figures: object): void {
  writeFileSync(path, JSON.stringify(figures));
}

/** Runs another benchmark in a process of its own (`npm run bench -- name …args`), its output shown, and
 *  returns the figures it wrote: its memory is its own, not this process's. */
export function figuresOf<T>(name: string, args: readonly string[]): T {
  const path = join(tmpdir(), `sleeve-bench-figures-${process.pid}-${name}.json`);
  rmSync(path, { force: true });
  execFileSync(process.execPath, [join(import.meta.dirname, 'run.ts'), name, ...args, '--figures', path], {
    stdio: 'inherit',
  });
  const figures = JSON.parse(readFileSync(path, 'utf8')) as T;
  rmSync(path);
  return figures;
}

/** fpcalc over the files with `parallel` processes at a time; status 3 (file shorter than 120 s) is success. */
export function fpcalcAll(files: string[], parallel: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      await new Promise<void>((resolve, reject) => {
        const p = spawn('fpcalc', [f], { stdio: 'ignore' });
        p.on('exit', (code) =>
          code === 0 || code === 3 ? resolve() : reject(new Error(`fpcalc ${f}: ${code}`)),
        );
      });
    }
  };
  return Promise.all(Array.from({ length: parallel }, worker)).then(
    () => (performance.now() - started) / 1000,
  );
}

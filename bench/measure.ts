// Runs a command and measures wall time and peak resident memory (VmHWM, sampled from /proc).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Measured {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly stdout: string;
  readonly stderr: string;
}

function peakRssKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function measure(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const timer = setInterval(() => {
      peak = Math.max(peak, peakRssKb(child.pid!));
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ seconds, peakRssMb: peak / 1024, stdout, stderr });
    });
  });
}

export function machine(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const cores = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
  const memGb =
    Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024;
  return `${cpu}, ${cores} cores, ${memGb.toFixed(0)} GiB, Node ${process.version}`;
}

/** `sleeve scan --json` of `folder` into `home` with 2 workers: the analysis phase's own summary. */
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

/** The p-th percentile (0–100) of ascending `sorted`, by nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
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

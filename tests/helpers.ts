// Shared test helpers: temporary copies of the fixture library, hashing, running the real CLI, and
// deterministic pseudo-random data.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** A new folder under the run's temporary root (tests/global-setup.ts removes it when the run ends). */
export function tempDir(prefix = 'sleeve-test-'): string {
  return mkdtempSync(join(inject('tempRoot'), prefix));
}

/** A private copy of the fixture library (symlinks kept as links). */
export function copyFixtures(): string {
  const dest = join(tempDir(), 'music');
  cpSync(inject('fixtureRoot'), dest, { recursive: true, verbatimSymlinks: true });
  return dest;
}

/** sha256 of every regular file under `root`, by relative path. */
export function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = lstatSync(path);
      if (s.isDirectory()) walk(path, r);
      else if (s.isFile()) out.set(r, createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root, '');
  return out;
}

export const CLI = new URL('../app/cli/sleeve.js', import.meta.url).pathname;

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `sleeve` CLI in a child process with the current (pinned) Node. */
export function sleeve(
  home: string,
  args: readonly string[],
  options: { input?: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const r = spawnSync(process.execPath, [CLI, '--home', home, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    uid: options.uid,
    gid: options.gid,
    env: options.env ?? process.env,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `sleeve`, without blocking this process: for a CLI that talks to a server this test runs. */
export function sleeveAsync(home: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

export function sleeveJson<T>(home: string, args: readonly string[]): T {
  const r = sleeve(home, args);
  if (r.status !== 0) throw new Error(`sleeve ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The environment without the sanitizer runtime `npm run test:sanitize` preloads for Node's sake. */
const TOOL_ENV = (() => {
  const { LD_PRELOAD: _preload, ...env } = process.env;
  return env;
})();

/** Runs an external tool (never under the sanitize run's preloaded ASan: kid3-cli deadlocks in it). */
export function tool(cmd: string, args: readonly string[]): Buffer {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: TOOL_ENV });
}

/** Deterministic pseudo-random u32s (a linear congruential generator), so a test draws the same data on
 *  every run. `dropBits` drops the low bits, the least random ones of an LCG. */
export function lcg(seed: number, dropBits = 0): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> dropBits;
  };
}
